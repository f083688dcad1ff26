"""Facet counts of the service search at national scale: timings and query plans on an existing database.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/pk_h5 .venv/bin/python benchmarks/facets.py
    ... benchmarks/facets.py --runs 10 --explain      # also EXPLAIN (ANALYZE, BUFFERS) of each facet query

Run it against a copy of the demo database (seed_demo at 30 000 services); it only reads. Each case calls
``facet_counts`` the way ``run_search`` does and reports the median and the slowest of --runs calls. By default
the cache is cleared before every call, so the SQL is timed; ``--warm`` leaves it, so the cached path is timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perhekeskus.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402

from services.models import Service  # noqa: E402
from services.search import SearchQuery, facet_counts  # noqa: E402

CASES = {
    "no words, no filters": SearchQuery(),
    "filters only: Helsinki 091, ages 1-6": SearchQuery(municipality="091", age_range=(1, 6)),
    "words: neuvola": SearchQuery(q="neuvola"),
    "words + area 08: neuvola": SearchQuery(q="neuvola", area="08"),
}


def explain(query: SearchQuery, language: str) -> str:
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    cache.clear()
    with connection.execute_wrapper(capture):
        facet_counts(query, language=language)
    sql, params = max(captured, key=lambda item: len(item[0]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--language", default="fi")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--warm", action="store_true", help="keep the cache between calls (time the cached path)")
    args = parser.parse_args()
    published = Service.objects.published().count()
    print(f"{published} published services; {args.runs} calls per case, {'warm' if args.warm else 'cold'} cache\n")
    print("| case | median ms | max ms |\n|---|---:|---:|")
    plans = []
    for label, query in CASES.items():
        facet_counts(query, language=args.language)  # warm-up: buffers, connection, the words' expansions
        times = []
        for _ in range(args.runs):
            if not args.warm:
                cache.clear()
            start = time.perf_counter()
            facet_counts(query, language=args.language)
            times.append((time.perf_counter() - start) * 1000)
        print(f"| {label} | {statistics.median(times):.1f} | {max(times):.1f} |")
        if args.explain:
            plans.append((label, explain(query, args.language)))
    for label, plan in plans:
        print(f"\n=== {label}\n{plan}")


if __name__ == "__main__":
    main()
