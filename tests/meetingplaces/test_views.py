import datetime as dt
import re

import pytest
import time_machine

from tests.factories import (
    ActivityDateFactory,
    ActivityFactory,
    MeetingPlaceExceptionFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
    MunicipalityFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

HELSINKI = dt.timezone(dt.timedelta(hours=2))
# Wednesday 25 November 2026 at noon in Helsinki, ISO week 48 (Monday 23.11. – Sunday 29.11.).
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=HELSINKI)
MONDAY = dt.date(2026, 11, 23)


def h1s(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)


def open_place(**kwargs):
    place = MeetingPlaceFactory(published=True, **kwargs)
    for weekday in range(1, 6):
        MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=weekday, opens=dt.time(9), closes=dt.time(15))
    return place


# --- List ---


@time_machine.travel(NOON, tick=False)
def test_list__shows_published_places_with_address_open_now_and_next_activities(client):
    place = open_place(name_fi="Perhekahvila Onni", street_address_fi="Kauppakatu 3")
    ActivityFactory(meeting_place=place, title_fi="Vauvakerho", weekday=4, start_time=dt.time(10))
    MeetingPlaceFactory(name_fi="Luonnos", state="draft")
    MeetingPlaceFactory(name_fi="Arkistoitu", archived=True)

    html = client.get("/en/meeting-places/").content.decode()

    assert "Perhekahvila Onni" in html
    assert "Kauppakatu 3" in html
    assert "Open now" in html
    assert "Vauvakerho" in html
    assert "26.11." in html  # the Thursday of this week
    assert "Luonnos" not in html
    assert "Arkistoitu" not in html
    assert len(h1s(html)) == 1


@time_machine.travel(NOON, tick=False)
def test_list__filters_by_municipality_and_area(client):
    helsinki, espoo = MunicipalityFactory(code="091"), MunicipalityFactory(code="049")
    MeetingPlaceFactory(published=True, name_fi="Helsingin paikka", municipality=helsinki)
    MeetingPlaceFactory(published=True, name_fi="Espoon paikka", municipality=espoo)

    by_municipality = client.get("/en/meeting-places/?municipality=049").content.decode()
    by_area = client.get(f"/en/meeting-places/?area={helsinki.area.code}").content.decode()

    assert "Espoon paikka" in by_municipality and "Helsingin paikka" not in by_municipality
    assert "Helsingin paikka" in by_area and "Espoon paikka" not in by_area


@pytest.mark.parametrize(
    "query",
    [
        "municipality=999",
        "area=xx",
        "municipality=%27%3B+DROP+TABLE+x%3B--",
        "page=99999",
        "page=-1",
        "page=abc",
        "area=" + "9" * 10_000,
        "municipality=%ff%fe",
        "municipality=%00&area=%00&page=%00",
    ],
)
def test_list__bad_input_gives_a_page_not_an_error(client, query):
    MeetingPlaceFactory(published=True, name_fi="Perhekahvila Onni")

    response = client.get(f"/en/meeting-places/?{query}")

    assert response.status_code == 200
    assert "Perhekahvila Onni" in response.content.decode()


def test_list__unknown_municipality_is_explained_next_to_the_field(client):
    html = client.get("/en/meeting-places/?municipality=999").content.decode()

    assert "Unknown municipality, showing all municipalities." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_municipality_error"' in html
    assert 'id="id_municipality_error"' in html


@time_machine.travel(NOON, tick=False)
def test_list__query_count_does_not_grow_with_places(client, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            place = open_place()
            MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 11, 27))
            activity = ActivityFactory(meeting_place=place, organiser=OrganisationFactory())
            ActivityDateFactory(activity=activity, date=dt.date(2026, 11, 24), cancelled=True)

    make(1)
    with django_assert_num_queries(7) as one:
        client.get("/en/meeting-places/")
    make(14)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get("/en/meeting-places/").content.decode()
    assert html.count('class="card"') == 15


# --- Detail ---


