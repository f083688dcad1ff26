"""Weeks and activity occurrences for the calendar pages: which week a URL asks for, what happens each day."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services import hours

from .models import Activity, MeetingPlaceException, MeetingPlaceOpeningHours

# Weeks outside these years are refused rather than computed (date arithmetic overflows near year 9999).
FIRST_YEAR, LAST_YEAR = 2000, 2100
ISO_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


# What an occurrence's day means for its meeting place (``place_day``): the place is open for it (or keeps no
# regular hours, "open when its activities take place"), it opens only for the activity, or it is closed all day.
PLACE_OPEN, PLACE_OPENS_FOR_IT, PLACE_CLOSED = "", "opens", "closed"


@dataclass(frozen=True)
class Occurrence:
    date: dt.date
    activity: object  # meetingplaces.models.Activity
    place_day: str = PLACE_OPEN
    closure: object = None  # the MeetingPlaceException that closes the place on the day (PLACE_CLOSED)

    @property
    def is_cancelled(self) -> bool:
        """The meeting place is closed all day (an exceptional date): the activity does not take place."""
        return self.place_day == PLACE_CLOSED

    @property
    def sort_key(self):
        activity = self.activity
        return (self.date, activity.start_time, activity.end_time, str(activity.title).casefold())


@dataclass(frozen=True)
class Week:
    monday: dt.date

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def days(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=offset) for offset in range(7)]

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week

    @property
    def param(self) -> str:
        """The value of ``?week=`` for this week, e.g. ``2026-W48``."""
        year, week, _weekday = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def previous(self) -> Week | None:
        monday = self.monday - dt.timedelta(days=7)
        return Week(monday) if monday.year >= FIRST_YEAR else None

    @property
    def next(self) -> Week | None:
        monday = self.monday + dt.timedelta(days=7)
        return Week(monday) if monday.year <= LAST_YEAR else None

    @classmethod
    def containing(cls, day: dt.date) -> Week:
        return cls(day - dt.timedelta(days=day.weekday()))


def parse_week(*, week: str | None, start: str | None, today: dt.date) -> tuple[Week, dt.date | None, str | None]:
    """The week asked for by ``?week=2026-W48`` or ``?start=2026-11-25``, else this week and a message why.

    Also the day the listing starts from when ``start`` names one (None otherwise).
    """
    current = Week.containing(today)
    if week:
        match = ISO_WEEK_RE.match(week)
        if match:
            year, number = int(match[1]), int(match[2])
            if FIRST_YEAR <= year <= LAST_YEAR:
                try:
                    return Week(dt.date.fromisocalendar(year, number, 1)), None, None
                except ValueError:
                    pass
        message = _("The week was not understood (use the form 2026-W48). Showing the current week.")
        return current, None, str(message)
    if start:
        try:
            day = dt.date.fromisoformat(start.strip())
        except ValueError:
            day = None
        if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR:
            return Week.containing(day), day, None
        message = _("The date was not understood (use the form 2026-11-23). Showing the current week.")
        return current, None, str(message)
    return current, None, None


def occurrences(activities: Iterable, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Every occurrence of *activities* from *start* to *end* inclusive, in time order."""
    found = [Occurrence(day, activity) for activity in activities for day in activity.occurrences(start, end)]
    return sorted(found, key=lambda o: o.sort_key)


@dataclass
class Day:
    date: dt.date
    occurrences: list[Occurrence]
    hidden: int = 0
    more_url: str = ""

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


def by_day(week: Week, found: Iterable[Occurrence], *, per_day: int | None = None) -> list[Day]:
    """The week's seven days with their occurrences; beyond *per_day* an occurrence is only counted."""
    days = {day: Day(day, []) for day in week.days}
    for occurrence in found:
        day = days.get(occurrence.date)
        if day is None:
            continue
        if per_day is not None and len(day.occurrences) >= per_day:
            day.hidden += 1
        else:
            day.occurrences.append(occurrence)
    return list(days.values())


def _occurrence_parts(activities, first: dt.date, last: dt.date):
    activities = activities.order_by()
    return activities.weekly_occurrences(first, last), activities.listed_occurrences(first, last)


def day_counts(activities, week: Week) -> dict[dt.date, int]:
    """How many occurrences of the Activity queryset *activities* each day of *week* has (one query)."""
    weekly, listed = _occurrence_parts(activities, week.monday, week.sunday)
    counted = weekly.values("day").annotate(n=Count("pk")).union(listed.values("day").annotate(n=Count("pk")), all=True)
    counts = dict.fromkeys(week.days, 0)
    for row in counted:
        counts[row["day"]] += row["n"]
    return counts


