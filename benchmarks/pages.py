"""Whole pages at national scale: gunicorn with production settings, wrk on loopback, the framework floor in the run.

    make bench                                         # installs Debian's wrk, then runs this with the defaults
    .venv/bin/python benchmarks/pages.py --rounds 1 --seconds 5
    .venv/bin/python benchmarks/pages.py --database-url postgres://postgres@127.0.0.1:5432/pk_demo --write

Data: by default the database ``pk_pages_bench`` on the server of DATABASE_URL (without DATABASE_URL, on the embedded
PostgreSQL), created when missing, migrated, filled with ``manage.py seed_demo --scale 19`` (about 30 000 services)
when it does not already hold about that many, then ANALYZE. ``--database-url`` names a database to use as it is:
migrated and analysed, never seeded.

Server: collectstatic into a temporary STATIC_ROOT, then gunicorn with 2 sync workers and production settings (DEBUG
off, throttling off so that wrk measures the work and not the limit, no .env file read) on 127.0.0.1:--port.

Method: for each round and each page in turn (interleaved, so a slow spell of the machine hits every page alike):
wait until the workers are free (two requests at once, each answering only when a worker took it), then
``wrk -t1 -c1`` for latency (p50, p95) and ``wrk -t2 -c4`` for throughput (req/s), every request asking for gzip as
a browser does. The table has the median of the rounds; "% of floor" is a page's req/s against ``/robots.txt``, a
trivial view through the same middleware, measured in the same run. Any answer that is not 2xx (wrk counts 4xx and
5xx; the drain requests also see 3xx) is reported loudly, makes the exit status 1 and keeps --write from writing.

The fixed addresses repeat one request, so after the first the site's caches answer (as for a popular search). The
"distinct" rows show the other side: each cycles through hundreds of addresses (words of the services' names, pages
1-3, Finnish and Swedish; every municipality with each age group; the activity calendar of every municipality and of
every area with an age), each wrk run going on where the previous stopped.
"""

import argparse
import datetime as dt
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
README = BASE_DIR / "benchmarks" / "README.md"
BENCH_DB = "pk_pages_bench"
SCALE = 19  # seed_demo --scale 19: 30 427 services
EXPECTED_SERVICES = range(27_000, 34_000)  # "about 30 000": no new seeding inside this range
WORKERS = 2
MARK_START = "<!-- benchmarks/pages.py: table start -->"
MARK_END = "<!-- benchmarks/pages.py: table end -->"
DISTINCT_WORDS = 200

# wrk calls done() once at the end; latencies are in microseconds. Only done() is defined, so wrk keeps its fast path
# (a response() function would run Lua for every answer).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("PAGES-BENCH %d %d %f %f %f %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


# For a page that cycles through many addresses ("distinct" rows): the addresses, one a line, are read from a file
# given after `--` with the index to start at, so each wrk run goes on where the previous one stopped and no address
# comes back while the caches (60 s) could still hold its answer. The two threads of a c=4 run start half the list
# apart. This defines request(), so wrk runs Lua per request (a few microseconds).
CYCLE_SCRIPT = """
local paths, step = {}, 0
local threads = 0
setup = function(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  step = tonumber(args[2]) + (thread_number or 0) * math.floor(#paths / 2)
end
request = function()
  step = step + 1
  return wrk.format("GET", paths[(step - 1) % #paths + 1])
end
"""


