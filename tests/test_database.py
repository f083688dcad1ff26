"""PostgreSQL features the search needs, on whichever server the suite runs (embedded locally, real in CI)."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def query(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_database__connections_run_without_jit():
    # Settings turn JIT off (seconds of compiling on the service-area conditions); the tests' timeout stays too.
    assert query("show jit") == [("off",)]
    assert query("show statement_timeout")[0][0] != "0"


def test_database__is_postgresql():
    assert connection.vendor == "postgresql"
    assert query("select version()")[0][0].startswith("PostgreSQL")


@pytest.mark.parametrize("config", ["finnish", "swedish"])
def test_text_search_configuration__exists(config):
    assert query("select cfgname from pg_ts_config where cfgname = %s", [config]) == [(config,)]


def matches(config: str, text: str, word: str) -> bool:
    sql = "select to_tsvector(%s::regconfig, %s) @@ to_tsquery(%s::regconfig, %s)"
    return query(sql, [config, text, config, word])[0][0]


def test_text_search_configuration__finnish_stems_inflected_words():
    # "neuvolassa" (at the clinic) and "neuvolaan" (to the clinic) must match a search for "neuvola".
    assert matches("finnish", "neuvolassa", "neuvola")
    assert matches("finnish", "neuvolaan", "neuvola")
    assert not matches("simple", "neuvolassa", "neuvola")


def test_text_search_configuration__swedish_stems_inflected_words():
    assert matches("swedish", "familjerna", "familj")
    assert not matches("simple", "familjerna", "familj")


@pytest.mark.parametrize("extension", ["pg_trgm", "unaccent"])
def test_extension__is_installed(extension):
    assert query("select extname from pg_extension where extname = %s", [extension]) == [(extension,)]


def test_extensions__work():
    assert query("select unaccent('Äitiysneuvola Åbo')") == [("Aitiysneuvola Abo",)]
    assert query("select similarity('lastenneuvola', 'lastenneuvla') > 0.5") == [(True,)]


EMBEDDED_VERSION = (
    "import django; django.setup(); from django.db import connection; "
    "c = connection.cursor(); c.execute('select version(), current_setting(%s)', ['data_directory']); "
    "print('|'.join(c.fetchone()))"
)


def embedded_env(pgdata):
    """A clean environment with no DATABASE_URL, so settings start the embedded server in *pgdata*."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "perhekeskus.settings",
        "ENV_FILE": os.devnull,
        "DEBUG": "1",
        "EMBEDDED_PGDATA": str(pgdata),
    }


