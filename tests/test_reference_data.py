"""The national reference data loaded by migrations: every test database has it."""

import csv

import pytest
from django.db.models import Count
from django.utils import translation

from organisations.models import Municipality, PostalCode, WellbeingArea
from organisations.reference_data import DATA_DIR

pytestmark = pytest.mark.django_db

AREA_CODES = [f"{n:02d}" for n in range(1, 22)] + ["90"]


def _csv(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_areas__are_the_21_wellbeing_areas_and_helsinki():
    assert list(WellbeingArea.objects.order_by("code").values_list("code", flat=True)) == AREA_CODES


def test_areas__have_names_in_finnish_swedish_and_english():
    for area in WellbeingArea.objects.all():
        assert area.name_fi and area.name_sv and area.name_en, area.code
        assert len({area.name_fi, area.name_sv, area.name_en}) == 3, area.code


def test_areas__names_follow_the_active_language():
    area = WellbeingArea.objects.get(code="17")

    with translation.override("fi"):
        assert area.name == "Pohjanmaan hyvinvointialue"
    with translation.override("sv"):
        assert area.name == "Österbottens välfärdsområde"


def test_municipalities__are_the_293_of_mainland_finland():
    assert Municipality.objects.count() == 293
    assert not Municipality.objects.filter(code="478").exists()  # Mariehamn: Åland is not a wellbeing area


def test_municipalities__each_is_mapped_to_the_area_in_the_source_csv():
    expected = {
        row["municipality_code"]: row["wellbeing_area_code"] for row in _csv("municipalities_to_wellbeing_areas.csv")
    }
    actual = dict(Municipality.objects.values_list("code", "area__code"))

    assert actual == {code: area for code, area in expected.items() if area in AREA_CODES}


def test_municipalities__every_area_has_the_csv_count():
    expected = {row["code"]: int(row["municipality_count"]) for row in _csv("wellbeing_areas.csv")}
    counts = dict(WellbeingArea.objects.annotate(n=Count("municipalities")).values_list("code", "n"))

    assert counts == {code: expected[code] for code in AREA_CODES}
    assert sum(counts.values()) == 293


def test_municipalities__helsinki_is_its_own_organiser():
    helsinki = Municipality.objects.get(code="091")

    assert helsinki.name_fi == "Helsinki"
    assert helsinki.name_sv == "Helsingfors"
    assert helsinki.area.code == "90"
    assert list(helsinki.area.municipalities.all()) == [helsinki]


def test_municipalities__have_finnish_and_swedish_names():
    assert not Municipality.objects.filter(name_fi="").exists()
    assert not Municipality.objects.filter(name_sv="").exists()
    assert Municipality.objects.get(code="638").name_sv == "Borgå"


@pytest.mark.parametrize(
    ("code", "language", "is_bilingual", "has_swedish"),
    [
        ("091", "fi-sv", True, True),  # Helsinki
        ("638", "fi-sv", True, True),  # Porvoo
        ("905", "fi-sv", True, True),  # Vaasa
        ("545", "sv", False, True),  # Närpes
        ("710", "sv-fi", True, True),  # Raseborg
        ("837", "fi", False, False),  # Tampere
    ],
)
def test_municipalities__official_languages(code, language, is_bilingual, has_swedish):
    municipality = Municipality.objects.get(code=code)

    assert municipality.language == language
    assert municipality.is_bilingual is is_bilingual
    assert municipality.has_swedish is has_swedish


def test_municipalities__swedish_only_ones_are_korsnas_larsmo_and_narpes():
    swedish_only = Municipality.objects.filter(language="sv").values_list("name_sv", flat=True)

    assert sorted(swedish_only) == ["Korsnäs", "Larsmo", "Närpes"]


@pytest.mark.parametrize(
    ("code", "municipality", "post_office_fi", "post_office_sv"),
    [
        ("00100", "091", "Helsinki", "Helsingfors"),
        ("33100", "837", "Tampere", "Tampere"),
        ("65100", "905", "Vaasa", "Vasa"),
    ],
)
def test_postal_codes__resolve_to_municipality_and_post_office(code, municipality, post_office_fi, post_office_sv):
    postal_code = PostalCode.objects.select_related("municipality").get(code=code)

    assert postal_code.municipality.code == municipality
    assert postal_code.is_street_address
    assert (postal_code.post_office_fi, postal_code.post_office_sv) == (post_office_fi, post_office_sv)
    with translation.override("sv"):
        assert postal_code.post_office == post_office_sv


def test_postal_codes__every_municipality_has_a_street_address_code():
    without = Municipality.objects.exclude(postal_codes__is_street_address=True).values_list("name_fi", flat=True)

    assert list(without) == []


def test_postal_codes__all_loaded_codes_from_the_csv():
    municipality_codes = set(Municipality.objects.values_list("code", flat=True))
    expected = {
        row["postal_code"]
        for row in _csv("postal_codes_to_municipalities.csv")
        if row["municipality_code"] in municipality_codes
    }

    assert set(PostalCode.objects.values_list("code", flat=True)) == expected
    assert len(expected) > 4000
