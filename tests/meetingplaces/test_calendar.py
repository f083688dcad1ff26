"""The calendar's occurrences are worked out in SQL: they must be exactly what ``Activity.occurrences`` gives."""

import datetime as dt

import pytest

from meetingplaces import calendar
from meetingplaces.models import Activity
from tests.factories import ActivityDateFactory, ActivityFactory, MeetingPlaceFactory

pytestmark = pytest.mark.django_db

WEEKS = [dt.date(2023, 12, 11), *(dt.date(2026, 11, 16) + dt.timedelta(weeks=n) for n in range(5))]
# How the listings read the rows: walking the calendar index in time order (no count known, or a large one), or the
# whole scope at once (a small count, calendar.WHOLE_SCOPE_ROWS). Both must give the same occurrences.
READS = [pytest.param(None, id="ordered"), pytest.param(1, id="whole-scope")]


def make_activities():
    place = MeetingPlaceFactory(published=True)

    def weekly(weekday, **kwargs):
        return ActivityFactory(meeting_place=place, weekday=weekday, **kwargs)

    weekly(2)
    weekly(3, every_nth_week=2, valid_from=dt.date(2026, 11, 25))
    weekly(1, every_nth_week=2, valid_from=dt.date(2026, 11, 25))
    weekly(6, every_nth_week=3)  # counted from the fixed Monday, also in weeks before it
    weekly(7, every_nth_week=4, valid_from=dt.date(2025, 6, 11))
    weekly(5, valid_from=dt.date(2026, 11, 26), valid_to=dt.date(2026, 12, 4), start_time=dt.time(8))
    weekly(4, valid_to=dt.date(2026, 12, 2), start_time=dt.time(18), end_time=dt.time(19))
    changed = weekly(2, start_time=dt.time(9), end_time=dt.time(9, 30))
    ActivityDateFactory(activity=changed, date=dt.date(2026, 12, 1), cancelled=True)
    ActivityDateFactory(activity=changed, date=dt.date(2026, 12, 3))  # an extra date
    ActivityDateFactory(activity=changed, date=dt.date(2026, 12, 8))  # listed on its own weekday: once
    dated = ActivityFactory(meeting_place=place, on_dates=True, start_time=dt.time(12), end_time=dt.time(13))
    for day, cancelled in ((dt.date(2026, 11, 28), False), (dt.date(2026, 12, 5), True), (dt.date(2026, 12, 6), False)):
        ActivityDateFactory(activity=dated, date=day, cancelled=cancelled)
    weekly(2, state="draft")
    ActivityFactory(meeting_place=MeetingPlaceFactory(state="draft"), weekday=2)


def expected(first, last):
    found = [
        (day, activity.start_time, activity.end_time, activity.pk)
        for activity in Activity.objects.published().prefetch_related("dates")
        for day in activity.occurrences(first, last)
    ]
    return sorted(found)


@pytest.mark.parametrize("monday", WEEKS, ids=str)
def test_day_counts__agree_with_the_model(monday):
    make_activities()
    week = calendar.Week(monday)

    counts = calendar.day_counts(Activity.objects.published(), week)

    assert counts == {day: sum(1 for found in expected(monday, week.sunday) if found[0] == day) for day in week.days}


@pytest.mark.parametrize("monday", WEEKS, ids=str)
@pytest.mark.parametrize("from_weekday", [0, 3, 6])
def test_day_counts_and_firsts__count_the_week_and_give_each_days_first_in_time_order(monday, from_weekday):
    make_activities()
    week, first = calendar.Week(monday), monday + dt.timedelta(days=from_weekday)

    counts, rows = calendar.day_counts_and_firsts(Activity.objects.published(), week, first, limit=1)

    assert counts == calendar.day_counts(Activity.objects.published(), week)
    found = expected(monday, week.sunday)
    firsts = [next(row for row in found if row[0] == day) for day in week.days if day >= first and counts[day]]
    assert [(day, start, end, pk) for pk, day, start, end in rows] == firsts


@pytest.mark.parametrize("monday", WEEKS, ids=str)
@pytest.mark.parametrize("from_weekday", [0, 2, 6])
@pytest.mark.parametrize("expected_count", READS)
def test_listing__agrees_with_the_model_in_time_order(monday, from_weekday, expected_count):
    make_activities()
    first, last = monday + dt.timedelta(days=from_weekday), monday + dt.timedelta(days=6)

    found = calendar.listing(Activity.objects.published(), first, last, limit=100, expected=expected_count)

    assert [(o.date, o.activity.start_time, o.activity.end_time, o.activity.pk) for o in found] == expected(first, last)


@pytest.mark.parametrize("expected_count", READS)
def test_listing__pages_do_not_overlap_or_leave_gaps(expected_count):
    make_activities()
    first, last = dt.date(2026, 11, 30), dt.date(2026, 12, 6)

    pages = [
        calendar.listing(Activity.objects.published(), first, last, offset=n, limit=2, expected=expected_count)
        for n in range(0, 12, 2)
    ]

    flat = [(o.date, o.activity.pk) for page in pages for o in page]
    assert flat == [(day, pk) for day, _start, _end, pk in expected(first, last)]


@pytest.mark.parametrize("monday", WEEKS, ids=str)
@pytest.mark.parametrize("expected_count", READS)
def test_listing_by_day__the_first_of_each_day_as_the_model_has_them(monday, expected_count):
    make_activities()
    week = calendar.Week(monday)
    days = [monday + dt.timedelta(days=n) for n in (1, 2, 4, 5, 6)]  # days as the calendar asks: some left out

    found = calendar.listing_by_day(Activity.objects.published(), days, limit=1, expected=expected_count)

    rows = expected(monday, week.sunday)
    assert list(found) == days
    for day in days:
        assert [(o.date, o.activity.start_time, o.activity.end_time, o.activity.pk) for o in found[day]] == [
            row for row in rows if row[0] == day
        ][:1]


def test_listing_by_day__days_of_two_weeks_are_read_in_order_whatever_the_count():
    make_activities()
    days = [dt.date(2026, 12, 6), dt.date(2026, 12, 7), dt.date(2026, 12, 8)]  # Sunday to Tuesday: the sample's days

    found = calendar.listing_by_day(Activity.objects.published(), days, limit=5, expected=1)

    rows = expected(days[0], days[-1])
    assert {day: [(o.date, o.activity.pk) for o in found[day]] for day in days} == {
        day: [(row[0], row[3]) for row in rows if row[0] == day] for day in days
    }
    assert found[days[0]] and found[days[2]]


def test_listing__refuses_days_of_two_weeks():
    with pytest.raises(ValueError, match="one week"):
        calendar.listing(Activity.objects.all(), dt.date(2026, 11, 29), dt.date(2026, 11, 30), limit=5)
