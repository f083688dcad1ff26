"""Calendar feeds: valid iCalendar whose expanded rules give exactly the calendar page's occurrences.

The feeds are parsed with the icalendar library and their recurrences expanded here with dateutil (RRULE with
EXDATE), independently of meetingplaces/feeds.py, then compared with ``meetingplaces.calendar.occurrences``.
The clock is frozen: nothing depends on the day the tests run.
"""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
import time_machine
from dateutil.rrule import rruleset, rrulestr
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetingplaces import calendar, feeds
from meetingplaces.models import Activity
from organisations.models import Municipality
from tests.factories import ActivityDateFactory, ActivityFactory, MeetingPlaceFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=HELSINKI)  # a Wednesday
# Weeks compared with the calendar page: now, the cancellations and the added date, New Year, the spring DST change
# (Sunday 28 March 2027), a week in the summer after the season's end, and one long after.
WEEKS = ["2026-W48", "2026-W50", "2026-W53", "2027-W01", "2027-W12", "2027-W13", "2027-W14", "2027-W24", "2028-W10"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def place():
    return MeetingPlaceFactory(
        published=True,
        name_fi="Perhekahvila Pisara",
        name_sv="Familjecafé Droppen",
        slug="pisara",
        municipality=Municipality.objects.get(code="091"),
        latitude=60.1841,
        longitude=24.9503,
    )


@pytest.fixture
def activities(place):
    """Every kind of schedule at one place, plus rows the place's feed must leave out."""
    season = ActivityFactory(
        meeting_place=place,
        title_fi="Vauvakerho",
        title_sv="Babyklubb",
        description_fi="Laulua ja leikkiä.",
        description_sv="Sång och lek.",
        weekday=2,
        valid_from=dt.date(2026, 9, 1),
        valid_to=dt.date(2027, 5, 31),
        age_min=0,
        age_max=1,
        languages=["fi", "sv"],
    )
    ActivityDateFactory(activity=season, date=dt.date(2026, 12, 8), cancelled=True)
    ActivityDateFactory(activity=season, date=dt.date(2026, 12, 29), cancelled=True)
    ActivityDateFactory(activity=season, date=dt.date(2026, 12, 10))  # an extra Thursday
    ActivityDateFactory(activity=season, date=dt.date(2026, 12, 15))  # listed, but the rule gives it anyway
    fortnightly = ActivityFactory(
        meeting_place=place,
        title_fi="Isä-lapsi-ilta",
        title_sv="",
        weekday=5,
        every_nth_week=2,
        start_time=dt.time(17, 0),
        end_time=dt.time(19, 0),
    )
    ActivityDateFactory(activity=fortnightly, date=dt.date(2027, 3, 26), cancelled=True)
    dated = ActivityFactory(meeting_place=place, on_dates=True, title_fi="Vauvahieronta", title_sv="Babymassage")
    for day, cancelled in [(dt.date(2026, 12, 9), False), (dt.date(2027, 1, 2), False), (dt.date(2026, 12, 16), True)]:
        ActivityDateFactory(activity=dated, date=day, cancelled=cancelled)
    ActivityFactory(meeting_place=place, title_fi="Luonnos", state="draft")
    ActivityFactory(title_fi="Toisen paikan kerho", meeting_place__published=True)
    return {"season": season, "fortnightly": fortnightly, "dated": dated}


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(cal) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def activity_pk(event) -> int:
    return int(re.match(r"activity-(\d+)", str(event["UID"]))[1])


def exdates(event) -> list[dt.datetime]:
    found = event.get("EXDATE", [])
    found = found if isinstance(found, list) else [found]
    return [value.dt for entry in found for value in entry.dts]


def expand(cal, first: dt.date, last: dt.date) -> set[tuple[int, dt.date, dt.time]]:
    """Every (activity, date, start time) the feed puts between *first* and *last*, as a calendar app would."""
    start = dt.datetime.combine(first, dt.time(0), tzinfo=HELSINKI)
    end = dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=HELSINKI)
    found = set()
    for event in cal.walk("VEVENT"):
        dtstart = event.decoded("DTSTART")
        if "RRULE" in event:
            rules = rruleset()
            rules.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=dtstart))
            for excluded in exdates(event):
                rules.exdate(excluded)
            moments = rules.between(start, end, inc=True)
        else:
            moments = [dtstart] if start <= dtstart <= end else []
        for moment in moments:
            local = moment.astimezone(HELSINKI)
            found.add((activity_pk(event), local.date(), local.time()))
    return found


