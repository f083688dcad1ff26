"""The comparison page: rows that differ are marked in words, "show only the differences", distances from the
family's position; and "Add to comparison" on a result card that, without JavaScript, comes back to the same card."""

import datetime as dt
import re

import pytest
import time_machine
from django.http import HttpResponse
from django.utils import formats, translation

from services.search.places import municipality_centre
from services.search.visit import PLACE_COOKIE, VisitPlace, remember_place
from services.views import distance_km
from tests.factories import (
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    ServiceFactory,
    WebLinkFactory,
)

pytestmark = pytest.mark.django_db

# Wednesday 4 March 2026, noon in Helsinki.
NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
KAMPPI = (60.1690, 24.9320)


def compare(client, lang="fi", **params):
    response = client.get(f"/{lang}/compare/", params)
    assert response.status_code == 200
    return response.content.decode()


def row(html, label):
    """(differs, hidden, the row's HTML) of the comparison row whose header starts with *label*."""
    match = re.search(
        r'<tr class="compare-row( compare-row--differs)?"( data-same)?( hidden)?>\s*<th scope="row">'
        + re.escape(label)
        + r"(.*?)</tr>",
        html,
        re.DOTALL,
    )
    assert match, f"no row {label!r}"
    return bool(match.group(1)), bool(match.group(3)), match.group(4)


def remember(client, place):
    """The browser carries *place* as the place remembered for the visit."""
    response = HttpResponse()
    remember_place(response, place)
    client.cookies[PLACE_COOKIE] = response.cookies[PLACE_COOKIE].value


def clinic(name, *, weekday_hours=None, **location_fields):
    service = ServiceFactory(published=True, name_fi=name, name_sv=name, cost="free", **location_fields.pop("svc", {}))
    location = LocationFactory(service=service, name_fi=f"{name}n toimipiste", **location_fields)
    for weekday in range(1, 6):
        opens, closes = (weekday_hours or {}).get(weekday, (dt.time(8), dt.time(16)))
        LocationOpeningHoursFactory(location=location, weekday=weekday, opens=opens, closes=closes)
    return service


@pytest.fixture
def two_clinics():
    kallio = clinic(
        "Kallio",
        lift=True,
        step_free_access=True,
        svc={"languages": ["fi", "sv"], "access": ["booking"]},
    )
    # Open later on Wednesdays; no lift; the same step-free entrance.
    vallila = clinic(
        "Vallila",
        weekday_hours={3: (dt.time(12), dt.time(18))},
        lift=False,
        step_free_access=True,
        svc={"languages": ["fi"], "access": ["walk_in"]},
    )
    WebLinkFactory(service=kallio, kind="e_service", title_fi="Varaa aika verkossa", url_fi="https://example.fi/varaa")
    LocationExceptionFactory(location=vallila.locations.get(), date=dt.date(2026, 3, 6), reason_fi="Koulutuspäivä")
    return kallio, vallila


@time_machine.travel(NOON, tick=False)
def test_compare__marks_the_rows_that_differ_in_words(client, two_clinics):
    kallio, vallila = two_clinics
    html = compare(client, services=f"{kallio.pk},{vallila.pk}")

    assert row(html, "Hinta")[0] is False
    differs, _hidden, languages = row(html, "Palvelukielet")
    assert differs and '<span class="compare-differs">Eroaa</span>' in languages
    assert "suomi, ruotsi" in languages.lower()
    differs, _hidden, access = row(html, "Näin pääset palveluun")
    assert differs and "Ajanvarauksella" in access and "Ilman ajanvarausta" in access
    differs, _hidden, online = row(html, "Ajanvaraus ja asiointi verkossa")
    assert differs and '<a href="https://example.fi/varaa">Varaa aika verkossa</a>' in online and "Ei ole" in online

    # Accessibility from the locations' facts: the lift differs, the step-free entrance does not, and a fact known
    # for neither (baby-changing) gets no row of "not known"s.
    differs, _hidden, lift = row(html, "Hissi")
    assert differs and "Kyllä" in lift and "Ei" in lift
    assert row(html, "Esteetön kulku, myös lastenvaunujen kanssa")[0] is False
    assert "Vauvanhoitopiste" not in html

    # This week's hours day by day, starting today: Wednesday differs, Thursday is the same, Friday is an exception.
    differs, _hidden, wednesday = row(html, "ke 4.3.")
    assert differs and "8.00–16.00" in wednesday and "12.00–18.00" in wednesday
    assert "tänään" in wednesday
    assert row(html, "to 5.3.")[0] is False
    differs, _hidden, friday = row(html, "pe 6.3.")
    assert differs and "Poikkeavat aukioloajat: Koulutuspäivä" in friday
    assert row(html, "la 7.3.")[0] is False and "Suljettu" in row(html, "la 7.3.")[2]
    assert "ti 10.3." in html and "ke 11.3." not in html  # seven days from today

    # Each cell names its service (the phone layout shows one value under another).
    assert '<span class="compare-cell__service">Kallio</span>' in wednesday
    count = html.count('<span class="compare-differs">')
    assert f"Palvelut eroavat {count} kohdassa" in html
    assert count >= 6


