"""The "where" field beside "what" (a municipality, a postcode or a position), remembered for the visit; distances
from it; clean search addresses."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.models import Municipality
from services.search.places import municipality_centre, place_from_where, postcode_point
from services.search.visit import PLACE_COOKIE, VisitPlace
from tests.factories import LocationFactory, ServiceFactory
from tests.test_open_redirect import OFF_SITE

from .turku_clinics import POSTCODE_POINT, TURKU_CENTRE, build_clinics

pytestmark = pytest.mark.django_db


def card_names(html):
    found = re.findall(r'<li class="card"[^>]*>\s*<h3[^>]*><a href="[^"]*">([^<]+)</a>', html)
    return [unescape(name) for name in found]


def card_distances(html):
    return re.findall(r"\((\d+,\d) km\)", html)


def km(value):
    return f"{value:.1f}".replace(".", ",")


# --- Reading the field ---


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Turku", VisitPlace.municipality("853")),
        ("turussa", VisitPlace.municipality("853")),
        ("Åbo", VisitPlace.municipality("853")),
        (" i  Åbo ", VisitPlace.municipality("853")),
        ("20100", VisitPlace.postcode("20100")),
        ("20100 Turku", VisitPlace.postcode("20100")),
        ("Helsingfors", VisitPlace.municipality("091")),
    ],
)
def test_place_from_where__municipalities_in_any_form_and_postcodes(text, place):
    assert place_from_where(text) == place


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "00000", "2010", "x" * 5000])
def test_place_from_where__nothing_else(text):
    assert place_from_where(text) is None


def test_postcode_point__the_mean_of_the_places_we_know_there_else_the_municipality_centre():
    turku = build_clinics().organisation.municipality
    LocationFactory(municipality=turku, postal_code="20100", latitude=60.4530, longitude=22.2750)
    assert postcode_point("20100") == pytest.approx(((60.4510 + 60.4530) / 2, (22.2650 + 22.2750) / 2))
    # No place known in 20900 (Turku): the centre of Turku.
    assert postcode_point("20900") == TURKU_CENTRE
    assert municipality_centre("853") == TURKU_CENTRE


# --- The search page ---


def test_postcode__sorts_by_distance_from_the_postcode_area_and_shows_the_distances(client):
    clinics = build_clinics()
    expected = clinics.by_distance_from(POSTCODE_POINT)

    html = client.get("/fi/services/", {"q": "lastenneuvola", "where": "20100"}).content.decode()

    assert card_names(html) == [fi for fi, _sv, _km in expected]
    assert card_names(html)[:3] == ["Kupittaan perhekeskus", "Lastenneuvola Aurajoki", "Lastenneuvola Asema"]
    assert card_distances(html) == [km(d) for _fi, _sv, d in expected] == ["0,0", "1,0", "3,3"]
    assert "Lastenneuvola Tapiola" not in html  # Espoo
    assert "Etäisyydet on laskettu postinumeroalueelta 20100 Turku." in html
    assert 'name="where" id="id_where" value="20100 Turku"' in html
    assert '<option value="" selected>Lähimmät ensin</option>' in html
    assert '<option value="relevance">Osuvin ensin</option>' in html


def test_municipality__sorts_by_distance_from_its_centre_in_swedish(client):
    clinics = build_clinics()
    expected = clinics.by_distance_from(TURKU_CENTRE)

    html = client.get("/sv/services/", {"q": "barnrådgivning", "where": "Åbo"}).content.decode()

    assert card_names(html) == [sv for _fi, sv, _km in expected]
    assert card_distances(html) == [km(d) for _fi, _sv, d in expected]
    assert "Avstånden räknas från kommuncentrum (Åbo)." in html
    assert 'name="where" id="id_where" value="Åbo"' in html
    assert '<label for="id_where">Var?</label>' in html
    assert "Kommun eller postnummer, t.ex. Åbo eller 20100" in html


def test_relevance__stays_a_choice_when_a_place_is_given(client):
    build_clinics()
    html = client.get("/fi/services/", {"q": "lastenneuvola", "where": "20100", "sort": "relevance"}).content.decode()
    # The clinic with the word only in its summary drops to the end; the tie is still broken by distance.
    assert card_names(html) == ["Lastenneuvola Aurajoki", "Lastenneuvola Asema", "Kupittaan perhekeskus"]
    assert '<option value="relevance" selected>' in html


def test_unknown_place__is_explained_and_the_search_runs_without_it(client):
    build_clinics()
    for language, message, espoo_clinic in (
        ("fi", "Paikkaa ”Atlantis” ei löytynyt. Anna kunta tai postinumero.", "Lastenneuvola Tapiola"),
        ("sv", "Vi hittade inte orten ”Atlantis”. Ange en kommun eller ett postnummer.", "Barnrådgivning Hagalund"),
    ):
        response = client.get(f"/{language}/services/", {"q": "lastenneuvola", "where": "Atlantis"})
        html = response.content.decode()
        assert response.status_code == 200
        assert message in html
        assert '<a href="#id_where">' in html  # the error summary leads into the field
        assert 'value="Atlantis"' in html and 'aria-invalid="true"' in html
        assert espoo_clinic in html  # no place: Espoo's clinic too
        assert PLACE_COOKIE not in response.cookies


# --- Remembered for the visit ---


def test_place__is_remembered_and_prefills_the_next_search_and_the_home_page(client):
    build_clinics()
    first = client.get("/fi/services/", {"q": "lastenneuvola", "where": "Turussa"})
    assert first.cookies[PLACE_COOKIE]["max-age"] == ""
    assert "Vary" in first and "Cookie" in first["Vary"]

    # The next search names no place: the remembered one applies, shown with a chip that forgets it.
    html = client.get("/fi/services/", {"q": "neuvola"}).content.decode()
    assert 'name="where" id="id_where" value="Turku"' in html
    assert "Muistetaan tämän käynnin ajan:" in html
    assert "Lastenneuvola Tapiola" not in html
    assert "Etäisyydet on laskettu kuntakeskuksesta (Turku)." in html

    home = client.get("/fi/").content.decode()
    assert 'name="where" id="home-where" value="Turku"' in home
    assert 'href="/fi/place/forget/?next=%2Ffi%2F"' in home


def test_chip__forgets_the_place_and_returns_to_the_search_without_it(client):
    build_clinics()
    client.get("/fi/services/", {"q": "lastenneuvola", "where": "20100"})
    page = client.get("/fi/services/", {"q": "lastenneuvola"})
    forget = page.context["forget_place_url"]
    assert forget == "/fi/place/forget/?next=%2Ffi%2Fservices%2F%3Fq%3Dlastenneuvola"

    response = client.get(forget)
    assert response.status_code == 302 and response["Location"] == "/fi/services/?q=lastenneuvola"
    assert response.cookies[PLACE_COOKIE].value == ""
    html = client.get(response["Location"]).content.decode()
    assert "Lastenneuvola Tapiola" in html
    assert "Muistetaan tämän käynnin ajan:" not in html


@pytest.mark.parametrize("next_url", [*OFF_SITE, "", "fi/services/"])
def test_forget__never_leaves_the_site(client, next_url):
    response = client.get("/sv/place/forget/", {"next": next_url})
    assert response.status_code == 302 and response["Location"] == "/sv/"


def test_emptied_where__forgets_the_place(client):
    build_clinics()
    client.get("/fi/services/", {"where": "Turku"})
    response = client.get("/fi/services/", {"q": "lastenneuvola", "where": ""})
    assert response.status_code == 302 and response["Location"] == "/fi/services/?q=lastenneuvola"
    assert response.cookies[PLACE_COOKIE].value == ""


def test_remembered_place__gives_way_to_an_area_or_a_place_in_the_address(client):
    build_clinics()
    client.get("/fi/services/", {"where": "Turku"})
    assert client.get("/fi/services/", {"area": "03"}).context["query"].municipality == ""
    assert client.get("/fi/services/", {"where": "Espoo"}).context["query"].municipality == "049"
    assert client.get("/fi/services/", {"q": "neuvola espoossa"}).context["query"].municipality == "049"


def test_forged_cookie__is_ignored(client):
    build_clinics()
    client.cookies[PLACE_COOKIE] = "m:853:forged"
    html = client.get("/fi/services/", {"q": "lastenneuvola"}).content.decode()
    assert "Lastenneuvola Tapiola" in html and "Muistetaan" not in html


def test_anonymous_search__writes_nothing_to_the_database_and_starts_no_session(client):
    build_clinics()
    client.get("/fi/services/", {"q": "lastenneuvola"})  # the first search that meets new words analyses them
    client.cookies.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fi/services/", {"q": "lastenneuvola", "where": "20100"})
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.IGNORECASE)]
    assert writes == []
    assert set(response.cookies) == {PLACE_COOKIE}


# --- Clean addresses ---


def test_empty_parameters__redirect_to_the_same_search_without_them(client):
    response = client.get(
        "/fi/services/?q=lastenneuvola&lat=&lon=&area=&municipality=&postcode=20100&age_group=&age=&cost=&sort=relevance"
    )
    # With a place the default order is by distance, so "relevance" is a real choice and stays.
    assert response.status_code == 302
    assert response["Location"] == "/fi/services/?q=lastenneuvola&postcode=20100&sort=relevance"


@pytest.mark.parametrize(
    ("query_string", "clean"),
    [
        ("q=neuvola&sort=relevance", "?q=neuvola"),  # relevance is the default with words
        ("sort=name", ""),  # name is the default without words
        ("q=neuvola&page=1&where=+", "?q=neuvola"),
        ("where=Turku&sort=distance", "?where=Turku"),  # distance is the default with a place
        ("language=fi&language=&language=sv", "?language=fi&language=sv"),
    ],
)
def test_default_values__leave_the_address(client, query_string, clean):
    response = client.get(f"/fi/services/?{query_string}")
    assert response.status_code == 302
    assert response["Location"] == f"/fi/services/{clean}"


def test_links_the_page_builds__carry_no_empty_or_default_parameters(client):
    build_clinics()
    turku = Municipality.objects.get(code="853")
    for n in range(25):
        ServiceFactory(published=True, name_fi=f"Neuvola {n:02}", municipalities=[turku])
    response = client.get("/fi/services/", {"q": "neuvola", "where": "Turku", "language": "fi", "page": "2"})
    html = response.content.decode()
    links = [unescape(href) for href in re.findall(r'href="([^"]*\?[^"]*)"', html)]
    search_links = [link for link in links if urlsplit(link).path in ("", "/fi/services/")]
    assert any("page=" not in link for link in search_links)  # the link to page 1
    assert len(search_links) >= 3
    for link in search_links:
        pairs = parse_qsl(urlsplit(link).query, keep_blank_values=True)
        assert all(value.strip() for _name, value in pairs), link
        assert ("page", "1") not in pairs and ("sort", "distance") not in pairs, link


def test_remembered_position__is_sent_again_so_an_empty_field_does_not_forget_it(client):
    build_clinics()
    first = client.get("/fi/services/", {"q": "lastenneuvola", "lat": "60.4512", "lon": "22.2648"})
    assert "Etäisyydet on laskettu sijainnistasi." in first.content.decode()
    home = client.get("/fi/").content.decode()
    assert 'name="where" id="home-where" value=""' in home
    assert "Sijaintisi" in home
    assert '<input type="hidden" name="lat" value="60.45">' in home
    assert '<input type="hidden" name="lon" value="22.26">' in home
    # The home form without JavaScript: "where" empty, the position with it.
    response = client.get("/fi/services/", {"q": "lastenneuvola", "where": "", "lat": "60.45", "lon": "22.26"})
    assert response.status_code == 302 and response["Location"] == "/fi/services/?q=lastenneuvola&lat=60.45&lon=22.26"
    assert PLACE_COOKIE not in response.cookies


def test_words_chip__takes_the_best_match_order_with_the_words(client):
    build_clinics()
    response = client.get("/fi/services/", {"q": "lastenneuvola", "where": "Turku", "sort": "relevance"})
    chips = dict(response.context["active_filters"])
    assert chips["Hakusanat: lastenneuvola"] == "?where=Turku"
