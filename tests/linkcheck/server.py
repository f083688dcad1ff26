"""A small HTTP server of the tests' own, on loopback in this helper's port range, serving the cases a link meets."""

import http.server
import threading
import time
from contextlib import contextmanager

PORTS = range(16660, 16680)
SLOW_SECONDS = 2.0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet test output
        pass

    def _answer(self, status, headers=(), body=b"page"):
        self.server.seen.append((self.command, self.path, self.headers.get("User-Agent", "")))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):  # noqa: N802
        if self.path == "/no-head":
            return self._answer(405)
        self.do_GET()

    def do_GET(self):  # noqa: N802
        routes = {
            "/ok": (200, ()),
            "/no-head": (200, ()),
            "/missing": (404, ()),
            "/error": (500, ()),
            "/loop": (302, [("Location", "/loop")]),
            "/moved": (301, [("Location", "/moved-again")]),
            "/moved-again": (308, [("Location", "/ok")]),
            "/to-metadata": (302, [("Location", "http://169.254.169.254/latest/meta-data/")]),
            "/to-file": (302, [("Location", "file:///etc/passwd")]),
        }
        path = self.path.split("?", 1)[0]
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            return self._answer(200)
        if path == "/wait":  # a short wait, to count how many requests are in flight at once
            with self.server.lock:
                self.server.active += 1
                self.server.max_active = max(self.server.max_active, self.server.active)
            time.sleep(0.2)
            with self.server.lock:
                self.server.active -= 1
            return self._answer(200)
        status, headers = routes.get(path, (404, ()))
        self._answer(status, headers)


@contextmanager
def local_server():
    """Serve on the first free port of the range; yields the server (``base`` URL, ``seen`` requests)."""
    last_error = None
    for port in PORTS:
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
            break
        except OSError as error:
            last_error = error
    else:
        raise RuntimeError(f"no free port in {PORTS}") from last_error
    server.daemon_threads = True
    server.seen = []
    server.lock = threading.Lock()
    server.active = server.max_active = 0
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
