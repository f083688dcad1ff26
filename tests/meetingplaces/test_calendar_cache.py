"""The activity calendar's cached listings (meetingplaces/views.py cached_listing).

The rendered days are keyed by the data version (services/search/caching.py; meetingplaces migration 0006 makes the
calendar's tables advance it), the language, today and what the page asked for, so a write, another language, another
day or another filter is never answered from another's copy, and a visitor's own state never enters it. The tests run
in autocommit, as the site does: inside a transaction nothing is cached.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from meetingplaces.models import Activity
from services.search.visit import PLACE_COOKIE, VisitPlace, remember_place
from tests.factories import (
    ActivityDateFactory,
    ActivityFactory,
    MeetingPlaceExceptionFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
    MunicipalityFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

HELSINKI = dt.timezone(dt.timedelta(hours=2))
# Wednesday 25 November 2026 at noon in Helsinki, ISO week 48 (Monday 23.11. – Sunday 29.11.).
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=HELSINKI)
THURSDAY = "2026-11-26"


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.COUNTS_CACHE_SECONDS = 60  # as the site has it (the other tests count afresh)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def town():
    """One municipality with a meeting place open on weekdays and two Thursday activities."""
    municipality = MunicipalityFactory(code="853", name_fi="Turku", name_sv="Åbo")
    place = MeetingPlaceFactory(published=True, municipality=municipality, name_fi="Perhekahvila Onni")
    for weekday in range(1, 6):
        MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=weekday, opens=dt.time(9), closes=dt.time(15))
    baby = ActivityFactory(
        meeting_place=place,
        title_fi="Vauvakerho",
        title_sv="Babyklubb",
        weekday=4,
        start_time=dt.time(10),
        end_time=dt.time(11),
        age_min=0,
        age_max=1,
    )
    ActivityFactory(
        meeting_place=place, title_fi="Satutuokio", weekday=4, start_time=dt.time(13), end_time=dt.time(14), age_min=3
    )
    return place, baby


def get(client, query="", language="en"):
    with time_machine.travel(NOON, tick=False):
        response = client.get(f"/{language}/activities/?{query}")
    assert response.status_code == 200
    return response


def titles(response) -> list[str]:
    return re.findall(r'class="event__title"[^>]*>([^<]*)<', response.content.decode())


def test_warm_listing_loads_no_activity_and_renders_the_same(client, town, django_assert_max_num_queries):
    first = get(client, "municipality=853")
    assert titles(first) == ["Vauvakerho", "Satutuokio"]
    # The municipality, the place lists' digest and the data version; the counts and the listing from the cache.
    with django_assert_max_num_queries(3) as warm:
        again = get(client, "municipality=853")
    assert not any("meetingplaces_activity" in query["sql"] for query in warm.captured_queries)
    assert again.content == first.content


def test_sample_without_a_place_is_cached_too(client, town, django_assert_max_num_queries):
    first = get(client)
    assert "Coming up around Finland" in first.content.decode() and "Vauvakerho" in titles(first)
    with django_assert_max_num_queries(2) as warm:  # the place lists' digest and the data version
        again = get(client)
    assert not any("meetingplaces_" in query["sql"] for query in warm.captured_queries)
    assert again.content == first.content


def rename_activity(place, baby):
    Activity.objects.filter(pk=baby.pk).update(title_fi="Vauvaryhmä")


def cancel_thursday(place, baby):
    ActivityDateFactory(activity=baby, date=dt.date(2026, 11, 26), cancelled=True)


def close_place_on_thursday(place, baby):
    MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 11, 26), closed=True, reason_fi="Remontti")


def shorten_thursday_hours(place, baby):
    place.opening_hours.filter(weekday=4).update(closes=dt.time(10, 30))


def rename_place(place, baby):
    type(place).objects.filter(pk=place.pk).update(name_fi="Perhetalo Onni")


@pytest.mark.parametrize(
    ("change", "shown", "gone"),
    [
        (rename_activity, "Vauvaryhmä", "Vauvakerho"),
        (cancel_thursday, None, "Vauvakerho"),
        (close_place_on_thursday, "Remontti", None),
        (shorten_thursday_hours, "Kohtaamispaikka avataan tätä toimintaa varten.", None),
        (rename_place, "Perhetalo Onni", "Perhekahvila Onni"),
    ],
)
def test_a_write_shows_at_once(client, town, change, shown, gone):
    place, baby = town
    before = get(client, "municipality=853", language="fi").content.decode().split(f'id="day-{THURSDAY}"', 1)[1]
    assert "Vauvakerho" in before and "Perhekahvila Onni" in before and (shown is None or shown not in before)

    change(place, baby)

    after = get(client, "municipality=853", language="fi").content.decode().split(f'id="day-{THURSDAY}"', 1)[1]
    assert "Satutuokio" in after  # the day is still listed
    assert shown is None or shown in after
    assert gone is None or gone not in after


def test_day_counts_are_kept_under_the_data_version(client, town, django_assert_max_num_queries):
    place, baby = town
    assert "2 activities this week" in get(client, "municipality=853").content.decode()
    with django_assert_max_num_queries(3) as warm:
        assert "2 activities this week" in get(client, "municipality=853").content.decode()
    assert not any("meetingplaces_activity" in query["sql"] for query in warm.captured_queries)  # not counted again

    ActivityFactory(meeting_place=place, title_fi="Perjantaikerho", weekday=5, start_time=dt.time(9))
    friday = get(client, "municipality=853").content.decode()
    assert "3 activities this week" in friday and "Perjantaikerho" in friday
    cancel_thursday(place, baby)
    assert "2 activities this week" in get(client, "municipality=853").content.decode()
    whole_thursday = get(client, f"municipality=853&day={THURSDAY}").content.decode()
    assert titles(get(client, f"municipality=853&day={THURSDAY}")) == ["Satutuokio"]
    assert "Vauvakerho" not in whole_thursday


def test_a_listing_read_after_its_week_was_counted_lists_the_same(client, town):
    ActivityFactory(meeting_place=town[0], title_fi="Perjantaikerho", weekday=5, start_time=dt.time(9))
    whole_week = titles(get(client, "municipality=853"))
    assert whole_week == ["Vauvakerho", "Satutuokio", "Perjantaikerho"]

    # The week's counts are kept: the listing from Friday reads its own rows.
    assert titles(get(client, "municipality=853&start=2026-11-27")) == ["Perjantaikerho"]
    cache.clear()
    assert titles(get(client, "municipality=853&start=2026-11-27")) == ["Perjantaikerho"]


def test_each_language_day_and_filter_has_its_own_listing(client, town):
    finnish, swedish = get(client, "municipality=853", language="fi"), get(client, "municipality=853", language="sv")
    assert "Vauvakerho" in titles(finnish) and "Babyklubb" in titles(swedish)
    assert 'href="/sv/' in swedish.content.decode().split('class="day-list"')[1]
    assert titles(get(client, "municipality=853&age=4")) == ["Satutuokio"]
    assert titles(get(client, "municipality=853")) == ["Vauvakerho", "Satutuokio"]
    assert titles(get(client, "age=4")) == ["Satutuokio"]  # the sample narrowed by age too
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        thursday = client.get("/en/activities/?municipality=853").content.decode()
    assert re.search(rf'<h3 id="day-{THURSDAY}" class="is-today">', thursday)  # today's mark follows the date
    assert "is-today" not in get(client, "municipality=853").content.decode().split('class="day-list"')[1]


def test_one_visitors_remembered_place_never_reaches_another(client, town):
    other = MeetingPlaceFactory(published=True, municipality=MunicipalityFactory(code="091", name_fi="Helsinki"))
    ActivityFactory(meeting_place=other, title_fi="Isäkerho", weekday=4, start_time=dt.time(9), end_time=dt.time(10))
    response = HttpResponse()
    remember_place(response, VisitPlace.municipality("853"))
    client.cookies[PLACE_COOKIE] = response.cookies[PLACE_COOKIE].value

    remembered = get(client)
    assert titles(remembered) == ["Vauvakerho", "Satutuokio"]
    stranger = get(Client())
    assert "Coming up around Finland" in stranger.content.decode()
    assert "Isäkerho" in titles(stranger)
    assert "Isäkerho" not in titles(get(client))
