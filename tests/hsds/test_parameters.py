"""What each HSDS query parameter does (PROFILE.md, "Query parameters"), the paging header, ids and errors."""

import datetime as dt

import pytest
import time_machine

from organisations.models import Municipality, Organisation
from perhekeskus.hsds import taxonomy
from perhekeskus.hsds.ids import derived_id, parse_row_id, row_id
from services.hours import HELSINKI
from services.models import LifeSituation, Service, ServiceClass
from tests.factories import (
    LocationFactory,
    LocationOpeningHoursFactory,
    OrganisationFactory,
    ServiceFactory,
    WellbeingAreaFactory,
)

from .builders import full_service, get, get_ok, names

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, tzinfo=HELSINKI), tick=False):
        yield


def _service(name, **kwargs):
    return ServiceFactory(published=True, name_fi=name, name_sv="", summary_sv="", **kwargs)


def _term_id(taxonomy_code: str, code: str) -> str:
    return derived_id("taxonomy_term", taxonomy_code, code)


def _bad(client, path, **params) -> dict:
    response = get(client, path, **params)
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["error"] == "bad_parameters"
    return body["parameters"]


# --- Paging ---


def test_paging__header_describes_the_page(client):
    for n in range(5):
        _service(f"Palvelu {n}")
    first = get_ok(client, "services", per_page=2)
    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    assert names(first) == ["Palvelu 0", "Palvelu 1"]
    last = get_ok(client, "services", per_page=2, page=3)
    assert names(last) == ["Palvelu 4"] and last["last_page"] and last["size"] == 1
    beyond = get_ok(client, "services", per_page=2, page=9)
    assert beyond["contents"] == [] and beyond["size"] == 0 and beyond["total_items"] == 5 and not beyond["empty"]


def test_paging__an_empty_directory_is_one_empty_page(client):
    page = get_ok(client, "services")
    assert page["empty"] and page["total_items"] == 0 and page["total_pages"] == 1
    assert page["first_page"] and page["last_page"] and page["size"] == 0


@pytest.mark.parametrize(
    ("path", "per_page"), [("services", 1), ("services", 6), ("service_at_locations", 1), ("service_at_locations", 6)]
)
def test_lists__query_count_does_not_grow_with_the_page(client, path, per_page, django_assert_max_num_queries):
    for n in range(6):
        full_service(name_fi=f"Neuvola {n}")
    with django_assert_max_num_queries(4):
        page = get_ok(client, path, per_page=per_page)
    assert page["size"] == per_page


def test_details__query_count_does_not_grow_with_related_rows(client, django_assert_max_num_queries):
    service = full_service()
    for _ in range(3):
        location = LocationFactory(service=service)
        LocationOpeningHoursFactory(location=location, weekday=2)
    with django_assert_max_num_queries(12):
        body = get_ok(client, f"services/{row_id('service', service.pk)}")
    assert len(body["service_at_locations"]) == 4
    with django_assert_max_num_queries(4):
        body = get_ok(client, f"organizations/{row_id('organization', service.organisation_id)}")
    assert [s["name"] for s in body["services"]] == ["Kallion lastenneuvola"]


# --- search ---


def test_search__uses_the_site_search(client):
    _service("Kallion lastenneuvola")
    _service("Perheneuvonta")
    _service("Nuorisotila")
    assert names(get_ok(client, "services", search="neuvola")) == ["Kallion lastenneuvola"]
    # A typo still finds it, as on the search page.
    assert names(get_ok(client, "services", search="lastenneuvla")) == ["Kallion lastenneuvola"]
    sal = get_ok(client, "service_at_locations", search="nuorisotila")
    assert sal["contents"] == []  # it has no location
    assert get_ok(client, "services", search="kirjasto")["total_items"] == 0


def test_search__in_swedish(client):
    ServiceFactory(published=True, name_fi="Lastenneuvola", name_sv="Barnrådgivning")
    _service("Nuorisotila")
    assert names(get_ok(client, "services", search="rådgivning", lang="sv")) == ["Barnrådgivning"]


