import datetime as dt
import re

import pytest
import time_machine

from organisations.models import Organisation, WellbeingArea
from tests.factories import (
    ActivityFactory,
    MeetingPlaceExceptionFactory,
    MeetingPlaceFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ServiceClassFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

# Wednesday 25 November 2026 at noon in Helsinki (ISO week 48).
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def h1s(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)


# --- Organisation ---


@time_machine.travel(NOON, tick=False)
def test_organisation__shows_its_services_places_activities_and_contacts(client):
    area = MunicipalityFactory(code="091").area
    ngo = OrganisationFactory(
        name_fi="Perheyhdistys ry", phone="+358 40 123 4567", email="info@perheyhdistys.fi", areas=[area]
    )
    ServiceFactory(organisation=ngo, published=True, name_fi="Vertaistukiryhmä", slug="vertaistuki")
    ServiceFactory(organisation=ngo, draft=True, name_fi="Luonnospalvelu")
    ServiceFactory(organisation=ngo, archived=True, name_fi="Arkistoitu palvelu")
    place = MeetingPlaceFactory(organisation=ngo, published=True, name_fi="Perhekahvila Onni")
    MeetingPlaceFactory(organisation=ngo, name_fi="Luonnospaikka")
    ActivityFactory(meeting_place=place, title_fi="Vauvakerho", weekday=4)
    elsewhere = MeetingPlaceFactory(published=True, name_fi="Kirjasto")
    ActivityFactory(meeting_place=elsewhere, organiser=ngo, title_fi="Satutunti", weekday=5)
    ActivityFactory(meeting_place=place, organiser=OrganisationFactory(), title_fi="Toisen kerho")

    html = client.get(f"/en/organisations/{ngo.slug}/").content.decode()

    assert h1s(html) == ["Perheyhdistys ry"]
    assert "Non-governmental organisation" in html
    assert 'href="/en/services/vertaistuki/"' in html
    assert "Luonnospalvelu" not in html and "Arkistoitu palvelu" not in html
    assert "Perhekahvila Onni" in html and "Luonnospaikka" not in html
    assert "Vauvakerho" in html and "Satutunti" in html
    assert "Toisen kerho" not in html  # run by another organisation at its place
    assert 'href="tel:+358401234567"' in html
    assert "mailto:info@perheyhdistys.fi" in html
    assert f'href="/en/areas/{area.code}/"' in html


def test_organisation__unknown_slug_is_not_found(client):
    assert client.get("/en/organisations/ei-ole/").status_code == 404


@pytest.mark.parametrize("page", ["99999", "-1", "abc", "9" * 5000])
def test_organisation__bad_page_gives_a_page(client, page):
    ngo = OrganisationFactory()
    ServiceFactory(organisation=ngo, published=True, name_fi="Vertaistukiryhmä")

    response = client.get(f"/en/organisations/{ngo.slug}/?page={page}")

    assert response.status_code == 200
    assert "Vertaistukiryhmä" in response.content.decode()


@time_machine.travel(NOON, tick=False)
def test_organisation__query_count_does_not_grow_with_rows(client, django_assert_num_queries):
    ngo = OrganisationFactory(areas=[WellbeingArea.objects.get(code="01")])

    def make(n):
        for _ in range(n):
            ServiceFactory(organisation=ngo, published=True, service_classes=[ServiceClassFactory()])
            place = MeetingPlaceFactory(organisation=ngo, published=True)
            ActivityFactory(meeting_place=place, weekday=4)

    make(1)
    with django_assert_num_queries(11) as one:  # two of them: the shown places' hours (closed days)
        client.get(f"/en/organisations/{ngo.slug}/")
    make(15)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(f"/en/organisations/{ngo.slug}/").content.decode()
    assert html.count('class="card"') == 16


# --- Wellbeing areas ---


def test_area_list__lists_every_area_with_its_link(client):
    html = client.get("/en/areas/").content.decode()

    assert len(re.findall(r'href="/en/areas/\d\d/"', html)) == WellbeingArea.objects.count() == 22
    assert len(h1s(html)) == 1


@time_machine.travel(NOON, tick=False)
def test_area__shows_municipalities_service_counts_providers_places_and_activities(client):
    helsinki = MunicipalityFactory(code="091")
    area = helsinki.area
    clinic = ServiceClassFactory(code="child-health-clinic")
    public = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY, name_fi="Helsingin kaupunki", areas=[area])
    parish = OrganisationFactory(parish=True, name_fi="Kallion seurakunta", areas=[area])
    ServiceFactory.create_batch(
        2, organisation=public, published=True, municipalities=[helsinki], service_classes=[clinic]
    )
    ServiceFactory(organisation=public, draft=True, municipalities=[helsinki], service_classes=[clinic])
    place = MeetingPlaceFactory(organisation=parish, published=True, municipality=helsinki, name_fi="Kallion kerho")
    ActivityFactory(meeting_place=place, title_fi="Perhemuskari", weekday=3)
    ActivityFactory(meeting_place=MeetingPlaceFactory(published=True, municipality=MunicipalityFactory(code="837")))

    html = client.get(f"/en/areas/{area.code}/").content.decode()

    assert h1s(html) == [area.name_en or area.name_fi]
    assert 'href="/en/services/?municipality=091"' in html
    assert f'href="/en/services/?area={area.code}&amp;service_class=child-health-clinic"' in html
    clinic_row = re.search(r"child-health-clinic\">(.*?)</li>", html, re.S)[1]
    assert '<span class="badge">2</span>' in clinic_row  # the draft is not counted
    assert re.search(
        r'<h3>Municipality <span class="badge">1</span></h3>\s*<ul[^>]*>\s*<li><a [^>]*>Helsingin kaupunki</a>', html
    )
    assert re.search(
        r'<h3>Parish <span class="badge">1</span></h3>\s*<ul[^>]*>\s*<li><a [^>]*>Kallion seurakunta</a>', html
    )
    assert '<details class="fold">' not in html  # short lists are not folded
    places_row = re.search(r'href="/en/meeting-places/\?municipality=091"[^>]*>(.*?)</li>', html, re.S)[1]
    assert '<span class="badge">1</span>' in places_row  # Kallion kerho, listed on the meeting places page
    assert "Perhemuskari" in html
    assert html.count("Vauvakerho") == 0  # the Tampere activity is in another area


