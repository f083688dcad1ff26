import datetime as dt

import pytest

from meetingplaces.models import Activity
from tests.constraint_helpers import assert_clean_reports, violates
from tests.factories import (
    ActivityDateFactory,
    ActivityFactory,
    MeetingPlaceExceptionFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
)

pytestmark = pytest.mark.django_db

TUESDAY = 2


# --- Constraints ---


@pytest.mark.parametrize(
    ("values", "constraint_name"),
    [
        ({"start_time": dt.time(11), "end_time": dt.time(10)}, "activity_ends_after_it_starts"),
        ({"start_time": dt.time(10), "end_time": dt.time(10)}, "activity_ends_after_it_starts"),
        ({"recurrence": "weekly", "weekday": None}, "activity_weekly_has_a_weekday"),
        ({"recurrence": "weekly", "weekday": 9}, "activity_weekly_has_a_weekday"),
        ({"recurrence": "monthly"}, "activity_recurrence_is_known"),
        ({"every_nth_week": 0}, "activity_every_nth_week_is_1_to_4"),
        ({"every_nth_week": 5}, "activity_every_nth_week_is_1_to_4"),
        (
            {"valid_from": dt.date(2026, 9, 1), "valid_to": dt.date(2026, 8, 31)},
            "activity_season_ends_after_it_starts",
        ),
        ({"age_min": 5, "age_max": 1}, "activity_min_age_is_at_most_max_age"),
        ({"languages": ["klingon"]}, "activity_languages_are_known"),
        ({"cost": "donation"}, "activity_cost_is_known"),
    ],
)
def test_activity__database_rejects_invalid_rows(values, constraint_name):
    with violates(constraint_name):
        ActivityFactory(**values)


def test_activity__on_listed_dates_needs_no_weekday():
    activity = ActivityFactory(on_dates=True)

    assert Activity.objects.get(pk=activity.pk).weekday is None


def test_activity_date__is_listed_once():
    listed = ActivityDateFactory()

    with violates("activity_date_is_listed_once"):
        ActivityDateFactory(activity=listed.activity, date=listed.date)


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize(
    ("values", "constraint_name"),
    [
        ({"start_time": dt.time(11), "end_time": dt.time(10)}, "activity_ends_after_it_starts"),
        ({"recurrence": "weekly", "weekday": None}, "activity_weekly_has_a_weekday"),
    ],
)
def test_activity_full_clean__reports_the_constraint_message(language, values, constraint_name):
    activity = ActivityFactory.build(meeting_place=MeetingPlaceFactory(), **values)

    assert_clean_reports(activity, constraint_name, language)


@pytest.mark.parametrize(
    ("values", "constraint_name"),
    [
        ({"latitude": 65.0, "longitude": None}, "meetingplace_coordinates_are_in_finland"),
        ({"latitude": 48.85, "longitude": 2.35}, "meetingplace_coordinates_are_in_finland"),
        ({"postal_code": "0010X"}, "meetingplace_postal_code_is_five_digits"),
        ({"state": "hidden"}, "meetingplace_state_is_known"),
    ],
)
def test_meeting_place__database_rejects_invalid_rows(values, constraint_name):
    with violates(constraint_name):
        MeetingPlaceFactory(**values)


def test_meeting_place_hours__database_rejects_closing_before_opening():
    with violates("meetingplace_hours_closes_after_it_opens"):
        MeetingPlaceOpeningHoursFactory(opens=dt.time(15), closes=dt.time(9))


def test_meeting_place_exception__database_requires_closed_xor_times():
    with violates("meetingplace_exception_is_closed_or_has_hours"):
        MeetingPlaceExceptionFactory(closed=False, opens=None, closes=None)


# --- Activity.occurrences ---


def _tuesdays(*days):
    return [dt.date(2026, month, day) for month, day in days]


def test_occurrences__weekly_gives_every_matching_weekday():
    activity = ActivityFactory(weekday=TUESDAY)

    dates = activity.occurrences(dt.date(2026, 3, 1), dt.date(2026, 3, 31))

    assert dates == _tuesdays((3, 3), (3, 10), (3, 17), (3, 24), (3, 31))


def test_occurrences__range_bounds_are_inclusive():
    activity = ActivityFactory(weekday=TUESDAY)

    assert activity.occurrences(dt.date(2026, 3, 3), dt.date(2026, 3, 3)) == [dt.date(2026, 3, 3)]
    assert activity.occurrences(dt.date(2026, 3, 4), dt.date(2026, 3, 9)) == []