def test_search__organisations_and_terms(client):
    OrganisationFactory(name_fi="Mannerheimin Lastensuojeluliitto", name_sv="Mannerheims Barnskyddsförbund")
    OrganisationFactory(name_fi="Väestöliitto")
    assert names(get_ok(client, "organizations", search="barnskydds")) == ["Mannerheimin Lastensuojeluliitto"]
    terms = get_ok(client, "taxonomy_terms", search="P5.2")
    assert [t["code"] for t in terms["contents"]] == ["P5.2"]
    assert "Neuvola" in get_ok(client, "taxonomy_terms", search="P5.2")["contents"][0]["name"]


# --- taxonomy_term_id, taxonomy_id ---


def test_taxonomy_term_id__filters_by_each_taxonomy(client):
    clinic = _service(
        "Lastenneuvola",
        service_classes=[ServiceClass.objects.get(code="child-health-clinic")],
        life_situations=[LifeSituation.objects.get(code="baby")],
    )
    _service("Kouluterveydenhuolto", service_classes=[ServiceClass.objects.get(code="school-health-care")])
    _service("Nuorisotila", service_classes=[ServiceClass.objects.get(code="youth-services")])
    assert ServiceClass.objects.get(code="child-health-clinic").ptv_code == "P5.2"

    def filtered(term_id):
        return names(get_ok(client, "services", taxonomy_term_id=term_id))

    assert filtered(_term_id(taxonomy.PTV, "P5.2")) == ["Lastenneuvola"]
    # A broader P-code finds its narrower ones: P5 (health) has both health services, not youth (P28).
    assert filtered(_term_id(taxonomy.PTV, "P5")) == ["Lastenneuvola", "Kouluterveydenhuolto"]
    assert filtered(_term_id(taxonomy.SERVICE_CLASS, "youth-services")) == ["Nuorisotila"]
    assert filtered(_term_id(taxonomy.LIFE_SITUATION, "baby")) == ["Lastenneuvola"]
    assert filtered(_term_id(taxonomy.LIFE_SITUATION, "separation")) == []
    # The terms a service carries are the ones that find it.
    body = get_ok(client, f"services/{row_id('service', clinic.pk)}")
    carried = {a["taxonomy_term"]["code"] for a in body["attributes"]}
    assert carried == {"child-health-clinic", "P5.2", "baby"}
    for attribute in body["attributes"]:
        assert "Lastenneuvola" in filtered(attribute["taxonomy_term_id"])


def test_taxonomy_id__keeps_services_with_any_term(client):
    _service("Vauvaryhmä", life_situations=[LifeSituation.objects.get(code="baby")])
    _service("Nuorisotila")
    life = taxonomy.TAXONOMIES[taxonomy.LIFE_SITUATION].id
    assert names(get_ok(client, "services", taxonomy_id=life)) == ["Vauvaryhmä"]
    terms = get_ok(client, "taxonomy_terms", taxonomy_id=life, per_page=200)
    assert {t["code"] for t in terms["contents"]} == set(LifeSituation.objects.values_list("code", flat=True))


def test_taxonomy_terms__hierarchy(client):
    ptv = taxonomy.TAXONOMIES[taxonomy.PTV].id
    top = get_ok(client, "taxonomy_terms", taxonomy_id=ptv, top_only="true", per_page=200)
    assert "P5" in {t["code"] for t in top["contents"]} and "P5.2" not in {t["code"] for t in top["contents"]}
    children = get_ok(client, "taxonomy_terms", parent_id=_term_id(taxonomy.PTV, "P5"), per_page=200)
    assert "P5.2" in {t["code"] for t in children["contents"]}
    assert all(t["parent_id"] == _term_id(taxonomy.PTV, "P5") for t in children["contents"])


def test_taxonomy_ids__unknown_or_malformed_are_400(client):
    errors = _bad(client, "services", taxonomy_term_id=str(derived_id("nothing")), taxonomy_id="nope")
    assert set(errors) == {"taxonomy_term_id", "taxonomy_id"}
    assert "UUID" in errors["taxonomy_id"]
    assert set(_bad(client, "taxonomy_terms", taxonomy_id=derived_id("x"))) == {"taxonomy_id"}


