"""A Redis broker of the test's own, to stop, freeze and restart, and a real Celery worker to run what it queued.

Never the machine's Redis: each test starts ``redis-server`` on a free port of 16500-16549 in a temporary directory and
stops it afterwards (SIGCONT first when it was frozen). Import the fixtures into a test module to use them.
"""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from perhekeskus.celery import app as celery_app

# Each pytest-xdist worker takes its own slice of 16500-16549, so a port one test freed for a restart stays its own.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
PORTS = range(16500 + 10 * (_WORKER % 5), 16510 + 10 * (_WORKER % 5))


class RedisServer:
    """A redis-server child process on a free port of PORTS, with its data in ``directory``."""

    def __init__(self, directory, *, appendonly: bool):
        self.directory, self.appendonly = directory, appendonly
        self.port = self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def start(self):
        ports = [self.port] if self.port else [port for port in PORTS if _port_is_free(port)]
        for port in ports:
            self.port = port
            self.process = subprocess.Popen(  # noqa: S603
                [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
                + ["--appendonly", "yes" if self.appendonly else "no", "--dir", str(self.directory)],
                stdout=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 5
            while self.process.poll() is None and time.monotonic() < deadline:
                try:
                    # Another test process may have taken the port first: only our own server will do.
                    if self.client().info("server")["process_id"] == self.process.pid:
                        return
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
            self.stop()  # lost the port to another process, or never came up: try the next port
        pytest.fail(f"no redis-server could start on {ports}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()  # SIGTERM: a clean shutdown, which writes the append-only file
            self.process.wait(10)
        self.process = None

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (apt-get install redis-server)")
    server = RedisServer(tmp_path, appendonly=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker_app(redis_server):
    """A Celery app with the project's settings and task class whose broker is the test's own Redis, sending to a queue
    of its own."""
    app = Celery("perhekeskus-test", set_as_current=False, task_cls=celery_app.task_cls)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    # Celery prefers a CELERY_BROKER_URL from the environment (CI sets one) over broker_url; these two win over it.
    app.conf.broker_read_url = app.conf.broker_write_url = redis_server.url
    app.conf.task_always_eager = False
    app.conf.task_default_queue = f"test-{uuid.uuid4().hex}"
    yield app
    app.close()
    # The embedded worker makes its app the current and default one; give that back to the project's app.
    celery_app.set_current()
    celery_app.set_default()


def queued(app, server) -> int:
    return server.client().llen(app.conf.task_default_queue)


def run_worker_until_done(app, messages: int):
    """Run a real worker thread on the app's queue until it has finished ``messages`` tasks (at most 20 s)."""
    done = threading.Semaphore(0)

    # The worker thread opens its own database connection; close it so the test database can be dropped.
    def finished(**kwargs):
        connections.close_all()
        done.release()

    task_postrun.connect(finished, weak=False)
    try:
        with start_worker(app, queues=[app.conf.task_default_queue], perform_ping_check=False, shutdown_timeout=10):
            for _ in range(messages):
                assert done.acquire(timeout=20), "the worker did not finish the queued tasks"
    finally:
        task_postrun.disconnect(finished)