def page_occurrences(pks, first: dt.date, last: dt.date) -> set[tuple[int, dt.date, dt.time]]:
    rows = Activity.objects.filter(pk__in=pks).prefetch_related("dates")
    return {(o.activity.pk, o.date, o.activity.start_time) for o in calendar.occurrences(rows, first, last)}


def test_the_meeting_place_feed_is_a_calendar_of_its_published_activities(client, place, activities):
    response = client.get(f"/fi/meeting-places/{place.slug}/calendar.ics")
    cal = parse(response)

    assert response["Content-Disposition"] == 'attachment; filename="pisara.ics"'
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Perhekahvila Pisara – Helsinki"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Helsinki"
    [zone] = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Helsinki"
    assert {c.decoded("TZOFFSETTO") for c in zone.walk("DAYLIGHT")} == {dt.timedelta(hours=3)}
    assert {c.decoded("TZOFFSETTO") for c in zone.walk("STANDARD")} == {dt.timedelta(hours=2)}
    pks = {activity_pk(event) for event in cal.walk("VEVENT")}
    assert pks == {a.pk for a in activities.values()}  # no draft, nothing from another place
    assert all("DTSTAMP" in event for event in cal.walk("VEVENT"))


def test_a_weekly_activity_is_one_event_with_a_rule_and_its_exceptions(client, place, activities):
    season = activities["season"]
    found = events(parse(client.get(f"/fi/meeting-places/{place.slug}/calendar.ics")))

    event = found[f"activity-{season.pk}@testserver"]
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2026, 9, 1, 10, 0, tzinfo=HELSINKI)
    assert str(start.tzinfo) == "Europe/Helsinki"
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert event.decoded("DTEND") == dt.datetime(2026, 9, 1, 11, 30, tzinfo=HELSINKI)
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["TU"]
    assert "INTERVAL" not in rule
    # The last day counts whole: 23:59:59 in Helsinki (summer time on 31 May) in UTC, as RFC 5545 wants.
    assert rule["UNTIL"] == [dt.datetime(2027, 5, 31, 20, 59, 59, tzinfo=dt.UTC)]
    assert exdates(event) == [
        dt.datetime(2026, 12, 8, 10, 0, tzinfo=HELSINKI),
        dt.datetime(2026, 12, 29, 10, 0, tzinfo=HELSINKI),
    ]
    # The added Thursday is an event of its own; the listed Tuesday the rule gives is not repeated.
    extra = found[f"activity-{season.pk}-20261210@testserver"]
    assert extra.decoded("DTSTART") == dt.datetime(2026, 12, 10, 10, 0, tzinfo=HELSINKI)
    assert "RRULE" not in extra
    assert f"activity-{season.pk}-20261215@testserver" not in found

    fortnightly = found[f"activity-{activities['fortnightly'].pk}@testserver"]
    assert fortnightly["RRULE"]["INTERVAL"] == [2]
    assert fortnightly["RRULE"]["BYDAY"] == ["FR"]
    assert "UNTIL" not in fortnightly["RRULE"]

    dated = activities["dated"]
    assert {uid for uid in found if uid.startswith(f"activity-{dated.pk}-")} == {
        f"activity-{dated.pk}-20261209@testserver",
        f"activity-{dated.pk}-20270102@testserver",
    }


@pytest.mark.parametrize("week", WEEKS)
def test_the_expanded_feed_gives_the_calendar_pages_occurrences(client, place, activities, week):
    cal = parse(client.get(f"/fi/meeting-places/{place.slug}/calendar.ics"))
    monday = dt.date.fromisoformat(f"{week}-1")
    sunday = monday + dt.timedelta(days=6)

    from_feed = expand(cal, monday, sunday)

    assert from_feed == page_occurrences([a.pk for a in activities.values()], monday, sunday)


def test_the_expanded_feed_and_the_page_agree_over_a_whole_season(client, place, activities):
    cal = parse(client.get(f"/fi/meeting-places/{place.slug}/calendar.ics"))
    first, last = dt.date(2026, 11, 30), dt.date(2027, 6, 30)
    from_feed = expand(cal, first, last)
    assert len(from_feed) > 40
    assert from_feed == page_occurrences([a.pk for a in activities.values()], first, last)
    # After the spring DST change the Tuesday group still starts at 10:00 local time.
    assert (activities["season"].pk, dt.date(2027, 3, 30), dt.time(10, 0)) in from_feed


