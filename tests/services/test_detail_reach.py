"""The service page answers "how do I get there and whom do I call" first; stale listings say so; hours read well."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import translation

from organisations.models import Municipality
from services.models import WebLink
from services.templatetags.family import may_be_out_of_date, months_before, time_range
from tests.factories import (
    EmailAddressFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
    PhoneNumberFactory,
    ServiceFactory,
    WebLinkFactory,
)

pytestmark = pytest.mark.django_db

HELSINKI_TZ = dt.timezone(dt.timedelta(hours=2))
# A Wednesday at noon in Helsinki (winter time).
NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=HELSINKI_TZ)


def helsinki():
    return Municipality.objects.get(code="091")


def located_service(*, latitude=None, longitude=None, **kwargs):
    service = ServiceFactory(published=True, description_fi="Neuvolassa seurataan lapsen kasvua.", **kwargs)
    location = LocationFactory(
        service=service,
        name_fi="Kallion neuvola",
        street_address_fi="Toinen linja 4",
        postal_code="00530",
        municipality=helsinki(),
        latitude=latitude,
        longitude=longitude,
    )
    for weekday in range(1, 6):
        LocationOpeningHoursFactory(location=location, weekday=weekday, opens=dt.time(8), closes=dt.time(16))
    return service


def page(client, service, lang="fi"):
    response = client.get(f"/{lang}/services/{service.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def reach_block(html):
    """The "how to reach" section, its whitespace runs as single spaces."""
    return re.sub(r"\s+", " ", re.search(r'<section class="reach".*?</section>', html, re.S)[0])


def directions_destination(html):
    href = re.search(r'<a class="reach__directions" href="([^"]+)"', html)[1].replace("&amp;", "&")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.google.com", "/maps/dir/")
    query = parse_qs(parts.query)
    assert query["api"] == ["1"]
    return query["destination"][0]


# --- What comes first ---


@time_machine.travel(NOON, tick=False)
def test_detail__phone_booking_address_directions_and_today_come_before_the_description(client):
    service = located_service(latitude=60.184, longitude=24.949)
    PhoneNumberFactory(service=service, number="+358 9 310 12345", description_fi="Ajanvaraus ma–pe klo 8–10")
    EmailAddressFactory(service=service, address="neuvola@example.fi")
    WebLinkFactory(
        service=service, kind=WebLink.Kind.E_SERVICE, url_fi="https://example.fi/ajanvaraus", title_fi="Varaa aika"
    )
    WebLinkFactory(service=service, url_fi="https://example.fi/neuvola", title_fi="Neuvolan sivut")

    html = page(client, service)
    reach = reach_block(html)

    assert html.index('<section class="reach"') < html.index("Neuvolassa seurataan lapsen kasvua.")
    assert html.index("<h1>") < html.index('<section class="reach"')
    assert '<a class="reach__phone" href="tel:+358931012345">+358 9 310 12345</a>' in reach
    assert "Ajanvaraus ma–pe klo 8–10" in reach
    assert 'href="mailto:neuvola@example.fi"' in reach
    assert '<a class="reach__online" href="https://example.fi/ajanvaraus">Varaa aika</a>' in reach
    assert "<span>Toinen linja 4</span>, 00530 Helsinki" in reach
    assert directions_destination(reach) == "60.184000,24.949000"
    assert 'Tänään: <span class="time-range">8.00–16.00</span>' in reach
    assert "Avoinna nyt" in reach
    # A plain web page is further information, below the description, not a way to reach the service.
    assert "Neuvolan sivut" not in reach
    assert html.index("Neuvolan sivut") > html.index("Neuvolassa seurataan lapsen kasvua.")


@time_machine.travel(NOON, tick=False)
def test_detail__directions_go_to_the_address_when_there_are_no_coordinates(client):
    service = located_service()

    reach = reach_block(page(client, service, lang="sv"))

    assert directions_destination(reach) == "Toinen linja 4, 00530 Helsingfors"
    assert "Vägen på kartan" in reach


@time_machine.travel(dt.datetime(2026, 3, 4, 18, 0, tzinfo=HELSINKI_TZ), tick=False)
def test_detail__today_says_closed_now_after_closing_time(client):
    reach = reach_block(page(client, located_service(), lang="en"))

    assert '<span class="time-range">8:00–16:00</span>' in reach
    assert "Closed now" in reach
    assert "Open now" not in reach


@time_machine.travel(NOON, tick=False)
def test_detail__many_locations_show_three_at_the_top_and_link_to_all(client):
    service = located_service()
    for n in range(3):
        LocationFactory(service=service, name_fi=f"Sivupiste {n}")

    reach = reach_block(page(client, service))

    assert reach.count('class="reach__directions"') == 3
    assert '<a href="#locations-heading">Kaikki 4 palvelupaikkaa</a>' in reach


def test_detail__a_service_without_any_way_to_reach_it_says_so(client):
    service = ServiceFactory(published=True)

    reach = reach_block(page(client, service, lang="en"))

    assert "No contact details given. Contact the provider." in reach
    assert "reach__directions" not in reach


# --- Opening ranges join and never wrap ---


@time_machine.travel(NOON, tick=False)
def test_detail__touching_opening_ranges_show_as_one(client):
    service = located_service()
    location = service.locations.get()
    LocationOpeningHoursFactory(location=location, weekday=3, opens=dt.time(16), closes=dt.time(18, 30))

    html = page(client, service)

    today_row = re.search(r'<tr class="is-today">(.*?)</tr>', html, re.S)[1]
    assert '<span class="time-range">8.00–18.30</span>' in today_row
    assert "16.00" not in today_row
    assert '<span class="time-range">8.00–18.30</span>' in reach_block(html)


@time_machine.travel(NOON, tick=False)
def test_meeting_place__touching_opening_ranges_show_as_one(client):
    place = MeetingPlaceFactory(published=True)
    MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=3, opens=dt.time(9), closes=dt.time(12))
    MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=3, opens=dt.time(12), closes=dt.time(15))

    html = client.get(f"/fi/meeting-places/{place.slug}/").content.decode()

    today_row = re.search(r'<tr class="is-today">(.*?)</tr>', html, re.S)[1]
    assert '<span class="time-range">9.00–15.00</span>' in today_row


@time_machine.travel(NOON, tick=False)
def test_search_card__touching_opening_ranges_show_as_one(client):
    service = located_service(name_fi="Kallion lastenneuvola")
    LocationOpeningHoursFactory(location=service.locations.get(), weekday=3, opens=dt.time(16), closes=dt.time(18))

    html = client.get("/fi/services/", {"q": "lastenneuvola"}).content.decode()

    assert "Kallion lastenneuvola" in html
    assert '<span class="time-range">8.00–18.00</span>' in html


def test_time_range__uses_the_language_time_format_in_one_span():
    interval = type("Interval", (), {"opens": dt.time(8), "closes": dt.time(18, 30)})()
    with translation.override("fi"):
        assert time_range(interval) == '<span class="time-range">8.00–18.30</span>'
    with translation.override("en"):
        assert time_range(interval) == '<span class="time-range">8:00–18:30</span>'


# --- Information checked more than 12 months ago ---

STALE_FI = "Siitä on yli vuosi, joten tiedot voivat olla vanhentuneita."
STALE_SV = "Det är mer än ett år sedan, så uppgifterna kan vara inaktuella."
STALE_EN = "That was more than a year ago: the information may be out of date."


@pytest.mark.parametrize(
    ("reviewed_on", "stale"),
    [
        (dt.date(2025, 4, 4), False),  # 11 months before 4.3.2026
        (dt.date(2025, 3, 4), False),  # exactly 12 months: not more than 12
        (dt.date(2025, 3, 3), True),  # 12 months and a day
        (dt.date(2025, 2, 4), True),  # 13 months
    ],
)
@time_machine.travel(NOON, tick=False)
def test_detail__information_checked_more_than_12_months_ago_may_be_out_of_date(client, reviewed_on, stale):
    reviewed_at = dt.datetime.combine(reviewed_on, dt.time(10), tzinfo=HELSINKI_TZ)
    service = ServiceFactory(published=True, reviewed_at=reviewed_at)

    fi, sv, en = (page(client, service, lang) for lang in ("fi", "sv", "en"))

    checked = re.search(r'<p class="checked-on">(.*?)</p>', fi, re.S)[1]
    assert f"Tiedot tarkistettu {reviewed_on.day}.{reviewed_on.month}.{reviewed_on.year}" in checked
    assert (STALE_FI in checked) is stale
    assert (STALE_SV in sv) is stale
    assert (STALE_EN in en) is stale


@pytest.mark.parametrize(("months", "stale"), [(11, False), (12, False), (13, True)])
def test_meeting_place__information_checked_more_than_12_months_ago_may_be_out_of_date(client, months, stale):
    reviewed_at = dt.datetime(2024, 6, 20, 9, 0, tzinfo=dt.UTC)
    place = MeetingPlaceFactory(published=True, reviewed_at=reviewed_at)
    today = dt.date(2024 + (6 + months - 1) // 12, (6 + months - 1) % 12 + 1, 20)

    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=HELSINKI_TZ), tick=False):
        html = client.get(f"/fi/meeting-places/{place.slug}/").content.decode()

    assert "Tiedot tarkistettu 20.6.2024." in html
    assert (STALE_FI in html) is stale


@pytest.mark.parametrize(
    ("today", "reviewed_at", "stale"),
    [
        (dt.date(2026, 3, 4), None, False),  # never checked is said otherwise
        (dt.date(2026, 3, 4), dt.date(2025, 3, 4), False),
        (dt.date(2026, 3, 4), dt.date(2025, 3, 3), True),
        # 00:30 in Helsinki on 4.3.2025 is still 3.3. in UTC: the Helsinki date counts.
        (dt.date(2026, 3, 4), dt.datetime(2025, 3, 3, 22, 30, tzinfo=dt.UTC), False),
        (dt.date(2026, 3, 4), dt.datetime(2025, 3, 3, 21, 30, tzinfo=dt.UTC), True),
    ],
)
def test_may_be_out_of_date__reads_today_from_django_timezone(today, reviewed_at, stale):
    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=HELSINKI_TZ), tick=False):
        assert may_be_out_of_date(reviewed_at) is stale


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 4), dt.date(2025, 3, 4)),
        (dt.date(2026, 1, 15), dt.date(2025, 1, 15)),
        (dt.date(2024, 2, 29), dt.date(2023, 2, 28)),  # no 29th of February a year earlier
        (dt.date(2026, 12, 31), dt.date(2025, 12, 31)),
    ],
)
def test_months_before__twelve_months_is_the_same_day_a_year_earlier(day, expected):
    assert months_before(day, 12) == expected


def test_months_before__short_months_take_their_last_day():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 31), 2) == dt.date(2025, 11, 30)
    assert months_before(dt.date(2026, 1, 10), 13) == dt.date(2024, 12, 10)
