import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from services import hours
from services.models import Location
from tests.factories import (
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    MeetingPlaceExceptionFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = dt.UTC
EVERY_DAY = range(1, 8)


@dataclass
class Rule:
    weekday: int
    opens: dt.time
    closes: dt.time
    over_midnight: bool = False
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass
class Exception_:
    date: dt.date
    closed: bool = True
    opens: dt.time | None = None
    closes: dt.time | None = None


def helsinki(*args):
    return dt.datetime(*args, tzinfo=HELSINKI)


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def helpline(opens=dt.time(20), closes=dt.time(2)):
    return [Rule(day, opens, closes, over_midnight=True) for day in EVERY_DAY]


def office_hours(weekdays=range(1, 6), opens=dt.time(9), closes=dt.time(16)):
    return [Rule(day, opens, closes) for day in weekdays]


# --- Plain weekly rules ---


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (helsinki(2026, 6, 15, 8, 59), False),  # Monday, just before opening
        (helsinki(2026, 6, 15, 9, 0), True),  # opening minute counts
        (helsinki(2026, 6, 15, 15, 59), True),
        (helsinki(2026, 6, 15, 16, 0), False),  # closing minute does not
        (helsinki(2026, 6, 20, 12, 0), False),  # Saturday
    ],
)
def test_is_open_at__office_hours(moment, expected):
    assert hours.is_open_at(moment, office_hours(), []) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (helsinki(2026, 6, 15, 19, 59), False),
        (helsinki(2026, 6, 15, 20, 0), True),
        (helsinki(2026, 6, 15, 23, 59), True),
        (helsinki(2026, 6, 16, 0, 0), True),
        (helsinki(2026, 6, 16, 1, 30), True),  # the next day, still open from the evening before
        (helsinki(2026, 6, 16, 2, 0), False),
        (helsinki(2026, 6, 16, 2, 30), False),
    ],
)
def test_is_open_at__helpline_runs_over_midnight(moment, expected):
    assert hours.is_open_at(moment, helpline(), []) is expected


def test_is_open_at__over_midnight_rule_only_on_its_weekday_continues_into_the_next_day():
    friday_night = [Rule(5, dt.time(22), dt.time(3), over_midnight=True)]

    assert hours.is_open_at(helsinki(2026, 6, 20, 2, 0), friday_night, [])  # Saturday 02:00
    assert not hours.is_open_at(helsinki(2026, 6, 21, 2, 0), friday_night, [])  # Sunday 02:00
    assert not hours.is_open_at(helsinki(2026, 6, 19, 2, 0), friday_night, [])  # Friday 02:00


def test_is_open_at__round_the_clock():
    always = [Rule(day, dt.time(0), dt.time(0), over_midnight=True) for day in EVERY_DAY]

    for hour in range(24):
        assert hours.is_open_at(helsinki(2026, 6, 17, hour, 30), always, [])


def test_is_open_at__uses_helsinki_time_for_utc_instants():
    # 06:30 UTC is 09:30 in Helsinki in summer (UTC+3): open, though 06:30 would be closed.
    assert hours.is_open_at(utc(2026, 6, 15, 6, 30), office_hours(), [])
    # 13:30 UTC is 16:30 in Helsinki: closed, though 13:30 would be open.
    assert not hours.is_open_at(utc(2026, 6, 15, 13, 30), office_hours(), [])


# --- Validity ranges ---


def test_is_open_at__rule_applies_only_within_its_validity():
    summer = [Rule(1, dt.time(10), dt.time(14), valid_from=dt.date(2026, 6, 1), valid_to=dt.date(2026, 8, 31))]

    assert not hours.is_open_at(helsinki(2026, 5, 25, 12), summer, [])
    assert hours.is_open_at(helsinki(2026, 6, 1, 12), summer, [])  # first day included
    assert hours.is_open_at(helsinki(2026, 8, 31, 12), summer, [])  # last day included
    assert not hours.is_open_at(helsinki(2026, 9, 7, 12), summer, [])