@time_machine.travel(NOON, tick=False)
def test_compare__in_swedish(client, two_clinics):
    kallio, vallila = two_clinics
    html = compare(client, "sv", services=f"{kallio.pk},{vallila.pk}")
    differs, _hidden, lift = row(html, "Hiss")
    assert differs and "Skiljer sig" in lift and "Ja" in lift and "Nej" in lift
    assert "Öppettider de följande 7 dagarna" in html


@time_machine.travel(NOON, tick=False)
def test_compare__show_only_the_differences_hides_the_same_rows(client, two_clinics):
    kallio, vallila = two_clinics
    ids = f"{kallio.pk},{vallila.pk}"

    everything = compare(client, services=ids)
    assert row(everything, "Hinta")[1] is False
    assert f'<a href="?services={kallio.pk}%2C{vallila.pk}&amp;show=differences" data-compare-show="differences">' in (
        everything
    )
    assert f'<a href="?services={kallio.pk}%2C{vallila.pk}" data-compare-show="all" hidden>' in everything

    only = compare(client, services=ids, show="differences")
    assert row(only, "Hinta")[1] is True  # still in the page (JavaScript switches back without a reload)
    assert row(only, "Palvelukielet")[1] is False
    assert row(only, "to 5.3.")[1] is True and row(only, "ke 4.3.")[1] is False
    assert f'<a href="?services={kallio.pk}%2C{vallila.pk}" data-compare-show="all">Näytä kaikki tiedot</a>' in only
    # A group where nothing differs is hidden as a whole.
    assert re.search(r'<tbody class="compare-group" data-same hidden>\s*<tr class="compare-group__heading">', only)


@time_machine.travel(NOON, tick=False)
def test_compare__identical_services_say_so_and_offer_no_filter(client):
    first, second = clinic("Eka"), clinic("Toka")
    shown = first.locations.get()
    second.locations.update(
        name_fi=shown.name_fi,
        street_address_fi=shown.street_address_fi,
        municipality=shown.municipality,
        postal_code=shown.postal_code,
    )
    second.organisation = first.organisation
    second.save()
    second.service_classes.set(first.service_classes.all())

    html = compare(client, services=f"{first.pk},{second.pk}")

    assert re.findall(r'<th scope="row">([^<]*)[^\n]*compare-differs', html) == []
    assert "Valitut palvelut eivät eroa missään alla olevista tiedoista." in html
    assert "data-compare-show" not in html
    assert row(html, "Käyntiosoite")[0] is False


@time_machine.travel(NOON, tick=False)
def test_compare__distance_from_the_familys_position_and_the_nearest_location(client):
    near = clinic("Kamppi", latitude=60.1720, longitude=24.9320)
    LocationFactory(service=near, name_fi="Turun toimipiste", latitude=60.4518, longitude=22.2666)
    far = clinic("Espoo", latitude=60.2055, longitude=24.6559)

    html = compare(client, services=f"{near.pk},{far.pk}", lat=f"{KAMPPI[0]}", lon=f"{KAMPPI[1]}")

    differs, _hidden, address = row(html, "Käyntiosoite")
    assert "Kamppin toimipiste" in address and "Turun toimipiste" not in address
    assert "Lähin 2 toimipisteestä" in address
    differs, _hidden, distance = row(html, "Etäisyys")
    assert differs
    for latitude, longitude in ((60.1720, 24.9320), (60.2055, 24.6559)):
        with translation.override("fi"):
            km = formats.number_format(distance_km(*KAMPPI, latitude, longitude), 1)
        assert f"{km} km" in distance


@pytest.mark.parametrize(
    ("lat", "lon"), [("abc", "24.9"), ("95", "24.9"), ("nan", "24.9"), ("60.1", "inf"), ("60.1", "")]
)
def test_compare__a_bad_or_half_position_gives_no_distances_and_no_error(client, lat, lon):
    first, second = clinic("Eka", latitude=60.17, longitude=24.93), clinic("Toka")
    html = compare(client, services=f"{first.pk},{second.pk}", lat=lat, lon=lon)
    assert "Etäisyys" not in html
    assert row(html, "Käyntiosoite")
    assert ("Osaa osoitteesta ei tunnistettu" in html) == (lon != "")


def test_compare__remove_and_add_another_keep_the_position(client):
    first, second, third = clinic("Eka"), clinic("Toka"), clinic("Kolmas")
    html = compare(client, services=f"{first.pk},{second.pk},{third.pk}", lat="60.17", lon="24.93")
    assert f'href="?services={first.pk}%2C{third.pk}&amp;lat=60.17&amp;lon=24.93">Poista' in html
    ids = f"{first.pk},{second.pk},{third.pk}"
    assert f'href="/fi/services/?compare={ids}&amp;lat=60.1700&amp;lon=24.9300">Lisää palvelu</a>' in html