# --- organization_id ---


def test_organization_id__filters_services_and_locations(client):
    mine = _service("Oma palvelu")
    _service("Muu palvelu")
    LocationFactory(service=mine)
    org_id = row_id("organization", mine.organisation_id)
    assert names(get_ok(client, "services", organization_id=org_id)) == ["Oma palvelu"]
    sal = get_ok(client, "service_at_locations", organization_id=org_id)
    assert [item["service"]["name"] for item in sal["contents"]] == ["Oma palvelu"]
    assert set(_bad(client, "services", organization_id=row_id("organization", 999_999))) == {"organization_id"}
    # A service id is not an organisation id.
    assert set(_bad(client, "services", organization_id=row_id("service", mine.pk))) == {"organization_id"}


# --- postcode and proximity ---


def test_postcode__keeps_services_given_there_and_nationwide_ones(client):
    helsinki, tampere = Municipality.objects.get(code="091"), Municipality.objects.get(code="837")
    _service("Helsingin palvelu", municipalities=[helsinki])
    _service("Tampereen palvelu", municipalities=[tampere])
    area_org = OrganisationFactory()
    area_org.areas.set([helsinki.area])
    _service("Alueen palvelu", organisation=area_org)
    _service("Valtakunnallinen palvelu", organisation=OrganisationFactory())
    # In id order, like every list.
    assert names(get_ok(client, "services", postcode="00100")) == [
        "Helsingin palvelu",
        "Alueen palvelu",
        "Valtakunnallinen palvelu",
    ]
    assert names(get_ok(client, "services", postcode="33100")) == ["Tampereen palvelu", "Valtakunnallinen palvelu"]


def test_postcode__bad_or_unknown_is_400(client):
    assert "five digits" in _bad(client, "services", postcode="1234")["postcode"]
    assert "unknown" in _bad(client, "services", postcode="00009")["postcode"]
    assert "postcode" in _bad(client, "services", proximity="1000")["proximity"]
    assert set(_bad(client, "services", postcode="00100", proximity="-5")) == {"proximity"}


def _located(name, lat, lon, postal_code):
    helsinki = Municipality.objects.get(code="091")
    service = _service(name)
    LocationFactory(
        service=service, municipality=helsinki, postal_code=postal_code, latitude=lat, longitude=lon, name_fi=name
    )
    return service


def test_proximity__nearest_first_within_the_distance(client):
    # The only place in 00100 is the centre of 00100.
    _located("Keskusta", 60.1700, 24.9400, "00100")
    _located("Kilometrin päässä", 60.1790, 24.9400, "00170")  # 1.0 km north
    _located("Kolmen kilometrin päässä", 60.1700, 24.9940, "00530")  # 3.0 km east
    _located("Espoossa", 60.2055, 24.6559, "00200")  # 16 km west
    _located("Ilman koordinaatteja", None, None, "00100")
    expected = ["Keskusta", "Kilometrin päässä", "Kolmen kilometrin päässä"]
    assert names(get_ok(client, "services", postcode="00100", proximity=5000)) == expected
    sal = get_ok(client, "service_at_locations", postcode="00100", proximity=5000)
    assert [item["location"]["name"] for item in sal["contents"]] == expected
    assert names(get_ok(client, "services", postcode="00100", proximity=1500)) == expected[:2]
    everything = names(get_ok(client, "services", postcode="00100", proximity=50_000))
    assert everything == [*expected, "Espoossa"]


def test_proximity__postcode_without_places_uses_its_municipality(client):
    _located("Keskusta", 60.1700, 24.9400, "00100")
    _located("Kallio", 60.1840, 24.9500, "00530")
    # 00180 has no places of ours: the centre is the mean of Helsinki's places, between the two.
    page = get_ok(client, "services", postcode="00180", proximity=1200)
    assert sorted(names(page)) == ["Kallio", "Keskusta"]
    far_postcode = Municipality.objects.get(code="837").postal_codes.filter(is_street_address=True).first()
    assert "no coordinates" in _bad(client, "services", postcode=far_postcode.code, proximity=1000)["proximity"]


