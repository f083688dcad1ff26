"""The public read API (/api/v1/): content and shape, strict parameters, paging, query counts, CORS, throttling."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from services.models import LifeSituation, ServiceClass
from services.search import analyse_pending_words
from tests.factories import (
    ActivityDateFactory,
    ActivityFactory,
    EmailAddressFactory,
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    MeetingPlaceFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PhoneNumberFactory,
    ServiceFactory,
    WebLinkFactory,
)

pytestmark = pytest.mark.django_db

# A Monday noon in Helsinki: the exceptions shown run from yesterday on.
MONDAY = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def get(client, path, **params):
    response = client.get(path, params)
    assert response["Content-Type"] == "application/json", response.content[:300]
    return response, json.loads(response.content)


def get_list(client, name, **params):
    return get(client, f"/api/v1/{name}/", **params)


def names(body, language="fi"):
    return [item["name"][language] for item in body["results"]]


# --- Content ---


@time_machine.travel(MONDAY, tick=False)
def test_service_detail__has_translations_links_channels_and_codes(client):
    helsinki = MunicipalityFactory(code="091")
    service = ServiceFactory(
        published=True,
        name_fi="Lastenneuvola",
        name_sv="Barnrådgivning",
        name_en="",
        service_classes=[ServiceClass.objects.get(code="child-health-clinic")],
        municipalities=[helsinki],
        languages=["fi", "sv"],
        access=["booking"],
        from_ptv=True,
    )
    location = LocationFactory(
        service=service, name_fi="Kallion neuvola", municipality=helsinki, latitude=60.18, longitude=24.95, lift=True
    )
    LocationOpeningHoursFactory(location=location, weekday=1, opens=dt.time(8), closes=dt.time(16))
    LocationExceptionFactory(location=location, date=dt.date(2026, 12, 6))
    LocationExceptionFactory(location=location, date=dt.date(2026, 11, 1), reason_fi="Mennyt")
    PhoneNumberFactory(service=service, number="+358 9 310 12345", description_fi="Ajanvaraus")
    EmailAddressFactory(service=service, address="neuvola@example.fi")
    WebLinkFactory(service=service, kind="e_service", url_fi="https://example.fi/varaa", title_fi="Varaa aika")

    response, body = get(client, f"/api/v1/services/{service.pk}/")

    assert response.status_code == 200
    assert body["id"] == service.pk
    assert body["name"] == {"fi": "Lastenneuvola", "sv": "Barnrådgivning", "en": None}
    assert body["url"] == {
        "fi": f"http://testserver/fi/services/{service.slug}/",
        "sv": f"http://testserver/sv/services/{service.slug}/",
        "en": f"http://testserver/en/services/{service.slug}/",
    }
    assert body["organisation"]["id"] == service.organisation_id
    assert body["organisation"]["url"]["sv"].endswith(f"/sv/organisations/{service.organisation.slug}/")
    assert body["service_classes"][0]["code"] == "child-health-clinic"
    assert body["service_classes"][0]["ptv_code"] == "P5.2"
    assert body["municipalities"] == [
        {"code": "091", "name": {"fi": helsinki.name_fi, "sv": helsinki.name_sv, "en": None}}
    ]
    assert body["ptv_id"] == str(service.external_id)
    [place] = body["locations"]
    assert place["name"]["fi"] == "Kallion neuvola"
    assert (place["latitude"], place["longitude"]) == (60.18, 24.95)
    assert place["municipality"]["code"] == "091"
    assert place["accessibility"]["lift"] is True and place["accessibility"]["parking"] is None
    assert place["opening_hours"] == [
        {
            "weekday": 1,
            "opens": "08:00",
            "closes": "16:00",
            "over_midnight": False,
            "valid_from": None,
            "valid_to": None,
        }
    ]
    assert [e["date"] for e in place["exceptions"]] == ["2026-12-06"]  # the past closure is left out
    assert place["exceptions"][0]["reason"]["sv"] == "Självständighetsdagen"
    assert body["phones"] == [
        {"number": "+358 9 310 12345", "description": {"fi": "Ajanvaraus", "sv": None, "en": None}}
    ]
    assert body["emails"][0]["address"] == "neuvola@example.fi"
    assert body["links"][0]["kind"] == "e_service"
    assert body["links"][0]["url"]["fi"] == "https://example.fi/varaa"


def test_unpublished_and_unknown_services__are_404_json(client):
    draft = ServiceFactory(draft=True)

    for path in (
        f"/api/v1/services/{draft.pk}/",
        "/api/v1/services/0/",
        "/api/v1/services/abc/",
        "/api/v1/services/9" * 1 + "9" * 30 + "/",
    ):
        response, body = get(client, path)
        assert response.status_code == 404, path
        assert body == {"detail": "Not found."}


def test_organisations_meeting_places_and_activities__list_what_is_public(client):
    ngo = OrganisationFactory(name_fi="Perheyhdistys ry", kind="ngo")
    parish = OrganisationFactory(name_fi="Seurakunta", parish=True)
    place = MeetingPlaceFactory(published=True, organisation=ngo, name_fi="Perhekahvila Aurinko")
    MeetingPlaceFactory(organisation=ngo, name_fi="Luonnos")  # a draft
    activity = ActivityFactory(meeting_place=place, title_fi="Vauvakerho", organiser=None)
    ActivityDateFactory(activity=activity, date=dt.date(2026, 12, 8), cancelled=True)
    ActivityFactory(meeting_place=place, title_fi="Piilotettu", state="draft")

    _, organisations = get_list(client, "organisations", kind="parish")
    _, places = get_list(client, "meeting-places")
    _, activities = get_list(client, "activities", organisation=ngo.pk)

    assert names(organisations) == ["Seurakunta"] and organisations["results"][0]["id"] == parish.pk
    assert names(places) == ["Perhekahvila Aurinko"]
    assert places["results"][0]["organisation"]["id"] == ngo.pk
    assert places["results"][0]["url"]["fi"].endswith(f"/fi/meeting-places/{place.slug}/")
    [item] = activities["results"]
    assert item["title"]["fi"] == "Vauvakerho"
    assert item["organiser"]["id"] == ngo.pk  # the meeting place's owner runs it
    assert item["dates"] == [{"date": "2026-12-08", "cancelled": True}]
    assert (item["weekday"], item["start_time"], item["end_time"]) == (2, "10:00", "11:30")


def test_reference_data__by_official_codes(client):
    _, area = get(client, "/api/v1/areas/90/")
    _, municipality = get(client, "/api/v1/municipalities/091/")
    _, municipalities = get_list(client, "municipalities", area="01", page_size=100)
    _, service_class = get(client, "/api/v1/service-classes/family-counselling/")
    _, life_situations = get_list(client, "life-situations")

    assert area["name"]["fi"] == "Helsingin kaupunki" and "091" in area["municipalities"]
    assert area["url"]["sv"].endswith("/sv/areas/90/")
    assert municipality == {
        "code": "091",
        "name": {"fi": "Helsinki", "sv": "Helsingfors", "en": municipality["name"]["en"]},
        "area": "90",
        "language": "fi-sv",
    }
    assert {m["area"] for m in municipalities["results"]} == {"01"} and municipalities["count"] == 7
    assert service_class["name"]["sv"] == "Uppfostrings- och familjerådgivning"
    assert life_situations["results"][0]["code"] == "expecting"
    assert life_situations["count"] == 17


# --- The services list is the search page's search ---


def test_services_list__same_results_and_order_as_the_search_page(client):
    ServiceFactory(published=True, name_fi="Perhekahvila", summary_fi="Kahvila vanhemmille.")
    ServiceFactory(published=True, name_fi="Äitiysneuvola", summary_fi="Raskausajan neuvola.")
    ServiceFactory(published=True, name_fi="Lastenneuvola", summary_fi="Lasten neuvola.")
    ServiceFactory(draft=True, name_fi="Neuvola luonnos")

    for params in ({"q": "neuvola"}, {}, {"q": "lastenneuvla"}):
        _, body = get_list(client, "services", **params)
        page = client.get("/fi/services/", params)
        shown = [card.service.name_fi for card in page.context["results"]]
        assert names(body) == shown, params
    _, body = get_list(client, "services", q="neuvola")
    assert set(names(body)) == {"Lastenneuvola", "Äitiysneuvola"}
    assert "Neuvola luonnos" not in names(body)


def test_services_list__lang_decides_the_language_of_the_words(client):
    ServiceFactory(published=True, name_fi="Perheneuvola", name_sv="Familjerådgivning")

    _, finnish = get_list(client, "services", q="familjerådgivning")
    _, swedish = get_list(client, "services", q="familjerådgivning", lang="sv")

    assert names(swedish) == ["Perheneuvola"]
    assert len(finnish["results"]) <= len(swedish["results"])


def test_services_list__filters(client):
    area = MunicipalityFactory(code="091").area
    local = ServiceFactory(
        published=True, name_fi="Helsingin palvelu", municipalities=[MunicipalityFactory(code="091")]
    )
    elsewhere = ServiceFactory(
        published=True, name_fi="Oulun palvelu", municipalities=[MunicipalityFactory(code="564")]
    )
    chargeable = ServiceFactory(
        published=True, name_fi="Maksullinen", cost="fee", municipalities=[elsewhere.municipalities.first()]
    )

    _, in_area = get_list(client, "services", area=area.code)
    _, fee = get_list(client, "services", cost="fee")

    assert names(in_area) == [local.name_fi]
    assert names(fee) == [chargeable.name_fi]


@time_machine.travel(MONDAY, tick=False)
def test_modified_since__returns_what_changed_at_or_after(client):
    with time_machine.travel(MONDAY - dt.timedelta(days=2), tick=False):
        ServiceFactory(published=True, name_fi="Vanha")
        old_activity = ActivityFactory(meeting_place=MeetingPlaceFactory(published=True))
    ServiceFactory(published=True, name_fi="Uusi")
    new_activity = ActivityFactory(meeting_place=old_activity.meeting_place)

    _, services = get_list(client, "services", modified_since="2026-11-29T00:00:00+02:00")
    _, activities = get_list(client, "activities", modified_since="2026-11-29T00:00:00Z")
    _, naive = get_list(client, "services", modified_since="2026-11-30T12:00:00")
    # An offset Python accepts and PostgreSQL does not (beyond ±15:59): the same moment, in UTC.
    _, far_offset = get_list(client, "organisations", modified_since="2026-11-29T22:51:00+22:51")

    assert names(services) == ["Uusi"]
    assert far_offset["count"] >= 1
    assert [a["id"] for a in activities["results"]] == [new_activity.pk]
    assert names(naive) == ["Uusi"]  # naive times are Finnish time: 12:00 in Helsinki is exactly then


# --- Strict parameters ---


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("services", {"foo": "1"}, {"foo": ["Unknown parameter."]}),
        ("services", {"area": "99"}, {"area": None}),
        ("services", {"q": "neuvola\x00"}, {"q": ["Control characters (such as NUL) are not allowed."]}),
        ("services", {"page": "99999999999999999999"}, {"page": ["A whole number from 1 to 100000."]}),
        ("services", {"page_size": "101"}, {"page_size": ["A whole number from 1 to 100."]}),
        ("services", {"page": "0", "page_size": "x"}, {"page": None, "page_size": None}),
        ("services", {"lang": "de"}, {"lang": None}),
        ("services", {"modified_since": "2026-02-30"}, {"modified_since": None}),
        ("services", {"modified_since": "0001-01-01T00:00:00+14:00"}, {"modified_since": None}),
        ("services", {"age": "1e3"}, {"age": None}),
        ("services", {"lat": "nan", "lon": "inf"}, {"lat": None, "lon": None}),
        ("services", {"open_now": "maybe"}, {"open_now": None}),
        ("services", {"q": "x" * 201}, {"q": None}),
        ("organisations", {"kind": "club"}, {"kind": None}),
        ("activities", {"age": "-1", "meeting_place": "1" * 40}, {"age": None, "meeting_place": None}),
        ("meeting-places", {"q": "kahvila"}, {"q": ["Unknown parameter."]}),
        (
            "areas",
            {"page_size": "5", "modified_since": "2026-01-01T00:00Z"},
            {"modified_since": ["Unknown parameter."]},
        ),
    ],
)
def test_bad_parameters__400_naming_each_one(client, path, params, expected):
    response, body = get_list(client, path, **params)

    assert response.status_code == 400
    assert set(body) == {"errors"}
    assert set(body["errors"]) == set(expected)
    for name, messages in expected.items():
        assert body["errors"][name] and all(isinstance(m, str) for m in body["errors"][name])
        if messages is not None:
            assert body["errors"][name] == messages


def test_repeated_single_parameter__400_but_repeated_multi_values_are_fine(client):
    ServiceFactory(published=True, name_fi="Lastenneuvola", languages=["sv"])

    repeated = client.get("/api/v1/services/?cost=free&cost=fee")
    multi = client.get("/api/v1/services/?language=fi&language=sv")

    assert repeated.status_code == 400
    assert json.loads(repeated.content)["errors"] == {"cost": ["Give this parameter once."]}
    assert multi.status_code == 200
    assert names(json.loads(multi.content)) == ["Lastenneuvola"]


def test_detail__takes_no_parameters(client):
    service = ServiceFactory(published=True)

    response, body = get(client, f"/api/v1/services/{service.pk}/", lang="sv")

    assert response.status_code == 400
    assert body == {"errors": {"lang": ["Unknown parameter."]}}


def test_accept_language__changes_neither_content_nor_messages(client):
    service = ServiceFactory(published=True, name_fi="Neuvola", name_sv="Rådgivning")
    for name in ("Östra", "Ala", "Böle"):
        LocationFactory(service=service, name_fi=f"{name} fi", name_sv=f"{name} sv", name_en=f"{name} en")

    plain = client.get(f"/api/v1/services/{service.pk}/")
    swedish = client.get(f"/api/v1/services/{service.pk}/", HTTP_ACCEPT_LANGUAGE="sv")
    english = client.get(f"/api/v1/services/{service.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    missing = client.get("/api/v1/services/0/", HTTP_ACCEPT_LANGUAGE="fi")
    wrong_method = client.post("/api/v1/areas/", HTTP_ACCEPT_LANGUAGE="sv")
    cross_site = Client(enforce_csrf_checks=True).post("/api/v1/areas/", HTTP_ORIGIN="https://evil.test")

    assert plain.content == swedish.content == english.content
    assert [loc["name"]["fi"] for loc in json.loads(plain.content)["locations"]] == ["Ala fi", "Böle fi", "Östra fi"]
    assert json.loads(missing.content) == {"detail": "Not found."}
    assert wrong_method.status_code == 405
    assert json.loads(wrong_method.content) == {"detail": 'Method "POST" not allowed.'}
    assert cross_site.status_code == 403  # Django's CSRF check stays on, as on every page


def test_format_and_accept_headers__still_json(client):
    response = client.get("/api/v1/areas/?format=api", HTTP_ACCEPT="text/html")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"errors": {"format": ["Unknown parameter."]}}


# --- Paging and query counts ---


def test_paging__page_and_page_size_with_links(client):
    for n in range(5):
        ServiceFactory(published=True, name_fi=f"Palvelu {n}")

    _, first = get_list(client, "services", page_size=2)
    _, last = get_list(client, "services", page_size=2, page=3)
    response, beyond = get_list(client, "services", page_size=2, page=4)

    assert first["count"] == 5 and names(first) == ["Palvelu 0", "Palvelu 1"]
    assert first["next"] == "http://testserver/api/v1/services/?page=2&page_size=2"
    assert names(last) == ["Palvelu 4"] and last["next"] is None
    assert response.status_code == 400
    assert beyond == {"errors": {"page": ["There is no page 4; the last page is 3."]}}


def test_paging__a_word_search_pages_in_the_ranked_order(client):
    for n in range(5):
        ServiceFactory(published=True, name_fi=f"Perhekerho {n}", summary_fi="Kerho perheille.")
    ServiceFactory(published=True, name_fi="Kerho", summary_fi="Kerho perheille.")  # the word itself: first

    _, first = get_list(client, "services", q="kerho", page_size=4)
    _, last = get_list(client, "services", q="kerho", page_size=4, page=2)
    response, beyond = get_list(client, "services", q="kerho", page_size=4, page=3)

    assert first["count"] == last["count"] == 6
    assert names(first)[0] == "Kerho" and len(names(first)) == 4
    assert first["next"] == "http://testserver/api/v1/services/?page=2&page_size=4&q=kerho"
    assert len(names(last)) == 2 and last["next"] is None and set(names(first)).isdisjoint(names(last))
    assert response.status_code == 400
    assert beyond == {"errors": {"page": ["There is no page 3; the last page is 2."]}}


def test_empty_list__is_one_empty_page(client):
    _, body = get_list(client, "services", q="ei-tällaista-palvelua")

    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def _full_service(n, municipality):
    service = ServiceFactory(
        published=True, municipalities=[municipality], life_situations=LifeSituation.objects.all()[:2]
    )
    location = LocationFactory(service=service, municipality=municipality)
    LocationOpeningHoursFactory(location=location)
    LocationExceptionFactory(location=location, date=dt.date(2027, 1, 6))
    PhoneNumberFactory(service=service)
    EmailAddressFactory(service=service)
    WebLinkFactory(service=service)
    service.service_classes.set(ServiceClass.objects.all()[:2])
    return service


def _fill(kind, count):
    municipality = MunicipalityFactory(code="091")
    organisation = OrganisationFactory(areas=[municipality.area])
    for n in range(count):
        if kind == "services":
            _full_service(n, municipality)
        elif kind == "organisations":
            OrganisationFactory(areas=[municipality.area], municipality=municipality)
        elif kind == "meeting-places":
            place = MeetingPlaceFactory(published=True, organisation=organisation, municipality=municipality)
            place.opening_hours.create(weekday=1, opens=dt.time(9), closes=dt.time(12))
        elif kind == "activities":
            activity = ActivityFactory(
                meeting_place=MeetingPlaceFactory(published=True, municipality=municipality), organiser=organisation
            )
            ActivityDateFactory(activity=activity, date=dt.date(2027, 1, 5 + n % 20))
    # The first search after a write analyses the new words once; that is not per result.
    analyse_pending_words()


@pytest.mark.parametrize("kind", ["services", "organisations", "meeting-places", "activities"])
@pytest.mark.parametrize("params", [{}, {"q": "palvelu"}])
def test_query_count__does_not_grow_with_page_size(client, django_assert_max_num_queries, kind, params):
    if params and kind != "services":
        pytest.skip("search words are for services")
    _fill(kind, 5)
    client.get(f"/api/v1/{kind}/", params)  # once-per-process look-ups (the search core caches its choices)
    with django_assert_max_num_queries(100) as few:
        small = client.get(f"/api/v1/{kind}/", params)
    _fill(kind, 45)
    with django_assert_max_num_queries(100) as many:
        large = client.get(f"/api/v1/{kind}/", {**params, "page_size": 50})

    assert small.status_code == large.status_code == 200
    assert json.loads(large.content)["count"] >= 50 or params
    assert len(json.loads(large.content)["results"]) >= len(json.loads(small.content)["results"])
    assert len(few.captured_queries) == len(many.captured_queries), [q["sql"][:120] for q in many.captured_queries]


# --- CORS and throttling ---


def test_cors__any_origin_may_read_and_preflight_is_answered(client):
    area = client.get("/api/v1/areas/", HTTP_ORIGIN="https://example.org")
    preflight = client.options(
        "/api/v1/services/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-requested-with",
    )
    page = client.get("/fi/about/", HTTP_ORIGIN="https://example.org")

    assert area["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in area
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert preflight["Access-Control-Allow-Headers"] == "x-requested-with"
    assert "Access-Control-Allow-Origin" not in page


def test_cors__odd_requested_headers_are_not_echoed(client):
    preflight = client.options(
        "/api/v1/services/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", HTTP_ACCESS_CONTROL_REQUEST_HEADERS="a\x00b; c"
    )

    assert preflight.status_code == 204
    assert "Access-Control-Allow-Headers" not in preflight


def test_throttling__429_json_with_retry_after_per_client(settings):
    settings.API_ANON_RATE = "3/minute"
    cache.clear()
    client, other = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")

    statuses = [client.get("/api/v1/areas/").status_code for _ in range(4)]
    refused = client.get("/api/v1/service-classes/")
    other_client = other.get("/api/v1/areas/")
    cache.clear()

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert json.loads(refused.content)["detail"].startswith("Request was throttled")
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert other_client.status_code == 200


def test_throttling__a_forged_forwarded_for_does_not_reset_the_count(settings):
    settings.API_ANON_RATE = "2/minute"
    cache.clear()
    client = Client(REMOTE_ADDR="192.0.2.3")

    statuses = [client.get("/api/v1/areas/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(3)]
    cache.clear()

    assert statuses == [200, 200, 429]


# --- Schema and docs ---


def test_schema__documents_every_list_parameter_from_the_declarations(client):
    response = client.get("/api/schema/?format=json")
    schema = json.loads(response.content)

    services = schema["paths"]["/api/v1/services/"]["get"]
    params = {p["name"]: p for p in services["parameters"]}
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert {
        "q",
        "area",
        "municipality",
        "life_situation",
        "cost",
        "lang",
        "modified_since",
        "page",
        "page_size",
    } <= set(params)
    assert params["life_situation"]["schema"]["type"] == "array" and params["life_situation"]["explode"] is True
    assert params["life_situation"]["schema"]["items"]["type"] == "string"
    assert params["area"]["description"].startswith("Wellbeing area code")  # the core's own declaration
    assert params["page_size"]["schema"]["maximum"] == 100
    assert set(services["responses"]) == {"200", "400", "429"}
    assert set(schema["paths"]["/api/v1/services/{id}/"]["get"]["responses"]) == {"200", "400", "404", "429"}
    assert len(schema["paths"]) == 16
    assert set(schema["components"]["schemas"]["TranslatedText"]["required"]) == {"fi", "sv", "en"}


def test_docs_page__uses_only_our_static_files(client):
    response = client.get("/api/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert 'href="/api/docs/swagger-ui.css"' in html
    assert "/static/js/api-docs.js" in html
    assert 'data-schema-url="/api/schema/?format=json"' in html
    assert (
        "<script>" not in html
        and "style=" not in html
        and "http" not in html.replace("https://", "").split("<body>")[1]
    )


def test_docs_stylesheet__has_its_images_moved_to_this_site(client):
    css = client.get("/api/docs/swagger-ui.css")
    text = css.content.decode()
    moved = text.count('url("/api/docs/images/')
    images = [client.get(f"/api/docs/images/{n}") for n in range(moved)]
    missing = client.get(f"/api/docs/images/{moved}")

    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert "data:" not in text and ".swagger-ui" in text
    assert moved >= 20
    assert {image.status_code for image in images} == {200}
    svgs = [image.content for image in images if image["Content-Type"] == "image/svg+xml"]
    pngs = [image.content for image in images if image["Content-Type"] == "image/png"]
    assert svgs and all(svg.startswith(b"<svg") and b'xmlns="http://www.w3.org/2000/svg"' in svg for svg in svgs)
    assert pngs and all(png.startswith(b"\x89PNG") for png in pngs)
    assert missing.status_code == 404