# --- "Add to comparison" on the search results ---


def search(client, **params):
    response = client.get("/fi/services/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_card_toggle__comes_back_to_the_same_card_without_javascript(client):
    chosen, other = clinic("Eka"), clinic("Toka")

    html = search(client, compare=str(chosen.pk), cost="free")

    assert f'<li class="card" id="service-{other.pk}">' in html
    add = re.search(rf'href="([^"]*)#service-{other.pk}" data-compare-toggle', html)
    assert add, "the add link returns to its card"
    assert add.group(1) == f"?compare={chosen.pk}%2C{other.pk}&amp;cost=free" or add.group(1) == (
        f"?cost=free&amp;compare={chosen.pk}%2C{other.pk}"
    )
    remove = re.search(rf'href="([^"]*)#service-{chosen.pk}" data-compare-toggle', html)
    assert remove and f"compare={chosen.pk}" not in remove.group(1)
    assert 'data-compare-message="Lisätty vertailuun: Toka."' in html
    assert 'data-compare-message="Poistettu vertailusta: Eka."' in html
    # The tray follows the results (it never pushes the cards down) and the live region is in place for the script.
    assert html.index('id="compare-tray"') > html.index(f'id="service-{other.pk}"')
    assert '<p id="compare-status" class="visually-hidden" role="status"' in html


def test_tray__links_the_comparison_with_the_familys_position(client):
    first, second = clinic("Eka"), clinic("Toka")
    html = search(client, compare=f"{first.pk},{second.pk}", lat="60.1690", lon="24.9320")
    assert f'href="/fi/compare/?services={first.pk},{second.pk}&amp;lat=60.1690&amp;lon=24.9320"' in html
    client.cookies.clear()  # the position was remembered for the visit (services/search/visit.py): a new visit
    without = search(client, compare=f"{first.pk},{second.pk}")
    assert f'href="/fi/compare/?services={first.pk},{second.pk}"' in without


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("lang", "label", "notice"),
    [("fi", "Tiedot tarkistettu", "Voi olla vanhentunut"), ("sv", "Uppgifterna kontrollerade", "Kan vara inaktuell")],
)
def test_compare__information_checked_over_a_year_ago_may_be_out_of_date(client, two_clinics, lang, label, notice):
    kallio, vallila = two_clinics
    kallio.reviewed_at = dt.datetime(2025, 3, 3, 12, tzinfo=dt.UTC)  # a year and a day before NOON
    kallio.save()
    vallila.reviewed_at = dt.datetime(2025, 3, 5, 12, tzinfo=dt.UTC)  # within the year
    vallila.save()
    _differs, _hidden, cells = row(compare(client, lang, services=f"{kallio.pk},{vallila.pk}"), label)
    kallio_cell, vallila_cell = re.findall(r"<td[^>]*>(.*?)</td>", cells, re.DOTALL)
    assert "3.3.2025" in kallio_cell and notice in kallio_cell
    assert "5.3.2025" in vallila_cell and notice not in vallila_cell


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("lang", "label", "note"), [("fi", "Etäisyys", "lähtöpaikka Helsinki"), ("sv", "Avstånd", "från Helsingfors")]
)
def test_compare__without_a_position_measures_from_the_place_remembered_for_the_visit(client, lang, label, note):
    near, far = (
        clinic("Kamppi", latitude=60.1720, longitude=24.9320),
        clinic("Espoo", latitude=60.2055, longitude=24.6559),
    )
    remember(client, VisitPlace.municipality("091"))

    page = client.get(f"/{lang}/compare/", {"services": f"{near.pk},{far.pk}"})
    html = page.content.decode()

    assert "Cookie" in page["Vary"]
    _differs, _hidden, distance = row(html, label)
    assert note in distance
    centre = municipality_centre("091")
    with translation.override(lang):
        km = formats.number_format(distance_km(*centre, 60.1720, 24.9320), 1)
    assert f"{km} km" in distance
    # The links of the page do not copy the remembered place into the address.
    assert "lat=" not in html


def test_compare__a_position_in_the_address_wins_over_the_remembered_place(client):
    near, far = (
        clinic("Kamppi", latitude=60.1720, longitude=24.9320),
        clinic("Espoo", latitude=60.2055, longitude=24.6559),
    )
    remember(client, VisitPlace.municipality("853"))
    html = compare(client, services=f"{near.pk},{far.pk}", lat=f"{KAMPPI[0]}", lon=f"{KAMPPI[1]}")
    _differs, _hidden, distance = row(html, "Etäisyys")
    assert "lähtöpaikka" not in distance
    with translation.override("fi"):
        assert f"{formats.number_format(distance_km(*KAMPPI, 60.1720, 24.9320), 1)} km" in distance