@time_machine.travel(NOON, tick=False)
def test_detail__shows_address_accessibility_hours_and_activities(client):
    place = open_place(
        name_fi="Perhekahvila Onni",
        street_address_fi="Kauppakatu 3",
        directions_fi="Sisäänkäynti pihan puolelta",
        step_free_access=True,
        lift=False,
    )
    MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 11, 27), closed=True, reason_fi="Koulutus")
    MeetingPlaceExceptionFactory(
        meeting_place=place, date=dt.date(2026, 12, 6), closed=True, reason_fi="Itsenäisyyspäivä"
    )
    ActivityFactory(meeting_place=place, title_fi="Vauvakerho", weekday=4)
    ActivityFactory(meeting_place=place, title_fi="Joulujuhla", on_dates=True).dates.create(date=dt.date(2026, 12, 10))

    response = client.get(f"/en/meeting-places/{place.slug}/")
    html = response.content.decode()

    assert h1s(html) == ["Perhekahvila Onni"]
    assert "Kauppakatu 3" in html
    assert "Sisäänkäynti pihan puolelta" in html
    assert "Step-free access, also with a pram: yes" in html
    assert "Lift: no" in html
    today_row = re.search(r'<tr class="is-today">(.*?)</tr>', html, re.S)[1]
    assert "25.11." in today_row and '<span class="time-range">9:00–15:00</span>' in today_row
    assert "Koulutus" in html  # this week's closure, with its reason
    assert "Itsenäisyyspäivä" in html  # a coming exception
    assert "Vauvakerho" in html
    assert "Joulujuhla" in html  # upcoming, after this week
    assert "Open now" in html


@pytest.mark.parametrize("state", ["draft", "archived"])
def test_detail__unpublished_places_are_not_found(client, state):
    place = MeetingPlaceFactory(state=state)

    assert client.get(f"/en/meeting-places/{place.slug}/").status_code == 404


def test_detail__unknown_slug_is_not_found(client):
    assert client.get("/en/meeting-places/ei-ole/").status_code == 404


@time_machine.travel(NOON, tick=False)
def test_detail__shows_finnish_fallback_marked_on_swedish_page(client):
    place = open_place(name_fi="Perhekahvila Onni", name_sv="")

    html = client.get(f"/sv/meeting-places/{place.slug}/").content.decode()

    assert '<h1 lang="fi">Perhekahvila Onni</h1>' in html


@time_machine.travel(NOON, tick=False)
def test_detail__query_count_does_not_grow_with_activities(client, django_assert_num_queries):
    place = open_place()

    def make(n):
        for _ in range(n):
            activity = ActivityFactory(meeting_place=place, organiser=OrganisationFactory())
            ActivityDateFactory(activity=activity, date=dt.date(2026, 12, 1), cancelled=True)
            MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 12, 1) + dt.timedelta(days=n + _))

    make(1)
    with django_assert_num_queries(5) as one:
        client.get(f"/en/meeting-places/{place.slug}/")
    make(20)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(f"/en/meeting-places/{place.slug}/")


# --- Activities calendar ---


@time_machine.travel(NOON, tick=False)
def test_calendar__shows_this_weeks_occurrences_with_what_a_family_needs(client):
    place = MeetingPlaceFactory(published=True, name_fi="Perhekahvila Onni")
    ActivityFactory(
        meeting_place=place,
        title_fi="Vauvakerho",
        weekday=4,
        start_time=dt.time(10),
        end_time=dt.time(11, 30),
        age_min=0,
        age_max=1,
        languages=["fi"],
        registration_required=True,
    )

    html = client.get("/en/activities/").content.decode()

    assert "Week 48" in html
    assert 'id="day-2026-11-26"' in html
    assert "10:00–11:30" in html
    assert "Vauvakerho" in html
    assert "Perhekahvila Onni" in html
    assert "Registration needed" in html
    assert "Finnish" in html
    assert len(h1s(html)) == 1


@time_machine.travel(NOON, tick=False)
def test_calendar__hides_cancelled_and_unpublished(client):
    place = MeetingPlaceFactory(published=True)
    cancelled = ActivityFactory(meeting_place=place, title_fi="Peruttu kerho", weekday=2)
    ActivityDateFactory(activity=cancelled, date=dt.date(2026, 11, 24), cancelled=True)
    ActivityFactory(meeting_place=MeetingPlaceFactory(state="draft"), title_fi="Luonnospaikan kerho")
    ActivityFactory(meeting_place=place, title_fi="Luonnoskerho", state="draft")

    html = client.get("/en/activities/").content.decode()

    assert "Peruttu kerho" not in html
    assert "Luonnospaikan kerho" not in html
    assert "Luonnoskerho" not in html


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("query", "monday"),
    [
        ("week=2026-W49", "30.11."),
        ("week=2026w49", "30.11."),
        ("start=2026-12-02", "30.11."),
        ("start=2027-01-01", "28.12."),
    ],
)
def test_calendar__chooses_the_week_from_the_url(client, query, monday):
    html = client.get(f"/en/activities/?{query}").content.decode()

    assert f"Monday {monday}" in html
    assert "not understood" not in html


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    "query",
    [
        "week=2026-W54",
        "week=2026-W00",
        "week=9999-W01",
        "week=next",
        "week=" + "1" * 10_000,
        "start=2026-02-30",
        "start=0001-01-01",
        "start=tomorrow",
        "week=%ff%fe",
        "week=%00&municipality=%00&age=%00&language=%00&free=%00",
    ],
)
def test_calendar__bad_week_gives_a_message_and_the_current_week(client, query):
    response = client.get(f"/en/activities/?{query}")
    html = response.content.decode()

    assert response.status_code == 200
    assert "not understood" in html
    assert "Week 48" in html