def test_is_open_at__summer_and_winter_rules_switch_on_the_date():
    rules = [
        Rule(1, dt.time(8), dt.time(16), valid_to=dt.date(2026, 5, 31)),
        Rule(1, dt.time(10), dt.time(14), valid_from=dt.date(2026, 6, 1)),
    ]

    assert hours.is_open_at(helsinki(2026, 5, 25, 9), rules, [])
    assert not hours.is_open_at(helsinki(2026, 6, 1, 9), rules, [])
    assert hours.is_open_at(helsinki(2026, 6, 1, 11), rules, [])


# --- Exceptions ---


def test_is_open_at__closed_on_independence_day_despite_the_weekly_rule():
    every_day = office_hours(weekdays=EVERY_DAY)
    independence_day = [Exception_(dt.date(2026, 12, 6))]

    assert hours.is_open_at(helsinki(2026, 12, 5, 12), every_day, independence_day)
    assert not hours.is_open_at(helsinki(2026, 12, 6, 12), every_day, independence_day)
    assert hours.is_open_at(helsinki(2026, 12, 7, 12), every_day, independence_day)


def test_is_open_at__shorter_hours_on_christmas_eve():
    christmas_eve = [Exception_(dt.date(2026, 12, 24), closed=False, opens=dt.time(9), closes=dt.time(12))]

    assert hours.is_open_at(helsinki(2026, 12, 24, 11, 59), office_hours(), christmas_eve)
    assert not hours.is_open_at(helsinki(2026, 12, 24, 13), office_hours(), christmas_eve)
    assert hours.is_open_at(helsinki(2026, 12, 23, 13), office_hours(), christmas_eve)


def test_is_open_at__exception_can_open_a_normally_closed_day():
    saturday_opening = [Exception_(dt.date(2026, 12, 19), closed=False, opens=dt.time(10), closes=dt.time(14))]

    assert hours.is_open_at(helsinki(2026, 12, 19, 12), office_hours(), saturday_opening)


def test_is_open_at__closed_day_does_not_cut_short_the_night_before():
    # The helpline's Saturday evening shift runs into Independence Day, which is closed.
    independence_day = [Exception_(dt.date(2026, 12, 6))]

    assert hours.is_open_at(helsinki(2026, 12, 6, 1, 30), helpline(), independence_day)
    assert not hours.is_open_at(helsinki(2026, 12, 6, 21), helpline(), independence_day)
    assert not hours.is_open_at(helsinki(2026, 12, 7, 1, 30), helpline(), independence_day)


def test_is_open_at__exception_hours_past_midnight():
    new_years_eve = [Exception_(dt.date(2026, 12, 31), closed=False, opens=dt.time(18), closes=dt.time(1))]

    assert hours.is_open_at(helsinki(2027, 1, 1, 0, 30), [], new_years_eve)
    assert not hours.is_open_at(helsinki(2027, 1, 1, 1, 30), [], new_years_eve)


# --- Daylight saving time ---
# Spring forward: 29.3.2026 at 03:00 EET (01:00 UTC) clocks jump to 04:00 EEST.
# Fall back: 25.10.2026 at 04:00 EEST (01:00 UTC) clocks return to 03:00 EET.

