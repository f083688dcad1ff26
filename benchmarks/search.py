"""Time the service search at national scale (30 000 services) in its own database.

    .venv/bin/python benchmarks/search.py                 # embedded PostgreSQL (or DATABASE_URL)
    .venv/bin/python benchmarks/search.py --services 5000 --runs 10
    .venv/bin/python benchmarks/search.py --reseed        # drop the generated data first

The data lives in the database "perhekeskus_bench" on the same server (created and migrated on first
run, then reused), so the development database is never touched. Each measurement evaluates what the
search page evaluates: count, one page of 20 results with the card data prefetched, and the facets.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perhekeskus.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

BENCH_DB = "perhekeskus_bench"

# Realistic family-service names: (fi, sv, service class, life situation, age range, audience flag).
KINDS = [
    ("lastenneuvola", "barnrådgivning", "child-health-clinic", "toddler", (0, 6), ""),
    ("äitiysneuvola", "mödrarådgivning", "maternity-clinic", "expecting", None, "for_expecting"),
    ("perhesuunnitteluneuvola", "familjeplaneringsrådgivning", "family-planning", "relationship", None, "for_parents"),
    ("kouluterveydenhuolto", "skolhälsovård", "school-health-care", "school-age", (7, 15), ""),
    ("koulukuraattori", "skolkurator", "school-health-care", "school-age", (7, 17), ""),
    ("perhesosiaalityö", "familjesocialarbete", "family-social-work", "crisis", (0, 17), ""),
    ("lapsiperheiden kotipalvelu", "hemservice för barnfamiljer", "home-help-for-families", "baby", (0, 12), ""),
    (
        "kasvatus- ja perheneuvonta",
        "uppfostrings- och familjerådgivning",
        "family-counselling",
        "parenting",
        (0, 17),
        "",
    ),
    ("nuorisoasema", "ungdomsstation", "child-youth-mental-health", "teenager", (13, 22), ""),
    ("perhekahvila", "familjecafé", "ngo-activity", "toddler", (0, 6), ""),
    ("vauvakerho", "babyklubb", "parish-activity", "baby", (0, 1), ""),
    ("puheterapia", "talterapi", "rehabilitation", "illness-disability", (1, 12), ""),
    ("eroneuvonta", "skilsmässorådgivning", "family-law-services", "separation", None, "for_parents"),
    ("vertaistukiryhmä", "kamratstödsgrupp", "peer-support", "mental-wellbeing", None, "for_parents"),
    ("nuorisotalo", "ungdomsgård", "youth-services", "leisure", (10, 17), ""),
]
DISTRICTS = [
    "Keskusta",
    "Kirkonkylä",
    "Asema",
    "Rantakylä",
    "Koivukylä",
    "Myllypuro",
    "Kallio",
    "Hervanta",
    "Tikkurila",
    "Leppävaara",
    "Itäkeskus",
    "Linnanmaa",
    "Kaukajärvi",
    "Kupittaa",
    "Ämmälä",
    "Åminne",
    "Östersundom",
    "Puistola",
    "Lauttasaari",
    "Vuosaari",
    "Pohjois-Haaga",
    "Sörnäinen",
    "Oulunkylä",
    "Malmi",
    "Kontula",
]
SCENARIOS = [
    ("no input (name order)", {}, "fi"),
    ("q only: neuvola", {"q": "neuvola"}, "fi"),
    ("q + area: neuvola, Pirkanmaa", {"q": "neuvola", "area": "08"}, "fi"),
    ("q + municipality: perhekahvila, Helsinki", {"q": "perhekahvila", "municipality": "091"}, "fi"),
    ("filters only: age 1-6, Swedish, public", {"age_group": "1-6", "language": "sv", "provider": "public"}, "fi"),
    ("typo: lastenneuvla", {"q": "lastenneuvla"}, "fi"),
    ("inflected: lastenneuvolassa", {"q": "lastenneuvolassa"}, "fi"),
    ("sv page: rådgivning", {"q": "rådgivning"}, "sv"),
    ("open now + area", {"open_now": "1", "area": "90"}, "fi"),
    ("distance sort", {"q": "neuvola", "sort": "distance", "lat": "60.17", "lon": "24.94"}, "fi"),
    ("page 50: no input", {"page": "50"}, "fi"),
]


def use_bench_database():
    settings.DATABASES["default"]["TEST"] = {"NAME": BENCH_DB}
    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)


def seed(count: int, rng: random.Random, offset: int = 0):
    """Bulk-create *count* published services with classes, life situations, locations and hours."""
    import datetime as dt

    from django.db import transaction

    from organisations.models import Municipality, Organisation
    from services.models import (
        LifeSituation,
        Location,
        LocationException,
        LocationOpeningHours,
        Service,
        ServiceClass,
    )

    municipalities = list(Municipality.objects.select_related("area").prefetch_related("postal_codes"))
    areas = sorted({m.area for m in municipalities}, key=lambda a: a.code)
    classes = {c.code: c for c in ServiceClass.objects.all()}
    situations = {s.code: s for s in LifeSituation.objects.all()}
    kinds = ["wellbeing_area", "municipality", "ngo", "parish", "private", "other"]
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name_fi=f"Toimija {n}", name_sv=f"Aktör {n}", slug=f"bench-org-{offset}-{n}", kind=kinds[n % len(kinds)]
            )
            for n in range(max(50, count // 15))
        )
        Organisation.areas.through.objects.bulk_create(
            Organisation.areas.through(organisation_id=o.pk, wellbeingarea_id=rng.choice(areas).pk)
            for o in organisations
            if o.kind != "ngo" or rng.random() < 0.7
        )
        services, links = [], []
        for n in range(count):
            kind_fi, kind_sv, class_code, situation, ages, flag = rng.choice(KINDS)
            home = rng.choice(municipalities)
            district = rng.choice(DISTRICTS)
            service = Service(
                organisation=rng.choice(organisations),
                name_fi=f"{kind_fi.capitalize()}, {district} ({home.name_fi})",
                name_sv=f"{kind_sv.capitalize()}, {district} ({home.name_sv or home.name_fi})" if n % 3 else "",
                slug=f"bench-service-{offset + n}",
                summary_fi=f"{kind_fi.capitalize()} palvelee perheitä: {home.name_fi}.",
                summary_sv=f"{kind_sv.capitalize()} för familjer i {home.name_sv or home.name_fi}." if n % 3 else "",
                description_fi="Palvelu on tarkoitettu lapsiperheille. Ota yhteyttä puhelimitse tai tule käymään.",
                keywords_fi="perhe, lapsi",
                age_min=ages[0] if ages else None,
                age_max=ages[1] if ages else None,
                for_expecting=flag == "for_expecting",
                for_parents=flag == "for_parents",
                languages=["fi", "sv"] if home.has_swedish and n % 2 else ["fi"] + (["en"] if n % 7 == 0 else []),
                cost="fee" if n % 11 == 0 else "free",
                access=[rng.choice(["walk_in", "booking", "referral"])],
                state="published" if n % 20 else "draft",
            )
            services.append(service)
            links.append((home, class_code, situation))
        Service.objects.bulk_create(services, batch_size=2000)
        Service.municipalities.through.objects.bulk_create(
            (
                Service.municipalities.through(service_id=s.pk, municipality_id=home.pk)
                for s, (home, _c, _l) in zip(services, links, strict=True)
                if s.pk % 10
            ),
            batch_size=5000,
        )
        Service.service_classes.through.objects.bulk_create(
            (
                Service.service_classes.through(service_id=s.pk, serviceclass_id=classes[c].pk)
                for s, (_h, c, _l) in zip(services, links, strict=True)
            ),
            batch_size=5000,
        )
        Service.life_situations.through.objects.bulk_create(
            (
                Service.life_situations.through(service_id=s.pk, lifesituation_id=situations[situation].pk)
                for s, (_h, _c, situation) in zip(services, links, strict=True)
            ),
            batch_size=5000,
        )
        locations = []
        for s, (home, _c, _l) in zip(services, links, strict=True):
            postal = next(iter(home.postal_codes.all()), None)
            locations.append(
                Location(
                    service=s,
                    name_fi=s.name_fi,
                    street_address_fi="Testikatu 1",
                    postal_code=postal.code if postal else "00100",
                    municipality=home,
                    latitude=60 + rng.random() * 5,
                    longitude=22 + rng.random() * 6,
                )
            )
        Location.objects.bulk_create(locations, batch_size=5000)
        LocationOpeningHours.objects.bulk_create(
            (
                LocationOpeningHours(location=loc, weekday=day, opens=dt.time(8), closes=dt.time(16))
                for loc in locations
                for day in range(1, 6)
            ),
            batch_size=10000,
        )
        today = dt.date.today()
        LocationException.objects.bulk_create(
            LocationException(location=loc, date=today + dt.timedelta(days=n % 30), closed=True, reason_fi="Koulutus")
            for n, loc in enumerate(locations)
            if n % 5 == 0
        )


def measure(runs: int):
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from services.search import ServiceSearchForm, run_search

    rows = []
    for label, params, language in SCENARIOS:
        timings, queries, total = [], 0, 0
        with translation.override(language):
            for run in range(runs + 1):
                data = QueryDict(mutable=True)
                for key, value in params.items():
                    data[key] = value
                connection.queries_log.clear()
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    query = ServiceSearchForm(data).to_query()
                    page = run_search(query, language=language, page_number=params.get("page", 1)).page
                    shown = [
                        (service.organisation.name, [location.is_open_now for location in service.locations.all()])
                        for service in page
                    ]
                elapsed = (time.perf_counter() - start) * 1000
                if run:  # the first run warms caches and plans
                    timings.append(elapsed)
                queries, total = len(captured), page.paginator.count
                assert len(shown) == len(page.object_list)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
        rows.append((label, language, total, statistics.median(timings), p95, queries))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()

    use_bench_database()
    from django.db import connection

    from services.models import Service

    if args.reseed:
        Service.objects.all().delete()
        from organisations.models import Organisation

        Organisation.objects.filter(slug__startswith="bench-org-").delete()
    existing = Service.objects.count()
    if existing < args.services:
        start = time.perf_counter()
        seed(args.services - existing, random.Random(existing), offset=existing)  # noqa: S311 - test data
        print(f"seeded {args.services - existing} services in {time.perf_counter() - start:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{Service.objects.count()} services ({Service.objects.published().count()} published), "
        f"PostgreSQL {connection.cursor().connection.info.server_version}"
    )
    print(f"{'scenario':45} {'lang':4} {'found':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, language, total, median, p95, queries in measure(args.runs):
        print(f"{label:45} {language:4} {total:6d} {median:10.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