def pages(service_slug: str, compare_ids: list[int], cycles: dict[str, list[str]]) -> list[tuple[str, str, list]]:
    """(label, path, addresses to cycle through or None) in the order of the search issue's table; the first is the
    floor. *cycles*: the "distinct" rows' addresses by label (distinct_pages())."""
    fixed = [
        ("floor", "/robots.txt"),
        ("home", "/fi/"),
        ("service page", f"/fi/services/{service_slug}/"),
        ("compare (3)", "/fi/compare/?services=" + ",".join(map(str, compare_ids))),
        ("search, no words", "/fi/services/"),
        ("filters only (Helsinki, 1–6 years)", "/fi/services/?municipality=091&age_group=1-6"),
        ("typo", "/fi/services/?q=lastenneuvla"),
        ("one word", "/fi/services/?q=neuvola"),
        ("word + area", "/fi/services/?q=neuvola&area=08"),
        ("Swedish", "/sv/services/?q=" + urllib.parse.quote("rådgivning")),
        ("word + place", "/fi/services/?q=lastenneuvola+turku"),
        ("home with an area (its week's activities)", "/fi/?area=02"),
        ("activity calendar", "/fi/activities/"),
        ("activity calendar, a municipality", "/fi/activities/?municipality=091"),
        ("activity calendar, area + age (Swedish)", "/sv/activities/?area=02&age=3"),
        ("wellbeing area", "/fi/areas/02/"),
        ("API list", "/api/v1/services/"),
        ("API search", "/api/v1/services/?q=neuvola"),
    ]
    cycled = [(label, f"{paths[0]} … ({len(paths)} addresses)", paths) for label, paths in cycles.items()]
    return [(label, path, None) for label, path in fixed] + cycled


# The calendar's "distinct" row: every municipality, then every wellbeing area with each of these ages (Swedish).
CALENDAR_AGES = ("0", "1", "2", "4", "6", "9", "13")
# Pages 1-3: the first page has no page parameter (the search redirects "page=1" to the clean address).
PAGE_SUFFIXES = ("", "&page=2", "&page=3")


def distinct_pages(database_url: str) -> dict[str, list[str]]:
    """Addresses that each ask something no cache holds: searches for the words of the services' names (the words
    of at least 3 published names, in a fixed pseudo-random order), pages 1-3 of each, and filters only."""
    words = [
        row[0]
        for row in sql(
            database_url,
            "SELECT word FROM (SELECT lower(unnest(regexp_split_to_array(name_fi, '[^[:alpha:]]+'))) AS word "
            "FROM services_service WHERE state = 'published') AS words WHERE length(word) >= 4 "
            "GROUP BY word HAVING count(*) >= 3 ORDER BY md5(word) LIMIT %s",
            [DISTINCT_WORDS],
        )
    ]
    swedish = [
        row[0]
        for row in sql(
            database_url,
            "SELECT word FROM (SELECT lower(unnest(regexp_split_to_array(name_sv, '[^[:alpha:]]+'))) AS word "
            "FROM services_service WHERE state = 'published' AND name_sv <> '') AS words WHERE length(word) >= 4 "
            "GROUP BY word HAVING count(*) >= 3 ORDER BY md5(word) LIMIT %s",
            [DISTINCT_WORDS],
        )
    ]
    codes = [row[0] for row in sql(database_url, "SELECT code FROM organisations_municipality ORDER BY md5(code)")]
    areas = [row[0] for row in sql(database_url, "SELECT code FROM organisations_wellbeingarea ORDER BY md5(code)")]
    calendar = [f"/fi/activities/?municipality={code}" for code in codes] + [
        f"/sv/activities/?area={area}&age={age}" for area in areas for age in CALENDAR_AGES
    ]
    quote = urllib.parse.quote
    return {
        f"distinct words ({len(words)} name words, pages 1–3)": [
            f"/fi/services/?q={quote(word)}{page}" for word in words for page in PAGE_SUFFIXES
        ],
        f"distinct Swedish words ({len(swedish)}, pages 1–3)": [
            f"/sv/services/?q={quote(word)}{page}" for word in swedish for page in PAGE_SUFFIXES
        ],
        f"distinct filters ({len(codes)} municipalities × 4 ages)": [
            f"/fi/services/?municipality={code}&age_group={age}"
            for code in codes
            for age in ("0-1", "1-6", "7-12", "13-17")
        ],
        f"distinct calendar ({len(codes)} municipalities; {len(areas)} areas × {len(CALENDAR_AGES)} ages in Swedish)": (
            calendar
        ),
    }


# --- database ---