SATURDAY_NIGHT = [Rule(6, dt.time(22), dt.time(4), over_midnight=True)]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 3, 28, 19, 59), False),  # 21:59 EET
        (utc(2026, 3, 28, 20, 0), True),  # 22:00 EET
        (utc(2026, 3, 29, 0, 59), True),  # 02:59 EET
        (utc(2026, 3, 29, 1, 0), False),  # 04:00 EEST: the hour 03–04 never happened, the shift is over
        (utc(2026, 3, 29, 1, 30), False),  # 04:30 EEST
    ],
)
def test_is_open_at__spring_forward_night(moment, expected):
    assert hours.is_open_at(moment, SATURDAY_NIGHT, []) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 10, 24, 18, 59), False),  # 21:59 EEST
        (utc(2026, 10, 24, 19, 0), True),  # 22:00 EEST
        (utc(2026, 10, 25, 0, 30), True),  # 03:30 EEST, the first time
        (utc(2026, 10, 25, 1, 30), True),  # 03:30 EET, the second time
        (utc(2026, 10, 25, 1, 59), True),  # 03:59 EET
        (utc(2026, 10, 25, 2, 0), False),  # 04:00 EET
    ],
)
def test_is_open_at__fall_back_night(moment, expected):
    assert hours.is_open_at(moment, SATURDAY_NIGHT, []) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 3, 29, 7, 30), True),  # 10:30 EEST
        (utc(2026, 3, 29, 9, 30), False),  # 12:30 EEST (11:30 if the offset were not updated)
        (utc(2026, 10, 25, 7, 30), False),  # 09:30 EET (10:30 if the summer offset were kept)
        (utc(2026, 10, 25, 8, 30), True),  # 10:30 EET
    ],
)
def test_is_open_at__sunday_after_the_switch_uses_the_new_offset(moment, expected):
    sunday = [Rule(7, dt.time(10), dt.time(12))]

    assert hours.is_open_at(moment, sunday, []) is expected


def test_is_open_now__follows_the_clock():
    with time_machine.travel(utc(2026, 3, 28, 23, 30), tick=False):  # 01:30 EET on Sunday
        assert hours.is_open_now(SATURDAY_NIGHT, [])
    with time_machine.travel(utc(2026, 3, 29, 1, 30), tick=False):  # 04:30 EEST
        assert not hours.is_open_now(SATURDAY_NIGHT, [])


# --- Touching and overlapping ranges join ---

MONDAY = dt.date(2026, 6, 15)


def t(hour, minute=0):
    return dt.time(hour, minute)


def test_intervals_on__touching_ranges_join():
    rules = [Rule(1, t(16), t(18, 30)), Rule(1, t(8), t(16))]

    assert hours.intervals_on(MONDAY, rules, []) == [hours.Interval(t(8), t(18, 30))]


def test_intervals_on__overlapping_and_contained_ranges_join():
    rules = [Rule(1, t(8), t(12)), Rule(1, t(11), t(15)), Rule(1, t(9), t(10)), Rule(1, t(17), t(19))]

    assert hours.intervals_on(MONDAY, rules, []) == [hours.Interval(t(8), t(15)), hours.Interval(t(17), t(19))]


def test_intervals_on__ranges_with_a_gap_stay_apart():
    rules = [Rule(1, t(8), t(11, 59)), Rule(1, t(12), t(16))]

    assert hours.intervals_on(MONDAY, rules, []) == [hours.Interval(t(8), t(11, 59)), hours.Interval(t(12), t(16))]


def test_intervals_on__a_range_touching_one_over_midnight_joins_it():
    rules = [Rule(1, t(20), t(2), over_midnight=True), Rule(1, t(18), t(20))]

    assert hours.intervals_on(MONDAY, rules, []) == [hours.Interval(t(18), t(2), over_midnight=True)]


def test_intervals_on__overlapping_ranges_over_midnight_join():
    rules = [Rule(1, t(22), t(4), over_midnight=True), Rule(1, t(20), t(1), over_midnight=True)]

    assert hours.intervals_on(MONDAY, rules, []) == [hours.Interval(t(20), t(4), over_midnight=True)]


def test_intervals_on__round_the_clock_swallows_the_ranges_inside_it():
    rules = [Rule(1, t(0), t(0), over_midnight=True), Rule(1, t(8), t(16))]

    assert hours.intervals_on(MONDAY, rules, []) == [hours.Interval(t(0), t(0), over_midnight=True)]


def test_intervals_on__a_join_longer_than_a_day_keeps_the_ranges_apart():
    rules = [Rule(1, t(6), t(6), over_midnight=True), Rule(1, t(20), t(8), over_midnight=True)]

    assert hours.intervals_on(MONDAY, rules, []) == [
        hours.Interval(t(6), t(6), over_midnight=True),
        hours.Interval(t(20), t(8), over_midnight=True),
    ]