def test_texts_are_in_the_requests_language(client, place, activities):
    found = events(parse(client.get(f"/sv/meeting-places/{place.slug}/calendar.ics")))
    season = found[f"activity-{activities['season'].pk}@testserver"]

    assert str(season["SUMMARY"]) == "Babyklubb"
    assert season["SUMMARY"].params["LANGUAGE"] == "sv"
    description = str(season["DESCRIPTION"])
    assert description.startswith("Sång och lek.\n")
    assert "Arrangör: " in description
    assert "Kostnad: Avgiftsfri" in description
    assert "Språk: " in description
    assert str(season["LOCATION"]).startswith("Familjecafé Droppen, ")
    assert str(season["LOCATION"]).endswith(" Helsingfors")
    assert str(season["URL"]) == "http://testserver/sv/meeting-places/pisara/"
    assert (season["GEO"].latitude, season["GEO"].longitude) == (60.1841, 24.9503)
    # No Swedish title: the Finnish one, marked as Finnish.
    evening = found[f"activity-{activities['fortnightly'].pk}@testserver"]
    assert str(evening["SUMMARY"]) == "Isä-lapsi-ilta"
    assert evening["SUMMARY"].params["LANGUAGE"] == "fi"

    finnish = events(parse(client.get(f"/fi/meeting-places/{place.slug}/calendar.ics")))
    season_fi = finnish[f"activity-{activities['season'].pk}@testserver"]
    assert str(season_fi["SUMMARY"]) == "Vauvakerho"
    assert "Järjestäjä: " in str(season_fi["DESCRIPTION"])
    assert str(season_fi["URL"]) == "http://testserver/fi/meeting-places/pisara/"


def test_uids_are_stable_between_fetches_and_languages(client, place, activities):
    first = set(events(parse(client.get(f"/fi/meeting-places/{place.slug}/calendar.ics"))))
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        again = set(events(parse(client.get(f"/sv/meeting-places/{place.slug}/calendar.ics"))))
    assert first == again


def test_the_activity_feed_takes_the_calendar_pages_filters(client, place, activities):
    other_area = ActivityFactory(
        title_fi="Tampereen kerho",
        meeting_place=MeetingPlaceFactory(published=True, municipality=Municipality.objects.get(code="837")),
    )
    ours = {a.pk for a in activities.values()}

    everything = {activity_pk(e) for e in parse(client.get("/fi/activities/feed.ics")).walk("VEVENT")}
    assert ours | {other_area.pk} <= everything

    helsinki = parse(client.get("/fi/activities/feed.ics?municipality=091"))
    assert str(helsinki["X-WR-CALNAME"]) == "Toimintaa perheille – Helsinki"
    in_helsinki = {activity_pk(e) for e in helsinki.walk("VEVENT")}
    assert ours <= in_helsinki
    assert other_area.pk not in in_helsinki

    babies = {
        activity_pk(e) for e in parse(client.get("/fi/activities/feed.ics?municipality=091&age=0")).walk("VEVENT")
    }
    assert activities["season"].pk in babies
    swedish = parse(client.get("/fi/activities/feed.ics?municipality=091&language=sv")).walk("VEVENT")
    assert {activity_pk(e) for e in swedish} == {activities["season"].pk}


@pytest.mark.parametrize(
    "query",
    [
        "age=abc",
        "age=-4",
        "age=99999999999999999999",
        "municipality=999&language=xx",
        "area=%00",
        "free=maybe&week=2026-W99",
        "municipality=&area=&age=",
        "municipality=091%27%3B--",
    ],
)
def test_bad_filter_values_still_give_a_valid_feed(client, place, activities, query):
    cal = parse(client.get(f"/fi/activities/feed.ics?{query}"))
    assert {a.pk for a in activities.values()} <= {activity_pk(e) for e in cal.walk("VEVENT")}


