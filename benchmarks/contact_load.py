"""Anonymous questions under load while the broker goes away: nothing lost, nothing notified twice (issue 11).

    .venv/bin/python benchmarks/contact_load.py                      # 1 000 questions, broker stopped 30 s, frozen 20 s
    .venv/bin/python benchmarks/contact_load.py --submissions 200 --down-seconds 10 --frozen-seconds 5   # a first look
    .venv/bin/python benchmarks/contact_load.py --write              # and replace the table in benchmarks/README.md

Everything runs on loopback with production settings, as the site does:
- the database ``pk_contact_load`` on the server of DATABASE_URL (without DATABASE_URL, on the embedded PostgreSQL),
  created when missing and migrated; one published service whose organisation has one professional; the questions
  and notification claims of an earlier run are deleted first;
- gunicorn with 2 sync workers (DEBUG off, CONTACT_RATE empty so one client may send them all) on --port;
- a redis-server of its own as the broker (--broker-port, append-only file as in docker-compose.yml) and another as
  the shared cache (--cache-port), never the machine's Redis;
- a Celery worker with two processes and beat inside it (-B), CONTACT_REPUBLISH_AFTER=--republish-after seconds, so
  the minutely sweep queues again what the broker lost;
- an SMTP catcher of its own (--smtp-port) that records the Message-ID of every mail; a notification's Message-ID
  names its question (``<contact-question.<public id>.<message id>@…>``).

Method: --clients threads send the questions through the ask page as a family's browser does (GET the form for the
CSRF cookie and its one-time ``submission`` key, then POST; the signed start time of each client's first GET is
reused after waiting the minimum fill time once), at most --rate questions a second in all. Phases, by the clock of
the driver: broker up for the first 30 % of the questions, broker STOPPED (SIGTERM) for --down-seconds, up again for
another 15 %, FROZEN (SIGSTOP) for --frozen-seconds, then up until all are sent. A question's phase is the one in
force when its POST started; its time is the POST's, until the 303 answer. Then the script waits until no question is
pending and the broker's queue is empty (the sweep runs once a minute), and --settle seconds more for any late
second mail.

Counted from the database and the catcher: stored questions, notified exactly once, lost (stored, never mailed),
duplicated (mailed more than once), failed requests (any POST answer but 303 to the sent page, or no answer). The exit
status is 1 on any loss, duplicate or failed request, and --write then leaves the README alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import html.parser
import http.client
import http.cookies
import os
import re
import secrets
import shutil
import signal
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import pages  # benchmarks/pages.py: the database, gunicorn and README helpers

BASE_DIR = pages.BASE_DIR
sys.path.insert(0, str(BASE_DIR))
from tests.brokers import RedisServer  # noqa: E402  (the tests' start/stop/freeze-able redis-server)

BENCH_DB = "pk_contact_load"
MARK_START = "<!-- benchmarks/contact_load.py: table start -->"
MARK_END = "<!-- benchmarks/contact_load.py: table end -->"
ORGANISATION_SLUG = "contact-load-perheneuvola"
SERVICE_SLUG = "contact-load-perheneuvonta"
PROFESSIONAL = "terhi.contact-load@perheneuvola.fi"
FILL_SECONDS = 3.5  # settings.FAMILY_FORM_MIN_SECONDS (3) and a margin
QUESTION = "Lapsemme heräilee öisin monta kertaa. Voiko perheneuvolaan tulla ilman ajanvarausta? (kysymys {n})"
MESSAGE_ID = re.compile(r"<contact-question\.([0-9a-f-]{36})\.(\d+)@")

# The data the run needs, made idempotently in the benchmark's database (manage.py shell -c); also forgets the
# previous run's questions and notification claims, so the counts below are this run's.
SETUP = f"""
from django.contrib.auth import get_user_model
from organisations.models import Membership, Organisation, TaskRun
from perhekeskus.contact.models import ContactRequest
from services.models import PublicationState, Service