# The columns an occurrence is ordered by (its activity's id, day, start and end), as the listings read them.
_ROW = ("pk", "day", "start_time", "end_time")


def day_counts_and_firsts(
    activities, week: Week, first: dt.date, *, limit: int
) -> tuple[dict[dt.date, int], list[tuple]]:
    """``day_counts`` of *week* and the first *limit* occurrence rows (``_ROW``) of each day from *first* on: one query.

    The database counts and orders each day's occurrences in the same pass (the counts read the whole scope anyway),
    so a first visit to a calendar page needs no second reading of the week for its listing.
    """
    weekly, listed = _occurrence_parts(activities, week.monday, week.sunday)
    union, params = weekly.values_list(*_ROW).union(listed.values_list(*_ROW), all=True).query.sql_with_params()
    # The union's columns are named by _ROW (values_list aliases each); days before *first* need only their count.
    sql = f"""SELECT pk, day, start_time, end_time, n FROM (
                SELECT occurrence.*, COUNT(*) OVER (PARTITION BY day) AS n,
                       ROW_NUMBER() OVER (PARTITION BY day ORDER BY start_time, end_time, pk) AS position
                  FROM ({union}) AS occurrence) AS ranked
               WHERE position <= CASE WHEN day >= %s THEN %s ELSE 1 END
               ORDER BY day, position"""  # noqa: S608 - only the ORM's own SQL is written into the text
    counts, rows = dict.fromkeys(week.days, 0), []
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, first, limit))
        for pk, day, start_time, end_time, n in cursor.fetchall():
            counts[day] = n
            if day >= first:
                rows.append((pk, day, start_time, end_time))
    return counts, rows


# A scope with at most this many occurrences on the days listed (its day counts tell) is read whole and cut here: the
# database then starts from the scope's meeting places (a municipality's few hundred activities) instead of walking
# the whole country's activities in time order, per day, until enough of them are in the scope, as a small town's
# rarely are. (One ordered list of the first few of a week, as the area page shows, is better walked: left out there.)
WHOLE_SCOPE_ROWS = 5000


def _whole_scope(activities, first: dt.date, last: dt.date, expected: int | None) -> list[tuple] | None:
    """Every occurrence row from *first* to *last* (one week) in time order, when *expected* says they are few."""
    if expected is None or expected > WHOLE_SCOPE_ROWS:
        return None
    weekly, listed = _occurrence_parts(activities, first, last)
    rows = weekly.values_list(*_ROW).union(listed.values_list(*_ROW), all=True)
    return sorted(rows, key=lambda r: (r[1], r[2], r[3], r[0]))


def listing(
    activities, first: dt.date, last: dt.date, *, offset: int = 0, limit: int, expected: int | None = None
) -> list[Occurrence]:
    """Occurrences *offset* … *offset* + *limit* of *activities* from *first* to *last* (one week), in time order.

    Only the shown rows are worked out and loaded: the database orders the week's occurrences (a weekly activity's
    in index order) and returns the page's ids, and one more query loads what an entry shows. Two queries. With
    *expected*, the count of the occurrences from *first* to *last*, a small scope is read whole instead.
    """
    wanted = offset + limit
    rows = _whole_scope(activities, first, last, expected)
    if rows is None:
        weekly, listed = _occurrence_parts(activities, first, last)
        rows = list(
            weekly.values_list(*_ROW)
            .order_by("weekday", "start_time", "end_time", "pk")[:wanted]
            .union(listed.values_list(*_ROW).order_by("day", "start_time", "end_time", "pk")[:wanted], all=True)
            .order_by("day", "start_time", "end_time", "pk")[offset:wanted]
        )
    else:
        rows = rows[offset:wanted]
    full = _entries([pk for pk, *_rest in rows])
    return [Occurrence(day, full[pk]) for pk, day, *_rest in rows]


