"""Throughput of the link checker against a local server: how many addresses a second, and that the limits hold.

    .venv/bin/python benchmarks/linkcheck.py                       # 600 addresses, 50 ms pages
    .venv/bin/python benchmarks/linkcheck.py --urls 2000 --delay 0.2 --hosts 20 --concurrency 10 --per-host 2

The server runs on 127.0.0.1 in the link check's test port range (16660–16679) and answers every request after
``--delay`` seconds; ``--hosts`` spreads the addresses over that many host names (a stub resolver points them all at
127.0.0.1), so the per-site limit can be seen next to the global one. Only loopback is ever contacted (the guard's
test-only loopback allowance is on).
"""

import argparse
import http.server
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from perhekeskus.linkcheck import checker  # noqa: E402

PORTS = range(16670, 16680)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_HEAD(self):  # noqa: N802
        server = self.server
        with server.lock:
            server.active += 1
            server.max_active = max(server.max_active, server.active)
        time.sleep(server.delay)
        with server.lock:
            server.active -= 1
            server.requests += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815


def serve(delay: float):
    for port in PORTS:
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
            break
        except OSError:
            continue
    else:
        raise SystemExit(f"no free port in {PORTS}")
    server.daemon_threads = True
    server.request_queue_size = 256
    server.delay, server.lock, server.active, server.max_active, server.requests = delay, threading.Lock(), 0, 0, 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=600)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds each page takes to answer")
    parser.add_argument("--hosts", type=int, default=10, help="loopback addresses the URLs are spread over")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    server = serve(args.delay)
    port = server.server_address[1]
    hosts = [f"127.0.0.1:{port}"] if args.hosts <= 1 else [f"localhost{n}.test:{port}" for n in range(args.hosts)]

    async def resolver(host, _port):
        return ["127.0.0.1"]

    options = checker.Options(
        user_agent="PerhekeskusLinkCheck/benchmark",
        timeout=10,
        concurrency=args.concurrency,
        per_host=args.per_host,
        allow_loopback=True,
    )
    urls = [f"http://{hosts[n % len(hosts)]}/page/{n}" for n in range(args.urls)]
    rates = []
    for run in range(args.runs):
        server.max_active = server.requests = 0
        started = time.perf_counter()
        results = checker.check_urls(urls, options, resolver=resolver)
        elapsed = time.perf_counter() - started
        ok = sum(r.outcome == checker.OK for r in results)
        rates.append(len(urls) / elapsed)
        print(
            f"run {run + 1}: {len(urls)} addresses in {elapsed:.2f} s = {rates[-1]:.0f}/s, {ok} ok, "
            f"{server.requests} requests, at most {server.max_active} at once"
        )
    ideal = min(args.concurrency, args.per_host * len(hosts)) / args.delay
    print(
        f"median {statistics.median(rates):.0f} addresses/s (limit {ideal:.0f}/s with {args.concurrency} at once, "
        f"{args.per_host} per host, {len(hosts)} hosts, {args.delay * 1000:.0f} ms pages)"
    )
    server.shutdown()


if __name__ == "__main__":
    main()