def embedded_server_url() -> str:
    """Start (or attach to) the embedded PostgreSQL and return its URL; it stays up while this process runs."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perhekeskus.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["ENV_FILE"] = "/dev/null"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    host, port = connection.settings_dict["HOST"], connection.settings_dict["PORT"]
    # django-environ's form for a Unix socket directory: the path after the second slash, the database name last.
    return f"postgres://postgres@:{port}/{host}/postgres"


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rsplit("/", 1)[0] + "/" + name, query=""))


def connect_args(url: str) -> dict:
    """psycopg's arguments for a DATABASE_URL, also for django-environ's socket form that libpq does not read."""
    parts = urllib.parse.urlsplit(url)
    if parts.path.startswith("//"):
        host, name = urllib.parse.unquote(parts.path[1:]).rsplit("/", 1)
        return {"host": host, "port": parts.port or 5432, "dbname": name, "user": parts.username or "postgres"}
    return {"conninfo": url}


def sql(url: str, statement: str, params=(), *, autocommit: bool = False):
    import psycopg

    with psycopg.connect(**connect_args(url), autocommit=autocommit) as conn, conn.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def prepare_database(args, env: dict) -> tuple[str, int]:
    """Return the DATABASE_URL to serve and its number of services; create, seed and analyse as the options say."""
    if args.database_url:
        database_url = args.database_url
    else:
        server = os.environ.get("DATABASE_URL") or embedded_server_url()
        database_url = with_database(server, BENCH_DB)
        maintenance = with_database(server, "postgres")
        if not sql(maintenance, "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]):
            sql(maintenance, f'CREATE DATABASE "{BENCH_DB}"', autocommit=True)
            print(f"created database {BENCH_DB}", file=sys.stderr)
    env = {**env, "DATABASE_URL": database_url}
    manage(env, "migrate", "--noinput", "-v0")
    (count,) = sql(database_url, "SELECT count(*) FROM services_service")[0]
    if not args.database_url and count not in EXPECTED_SERVICES:
        print(f"{count} services: seeding about 30 000 (seed_demo --scale {SCALE}, several minutes)", file=sys.stderr)
        started = time.monotonic()
        manage(env, "seed_demo", "--scale", str(SCALE))
        print(f"seeded in {time.monotonic() - started:.0f} s", file=sys.stderr)
        (count,) = sql(database_url, "SELECT count(*) FROM services_service")[0]
    elif count not in EXPECTED_SERVICES:
        print(f"WARNING: {count} services, not about 30 000: the figures are not comparable", file=sys.stderr)
    sql(database_url, "ANALYZE", autocommit=True)
    return database_url, count


def pick_services(database_url: str) -> tuple[str, list[int]]:
    """The same services on the same data: published ones with a visiting address, by id, skipping the first 100."""
    rows = sql(
        database_url,
        "SELECT s.id, s.slug FROM services_service s WHERE s.state = 'published' "
        "AND EXISTS (SELECT 1 FROM services_location l WHERE l.service_id = s.id) ORDER BY s.id OFFSET 100 LIMIT 3",
    )
    if len(rows) < 3:
        raise SystemExit("fewer than 3 published services with an address: nothing to benchmark")
    return rows[0][1], [row[0] for row in rows]


# --- measuring ---


def get(port: int, path: str) -> tuple[int, int]:
    """One request as a browser makes it (gzip accepted, redirects not followed): status and bytes received."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