# --- minimum_age, maximum_age ---


def test_ages__services_that_take_children_of_those_ages(client):
    _service("Vauvat 0–1", age_min=0, age_max=1)
    _service("Leikki-ikäiset 1–6", age_min=1, age_max=6)
    _service("Koululaiset 7–12", age_min=7, age_max=12)
    _service("Nuoret 13–17", age_min=13, age_max=17)
    _service("Kaikenikäiset")

    def aged(**params):
        return names(get_ok(client, "services", **params))

    assert aged(minimum_age=10) == ["Koululaiset 7–12", "Nuoret 13–17", "Kaikenikäiset"]
    assert aged(maximum_age=1) == ["Vauvat 0–1", "Leikki-ikäiset 1–6", "Kaikenikäiset"]
    assert aged(minimum_age=5, maximum_age=8) == ["Leikki-ikäiset 1–6", "Koululaiset 7–12", "Kaikenikäiset"]
    errors = _bad(client, "services", minimum_age=9, maximum_age=3)
    assert set(errors) == {"maximum_age"}
    assert set(_bad(client, "services", minimum_age="-1", maximum_age="99")) == {"minimum_age", "maximum_age"}


# --- day ---


def test_day__open_that_weekday_by_hours_still_valid(client):
    weekdays = LocationFactory(service=_service("Arkisin"))
    for weekday in range(1, 6):
        LocationOpeningHoursFactory(location=weekdays, weekday=weekday)
    saturday = LocationFactory(service=_service("Lauantaisin"))
    LocationOpeningHoursFactory(location=saturday, weekday=6, opens=dt.time(10), closes=dt.time(14))
    summer = LocationFactory(service=_service("Kesällä lauantaisin"))
    LocationOpeningHoursFactory(
        location=summer, weekday=6, valid_from=dt.date(2026, 6, 1), valid_to=dt.date(2026, 8, 31)
    )
    assert names(get_ok(client, "services", day="SA")) == ["Lauantaisin"]
    assert names(get_ok(client, "services", day="saturday")) == ["Lauantaisin"]
    assert names(get_ok(client, "services", day="mo")) == ["Arkisin"]
    assert get_ok(client, "services", day="SU")["contents"] == []
    sal = get_ok(client, "service_at_locations", day="SA")
    assert [item["location_id"] for item in sal["contents"]] == [row_id("location", saturday.pk)]
    assert "MO" in _bad(client, "services", day="Maanantai")["day"]


def test_schedules__weekly_hours_and_exceptional_days(client):
    service = full_service()
    location = service.locations.get()
    body = get_ok(client, f"service_at_locations/{row_id('service_at_location', location.pk)}", lang="en")
    weekly = [(s["byday"], s["opens_at"], s["closes_at"]) for s in body["schedules"] if "byday" in s]
    assert weekly == [("MO,TU,WE", "08:00", "16:00"), ("TH", "12:00", "19:00"), ("FR", "22:00", "02:00")]
    assert all(s["freq"] == "WEEKLY" for s in body["schedules"] if "byday" in s)
    exceptional = [s for s in body["schedules"] if "byday" not in s]
    assert [(s["valid_from"], s.get("opens_at"), s.get("notes")) for s in exceptional] == [
        ("2026-12-23", "09:00", None),
        ("2026-12-24", None, "Jouluaatto"),
    ]
    with time_machine.travel(dt.datetime(2026, 12, 24, 9, tzinfo=HELSINKI), tick=False):
        later = get_ok(client, f"service_at_locations/{row_id('service_at_location', location.pk)}")
    assert [s["valid_from"] for s in later["schedules"] if "byday" not in s] == ["2026-12-24"]


# --- modified_after ---


