"""Time the PTV import at national scale (30 000 services) from generated v12 files, in its own database.

    .venv/bin/python benchmarks/ptv_import.py                   # 30 000 services (embedded PostgreSQL or DATABASE_URL)
    .venv/bin/python benchmarks/ptv_import.py --services 3000

Writes v12 pages (organisations, services, service locations with hours, connections) to a temporary directory,
then imports them twice into a fresh database "perhekeskus_ptv_bench" on the same server: the first run creates
everything, the second finds everything unchanged (what a nightly run over an unchanged answer costs). Reports
services per second for reading the files and for each run. The development database is never touched.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perhekeskus.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

BENCH_DB = "perhekeskus_ptv_bench"
PAGE = 1000
KINDS = [
    ("Lastenneuvola", "Barnrådgivning", "P5.2"),
    ("Äitiysneuvola", "Mödrarådgivning", "P5.2"),
    ("Kasvatus- ja perheneuvola", "Uppfostrings- och familjerådgivning", "P3.7"),
    ("Perhesosiaalityö", "Familjesocialarbete", "P3.6"),
    ("Perhekahvila", "Familjecafé", "P8.4"),
    ("Vauvakerho", "Babyklubb", "P25.6"),
    ("Nuorisotalo", "Ungdomsgård", "P28"),
]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def use_bench_database():
    settings.DATABASES["default"]["TEST"] = {"NAME": BENCH_DB}
    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)


def ident(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hours(rng: random.Random) -> dict:
    opens = rng.choice(["08:00", "09:00"])
    interval = {"start": opens, "end": "16:00", "openingStatus": "Open", "repetition": "Weekly"}
    weekly = {day: {"hours": [interval]} for day in WEEKDAYS}
    return {
        "hours": [
            {"type": "WeeklyUntilFurtherNoticeServiceHour", "heading": {}, "weeklyHours": weekly},
            {
                "type": "ExceptionalDateRangeServiceHour",
                "heading": {"fi": "Koulutuspäivä"},
                "fromDate": "2026-12-11",
                "toDate": "2026-12-11",
                "weeklyHours": {},
            },
        ],
        "holidayServiceHours": {
            "repetition": {"type": "RepetitionEveryYear", "years": []},
            "holidays": [{"holidayName": "ChristmasEve", "hours": []}, {"holidayName": "MidsummerEve", "hours": []}],
        },
    }


def generate(count: int, folder: Path, seed: int = 7) -> None:
    """v12 pages for *count* services: one organisation per 15 services, one service location each."""
    from organisations.models import PostalCode

    rng = random.Random(seed)  # noqa: S311 (test data, not security)
    places = list(PostalCode.objects.filter(is_street_address=True).values_list("code", "municipality__code"))
    organisations, services, channels, connections = [], [], [], []
    for number in range(count):
        if number % 15 == 0:
            org_id = ident(rng)
            organisations.append(
                {
                    "contentId": org_id,
                    "organizationType": rng.choice(["Organization", "Municipality", "RegionalOrganization"]),
                    "area": {"areaType": "LimitedArea", "municipalities": [], "wellbeingServicesCounties": []},
                    "languageVersions": {"fi": {"name": f"Perheyhdistys {number // 15}"}},
                }
            )
        name_fi, name_sv, ptv_class = rng.choice(KINDS)
        postal, municipality = rng.choice(places)
        service_id, channel_id = ident(rng), ident(rng)
        swedish = rng.random() < 0.66
        versions = {"fi": {"name": f"{name_fi} {number}", "summary": f"{name_fi} perheille.", "description": "Teksti."}}
        if swedish:
            versions["sv"] = {"name": f"{name_sv} {number}", "summary": f"{name_sv} för familjer."}
        services.append(
            {
                "contentId": service_id,
                "organizationContentId": org_id,
                "serviceType": "Service",
                "serviceClasses": [ptv_class],
                "targetGroups": ["KR1.2"],
                "lifeEvents": ["KE1"] if ptv_class == "P5.2" else [],
                "chargeType": "Free",
                "serviceLanguages": ["fi", "sv"] if swedish else ["fi"],
                "area": {"areaType": "LimitedArea", "municipalities": [municipality]},
                "languageVersions": versions,
            }
        )
        channels.append(
            {
                "contentId": channel_id,
                "organizationContentId": org_id,
                "serviceChannelType": "ServiceLocation",
                "area": {"areaType": "LimitedArea", "municipalities": [municipality]},
                "languageVersions": {
                    "fi": {
                        "name": f"{name_fi} {number}",
                        "contactPhoneNumbers": [
                            {"type": "DomesticPhone", "number": f"09 {rng.randrange(10**6, 10**7)}"}
                        ],
                        "contactEmails": [{"email": f"palvelu{number}@example.org"}],
                        "contactWebPages": [{"name": "Lisätietoa", "url": f"https://www.example.org/{number}"}],
                    }
                },
                "location": {
                    "streetAddresses": [
                        {
                            "streetName": {"fi": "Esimerkkikatu", "sv": "Exempelgatan"},
                            "addressDetail": str(rng.randrange(1, 80)),
                            "postalCode": postal,
                            "coordinates": [
                                {
                                    "system": "EPSG:3067",
                                    "easting": rng.uniform(250_000, 650_000),
                                    "northing": rng.uniform(6_700_000, 7_400_000),
                                }
                            ],
                        }
                    ]
                },
                "serviceHours": hours(rng),
            }
        )
        connections.append({"serviceContentId": service_id, "channelContentId": channel_id})
    for name, items in (
        ("organizations", organisations),
        ("services", services),
        ("channels", channels),
        ("connections", connections),
    ):
        for start in range(0, len(items), PAGE):
            page = {"page": start // PAGE + 1, "pageSize": PAGE, "items": items[start : start + PAGE]}
            (folder / f"{name}-{start // PAGE:03d}.json").write_text(json.dumps(page, ensure_ascii=False))


def timed_import(folder: Path):
    from services.ptv.adapters import read_files
    from services.ptv.importer import Importer

    started = time.perf_counter()
    bundle = read_files([folder])
    read = time.perf_counter() - started
    started = time.perf_counter()
    summary = Importer().run(bundle)
    return read, time.perf_counter() - started, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=30_000)
    args = parser.parse_args()

    use_bench_database()
    import logging

    logging.getLogger("services.ptv").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        generate(args.services, folder)
        size = sum(p.stat().st_size for p in folder.glob("*.json")) / 1e6
        print(f"generated {args.services} services in {time.perf_counter() - started:.1f} s ({size:.0f} MB of JSON)")
        for label in ("first run (creates)", "second run (unchanged)"):
            read, seconds, summary = timed_import(folder)
            print(
                f"{label}: read {read:.1f} s, import {seconds:.1f} s = {args.services / seconds:.0f} services/s; "
                + "; ".join(summary.lines()[:3])
            )
            if summary.errors:
                print("errors:", summary.errors[:5])


if __name__ == "__main__":
    main()