def test_feeds_answer_only_get_and_head_and_unknown_places_404(client, place):
    assert client.post(f"/fi/meeting-places/{place.slug}/calendar.ics").status_code == 405
    assert client.head(f"/fi/meeting-places/{place.slug}/calendar.ics").status_code == 200
    assert client.get("/fi/meeting-places/ei-ole/calendar.ics").status_code == 404
    draft = MeetingPlaceFactory(slug="luonnos")
    assert client.get(f"/fi/meeting-places/{draft.slug}/calendar.ics").status_code == 404


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/fi/meeting-places/pisara/calendar.ics", "/fi/activities/feed.ics?municipality=091"])
def test_the_number_of_queries_does_not_grow_with_the_activities(client, place, url):
    one = ActivityFactory(meeting_place=place, organiser=OrganisationFactory())
    ActivityDateFactory(activity=one, date=dt.date(2026, 12, 1), cancelled=True)
    few = count_queries(client, url)
    for n in range(8):
        activity = ActivityFactory(meeting_place=place, organiser=OrganisationFactory(), weekday=n % 7 + 1)
        ActivityDateFactory(activity=activity, date=dt.date(2026, 12, 1) + dt.timedelta(days=n), cancelled=n % 2 == 0)
        ActivityDateFactory(activity=ActivityFactory(meeting_place=place, on_dates=True), date=dt.date(2027, 1, n + 1))
    many = count_queries(client, url)
    assert many == few
    assert few <= 8


def test_a_countrywide_feed_is_cut_and_says_so(client, place, monkeypatch):
    monkeypatch.setattr(feeds, "MAX_ACTIVITIES", 2)
    for _ in range(3):
        ActivityFactory(meeting_place=place)
    cal = parse(client.get("/fi/activities/feed.ics"))
    assert len({activity_pk(e) for e in cal.walk("VEVENT")}) == 2
    assert "valitse kunta tai alue" in str(cal["X-WR-CALDESC"])


@pytest.mark.parametrize(
    ("language", "heading", "subscribe", "download"),
    [
        (
            "fi",
            "Lisää kohtaamispaikan toiminta kalenteriisi",
            "Tilaa kalenterisovellukseesi",
            "Lataa kalenteritiedosto",
        ),
        ("sv", "Lägg till mötesplatsens aktiviteter i din kalender", "Prenumerera i din kalenderapp", "Ladda ner"),
    ],
)
def test_the_meeting_place_page_links_to_its_feed(client, place, language, heading, subscribe, download):
    content = client.get(f"/{language}/meeting-places/{place.slug}/").content.decode()
    assert heading in content
    assert f'<a href="webcal://testserver/{language}/meeting-places/pisara/calendar.ics">{subscribe}</a>' in content
    assert f'<a href="/{language}/meeting-places/pisara/calendar.ics" download>{download}' in content


def test_the_activity_calendar_links_to_the_feed_with_its_filters(client, place):
    content = client.get("/sv/activities/?week=2026-W50&municipality=091&age=3&language=xx").content.decode()
    # The valid filters are kept, the week and the bad language value are not.
    assert 'href="webcal://testserver/sv/activities/feed.ics?municipality=091&amp;age=3"' in content
    assert 'href="/sv/activities/feed.ics?municipality=091&amp;age=3" download' in content
    assert "Lägg till de aktiviteter du valt i din kalender" in content

    plain = client.get("/fi/activities/").content.decode()
    assert 'href="webcal://testserver/fi/activities/feed.ics"' in plain
    assert "Lisää toiminta kalenteriisi" in plain


def test_a_day_the_meeting_place_is_closed_is_left_out_as_the_pages_mark_it_cancelled(client, place, activities):
    from tests.factories import MeetingPlaceExceptionFactory

    MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 12, 22), closed=True)  # a Tuesday
    MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2027, 1, 2), closed=True)  # a listed date
    MeetingPlaceExceptionFactory(  # shorter hours, not closed: the listed date stays
        meeting_place=place, date=dt.date(2026, 12, 9), closed=False, opens=dt.time(9), closes=dt.time(12)
    )

    found = events(parse(client.get(f"/fi/meeting-places/{place.slug}/calendar.ics")))

    season = found[f"activity-{activities['season'].pk}@testserver"]
    assert dt.datetime(2026, 12, 22, 10, 0, tzinfo=HELSINKI) in exdates(season)
    dated = activities["dated"].pk
    assert f"activity-{dated}-20270102@testserver" not in found
    assert f"activity-{dated}-20261209@testserver" in found
    assert feeds.closed_days(place.exceptions.all()) == {dt.date(2026, 12, 22), dt.date(2027, 1, 2)}
