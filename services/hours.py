"""Opening hours: weekly rules plus exceptional dates, and the "open now" question.

Times are local wall-clock times in Europe/Helsinki. A rule whose closing time is not after its
opening time runs over midnight into the next day (e.g. a helpline 20:00–02:00); opens == closes
with ``over_midnight`` means round the clock. An exceptional date replaces the weekly rules of
that date entirely (a holiday closure, or shorter hours on Christmas Eve). Ranges of one day that touch or overlap
are shown and tested as one (``8.00–16.00`` and ``16.00–18.30`` are ``8.00–18.30``), see ``joined``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

HELSINKI = ZoneInfo("Europe/Helsinki")


@dataclass(frozen=True)
class Interval:
    opens: dt.time
    closes: dt.time
    over_midnight: bool = False
    by_appointment: bool = False

    def spans(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """Naive local start and end of this interval when it starts on *day*."""
        start = dt.datetime.combine(day, self.opens)
        end_day = day + dt.timedelta(days=1) if self.over_midnight else day
        return start, dt.datetime.combine(end_day, self.closes)


def rule_applies(rule, day: dt.date) -> bool:
    return (
        rule.weekday == day.isoweekday()
        and (rule.valid_from is None or rule.valid_from <= day)
        and (rule.valid_to is None or day <= rule.valid_to)
    )


def joined(intervals: Iterable[Interval]) -> list[Interval]:
    """The intervals of one day in order, those that touch or overlap joined into one.

    ``8.00–16.00, 16.00–18.30`` becomes ``8.00–18.30``; ``18.00–20.00, 20.00–2.00`` (over midnight) becomes
    ``18.00–2.00``. Only ranges of the same kind join: appointment-only hours stay apart from open hours. A join that
    would last more than a day (which an opening and closing time cannot say) keeps its ranges apart.
    """
    day = dt.date(2000, 1, 1)  # any date: only the order and lengths of the spans matter
    result: list[tuple[dt.datetime, dt.datetime, bool]] = []
    for interval in sorted(intervals, key=lambda i: i.spans(day)):
        start, end = interval.spans(day)
        if result:
            last_start, last_end, last_by_appointment = result[-1]
            merged_end = max(last_end, end)
            if (
                last_by_appointment == interval.by_appointment
                and start <= last_end
                and merged_end - last_start <= dt.timedelta(days=1)
            ):
                result[-1] = (last_start, merged_end, last_by_appointment)
                continue
        result.append((start, end, interval.by_appointment))
    return [Interval(start.time(), end.time(), end.date() > day, kind) for start, end, kind in result]


def intervals_on(day: dt.date, rules: Iterable, exceptions: Iterable) -> list[Interval]:
    """The opening intervals that start on *day*, exceptions taking precedence over weekly rules; touching ones join."""
    todays_exceptions = [e for e in exceptions if e.date == day]
    if todays_exceptions:
        return joined(
            Interval(e.opens, e.closes, e.closes <= e.opens)
            for e in todays_exceptions
            if not e.closed and e.opens is not None and e.closes is not None
        )
    return joined(
        Interval(r.opens, r.closes, r.over_midnight, getattr(r, "by_appointment", False))
        for r in rules
        if rule_applies(r, day)
    )


def is_open_at(moment: dt.datetime, rules: Iterable, exceptions: Iterable) -> bool:
    """Whether the place is open at the aware datetime *moment*."""
    rules, exceptions = list(rules), list(exceptions)
    local = timezone.localtime(moment, HELSINKI).replace(tzinfo=None)
    # An interval that began yesterday may still be running after midnight.
    for day in (local.date() - dt.timedelta(days=1), local.date()):
        for interval in intervals_on(day, rules, exceptions):
            start, end = interval.spans(day)
            if start <= local < end:
                return True
    return False


def next_change(moment: dt.datetime, rules: Iterable, exceptions: Iterable) -> dt.datetime:
    """The first moment after the aware *moment* at which what a place shows for "now" may differ: it opens or
    closes (is_open_at()), or the day ends (today's hours become tomorrow's). Aware, in Helsinki time."""
    rules, exceptions = list(rules), list(exceptions)
    local = timezone.localtime(moment, HELSINKI).replace(tzinfo=None)
    change = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time())
    for day in (local.date() - dt.timedelta(days=1), local.date()):
        for interval in intervals_on(day, rules, exceptions):
            for edge in interval.spans(day):
                if local < edge < change:
                    change = edge
    return change.replace(tzinfo=HELSINKI)


def is_open_now(rules: Iterable, exceptions: Iterable) -> bool:
    return is_open_at(timezone.now(), rules, exceptions)


def week_schedule(start: dt.date, rules: Iterable, exceptions: Iterable, days: int = 7):
    """[(date, [Interval, ...], exception_or_None)] for *days* days from *start*, for display."""
    rules, exceptions = list(rules), list(exceptions)
    schedule = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        exception = next((e for e in exceptions if e.date == day), None)
        schedule.append((day, intervals_on(day, rules, exceptions), exception))
    return schedule
