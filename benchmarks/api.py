"""Latency of the API's services list under gunicorn + wrk, next to the search page and the framework floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pk_api .venv/bin/python benchmarks/api.py
    .venv/bin/python benchmarks/api.py --services 30000 --duration 10 --connections 4 --workers 2 --port 16600

The data is benchmarks/search.py's national-scale set (30 000 services, same generator), in its own database
"pk_api_bench" on the server of DATABASE_URL (created, migrated and seeded on the first run, then reused). gunicorn
serves the site with production settings (DEBUG off, manifest static files, throttling off so wrk measures the
work, not the limit); wrk loads each URL in turn for --duration seconds with --connections open connections.
Needs wrk (apt-get install wrk).
"""

import argparse
import importlib.util
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DB = "pk_api_bench"


def _search_benchmark():
    """benchmarks/search.py as a module: its seeding (and Django set-up) is reused, not copied."""
    spec = importlib.util.spec_from_file_location("search_benchmark", BASE_DIR / "benchmarks" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare_database(services: int) -> tuple[str, int]:
    """Create, migrate and seed the benchmark database; return its DATABASE_URL and one published service id."""
    import random

    import django
    from django.conf import settings

    search = _search_benchmark()
    settings.DATABASES["default"]["TEST"] = {"NAME": BENCH_DB}
    django.setup()
    from django.db import connection

    # serialize=False: a kept database is not read back whole into memory (minutes at 30 000 services).
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)

    from services.models import Service

    existing = Service.objects.count()
    if existing < services:
        start = time.perf_counter()
        search.seed(services - existing, random.Random(existing), offset=existing)  # noqa: S311 - test data
        print(f"seeded {services - existing} services in {time.perf_counter() - start:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    published = Service.objects.published()
    print(f"{Service.objects.count()} services ({published.count()} published)")
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{BENCH_DB}"
    return url, published.order_by("pk").values_list("pk", flat=True)[100]


SCENARIOS = [
    ("framework floor: /healthz", "/healthz"),
    ("API services, no input (20 by name)", "/api/v1/services/"),
    ("search page, no input", "/fi/services/"),
    ("API services, q=neuvola", "/api/v1/services/?q=neuvola"),
    ("search page, q=neuvola", "/fi/services/?q=neuvola"),
    ("API services, q=neuvola, area 08", "/api/v1/services/?q=neuvola&area=08"),
    ("search page, q=neuvola, area 08", "/fi/services/?q=neuvola&area=08"),
    ("API services, age 1-6, sv, public", "/api/v1/services/?age_group=1-6&language=sv&provider=public"),
    ("search page, age 1-6, sv, public", "/fi/services/?age_group=1-6&language=sv&provider=public"),
    ("API services, page_size=100", "/api/v1/services/?page_size=100"),
    ("API one service", "/api/v1/services/{service}/"),
    ("API areas (reference data)", "/api/v1/areas/"),
]


def run_wrk(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(  # noqa: S603 - wrk on our own local server
        [shutil.which("wrk"), "-t1", f"-c{connections}", f"-d{duration}s", "--timeout=30s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        value, unit = float(match[1]), match[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": ms("50%"),
        "p90": ms("90%"),
        "p99": ms("99%"),
        "errors": int(errors[1]) if errors else 0,
        "socket_errors": socket_errors[1] if socket_errors else "",
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
    }


def wait_until_up(base: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=30_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL")
    parser.add_argument("--connections", type=int, default=2, help="open connections (default: one per worker)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=16600)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL server to use (the database pk_api_bench is made there).")

    database_url, service_id = prepare_database(args.services)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "API_ANON_RATE": "",
        "ENV_FILE": "/dev/null",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="perhekeskus-static-"),
    }
    python = sys.executable
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
    )
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            str(Path(python).parent / "gunicorn"),
            "perhekeskus.wsgi:application",
            f"--bind=127.0.0.1:{args.port}",
            f"--workers={args.workers}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    rows = []
    try:
        wait_until_up(base)
        for label, path in SCENARIOS:
            url = base + path.format(service=service_id)
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - warm-up, and it must answer 200
                assert response.status == 200, (url, response.status)
            rows.append((label, path, run_wrk(url, args.duration, args.connections)))
            print(f"  {label}: done", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)

    load = os.getloadavg()
    print(
        f"\ngunicorn {args.workers} workers, wrk {args.connections} connections x {args.duration} s per URL, "
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f}"
    )
    print("| scenario | requests | req/s | p50 ms | p90 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, _path, r in rows:
        errors = ", ".join(filter(None, [f"{r['errors']} non-2xx" if r["errors"] else "", r["socket_errors"]])) or "0"
        latency = f"{r['p50']:.0f} | {r['p90']:.0f} | {r['p99']:.0f}"
        print(f"| {label} | {r['requests']} | {r['rps']:.1f} | {latency} | {errors} |")


if __name__ == "__main__":
    main()
