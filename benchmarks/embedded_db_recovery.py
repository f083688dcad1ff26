"""Measure how the embedded PostgreSQL recovers from `kill -9` and stops after its users are gone.

    .venv/bin/python benchmarks/embedded_db_recovery.py [--port 16410]

In a fresh temporary EMBEDDED_PGDATA (nothing shared with .pgdata/): migrate, start `manage.py runserver` (DEBUG on,
as `make run` does), wait for a 200 from a page that reads the database, `kill -9` the postmaster, then poll the
page every 0.2 s and print each status with its time since the kill. Afterwards `kill` (SIGTERM) the runserver
parent and print how long PostgreSQL outlives it; a second round does the same with `kill -9` of every runserver
process (then the watchdog has to stop the server).
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PAGE = "/fi/areas/"


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - our own local server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def postmaster_pid(pgdata: Path) -> int | None:
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return pid


def start_runserver(env, port):
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for(url: str, wanted: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if status(url) == wanted:
            return True
        time.sleep(0.2)
    return False


def seconds_until_stopped(pgdata: Path, limit: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if postmaster_pid(pgdata) is None:
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=16410)
    args = parser.parse_args()
    parent = Path(tempfile.mkdtemp(prefix="perhekeskus-recovery-"))
    parent.chmod(0o755)  # the server runs as another user when we are root
    pgdata = parent / "pgdata"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", tempfile.gettempdir()),
        "DJANGO_SETTINGS_MODULE": "perhekeskus.settings",
        "ENV_FILE": os.devnull,
        "DEBUG": "1",
        "EMBEDDED_PGDATA": str(pgdata),
    }
    url = f"http://127.0.0.1:{args.port}{PAGE}"
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True)
        print(f"after migrate exits, postgres stops in {seconds_until_stopped(pgdata, 30)} s")

        server = start_runserver(env, args.port)
        assert wait_for(url, 200, 60), "runserver never answered 200"
        victim = postmaster_pid(pgdata)
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        print(f"kill -9 postmaster {victim}")
        first_200 = None
        while time.monotonic() - killed < 30:
            code = status(url)
            print(f"  {time.monotonic() - killed:5.2f} s  {code}")
            if code == 200:
                first_200 = time.monotonic() - killed
                break
            time.sleep(0.2)
        print(f"first 200 after {first_200} s; new postmaster {postmaster_pid(pgdata)} (was {victim})")

        os.kill(server.pid, signal.SIGTERM)  # what `kill <pid>` sends to the runserver (autoreloader) process
        server.wait(30)
        print(f"kill (SIGTERM) runserver: postgres stops {seconds_until_stopped(pgdata, 30)} s after it exited")

        server = start_runserver(env, args.port)
        assert wait_for(url, 200, 60), "runserver never answered 200"
        os.killpg(server.pid, signal.SIGKILL)  # the autoreloader and its child, no clean-up at all
        server.wait(30)
        print(f"kill -9 runserver: postgres stops {seconds_until_stopped(pgdata, 60)} s after it died (watchdog)")
    finally:
        pid = postmaster_pid(pgdata)
        if pid:
            os.kill(pid, signal.SIGTERM)
            time.sleep(2)
        shutil.rmtree(parent, ignore_errors=True)


if __name__ == "__main__":
    main()