@time_machine.travel(NOON, tick=False)
def test_calendar__filters_by_municipality_age_language_and_cost(client):
    helsinki, espoo = MunicipalityFactory(code="091"), MunicipalityFactory(code="049")
    in_helsinki = MeetingPlaceFactory(published=True, municipality=helsinki)
    in_espoo = MeetingPlaceFactory(published=True, municipality=espoo)
    ActivityFactory(meeting_place=in_helsinki, title_fi="Helsingin vauvat", age_min=0, age_max=1, languages=["fi"])
    ActivityFactory(meeting_place=in_espoo, title_fi="Espoon koululaiset", age_min=7, age_max=12, languages=["sv"])
    ActivityFactory(meeting_place=in_espoo, title_fi="Kaikille avoin", cost="fee")

    def titles(query):
        html = client.get(f"/en/activities/?start=2026-11-23&{query}").content.decode()
        return {t for t in ("Helsingin vauvat", "Espoon koululaiset", "Kaikille avoin") if t in html}

    assert titles("municipality=049") == {"Espoon koululaiset", "Kaikille avoin"}
    assert titles(f"area={helsinki.area.code}") == {"Helsingin vauvat"}
    assert titles("age=0") == {"Helsingin vauvat", "Kaikille avoin"}
    assert titles("age=8") == {"Espoon koululaiset", "Kaikille avoin"}
    assert titles("language=sv") == {"Espoon koululaiset"}
    assert titles("free=on") == {"Helsingin vauvat", "Espoon koululaiset"}


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("query", ["age=-3", "age=abc", "age=300", "age=" + "9" * 5000, "language=xx"])
def test_calendar__bad_filters_are_explained_and_ignored(client, query):
    ActivityFactory(meeting_place=MeetingPlaceFactory(published=True), title_fi="Vauvakerho", weekday=5)

    response = client.get(f"/en/activities/?{query}")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Vauvakerho" in html
    assert 'aria-invalid="true"' in html


@time_machine.travel(NOON, tick=False)
def test_calendar__week_links_keep_the_filters(client):
    html = client.get("/en/activities/?municipality=049&age=3&free=on").content.decode()

    previous = re.search(r'href="([^"]+)" rel="prev"', html)[1].replace("&amp;", "&")
    following = re.search(r'href="([^"]+)" rel="next"', html)[1].replace("&amp;", "&")
    assert "week=2026-W47" in previous and "week=2026-W49" in following
    for link in (previous, following):
        assert "municipality=049" in link and "age=3" in link and "free=1" in link


