"""Time the Open Referral feed (/api/hsds/) on the database in DATABASE_URL, request by request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perhekeskus .venv/bin/python benchmarks/hsds.py
    .venv/bin/python benchmarks/hsds.py --runs 20 --jit off

Fill the database first (``manage.py seed_demo``, ``--scale 19`` for about 30 000 services). Each request goes
through Django's whole stack in-process (test client: middleware, view, JSON), so the figures are the server's
time without the network. Reports the median and the slowest of the runs and the queries per request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perhekeskus.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from perhekeskus.hsds import taxonomy  # noqa: E402
from perhekeskus.hsds.ids import row_id  # noqa: E402
from services.models import Location, Service  # noqa: E402


def requests() -> list[str]:
    service = Service.objects.published().filter(locations__isnull=False).order_by("pk").first()
    location = Location.objects.filter(service=service).first()
    total = Service.objects.published().count()
    p52 = taxonomy.ptv_terms()["P5.2"].id
    return [
        "/api/hsds/services?per_page=50",
        "/api/hsds/services?per_page=200",
        f"/api/hsds/services?per_page=50&page={max(1, total // 100)}",
        "/api/hsds/services?search=neuvola&per_page=50",
        "/api/hsds/services?search=rådgivning&lang=sv&per_page=50",
        f"/api/hsds/services?taxonomy_term_id={p52}&postcode=00530&per_page=50",
        "/api/hsds/services?postcode=00530&proximity=5000&per_page=50",
        "/api/hsds/services?minimum_age=3&maximum_age=5&day=SA&per_page=50",
        "/api/hsds/service_at_locations?per_page=200",
        "/api/hsds/organizations?per_page=200",
        "/api/hsds/taxonomy_terms?per_page=200",
        f"/api/hsds/services/{row_id('service', service.pk)}",
        f"/api/hsds/service_at_locations/{row_id('service_at_location', location.pk)}",
        f"/api/hsds/organizations/{row_id('organization', service.organisation_id)}",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--jit", choices=["on", "off"], help="PostgreSQL's JIT for this session (default: the server's setting)"
    )
    args = parser.parse_args()
    client = Client(HTTP_HOST="localhost")
    with connection.cursor() as cursor:
        if args.jit:
            # JIT compiling costs seconds on the service-area conditions' plans (their estimates are high).
            cursor.execute(f"SET jit = {args.jit}")
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    print(f"{Service.objects.published().count()} published services, {args.runs} runs each, jit {jit}\n")
    print(f"{'median ms':>9} {'max ms':>7} {'queries':>7} {'items':>5}  request")
    for url in requests():
        client.get(url)  # warm caches (the search core's Voikko probe, PostgreSQL's plan cache)
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        items = body.get("size", 1)
        print(f"{statistics.median(timings):9.1f} {max(timings):7.1f} {len(queries):7d} {items:5d}  {url}")


if __name__ == "__main__":
    main()