def drain(port: int, path: str) -> list[tuple[int, int]]:
    """Two requests at once: each is answered only when a worker took it, so the previous load has mostly cleared."""
    results = [None] * WORKERS

    def one(index):
        try:
            results[index] = get(port, path)
        except OSError as error:
            results[index] = (f"error: {error}", 0)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def wrk(url: str, threads: int, connections: int, seconds: int, script: str, script_args=()) -> dict:
    out = subprocess.run(  # noqa: S603 - wrk against our own server on loopback
        [
            shutil.which("wrk"),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout=60s",
            "-H",
            "Accept-Encoding: gzip",
            "-s",
            script,
            url,
            *(["--", *script_args] if script_args else []),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fields = re.search(r"^PAGES-BENCH (.*)$", out, re.MULTILINE)[1].split()
    requests, duration_us = int(fields[0]), int(fields[1])
    p50, p95, p99 = (float(v) / 1000 for v in fields[2:5])
    connect, read, write, status, timeout = map(int, fields[5:10])
    return {
        "rps": requests / (duration_us / 1e6),
        "requests": requests,
        "p50": p50,
        "p95": p95,
        "p99": p99,
        "non_2xx": status,
        "socket_errors": connect + read + write + timeout,
    }


def start_gunicorn(env: dict, port: int, *, timeout: int = 300) -> subprocess.Popen:
    """gunicorn with WORKERS sync workers on 127.0.0.1:*port*, in a session of its own (``stop`` ends it all)."""
    return subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "perhekeskus.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            f"--timeout={timeout}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )


def wait_until_up(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz within 90 s")


def stop(server: subprocess.Popen) -> None:
    """gunicorn's arbiter and its workers are one process group of their own (start_new_session)."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def measure(args, env: dict, page_list: list[tuple[str, str, list]]) -> tuple[dict, list[str]]:
    base = f"http://127.0.0.1:{args.port}"
    results = {path: {"c1": [], "c4": [], "bad": 0, "size": 0} for _label, path, _cycle in page_list}
    problems = []
    next_address = {path: 0 for _label, path, _cycle in page_list}  # where a cycling page's next run starts

    def check_drain(path, answers):
        for status, size in answers:
            results[path]["size"] = size
            if not (isinstance(status, int) and 200 <= status < 300):
                results[path]["bad"] += 1
                problems.append(f"{path}: {status}")
                print(f"!!! {path} answered {status}, not 2xx", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="pages-bench-") as scratch:
        script = Path(scratch) / "done.lua"
        script.write_text(WRK_SCRIPT)
        cycle_script = Path(scratch) / "cycle.lua"
        cycle_script.write_text(CYCLE_SCRIPT + WRK_SCRIPT)
        cycle_files = {}
        for index, (_label, path, cycle) in enumerate(page_list):
            if cycle:
                cycle_files[path] = Path(scratch) / f"addresses-{index}.txt"
                cycle_files[path].write_text("\n".join(cycle) + "\n")
        static_root = Path(scratch) / "static"
        env = {**env, "STATIC_ROOT": str(static_root)}
        manage(env, "collectstatic", "--noinput", "-v0")
        server = start_gunicorn(env, args.port)
        try:
            wait_until_up(server, args.port)
            for round_number in range(1, args.rounds + 1):
                started = time.monotonic()
                for _label, path, cycle in page_list:
                    for key, threads, connections in (("c1", 1, 1), ("c4", 2, 4)):
                        if cycle:
                            # The drain asks the address before the next run's first: not one the run will ask.
                            check_drain(path, drain(args.port, cycle[(next_address[path] - 1) % len(cycle)]))
                            cycle_args = (str(cycle_files[path]), str(next_address[path]))
                            result = wrk(
                                base + cycle[0], threads, connections, args.seconds, str(cycle_script), cycle_args
                            )
                            next_address[path] += result["requests"]
                        else:
                            check_drain(path, drain(args.port, path))
                            result = wrk(base + path, threads, connections, args.seconds, str(script))
                        results[path][key].append(result)
                        bad = result["non_2xx"] + result["socket_errors"]
                        if bad:
                            results[path]["bad"] += bad
                            problems.append(
                                f"{path} ({key}): {result['non_2xx']} non-2xx, {result['socket_errors']} socket errors"
                            )
                            print(f"!!! {problems[-1]}", file=sys.stderr)
                print(f"round {round_number}/{args.rounds} done in {time.monotonic() - started:.0f} s", file=sys.stderr)
        finally:
            stop(server)
    return results, problems


# --- report ---


def git_commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=BASE_DIR, capture_output=True, text=True).stdout.strip()  # noqa: S603, S607

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(page_list, results) -> list[str]:
    median = statistics.median
    floor = median(r["rps"] for r in results[page_list[0][1]]["c4"])
    lines = [
        "| page | p50 ms (c=1) | p95 ms (c=1) | req/s (c=4) | % of floor | kB sent | non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, path, _cycle in page_list:
        r = results[path]
        rps = median(x["rps"] for x in r["c4"])
        share = 100 * rps / floor if floor else 0
        lines.append(
            f"| {label} `{path}` | {fmt(median(x['p50'] for x in r['c1']))} | {fmt(median(x['p95'] for x in r['c1']))} "
            f"| {fmt(rps)} | {share:.2f} % | {r['size'] / 1000:.1f} | {r['bad']} |"
        )
    return lines


def write_readme(block: list[str], start: str = MARK_START, end: str = MARK_END) -> None:
    """Replace the text between the markers *start* and *end* in benchmarks/README.md with *block*."""
    text = README.read_text()
    if start not in text or end not in text:
        raise SystemExit(f"--write: the markers {start} / {end} are missing from {README}")
    head, rest = text.split(start, 1)
    _old, tail = rest.split(end, 1)
    README.write_text(head + start + "\n" + "\n".join(block) + "\n" + end + tail)
    print(f"table written to {README.relative_to(BASE_DIR)}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help=f"the database to serve, as it is (default: {BENCH_DB}, seeded)")
    parser.add_argument("--port", type=int, default=18100, help="gunicorn's port on 127.0.0.1 (default 18100)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=15, help="length of each wrk run")
    parser.add_argument("--write", action="store_true", help=f"replace the table in {README.relative_to(BASE_DIR)}")
    parser.add_argument(
        "--only", nargs="+", metavar="WORDS", help="only the pages whose label holds one of these (and the floor)"
    )
    args = parser.parse_args()
    if args.only and args.write:
        parser.error("--write needs every page: leave out --only")
    if args.rounds < 1 or args.seconds < 1:
        parser.error("--rounds and --seconds must be at least 1")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench` installs it (Debian package wrk)")

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        # Required with DEBUG off (perhekeskus.E001); the pages only show it.
        "FEEDBACK_EMAIL": "palaute@perhekeskus.fi",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "API_ANON_RATE": "",
        "ENV_FILE": "/dev/null",
        "LOG_LEVEL": "WARNING",
    }
    database_url, services = prepare_database(args, env)
    env["DATABASE_URL"] = database_url
    service_slug, compare_ids = pick_services(database_url)
    page_list = pages(service_slug, compare_ids, distinct_pages(database_url))
    if args.only:
        page_list = [page_list[0], *(page for page in page_list[1:] if any(w in page[0] for w in args.only))]
    (published,) = sql(database_url, "SELECT count(*) FROM services_service WHERE state = 'published'")[0]
    (pg_version,) = sql(database_url, "SHOW server_version")[0]

    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    results, problems = measure(args, env, page_list)
    load_after = os.getloadavg()

    block = [
        f"Measured {started:%Y-%m-%d %H:%M} UTC, commit {git_commit()}: {services} services ({published} published), "
        f"PostgreSQL {pg_version}, {os.cpu_count()} cores, load average {load_before[0]:.1f} before and "
        f"{load_after[0]:.1f} after; gunicorn {WORKERS} sync workers; median of {args.rounds} round(s) of "
        f"{args.seconds} s per wrk run; gzip accepted.",
        "",
        *table(page_list, results),
    ]
    print()
    print("\n".join(block))
    if problems:
        print("\n!!! NOT ALL ANSWERS WERE 2xx:", file=sys.stderr)
        for problem in problems:
            print(f"!!!   {problem}", file=sys.stderr)
        if args.write:
            print("!!! the README table was not written", file=sys.stderr)
        sys.exit(1)
    if args.write:
        write_readme(block)


if __name__ == "__main__":
    main()