@pytest.mark.embedded_db
def test_embedded_default__starts_postgresql_when_database_url_is_unset():
    # Not pytest's tmp_path: its base directory is private to this user, and the server runs as another.
    parent = Path(tempfile.mkdtemp(prefix="perhekeskus-embedded-"))
    pgdata = parent / "pgdata"
    env = embedded_env(pgdata)

    try:
        result = subprocess.run(
            [sys.executable, "-c", EMBEDDED_VERSION],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        shutil.rmtree(parent, ignore_errors=True)

    assert result.returncode == 0, result.stderr
    version, data_directory = result.stdout.strip().splitlines()[-1].split("|")
    assert version.startswith("PostgreSQL ")
    assert os.path.realpath(data_directory) == os.path.realpath(pgdata)


EMBEDDED_WAIT = (
    "import django, time; django.setup(); "
    "from django.db import connection; connection.ensure_connection(); "
    "print('ready', flush=True); time.sleep(60)"
)


@pytest.mark.embedded_db
def test_embedded_default__server_stops_when_the_last_process_is_terminated():
    parent = Path(tempfile.mkdtemp(prefix="perhekeskus-embedded-"))
    pgdata = parent / "pgdata"
    env = embedded_env(pgdata)
    process = subprocess.Popen(
        [sys.executable, "-c", EMBEDDED_WAIT],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "ready"
        assert (pgdata / "postmaster.pid").exists()
        # What `kill`, a process manager or an IDE's stop button sends; atexit must still stop the server.
        process.terminate()
        process.wait(timeout=30)
        assert not (pgdata / "postmaster.pid").exists()
    finally:
        if process.poll() is None:
            process.kill()
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture
def embedded_parent():
    """A temporary parent for an embedded data directory; afterwards nothing of it keeps running."""
    parent = Path(tempfile.mkdtemp(prefix="perhekeskus-embedded-"))
    parent.chmod(0o755)  # the server runs as another user when the tests run as root
    yield parent
    pgdata = parent / "pgdata"
    for pid in [_read_pid(pgdata / ".watchdog.pid"), _read_pid(pgdata / "postmaster.pid")]:
        if pid and _running(pid):
            os.kill(pid, signal.SIGTERM)
    shutil.rmtree(parent, ignore_errors=True)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def postmaster(pgdata: Path) -> int | None:
    """The pid of the live postmaster of *pgdata*, or None."""
    pid = _read_pid(pgdata / "postmaster.pid")
    return pid if pid and _running(pid) else None


def handle_pids(pgdata: Path) -> list[int]:
    return json.loads((pgdata / ".handle_pids.json").read_text())


def eventually(predicate, seconds=30.0):
    """Wait (bounded) until *predicate* holds; return whether it did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


# A database user: connects, says "ready", then runs `select 1` for each line on stdin (retrying for up to 20 s
# while the server is down) and answers "ok" or "error <type>" lines.
EMBEDDED_USER = """
import sys, time
import django
django.setup()
from django.db import connection
from django.db.utils import OperationalError

connection.ensure_connection()
print("ready", flush=True)
for _line in sys.stdin:
    deadline = time.monotonic() + 20
    while True:
        try:
            with connection.cursor() as cursor:
                cursor.execute("select 1")
            print("ok", flush=True)
            break
        except OperationalError as error:
            print("error", type(error).__name__, flush=True)
            connection.close()
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
"""


def start_user(pgdata: Path, **extra_env) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", EMBEDDED_USER],
        cwd=settings.BASE_DIR,
        env={**embedded_env(pgdata), **extra_env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def test_embedded_default__importing_settings_or_manage_help_starts_nothing(tmp_path):
    pgdata = tmp_path / "pgdata"
    env = embedded_env(pgdata)
    for command in (
        [sys.executable, "manage.py", "--help"],
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DATABASES)",
        ],
    ):
        result = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr

    assert not pgdata.exists()  # no initdb, no directory
    assert not [p for p in psutil.process_iter(["cmdline"]) if str(pgdata) in " ".join(p.info["cmdline"] or [])]


@pytest.mark.embedded_db
def test_embedded_default__next_connection_restarts_a_killed_postmaster(embedded_parent):
    pgdata = embedded_parent / "pgdata"
    user = start_user(pgdata)
    try:
        killed = postmaster(pgdata)
        os.kill(killed, signal.SIGKILL)
        assert eventually(lambda: not _running(killed))

        user.stdin.write("query\n")
        user.stdin.flush()
        answers = []
        while not answers or answers[-1].startswith("error"):
            answers.append(user.stdout.readline().strip())
        # Nobody restarted anything by hand: the user's next connection did.
        assert answers[-1] == "ok", answers
        assert postmaster(pgdata) not in (None, killed)
    finally:
        user.terminate()
        user.wait(timeout=30)
    assert eventually(lambda: postmaster(pgdata) is None)


@pytest.mark.embedded_db
def test_embedded_default__watchdog_stops_the_server_when_its_only_user_was_killed(embedded_parent):
    pgdata = embedded_parent / "pgdata"
    user = start_user(pgdata, EMBEDDED_WATCHDOG_INTERVAL="0.5")
    assert postmaster(pgdata)
    watchdog = _read_pid(pgdata / ".watchdog.pid")

    user.kill()  # no atexit, no clean-up: what `kill -9` or the OOM killer does
    user.wait(timeout=30)

    assert eventually(lambda: postmaster(pgdata) is None)
    assert handle_pids(pgdata) == []
    assert eventually(lambda: not _running(watchdog))


@pytest.mark.embedded_db
def test_embedded_default__attach_prunes_dead_users_so_the_last_live_one_stops_the_server(embedded_parent):
    pgdata = embedded_parent / "pgdata"
    killed = start_user(pgdata, EMBEDDED_WATCHDOG_INTERVAL="60")
    # A stranded server as before the watchdog existed: its user and the watchdog died without cleaning up.
    os.kill(_read_pid(pgdata / ".watchdog.pid"), signal.SIGKILL)
    killed.kill()
    killed.wait(timeout=30)
    server = postmaster(pgdata)
    assert server
    assert handle_pids(pgdata) == [killed.pid]

    user = start_user(pgdata, EMBEDDED_WATCHDOG_INTERVAL="60")
    assert handle_pids(pgdata) == [user.pid]  # the dead pid is gone
    assert postmaster(pgdata) == server  # attached to the running server

    user.terminate()
    user.wait(timeout=30)
    # The last live user stopped it on exit (the watchdog would wait a minute).
    assert postmaster(pgdata) is None
    assert handle_pids(pgdata) == []


@pytest.mark.embedded_db
def test_embedded_default__runserver_autoreloader_keeps_the_server_across_code_reloads(embedded_parent):
    pgdata = embedded_parent / "pgdata"
    # RUN_MAIN=true is how Django's autoreloader marks the child that serves; its parent (here: this test process)
    # lives on while the child restarts after a code change.
    child = start_user(pgdata, RUN_MAIN="true", EMBEDDED_WATCHDOG_INTERVAL="60")
    server = postmaster(pgdata)
    assert sorted(handle_pids(pgdata)) == sorted([child.pid, os.getpid()])

    child.terminate()
    child.wait(timeout=30)

    assert postmaster(pgdata) == server
    assert handle_pids(pgdata) == [os.getpid()]
