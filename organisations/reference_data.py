"""Load the national reference data shipped in organisations/data/ (used by a data migration)."""

import csv
from pathlib import Path

from .data.municipality_languages import language_of

DATA_DIR = Path(__file__).resolve().parent / "data"
AREA_CODES = [f"{n:02d}" for n in range(1, 22)] + ["90"]


def _rows(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def load_reference_data(WellbeingArea, Municipality, PostalCode):
    """Create or update areas, municipalities and postal codes; safe to run again."""
    areas = {}
    for row in _rows("wellbeing_areas.csv"):
        if row["code"] not in AREA_CODES:
            continue
        areas[row["code"]], _ = WellbeingArea.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name_fi"],
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "name_en": row["name_en"],
            },
        )
    municipalities = {}
    for row in _rows("municipalities_to_wellbeing_areas.csv"):
        area = areas.get(row["wellbeing_area_code"])
        if area is None:
            continue
        municipalities[row["municipality_code"]], _ = Municipality.objects.update_or_create(
            code=row["municipality_code"],
            defaults={
                "name": row["name_fi"],
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "area": area,
                "language": language_of(row["municipality_code"]),
            },
        )
    existing = set(PostalCode.objects.values_list("code", flat=True))
    new_codes = []
    for row in _rows("postal_codes_to_municipalities.csv"):
        municipality = municipalities.get(row["municipality_code"])
        if municipality is None or row["postal_code"] in existing:
            continue
        post_office_fi = row["post_office_fi"].title()
        new_codes.append(
            PostalCode(
                code=row["postal_code"],
                post_office=post_office_fi,
                post_office_fi=post_office_fi,
                post_office_sv=row["post_office_sv"].title(),
                municipality=municipality,
                is_street_address=row["ptv_type"] == "1",
            )
        )
    PostalCode.objects.bulk_create(new_codes, batch_size=1000)