@time_machine.travel(NOON, tick=False)
def test_calendar__query_count_does_not_grow_with_activities(client, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            activity = ActivityFactory(
                meeting_place=MeetingPlaceFactory(published=True), organiser=OrganisationFactory(), weekday=4
            )
            ActivityDateFactory(activity=activity, date=dt.date(2026, 12, 1), cancelled=True)

    make(1)
    with django_assert_num_queries(4) as one:
        client.get("/en/activities/")
    make(30)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get("/en/activities/").content.decode()
    assert "31 activities this week" in html
    assert html.count('class="event"') == 20  # one page


@time_machine.travel(NOON, tick=False)
def test_calendar__lists_dated_and_every_other_week_activities_on_the_right_days(client):
    place = MeetingPlaceFactory(published=True)
    ActivityFactory(meeting_place=place, title_fi="Joulumyyjäiset", on_dates=True).dates.create(
        date=dt.date(2026, 11, 28)
    )
    ActivityFactory(meeting_place=place, title_fi="Joka toinen viikko", weekday=5, every_nth_week=2, valid_from=MONDAY)

    this_week = client.get("/en/activities/").content.decode()
    next_week = client.get("/en/activities/?week=2026-W49").content.decode()
    week_after = client.get("/en/activities/?week=2026-W50").content.decode()

    saturday = this_week.split('id="day-2026-11-28"')[1].split('id="day-2026-11-29"')[0]
    assert "Joulumyyjäiset" in saturday
    assert "Joka toinen viikko" in this_week.split('id="day-2026-11-27"')[1].split('id="day-2026-11-28"')[0]
    assert "Joka toinen viikko" not in next_week
    assert "Joulumyyjäiset" not in next_week
    assert "Joka toinen viikko" in week_after


@time_machine.travel(NOON, tick=False)
def test_calendar__starts_today_and_links_every_day_of_the_week_with_its_count(client):
    place = MeetingPlaceFactory(published=True)
    ActivityFactory(meeting_place=place, title_fi="Maanantain kerho", weekday=1)
    ActivityFactory(meeting_place=place, title_fi="Torstain kerho", weekday=4)

    html = client.get("/en/activities/?municipality=" + place.municipality.code).content.decode()

    assert "2 activities this week" in html
    assert "Torstain kerho" in html and "Maanantain kerho" not in html  # Monday is past on Wednesday
    assert "Showing 1–1 of 1 activity from Wednesday 25.11. to the end of the week." in html
    monday = re.search(r'<a href="([^"]+)#week-results">Mon 23.11. <span class="badge">1 activity</span>', html)
    assert re.search(r'aria-current="true">Wed 25.11. \(today\) <span class="badge">0 activities</span>', html)

    html = client.get("/en/activities/" + monday[1].replace("&amp;", "&")).content.decode()

    assert "start=2026-11-23" in monday[1] and f"municipality={place.municipality.code}" in monday[1]
    assert "Maanantain kerho" in html and "Torstain kerho" in html
    assert 'id="day-2026-11-23"' in html


@time_machine.travel(NOON, tick=False)
def test_calendar__pages_through_a_crowded_week_keeping_the_day_and_filters(client, monkeypatch):
    monkeypatch.setattr("meetingplaces.views.CALENDAR_PAGE_SIZE", 2)
    place = MeetingPlaceFactory(published=True)
    for hour in (9, 10, 11, 12, 13):
        ActivityFactory(
            meeting_place=place,
            title_fi=f"Kerho klo {hour}",
            weekday=5,
            start_time=dt.time(hour),
            end_time=dt.time(hour, 45),
        )

    def page(query):
        html = client.get("/en/activities/" + query).content.decode()
        shown = [hour for hour in (9, 10, 11, 12, 13) if f"Kerho klo {hour}<" in html]
        following = re.search(r'<a href="([^"]+)" rel="next">Next page', html)
        return html, shown, following[1].replace("&amp;", "&") if following else None

    html, shown, following = page("?free=on")
    assert shown == [9, 10]
    assert "Page 1 of 3" in html and "Showing 1–2 of 5 activities" in html
    assert "start=2026-11-25" in following and "page=2" in following and "free=1" in following

    html, shown, following = page(following)
    assert shown == [11, 12]

    html, shown, following = page(following)
    assert shown == [13] and following is None
    assert "Showing 5–5 of 5 activities" in html

    assert page("?page=99")[1] == [13]  # past the end: the last page
    assert page("?page=abc")[1] == [9, 10]


@time_machine.travel(NOON, tick=False)
def test_calendar__a_day_after_the_last_activity_says_so(client):
    ActivityFactory(meeting_place=MeetingPlaceFactory(published=True), title_fi="Tiistain kerho", weekday=2)

    html = client.get("/en/activities/").content.decode()

    assert "1 activity this week" in html
    assert "No more activities from this day to the end of the week." in html
    assert "Tiistain kerho" not in html


@time_machine.travel(NOON, tick=True)
def test_calendar__reuses_the_day_counts_for_a_minute_but_lists_fresh_rows(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.COUNTS_CACHE_SECONDS = 60
    place = MeetingPlaceFactory(published=True)
    ActivityFactory(meeting_place=place, title_fi="Ensimmäinen", weekday=4)
    assert "1 activity this week" in client.get("/en/activities/").content.decode()

    ActivityFactory(meeting_place=place, title_fi="Toinen", weekday=4, start_time=dt.time(8), end_time=dt.time(9))
    html = client.get("/en/activities/").content.decode()
    assert "1 activity this week" in html
    assert "Toinen" in html  # the first of the page, counted or not
    assert "2 activities this week" in client.get("/en/activities/?free=on").content.decode()  # other filters

    with time_machine.travel(NOON + dt.timedelta(seconds=61), tick=False):
        assert "2 activities this week" in client.get("/en/activities/").content.decode()


@time_machine.travel(NOON, tick=False)
def test_calendar__cached_place_lists_keep_each_choice_and_bad_input_out_of_the_cache(client):
    from meetingplaces.forms import ActivityFilterForm

    MunicipalityFactory(code="049", name_fi="Espoo")

    def chosen(query):
        html = client.get(f"/en/activities/?{query}").content.decode()
        return re.findall(r'<option value="(\w+)" selected', html)

    assert chosen("") == []
    assert chosen("municipality=049") == ["049"]
    assert chosen("") == []  # the first rendering is not reused for a choice, nor the other way round
    assert chosen("municipality=049") == ["049"]
    assert ActivityFilterForm({"municipality": "049"}).place_fields_key.endswith(":049")
    assert ActivityFilterForm({"municipality": "x" * 500}).place_fields_key is None
    assert ActivityFilterForm({"municipality": "049", "area": "01"}).place_fields_key is None
