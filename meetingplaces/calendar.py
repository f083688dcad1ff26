"""Weeks and activity occurrences for the calendar pages: which week a URL asks for, what happens each day."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Activity, ActivityDate

# Weeks outside these years are refused rather than computed (date arithmetic overflows near year 9999).
FIRST_YEAR, LAST_YEAR = 2000, 2100
ISO_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Occurrence:
    date: dt.date
    activity: object  # meetingplaces.models.Activity

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


def parse_week(*, week: str | None, start: str | None, today: dt.date) -> tuple[Week, str | None]:
    """The week asked for by ``?week=2026-W48`` or ``?start=2026-11-25``, else this week and a message why."""
    current = Week.containing(today)
    if week:
        match = ISO_WEEK_RE.match(week)
        if match:
            year, number = int(match[1]), int(match[2])
            if FIRST_YEAR <= year <= LAST_YEAR:
                try:
                    return Week(dt.date.fromisocalendar(year, number, 1)), None
                except ValueError:
                    pass
        message = _("The week was not understood (use the form 2026-W48). Showing the current week.")
        return current, str(message)
    if start:
        try:
            day = dt.date.fromisoformat(start.strip())
        except ValueError:
            day = None
        if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR:
            return Week.containing(day), None
        message = _("The date was not understood (use the form 2026-11-23). Showing the current week.")
        return current, str(message)
    return current, None


def occurrences(activities: Iterable, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Every occurrence of *activities* from *start* to *end* inclusive, in time order."""
    found = [Occurrence(day, activity) for activity in activities for day in activity.occurrences(start, end)]
    return sorted(found, key=lambda o: o.sort_key)


@dataclass
class Day:
    date: dt.date
    occurrences: list[Occurrence]
    hidden: int = 0

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


class _Listed(NamedTuple):
    date: dt.date
    cancelled: bool


class _SlimActivity:
    """The scheduling columns of an activity, enough for ``Activity.occurrences`` (the model's own rule)."""

    FIELDS = ("id", "recurrence", "weekday", "every_nth_week", "valid_from", "valid_to", "start_time", "end_time")
    Recurrence = Activity.Recurrence
    occurrences = Activity.occurrences
    rhythm_anchor = Activity.rhythm_anchor
    in_weekly_rhythm = Activity.in_weekly_rhythm

    def __init__(self, row, listed):
        (self.pk, self.recurrence, self.weekday, self.every_nth_week) = row[:4]
        (self.valid_from, self.valid_to, self.start_time, self.end_time) = row[4:]
        self._listed = listed

    @property
    def dates(self):
        return self

    def all(self):
        return self._listed


def week_days(activities, week: Week, *, per_day: int | None = None) -> tuple[list[Day], int]:
    """The week's days with their occurrences of the Activity queryset *activities*, and the total count.

    A nationwide week holds thousands of activities but a page shows a few per day, so the schedule is
    worked out on plain rows (the scheduling columns and the week's listed dates) and full rows, with
    what an entry shows, are loaded for the shown occurrences alone. Three queries in all.
    """
    activities = activities.order_by()
    listed: dict[int, list[_Listed]] = {}
    for activity_id, date, cancelled in ActivityDate.objects.filter(
        date__gte=week.monday, date__lte=week.sunday, activity__in=activities.values("pk")
    ).values_list("activity_id", "date", "cancelled"):
        listed.setdefault(activity_id, []).append(_Listed(date, cancelled))
    found = []
    for row in activities.values_list(*_SlimActivity.FIELDS):
        activity = _SlimActivity(row, listed.get(row[0], []))
        found.extend(Occurrence(day, activity) for day in activity.occurrences(week.monday, week.sunday))
    found.sort(key=lambda o: (o.date, o.activity.start_time, o.activity.end_time, o.activity.pk))
    days = by_day(week, found, per_day=per_day)
    shown = {o.activity.pk for day in days for o in day.occurrences}
    full = {
        activity.pk: activity
        for activity in Activity.objects.filter(pk__in=shown).select_related(
            "meeting_place__municipality", "meeting_place__organisation", "organiser"
        )
    }
    for day in days:
        day.occurrences = sorted(
            (Occurrence(o.date, full[o.activity.pk]) for o in day.occurrences), key=lambda o: o.sort_key
        )
    return days, len(found)