def test_intervals_on__appointment_hours_do_not_join_open_hours():
    @dataclass
    class AppointmentRule(Rule):
        by_appointment: bool = False

    rules = [AppointmentRule(1, t(8), t(12), by_appointment=True), AppointmentRule(1, t(12), t(16))]

    assert hours.intervals_on(MONDAY, rules, []) == [
        hours.Interval(t(8), t(12), by_appointment=True),
        hours.Interval(t(12), t(16)),
    ]


def test_intervals_on__touching_exception_ranges_join_and_replace_the_rules():
    exceptions = [
        Exception_(MONDAY, closed=False, opens=t(12), closes=t(14)),
        Exception_(MONDAY, closed=False, opens=t(9), closes=t(12)),
    ]

    assert hours.intervals_on(MONDAY, office_hours(), exceptions) == [hours.Interval(t(9), t(14))]


def test_is_open_at__joined_ranges_answer_as_before():
    rules = [Rule(1, t(8), t(16)), Rule(1, t(16), t(18, 30))]

    assert hours.is_open_at(helsinki(2026, 6, 15, 16, 0), rules, [])
    assert hours.is_open_at(helsinki(2026, 6, 15, 18, 29), rules, [])
    assert not hours.is_open_at(helsinki(2026, 6, 15, 18, 30), rules, [])


# --- Week schedule ---


def test_week_schedule__lists_intervals_and_exceptions_per_day():
    independence_day = Exception_(dt.date(2026, 12, 6))
    christmas_eve = Exception_(dt.date(2026, 12, 24), closed=False, opens=dt.time(9), closes=dt.time(12))

    schedule = hours.week_schedule(
        dt.date(2026, 12, 5), office_hours(weekdays=EVERY_DAY), [independence_day, christmas_eve], days=20
    )

    by_day = {day: (intervals, exception) for day, intervals, exception in schedule}
    assert len(schedule) == 20
    assert by_day[dt.date(2026, 12, 6)] == ([], independence_day)
    assert by_day[dt.date(2026, 12, 7)] == ([hours.Interval(dt.time(9), dt.time(16))], None)
    assert by_day[dt.date(2026, 12, 24)] == ([hours.Interval(dt.time(9), dt.time(12), False)], christmas_eve)


# --- Through the ORM: Place.is_open_at on locations and meeting places ---


@pytest.mark.django_db
def test_location_is_open_at__reads_rules_and_exceptions_from_the_database():
    location = LocationFactory()
    for weekday in EVERY_DAY:
        LocationOpeningHoursFactory(
            location=location, weekday=weekday, opens=dt.time(20), closes=dt.time(2), over_midnight=True
        )
    LocationExceptionFactory(location=location, date=dt.date(2026, 12, 6), closed=True)

    assert location.is_open_at(helsinki(2026, 6, 16, 1, 30))
    assert not location.is_open_at(helsinki(2026, 6, 16, 2, 30))
    assert not location.is_open_at(helsinki(2026, 12, 6, 21, 0))


@pytest.mark.django_db
def test_location_is_open_at__prefetched_hours_need_no_queries(django_assert_num_queries):
    for _ in range(3):
        location = LocationFactory()
        LocationOpeningHoursFactory(location=location, weekday=1)
        LocationExceptionFactory(location=location, date=dt.date(2026, 6, 15))
    locations = list(Location.objects.prefetch_related("opening_hours", "exceptions"))

    with django_assert_num_queries(0):
        answers = [location.is_open_at(helsinki(2026, 6, 22, 12)) for location in locations]

    assert answers == [True, True, True]


@pytest.mark.django_db
def test_meeting_place_is_open_now__with_time_machine():
    place = MeetingPlaceFactory()
    MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=1, opens=dt.time(9), closes=dt.time(15))
    MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 6, 22), closed=True)

    with time_machine.travel(helsinki(2026, 6, 15, 10), tick=False):
        assert place.is_open_now
    with time_machine.travel(helsinki(2026, 6, 15, 16), tick=False):
        assert not place.is_open_now
    with time_machine.travel(helsinki(2026, 6, 22, 10), tick=False):
        assert not place.is_open_now