@time_machine.travel(NOON, tick=False)
def test_area__long_lists_fold_under_their_count_with_the_first_few_shown(client):
    helsinki = MunicipalityFactory(code="091")
    area = helsinki.area
    for n in range(10):
        OrganisationFactory(kind=Organisation.Kind.NGO, name_fi=f"Yhdistys {n:02d}", areas=[area])
    OrganisationFactory(parish=True, name_fi="Kallion seurakunta", areas=[area])

    html = client.get(f"/en/areas/{area.code}/").content.decode()

    ngos = html.split("<h3>Non-governmental organisation")[1].split("<h3>")[0]
    assert '<span class="badge">10</span>' in ngos
    shown, folded = ngos.split('<details class="fold">')
    assert [f"Yhdistys {n:02d}" in shown for n in range(10)] == [True] * 6 + [False] * 4
    assert "Show 4 more" in folded and all(f"Yhdistys {n:02d}" in folded for n in range(6, 10))
    assert '<span class="visually-hidden">: Non-governmental organisation</span>' in folded
    municipalities = html.split('id="municipalities"')[1].split('id="services"')[0]
    count = area.municipalities.count()
    assert f'<span class="badge">{count}</span>' in municipalities
    if count > 12:
        assert f"Show {count - 12} more municipalit" in municipalities


@time_machine.travel(NOON, tick=False)
def test_area__activities_at_a_closed_place_are_marked_cancelled(client):
    helsinki = MunicipalityFactory(code="091")
    place = MeetingPlaceFactory(published=True, municipality=helsinki)
    ActivityFactory(meeting_place=place, title_fi="Torstaikerho", weekday=4)
    MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 11, 26), closed=True)

    html = client.get(f"/en/areas/{helsinki.area.code}/").content.decode()

    entry = html.split("Torstaikerho")[1].split("</li>")[0]
    assert "Cancelled: the meeting place is closed on this day." in entry


@pytest.mark.parametrize("code", ["99", "x", "0" * 5000, "%27%3B--", "%00", "9%00"])
def test_area__unknown_code_is_not_found(client, code):
    assert client.get(f"/en/areas/{code}/").status_code == 404


@time_machine.travel(NOON, tick=False)
def test_area__query_count_does_not_grow_with_rows(client, django_assert_num_queries):
    helsinki = MunicipalityFactory(code="091")

    def make(n):
        for _ in range(n):
            ngo = OrganisationFactory(areas=[helsinki.area])
            ServiceFactory(
                organisation=ngo,
                published=True,
                municipalities=[helsinki],
                service_classes=[ServiceClassFactory()],
            )
            place = MeetingPlaceFactory(organisation=ngo, published=True, municipality=helsinki)
            ActivityFactory(meeting_place=place, organiser=OrganisationFactory(), weekday=4)

    make(1)
    with django_assert_num_queries(13) as one:
        client.get(f"/en/areas/{helsinki.area.code}/")
    make(15)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(f"/en/areas/{helsinki.area.code}/").content.decode()
    assert html.count('class="event"') == 6  # the next six from today, not the whole week
    assert "See all 16 activities of this week in the calendar" in html


def test_services_in_area__are_the_published_services_in_area_finds():
    from perhekeskus.network_pages import services_in_area
    from services.models import Service

    helsinki, tampere = MunicipalityFactory(code="091"), MunicipalityFactory(code="837")
    area, other = helsinki.area, tampere.area
    local = OrganisationFactory(areas=[area])
    elsewhere = OrganisationFactory(areas=[other])
    everywhere = OrganisationFactory()
    expected = {
        ServiceFactory(organisation=local, published=True, municipalities=[helsinki]),  # named municipality
        ServiceFactory(organisation=elsewhere, published=True, municipalities=[helsinki, tampere]),
        ServiceFactory(organisation=local, published=True),  # area-wide: the organisation's areas
        ServiceFactory(organisation=everywhere, published=True),  # nationwide
    }
    ServiceFactory(organisation=local, published=True, municipalities=[tampere])
    ServiceFactory(organisation=elsewhere, published=True)
    ServiceFactory(organisation=local, draft=True, municipalities=[helsinki])
    ServiceFactory(organisation=everywhere, archived=True)

    assert set(services_in_area(area)) == set(Service.objects.published().in_area(area)) == expected
    assert services_in_area(area).count() == 4