def place_day(occurrence: Occurrence, rules: Iterable, exceptions: Iterable) -> Occurrence:
    """*occurrence* with what its day means for the meeting place, from the place's weekly *rules* and *exceptions*.

    An exceptional date "closed all day" closes the place: the occurrence is cancelled with the exception's reason.
    On a day the place's hours do not cover the activity (no hours that weekday, or shorter ones), the place opens
    for the activity. A place with no hours at all is open when its activities take place: nothing to say.
    """
    rules, day = list(rules), occurrence.date
    todays = [e for e in exceptions if e.date == day]
    intervals = hours.intervals_on(day, rules, todays)
    if todays and not intervals:
        closure = next((e for e in todays if e.reason), todays[0])
        return replace(occurrence, place_day=PLACE_CLOSED, closure=closure)
    if not rules and not todays:
        return occurrence
    activity = occurrence.activity
    start, end = dt.datetime.combine(day, activity.start_time), dt.datetime.combine(day, activity.end_time)
    for interval in intervals:
        opens, closes = interval.spans(day)
        if opens <= start and end <= closes:
            return occurrence
    return replace(occurrence, place_day=PLACE_OPENS_FOR_IT)


def with_place_days(found: list[Occurrence]) -> list[Occurrence]:
    """*found* with ``place_day`` worked out from their meeting places' hours (two queries, none when empty)."""
    if not found:
        return found
    place_ids = {o.activity.meeting_place_id for o in found}
    dates = [o.date for o in found]
    rules, exceptions = {}, {}
    for rule in MeetingPlaceOpeningHours.objects.filter(meeting_place_id__in=place_ids):
        rules.setdefault(rule.meeting_place_id, []).append(rule)
    for exception in MeetingPlaceException.objects.filter(
        meeting_place_id__in=place_ids, date__gte=min(dates), date__lte=max(dates)
    ):
        exceptions.setdefault(exception.meeting_place_id, []).append(exception)
    return [
        place_day(o, rules.get(o.activity.meeting_place_id, ()), exceptions.get(o.activity.meeting_place_id, ()))
        for o in found
    ]


def listing_by_day(
    activities, days: list[dt.date], *, limit: int, expected: int | None = None
) -> dict[dt.date, list[Occurrence]]:
    """The first *limit* occurrences of *activities* on each of *days* (any weeks), in time order. Two queries.

    As ``listing`` for one day, all days in one statement: each day's weekly and listed occurrences are cut at
    *limit* in the database, merged and cut again here; one more query loads what an entry shows. With *expected*,
    the count of the occurrences on *days* (all in one week), a small scope is read whole instead.
    """
    if not days:
        return {}
    rows = None
    if Week.containing(min(days)) == Week.containing(max(days)):
        rows = _whole_scope(activities, min(days), max(days), expected)
    if rows is None:
        parts = []
        for day in days:
            weekly, listed = _occurrence_parts(activities, day, day)
            # A day has one weekday: ordering by it first lets the calendar index give the rows in order (stop at
            # limit).
            parts.append(weekly.values_list(*_ROW).order_by("weekday", "start_time", "end_time", "pk")[:limit])
            parts.append(listed.values_list(*_ROW).order_by("start_time", "end_time", "pk")[:limit])
        rows = list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])
        rows.sort(key=lambda r: (r[1], r[2], r[3], r[0]))
    return occurrences_by_day(rows, days, limit=limit)


def occurrences_by_day(rows: Iterable[tuple], days: list[dt.date], *, limit: int) -> dict[dt.date, list[Occurrence]]:
    """The first *limit* of the occurrence *rows* (``_ROW``, in time order) on each of *days*, loaded as entries."""
    found: dict[dt.date, list[tuple]] = {day: [] for day in days}
    shown = []
    for row in rows:
        day = row[1]
        if day in found and len(found[day]) < limit:
            found[day].append(row)
            shown.append(row[0])
    full = _entries(shown)
    return {day: [Occurrence(day, full[pk]) for pk, *_rest in day_rows] for day, day_rows in found.items()}


# What an entry shows (meetingplaces/templatetags/activity_entries.py) and the occurrences' order reads; the rest of
# the columns (long texts, the rules already applied in SQL) stay in the database. Translated fields come with their
# fi/sv/en columns (modeltranslation's only()).
_ENTRY_FIELDS = (
    *("title", "start_time", "end_time", "age_min", "age_max", "for_expecting", "for_parents", "languages"),
    *("cost", "cost_info", "registration_required", "registration_info", "organiser__slug", "organiser__name"),
    *("meeting_place__slug", "meeting_place__name", "meeting_place__organisation", "meeting_place__municipality__name"),
)


def _entries(ids) -> dict:
    """The activities *ids* with what an entry shows (place, municipality, organiser) and no more."""
    return (
        Activity.objects.select_related("meeting_place__municipality", "organiser")
        .only(*_ENTRY_FIELDS)
        .order_by()
        .in_bulk(ids)
    )