organisation, _ = Organisation.objects.get_or_create(
    slug={ORGANISATION_SLUG!r},
    defaults=dict(name_fi="Perheneuvola Kuormitus", name_sv="Familjerådgivningen Belastning", kind="ngo"),
)
user, _ = get_user_model().objects.get_or_create(username="contact-load", defaults=dict(email={PROFESSIONAL!r}))
Membership.objects.get_or_create(user=user, organisation=organisation, role=Membership.Role.PROFESSIONAL)
Service.objects.get_or_create(
    slug={SERVICE_SLUG!r},
    defaults=dict(
        organisation=organisation, name_fi="Perheneuvonta (kuormitustesti)", name_sv="Familjerådgivning (belastning)",
        state=PublicationState.PUBLISHED,
    ),
)
ContactRequest.objects.all().delete()
TaskRun.objects.filter(task="notify_contact_request").delete()
"""


# --- the mail catcher ---


class Mailbox:
    """What the SMTP catcher received: (Message-ID, recipients) per mail, in order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.mails: list[tuple[str, tuple[str, ...]]] = []

    def add(self, message_id: str, recipients: tuple[str, ...]):
        with self.lock:
            self.mails.append((message_id, recipients))

    def snapshot(self) -> list[tuple[str, tuple[str, ...]]]:
        with self.lock:
            return list(self.mails)


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's smtplib client: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 contact-load catcher")
        recipients = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-contact-load")
                self.reply("250 8BITMIME")
            elif verb in (b"HELO", b"MAIL", b"RSET", b"NOOP"):
                recipients = [] if verb in (b"MAIL", b"RSET") else recipients
                self.reply("250 OK")
            elif verb == b"RCPT":
                recipients.append(line.decode(errors="replace").partition(":")[2].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (part := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    data.append(part[1:] if part.startswith(b"..") else part)
                message = email.message_from_bytes(b"".join(data), policy=email.policy.default)
                self.server.mailbox.add(str(message.get("Message-ID", "")), tuple(recipients))
                self.reply("250 OK: queued")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class SMTPCatcher(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int):
        super().__init__(("127.0.0.1", port), SMTPHandler)
        self.mailbox = Mailbox()
        threading.Thread(target=self.serve_forever, daemon=True).start()


# --- a family's browser ---


class HiddenInputs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value") or ""


class Browser:
    """One client: its own cookies, a new connection per request (gunicorn's sync workers close each one)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, dict, str]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers), text
        finally:
            conn.close()


# --- the run ---


class Run:
    """Shared state of the driver threads and the phase controller."""

    def __init__(self, total: int, rate: float):
        self.total, self.rate = total, rate
        self.lock = threading.Lock()
        self.next_index = 0
        self.next_slot = time.monotonic()
        self.phase = "up"
        self.results: list[dict] = []  # phase, seconds, status, ok
        self.errors: list[str] = []

    def take(self) -> int | None:
        with self.lock:
            if self.next_index >= self.total:
                return None
            self.next_index += 1
            index = self.next_index
            slot = max(time.monotonic(), self.next_slot)
            self.next_slot = slot + (1 / self.rate if self.rate else 0)
        time.sleep(max(0.0, slot - time.monotonic()))
        return index

    def done(self) -> int:
        with self.lock:
            return len(self.results)

    def record(self, **result):
        with self.lock:
            self.results.append(result)
            if not result["ok"] and len(self.errors) < 20:
                self.errors.append(result["detail"])


def drive(run: Run, port: int, ask_path: str, sent_path: str):
    browser = Browser(port)
    started = None
    while (index := run.take()) is not None:
        try:
            status, _headers, page = browser.request("GET", ask_path)
            form = HiddenInputs()
            form.feed(page)
            if status != 200 or "csrfmiddlewaretoken" not in form.values:
                run.record(phase=run.phase, seconds=0.0, ok=False, detail=f"GET {ask_path}: {status}")
                continue
            if started is None:
                started = form.values.get("started", "")
                time.sleep(FILL_SECONDS)  # once per client: the signed start time is reused after this
            fields = {
                **form.values,
                "started": started,
                "website": "",
                "message": QUESTION.format(n=index),
                "topic": "",
                "age_group": "",
                "reply_by": "site",
                "email": "",
            }
            if index % 4 == 0:  # every fourth family wants the answer by e-mail too
                fields.update(reply_by="email", email=f"perhe{index}@example.fi")
            phase = run.phase
            began = time.perf_counter()
            status, headers, page = browser.request("POST", ask_path, fields)
            seconds = time.perf_counter() - began
            location = urllib.parse.urlsplit(headers.get("Location", "")).path
            ok = status == 303 and location == sent_path
            detail = "" if ok else f"POST {ask_path}: {status} {location} {' '.join(page.split())[:300]}"
            run.record(phase=phase, seconds=seconds, ok=ok, detail=detail)
        except OSError as error:
            run.record(phase=run.phase, seconds=0.0, ok=False, detail=f"{type(error).__name__}: {error}")


def control_phases(run: Run, broker: RedisServer, args) -> dict[str, float]:
    """Up for 30 % of the questions, stopped, up for 15 % more, frozen, up until the end; returns each phase's
    seconds. Runs in the main thread while the clients send."""
    durations = Counter()

    def until(count: int):
        began = time.monotonic()
        while run.done() < min(count, run.total) and run.next_index < run.total:
            time.sleep(0.05)
        return time.monotonic() - began

    def hold(phase: str, seconds: float):
        run.phase = phase
        time.sleep(seconds)
        return seconds

    durations["up"] += until(int(run.total * 0.30))
    print(f"{run.done()} sent: stopping the broker for {args.down_seconds} s", file=sys.stderr)
    broker.stop()
    durations["down"] += hold("down", args.down_seconds)
    broker.start()
    run.phase = "up"
    print(f"{run.done()} sent: broker up again", file=sys.stderr)
    durations["up"] += until(run.done() + int(run.total * 0.15))
    print(f"{run.done()} sent: freezing the broker for {args.frozen_seconds} s", file=sys.stderr)
    broker.freeze()
    try:
        durations["frozen"] += hold("frozen", args.frozen_seconds)
    finally:
        broker.thaw()
        run.phase = "up"
    print(f"{run.done()} sent: broker thawed", file=sys.stderr)
    durations["up"] += until(run.total)
    return durations


class Supervised:
    """The Celery worker (with beat), started again a second after it exits, as docker-compose.yml's
    ``restart: unless-stopped`` does: Celery 5.7 stops the worker on an "Unrecoverable error" when the broker goes away
    while it holds unacknowledged tasks (kombu's channel.close() then finds its transport already collected)."""

    def __init__(self, command: list[str], env: dict):
        self.command, self.env = command, env
        self.restarts = 0
        self.stopping = threading.Event()
        self.process = self._start()
        threading.Thread(target=self._watch, daemon=True).start()

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(self.command, cwd=BASE_DIR, env=self.env, start_new_session=True)  # noqa: S603

    def _watch(self):
        while not self.stopping.wait(0.5):
            if self.process.poll() is not None:
                print(f"!!! the worker exited ({self.process.returncode}): starting it again", file=sys.stderr)
                pages.stop(self.process)  # its pool processes, if any were left
                time.sleep(1)
                if not self.stopping.is_set():
                    self.restarts += 1
                    self.process = self._start()

    def stop(self):
        self.stopping.set()
        pages.stop(self.process)


def database_counts(database_url: str) -> tuple[set[str], int]:
    """The public ids of the stored questions, and how many are still pending."""
    rows = pages.sql(database_url, "SELECT public_id::text, notify_state FROM contact_contactrequest")
    return {row[0] for row in rows}, sum(1 for row in rows if row[1] == "pending")


def wait_until_drained(database_url: str, broker: RedisServer, mailbox: Mailbox, args) -> float:
    """Seconds from now until nothing is pending and the broker's queue is empty (then --settle more)."""
    began = time.monotonic()
    deadline = began + args.drain_timeout
    last_report = 0
    while time.monotonic() < deadline:
        stored, pending = database_counts(database_url)
        queued = broker.client().llen("celery")
        if not pending and not queued:
            drained = time.monotonic() - began
            time.sleep(args.settle)
            return drained
        if time.monotonic() - last_report > 15:
            print(f"waiting: {pending} pending, {queued} queued, {len(mailbox.snapshot())} mails", file=sys.stderr)
            last_report = time.monotonic()
        time.sleep(1)
    print(f"!!! not drained within {args.drain_timeout} s", file=sys.stderr)
    return float("nan")


def count(stored: set[str], mails: list[tuple[str, tuple[str, ...]]]) -> dict:
    per_question = Counter()
    strangers = 0
    for message_id, _recipients in mails:
        found = MESSAGE_ID.search(message_id)
        if found and found[1] in stored:
            per_question[found[1]] += 1
        else:
            strangers += 1  # a mail about something else (none expected)
    return {
        "stored": len(stored),
        "once": sum(1 for n in per_question.values() if n == 1),
        "lost": len(stored - set(per_question)),
        "duplicated": sum(1 for n in per_question.values() if n > 1),
        "extra_mails": sum(n - 1 for n in per_question.values() if n > 1),
        "other_mails": strangers,
    }


def milliseconds(values: list[float]) -> tuple[str, str, str]:
    if not values:
        return "–", "–", "–"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return tuple(pages.fmt(v * 1000) for v in (statistics.median(ordered), p95, ordered[-1]))


def report(results: list[dict], durations: dict, counts: dict, drained: float, restarts: int) -> list[str]:
    lines = [
        "| broker | seconds | questions sent | failed (not 303) | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for phase, label in (("up", "up"), ("down", "stopped"), ("frozen", "frozen (SIGSTOP)")):
        mine = [r for r in results if r["phase"] == phase]
        ok = [r["seconds"] for r in mine if r["ok"]]
        lines.append(
            f"| {label} | {durations.get(phase, 0):.0f} | {len(mine)} | {sum(1 for r in mine if not r['ok'])} | "
            + " | ".join(milliseconds(ok))
            + " |"
        )
    failed = sum(1 for r in results if not r["ok"])
    lines += [
        "",
        "| questions | stored | notified exactly once | lost | duplicated | failed requests | drained after | "
        "worker restarts |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(results)} | {counts['stored']} | {counts['once']} | {counts['lost']} | {counts['duplicated']} | "
        f"{failed} | {drained:.0f} s | {restarts} |",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4, help="concurrent families (threads)")
    parser.add_argument("--rate", type=float, default=8, help="at most this many questions a second in all (0: no cap)")
    parser.add_argument("--down-seconds", type=float, default=30, help="how long the broker stays stopped")
    parser.add_argument("--frozen-seconds", type=float, default=20, help="how long the broker stays frozen")
    parser.add_argument("--republish-after", type=int, default=5, help="CONTACT_REPUBLISH_AFTER for the run")
    parser.add_argument("--drain-timeout", type=float, default=600)
    parser.add_argument("--settle", type=float, default=20, help="seconds to wait for late second mails")
    parser.add_argument("--port", type=int, default=18140, help="gunicorn's port on 127.0.0.1")
    parser.add_argument("--broker-port", type=int, default=16391)
    parser.add_argument("--cache-port", type=int, default=16392)
    parser.add_argument("--smtp-port", type=int, default=18025)
    parser.add_argument(
        "--write", action="store_true", help=f"replace the table in {pages.README.relative_to(BASE_DIR)}"
    )
    args = parser.parse_args()
    # A SIGTERM (timeout, kill) stops the servers on the way out as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.submissions < 10 or args.clients < 1:
        parser.error("--submissions must be at least 10 and --clients at least 1")
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is missing (Debian package redis-server)")

    server = os.environ.get("DATABASE_URL") or pages.embedded_server_url()
    database_url = pages.with_database(server, BENCH_DB)
    maintenance = pages.with_database(server, "postgres")
    if not pages.sql(maintenance, "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]):
        pages.sql(maintenance, f'CREATE DATABASE "{BENCH_DB}"', autocommit=True)
        print(f"created database {BENCH_DB}", file=sys.stderr)

    from cryptography.fernet import Fernet

    with tempfile.TemporaryDirectory(prefix="contact-load-") as scratch:
        scratch = Path(scratch)
        broker = RedisServer(scratch / "broker", appendonly=True)
        cache = RedisServer(scratch / "cache", appendonly=False)
        for redis_server, port in ((broker, args.broker_port), (cache, args.cache_port)):
            redis_server.directory.mkdir()
            redis_server.port = port  # start() then uses exactly this port
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "FEEDBACK_EMAIL": "palaute@perhekeskus.fi",  # required with DEBUG off (perhekeskus.E001)
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "ENV_FILE": "/dev/null",
            "LOG_LEVEL": "ERROR",  # the broker's outage is logged as a warning per question
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker.url,
            "CACHE_URL": f"redis://127.0.0.1:{args.cache_port}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{args.smtp_port}",
            "CONTACT_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "CONTACT_RATE": "",
            "CONTACT_REPUBLISH_AFTER": str(args.republish_after),
            "STATIC_ROOT": str(scratch / "static"),
        }
        pages.manage(env, "migrate", "--noinput", "-v0")
        pages.manage(env, "shell", "-c", SETUP)
        pages.manage(env, "collectstatic", "--noinput", "-v0")
        catcher = SMTPCatcher(args.smtp_port)
        processes, worker = [], None
        worker_log = scratch / "worker.log"
        try:
            broker.start()
            cache.start()
            gunicorn = pages.start_gunicorn(env, args.port, timeout=120)
            processes.append(gunicorn)
            worker = Supervised(
                [
                    str(Path(sys.executable).parent / "celery"),
                    "-A",
                    "perhekeskus",
                    "worker",
                    "-B",
                    f"--schedule={scratch / 'beat-schedule'}",
                    "--concurrency=2",
                    "--loglevel=WARNING",
                    f"--logfile={worker_log}",
                    "--hostname=contact-load@%h",
                ],
                env,
            )
            pages.wait_until_up(gunicorn, args.port)

            ask_path = f"/fi/contact/ask/service/{SERVICE_SLUG}/"
            sent_path = "/fi/contact/sent/"
            run = Run(args.submissions, args.rate)
            load_before = os.getloadavg()
            started_at = dt.datetime.now(dt.UTC)
            threads = [
                threading.Thread(target=drive, args=(run, args.port, ask_path, sent_path), daemon=True)
                for _ in range(args.clients)
            ]
            began = time.monotonic()
            for thread in threads:
                thread.start()
            durations = control_phases(run, broker, args)
            for thread in threads:
                thread.join()
            sending = time.monotonic() - began
            print(f"all {args.submissions} sent in {sending:.0f} s; waiting for the notifications", file=sys.stderr)
            drained = wait_until_drained(database_url, broker, catcher.mailbox, args)
            load_after = os.getloadavg()
            stored, _pending = database_counts(database_url)
            counts = count(stored, catcher.mailbox.snapshot())
        finally:
            if worker:
                worker.stop()
            for process in processes:
                pages.stop(process)
            broker.stop()
            cache.stop()
            catcher.shutdown()
        failed = sum(1 for r in run.results if not r["ok"])
        problems = []
        if run.errors:
            problems.append("failed requests, e.g.: " + " / ".join(run.errors[:3]))
        for key in ("lost", "duplicated", "other_mails"):
            if counts[key]:
                problems.append(f"{counts[key]} {key.replace('_', ' ')}")
        if counts["stored"] != args.submissions - failed:
            problems.append(f"{counts['stored']} stored for {args.submissions - failed} answered 303")
        if problems and worker_log.exists():
            print("--- end of the worker's log ---", file=sys.stderr)
            print("\n".join(worker_log.read_text().splitlines()[-30:]), file=sys.stderr)

    block = [
        f"Measured {started_at:%Y-%m-%d %H:%M} UTC, commit {pages.git_commit()}: {args.submissions} questions from "
        f"{args.clients} clients at most {args.rate:g}/s, broker stopped {args.down_seconds:g} s and frozen "
        f"{args.frozen_seconds:g} s, CONTACT_REPUBLISH_AFTER {args.republish_after} s; {os.cpu_count()} cores, load "
        f"average {load_before[0]:.1f} before and {load_after[0]:.1f} after; gunicorn {pages.WORKERS} sync workers, "
        "a Celery worker with 2 processes and beat.",
        "",
        *report(run.results, durations, counts, drained, worker.restarts),
    ]
    print()
    print("\n".join(block))
    if problems:
        print("\n!!! " + "\n!!! ".join(problems), file=sys.stderr)
        if args.write:
            print("!!! the README table was not written", file=sys.stderr)
        sys.exit(1)
    if args.write:
        pages.write_readme(block, MARK_START, MARK_END)


if __name__ == "__main__":
    main()