def test_occurrences__every_second_week_counts_from_the_first_date():
    activity = ActivityFactory(weekday=TUESDAY, every_nth_week=2, valid_from=dt.date(2026, 3, 10))

    dates = activity.occurrences(dt.date(2026, 3, 1), dt.date(2026, 4, 30))

    assert dates == _tuesdays((3, 10), (3, 24), (4, 7), (4, 21))


def test_occurrences__every_second_week_is_stable_whatever_the_window():
    activity = ActivityFactory(weekday=TUESDAY, every_nth_week=2, valid_from=dt.date(2026, 3, 10))

    # Asking from the middle of the cycle must not shift the weeks.
    assert activity.occurrences(dt.date(2026, 3, 17), dt.date(2026, 4, 10)) == _tuesdays((3, 24), (4, 7))


def test_occurrences__stay_within_the_season():
    activity = ActivityFactory(weekday=TUESDAY, valid_from=dt.date(2026, 8, 12), valid_to=dt.date(2026, 9, 1))

    dates = activity.occurrences(dt.date(2026, 8, 1), dt.date(2026, 12, 31))

    assert dates == _tuesdays((8, 18), (8, 25), (9, 1))


def test_occurrences__nothing_outside_the_season():
    activity = ActivityFactory(weekday=TUESDAY, valid_from=dt.date(2026, 8, 12), valid_to=dt.date(2026, 9, 1))

    assert activity.occurrences(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == []


def test_occurrences__listed_dates_only_for_dates_recurrence():
    activity = ActivityFactory(on_dates=True)
    for day in (dt.date(2026, 5, 9), dt.date(2026, 5, 23), dt.date(2026, 6, 6)):
        ActivityDateFactory(activity=activity, date=day)

    assert activity.occurrences(dt.date(2026, 5, 1), dt.date(2026, 5, 31)) == [
        dt.date(2026, 5, 9),
        dt.date(2026, 5, 23),
    ]


def test_occurrences__cancelled_dates_are_removed_from_a_weekly_activity():
    activity = ActivityFactory(weekday=TUESDAY)
    ActivityDateFactory(activity=activity, date=dt.date(2026, 3, 17), cancelled=True)

    dates = activity.occurrences(dt.date(2026, 3, 1), dt.date(2026, 3, 31))

    assert dt.date(2026, 3, 17) not in dates
    assert dates == _tuesdays((3, 3), (3, 10), (3, 24), (3, 31))


def test_occurrences__extra_listed_date_is_added_to_a_weekly_activity():
    activity = ActivityFactory(weekday=TUESDAY)
    ActivityDateFactory(activity=activity, date=dt.date(2026, 3, 19))  # an extra Thursday

    dates = activity.occurrences(dt.date(2026, 3, 15), dt.date(2026, 3, 25))

    assert dates == [dt.date(2026, 3, 17), dt.date(2026, 3, 19), dt.date(2026, 3, 24)]


def test_occurrences__cancelled_listed_date_is_not_shown():
    activity = ActivityFactory(on_dates=True)
    ActivityDateFactory(activity=activity, date=dt.date(2026, 5, 9))
    ActivityDateFactory(activity=activity, date=dt.date(2026, 5, 16), cancelled=True)

    assert activity.occurrences(dt.date(2026, 5, 1), dt.date(2026, 5, 31)) == [dt.date(2026, 5, 9)]


def test_occurrences__use_prefetched_dates_without_queries(django_assert_num_queries):
    activity = ActivityFactory(weekday=TUESDAY)
    ActivityDateFactory(activity=activity, date=dt.date(2026, 3, 17), cancelled=True)
    activity = Activity.objects.prefetch_related("dates").get(pk=activity.pk)

    with django_assert_num_queries(0):
        dates = activity.occurrences(dt.date(2026, 3, 1), dt.date(2026, 3, 31))

    assert len(dates) == 4


def test_activity_provider__defaults_to_the_meeting_place_organisation():
    activity = ActivityFactory()

    assert activity.provider == activity.meeting_place.organisation


def test_activity_provider__is_the_organiser_when_given():
    organiser = ActivityFactory().meeting_place.organisation
    activity = ActivityFactory(organiser=organiser)

    assert activity.provider == organiser != activity.meeting_place.organisation
