"""Recall@5 of the service search on the relevance set (tests/relevance/): overall, per category, and the misses.

    .venv/bin/python benchmarks/relevance.py            # print the figures
    .venv/bin/python benchmarks/relevance.py --all      # also every query's first five
    .venv/bin/python benchmarks/relevance.py --write    # and put the table into benchmarks/README.md

The fixture is loaded into the database "perhekeskus_relevance" on the server of DATABASE_URL (created and migrated
on the first run, then reused) inside a transaction that is rolled back, so the database is left empty and the
development database is never touched. The queries run as the search page runs them (tests/relevance/recall.py).
"""

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perhekeskus.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

RELEVANCE_DB = "perhekeskus_relevance"
README = ROOT / "benchmarks" / "README.md"
START, END = "<!-- relevance:start -->", "<!-- relevance:end -->"


def use_relevance_database():
    settings.DATABASES["default"]["TEST"] = {"NAME": RELEVANCE_DB}
    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)


def run():
    from django.db import transaction

    from tests.relevance.fixture import load_fixture
    from tests.relevance.recall import evaluate

    with transaction.atomic():
        ids = load_fixture()
        outcomes = evaluate(ids)
        transaction.set_rollback(True)
    return ids, outcomes


def table(ids, outcomes) -> str:
    """The Markdown written into benchmarks/README.md."""
    from tests.relevance.recall import by_category, by_language, misses, overall

    sv_count = sum(outcome.query.language == "sv" for outcome in outcomes)
    lines = [
        f"Measured {dt.date.today().isoformat()}: {len(ids)} services, {len(outcomes)} queries "
        f"({len(outcomes) - sv_count} fi, {sv_count} sv).",
        "",
        "| queries | n | recall@5 |",
        "|---|---:|---:|",
        f"| **all** | {len(outcomes)} | **{overall(outcomes):.3f}** |",
        *(f"| {language} | {n} | {value:.3f} |" for language, (value, n) in by_language(outcomes).items()),
        *(f"| {category} | {n} | {value:.3f} |" for category, (value, n) in by_category(outcomes).items()),
        "",
        "Misses (the services not in the first five, and what was there):",
        "",
    ]
    for outcome in misses(outcomes):
        top = ", ".join(outcome.top) or "nothing"
        lines.append(
            f"- `{outcome.query.q}` ({outcome.query.language}, {outcome.query.category}): "
            f"{', '.join(outcome.missing)} — top 5: {top}"
        )
    return "\n".join(lines)


def write_readme(text: str):
    readme = README.read_text(encoding="utf-8")
    if START not in readme or END not in readme:
        raise SystemExit(f"{README} has no {START} … {END} markers")
    block = f"{START}\n{text}\n{END}"
    README.write_text(re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, readme, flags=re.S))
    print(f"wrote the table into {README.relative_to(ROOT)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="print every query's first five")
    parser.add_argument("--write", action="store_true", help="write the table into benchmarks/README.md")
    args = parser.parse_args()

    use_relevance_database()
    ids, outcomes = run()
    if args.all:
        for outcome in outcomes:
            mark = "  " if not outcome.missing else "✗ "
            print(f"{mark}{outcome.query.label:40} {outcome.recall:4.2f}  {', '.join(outcome.top) or '—'}")
        print()
    text = table(ids, outcomes)
    print(text)
    if args.write:
        write_readme(text)


if __name__ == "__main__":
    main()