def test_modified_after__keeps_rows_changed_since(client):
    old, new = _service("Vanha"), _service("Uusi")
    Service.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC))
    Service.objects.filter(pk=new.pk).update(updated_at=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
    assert names(get_ok(client, "services", modified_after="2026-06-01")) == ["Uusi"]
    assert names(get_ok(client, "services", modified_after="2026-11-20T12:00:00Z")) == ["Uusi"]
    assert names(get_ok(client, "services", modified_after="2026-11-20T12:00:01Z")) == []
    assert names(get_ok(client, "services", modified_after="2025-01-01T00:00:00+02:00")) == ["Vanha", "Uusi"]
    body = get_ok(client, "services", modified_after="2026-06-01")
    assert body["contents"][0]["last_modified"] == "2026-11-20T12:00:00Z"
    Organisation.objects.filter(pk=old.organisation_id).update(updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    orgs = get_ok(client, "organizations", modified_after="2026-06-01")
    assert row_id("organization", old.organisation_id) not in {o["id"] for o in orgs["contents"]}
    assert "ISO 8601" in _bad(client, "services", modified_after="eilen")["modified_after"]


# --- lang ---


def test_lang__fi_sv_en_with_fallback_to_finnish(client):
    service = ServiceFactory(
        published=True, name_fi="Perheneuvola", name_sv="Familjerådgivningen", name_en="", languages=["fi", "sv"]
    )
    detail = f"services/{row_id('service', service.pk)}"
    fi, sv, en = (get(client, detail, lang=lang) for lang in ("fi", "sv", "en"))
    assert (fi.json()["name"], sv.json()["name"], en.json()["name"]) == (
        "Perheneuvola",
        "Familjerådgivningen",
        "Perheneuvola",
    )
    assert [fi["Content-Language"], sv["Content-Language"], en["Content-Language"]] == ["fi", "sv", "en"]
    assert [lang["name"] for lang in sv.json()["languages"]] == ["finska", "svenska"]
    assert [lang["name"] for lang in en.json()["languages"]] == ["Finnish", "Swedish"]
    assert sv.json()["fees_description"] == "Avgiftsfri"
    assert sv.json()["url"].startswith("http://testserver/sv/")
    assert get_ok(client, "taxonomies", lang="sv")["contents"][0]["name"] == "PTV:s serviceklasser"
    assert set(_bad(client, "services", lang="de")) == {"lang"}


# --- ids and errors ---


def test_ids__stable_reversible_and_kind_specific():
    assert row_id("service", 42) == row_id("service", 42)
    assert parse_row_id("service", row_id("service", 42)) == 42
    assert parse_row_id("service", row_id("service", 42).upper()) == 42
    assert parse_row_id("organization", row_id("service", 42)) is None
    assert parse_row_id("service", "00000000-0000-0000-0000-000000000000") is None
    assert parse_row_id("service", "not-a-uuid") is None
    assert row_id("service", 42)[14] == "8"  # RFC 9562 version 8


def test_details__unknown_draft_or_foreign_ids_are_404(client):
    draft = ServiceFactory(draft=True)
    published = _service("Julkaistu")
    for path in (
        f"services/{row_id('service', draft.pk)}",
        f"services/{row_id('organization', published.organisation_id)}",
        "services/123",
        "services/%00",
        f"organizations/{row_id('organization', 999_999)}",
        f"service_at_locations/{row_id('service_at_location', 999_999)}",
        f"taxonomies/{derived_id('x')}",
        "taxonomy_terms/xyz",
    ):
        response = get(client, path)
        assert response.status_code == 404, path
        assert response.json()["error"] == "not_found"
    assert get(client, f"services/{row_id('service', published.pk)}").status_code == 200


def test_parameters__each_bad_one_is_named(client):
    errors = _bad(client, "services", per_page="0", page="1.5", search="x" * 201, full="true", format="xml")
    assert set(errors) == {"per_page", "page", "search", "full", "format"}
    assert set(_bad(client, "organizations", postcode="00100")) == {"postcode"}
    response = client.get("/api/hsds/services?page=1&page=2")
    assert response.status_code == 400 and set(response.json()["parameters"]) == {"page"}


def test_feed__is_open_to_other_sites(client):
    response = get(client, "services")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/hsds/services").status_code in (403, 405)


def test_location__address_and_accessibility(client):
    service = full_service()
    area = WellbeingAreaFactory(code="90")
    body = get_ok(client, f"services/{row_id('service', service.pk)}", lang="sv")
    location = body["service_at_locations"][0]["location"]
    assert location["addresses"][0] | {"id": None, "location_id": None} == {
        "id": None,
        "location_id": None,
        "address_1": "Karlsgatan 3",
        "city": "Helsingfors",
        "state_province": area.name_sv or area.name_fi,
        "postal_code": "00530",
        "country": "FI",
        "address_type": "physical",
    }
    assert (location["latitude"], location["longitude"]) == (60.1841, 24.9497)
    accessibility = location["accessibility"][0]
    assert "hiss: Nej" in accessibility["description"]
    assert accessibility["details"] == "Induktiosilmukka."
    assert body["service_areas"][0]["name"] == "Helsingfors"
    assert body["cost_options"][0]["option"] == "Avgiftsbelagd"
    assert body["phones"][0]["number"] == "+358 9 310 12345"
    assert body["contacts"][0]["email"] == "neuvola@example.fi"
    assert body["url"] == "https://example.fi/neuvola"
    assert body["minimum_age"] == 0 and body["maximum_age"] == 6


HOSTILE_VALUES = [
    "",
    " ",
    "'",
    "%",
    "\\",
    "&|!:*()",
    "ä" * 200,
    "１２３",
    "-1",
    "1e9",
    "99999999999999999999",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "2026-02-30",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "null",
    "[]",
]
LIST_PARAMETERS = {
    "services": ["search", "page", "per_page", "taxonomy_term_id", "taxonomy_id", "organization_id"]
    + ["modified_after", "postcode", "proximity", "minimum_age", "maximum_age", "day", "lang", "format"],
    "organizations": ["search", "modified_after", "page"],
    "taxonomy_terms": ["search", "taxonomy_id", "parent_id", "top_only"],
}


@pytest.mark.parametrize("path", [*LIST_PARAMETERS, "service_at_locations", "taxonomies"])
def test_hostile_values__answer_200_or_a_json_400(client, path):
    full_service()
    parameters = LIST_PARAMETERS.get(
        path, LIST_PARAMETERS["services"] if path == "service_at_locations" else ["search"]
    )
    for name in parameters:
        for value in HOSTILE_VALUES:
            response = get(client, path, **{name: value})
            assert response.status_code in (200, 400), (name, value, response.status_code)
            if response.status_code == 400:
                assert name in response.json()["parameters"], (name, value)


def test_hostile_ids__answer_404(client):
    for kind, path in (("service", "services"), ("organization", "organizations")):
        for pk in (2**31, 2**62 - 1):
            assert get(client, f"{path}/{row_id(kind, pk)}").status_code == 404
    for value in ("%27", "..", "ffffffff-ffff-ffff-ffff-ffffffffffff", "a" * 500, "%E2%80%AE"):
        assert get(client, f"service_at_locations/{value}").status_code == 404


def test_ptv_terms__cover_every_p_code_our_service_classes_name():
    from services.taxonomies import SERVICE_CLASSES

    terms = taxonomy.ptv_terms()
    assert len(terms) == 229
    missing = {ptv for _code, ptv, *_names in SERVICE_CLASSES if ptv and ptv not in terms}
    assert not missing, f"P-codes missing from perhekeskus/hsds/data/ptv_service_classes.json: {missing}"
    assert all(term.name.get(lang) for term in terms.values() for lang in ("fi", "sv", "en"))
    assert all(not term.parent or term.parent in terms for term in terms.values())
    # Term ids come from codes, so they are the same in every installation.
    assert terms["P5.2"].id == derived_id("taxonomy_term", "ptv-serviceclass", "P5.2")
