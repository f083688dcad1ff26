"""PTV service hours (common v12 shape) into our weekly rules and exceptional dates.

Our model (services/hours.py) knows weekly rules with an optional validity and per-date exceptions that replace the
weekly rules of their date. PTV's kinds map onto that:

- ``Weekly*``: one rule per interval; a ``DateRange`` gives the validity. An interval whose end is not after its
  start runs over midnight (``24:00`` is midnight). ``OpenOnReservation`` becomes a rule "by appointment only".
  ``OddWeeks``/``EvenWeeks`` intervals cannot be told apart by our weekly rules: they are skipped and counted rather
  than shown every week.
- ``Continuous*``: round the clock (00:00–00:00 over midnight), every day or from one weekday and time to another.
- ``ExceptionalDateRange`` and the named holidays (``holidayServiceHours``): one exception per date, closed unless
  hours are given. Movable holidays are computed here (PTV leaves that to its readers) for the import year and the
  next, or for the selected years.

Everything comes out as plain tuples in a fixed order, so that an import can compare PTV's answer with what is stored
and store it as the provenance value.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from .adapters import WEEKDAYS

MAX_EXCEPTION_DAYS = 366
MIDNIGHT = "00:00"

# Finnish names of the 18 holidays PTV knows, in fi, sv, en (shown as the reason of the closure).
HOLIDAY_NAMES = {
    "NewYearEve": ("Uudenvuodenaatto", "Nyårsafton", "New Year's Eve"),
    "NewYearDay": ("Uudenvuodenpäivä", "Nyårsdagen", "New Year's Day"),
    "Epiphany": ("Loppiainen", "Trettondagen", "Epiphany"),
    "MaundyThursday": ("Kiirastorstai", "Skärtorsdag", "Maundy Thursday"),
    "GoodFriday": ("Pitkäperjantai", "Långfredag", "Good Friday"),
    "EasterSunday": ("Pääsiäispäivä", "Påskdagen", "Easter Sunday"),
    "EasterMonday": ("2. pääsiäispäivä", "Annandag påsk", "Easter Monday"),
    "MayDayEve": ("Vappuaatto", "Valborgsmässoafton", "May Day Eve"),
    "MayDay": ("Vappu", "Första maj", "May Day"),
    "AscensionDay": ("Helatorstai", "Kristi himmelsfärdsdag", "Ascension Day"),
    "WhitSunday": ("Helluntai", "Pingstdagen", "Whit Sunday"),
    "MidsummerEve": ("Juhannusaatto", "Midsommarafton", "Midsummer Eve"),
    "MidsummerDay": ("Juhannuspäivä", "Midsommardagen", "Midsummer Day"),
    "AllSaintsDay": ("Pyhäinpäivä", "Alla helgons dag", "All Saints' Day"),
    "IndependenceDay": ("Itsenäisyyspäivä", "Självständighetsdagen", "Independence Day"),
    "ChristmasEve": ("Jouluaatto", "Julafton", "Christmas Eve"),
    "ChristmasDay": ("Joulupäivä", "Juldagen", "Christmas Day"),
    "SecondDayOfChristmas": ("Tapaninpäivä", "Annandag jul", "Boxing Day"),
}


def easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday (the Gregorian computus)."""
    golden = year % 19
    century, year_in_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century + 8) // 25
    moon = (19 * golden + century - leap_centuries - (century - correction + 1) // 3 + 15) % 30
    weekday = (32 + 2 * century_rest + 2 * (year_in_century // 4) - moon - year_in_century % 4) % 7
    late = (golden + 11 * moon + 22 * weekday) // 451
    month, day = divmod(moon + weekday - 7 * late + 114, 31)
    return dt.date(year, month, day + 1)


def _first_weekday_from(start: dt.date, weekday: int) -> dt.date:
    """The first date on or after *start* that falls on *weekday* (Monday 0)."""
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


def holiday_date(name: str, year: int) -> dt.date | None:
    fixed = {
        "NewYearEve": (12, 31),
        "NewYearDay": (1, 1),
        "Epiphany": (1, 6),
        "MayDayEve": (4, 30),
        "MayDay": (5, 1),
        "IndependenceDay": (12, 6),
        "ChristmasEve": (12, 24),
        "ChristmasDay": (12, 25),
        "SecondDayOfChristmas": (12, 26),
    }
    if name in fixed:
        return dt.date(year, *fixed[name])
    from_easter = {
        "MaundyThursday": -3,
        "GoodFriday": -2,
        "EasterSunday": 0,
        "EasterMonday": 1,
        "AscensionDay": 39,
        "WhitSunday": 49,
    }
    if name in from_easter:
        return easter_sunday(year) + dt.timedelta(days=from_easter[name])
    if name == "MidsummerEve":  # the Friday between 19 and 25 June
        return _first_weekday_from(dt.date(year, 6, 19), 4)
    if name == "MidsummerDay":
        return _first_weekday_from(dt.date(year, 6, 20), 5)
    if name == "AllSaintsDay":  # the Saturday between 31 October and 6 November
        return _first_weekday_from(dt.date(year, 10, 31), 5)
    return None


class HoursResult:
    def __init__(self):
        self.rules: list[tuple] = []
        self.exceptions: list[tuple] = []
        self.skipped: Counter = Counter()

    def finish(self) -> HoursResult:
        self.rules = sorted(set(self.rules), key=lambda r: (r[0], r[1], r[2], r[4] or "", r[5] or "", r[6]))
        # One closure wins over hours on the same date from another entry only if no hours were given for it.
        by_date: dict[str, list[tuple]] = {}
        for exception in self.exceptions:
            by_date.setdefault(exception[0], []).append(exception)
        result = []
        for entries in by_date.values():
            open_entries = [e for e in entries if not e[1]]
            result.extend(sorted(set(open_entries)) if open_entries else [entries[0]])
        self.exceptions = sorted(result, key=lambda e: (e[0], e[2] or ""))
        return self


def _clock(value) -> str | None:
    """'08:00', '8:00' or '08:00:00' as 'HH:MM'; '24:00' as midnight; None when not a time."""
    if not isinstance(value, str):
        return None
    parts = value.strip().split(":")
    try:
        hour, minute = int(parts[0]), int(parts[1])
    except (ValueError, IndexError):
        return None
    if hour == 24 and minute == 0:
        return MIDNIGHT
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return f"{hour:02d}:{minute:02d}"


def _day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _texts(obj) -> tuple[str, str, str]:
    obj = obj if isinstance(obj, dict) else {}
    return tuple((obj.get(lang) or "")[:200] for lang in ("fi", "sv", "en"))


def convert(service_hours: dict | None, *, today: dt.date) -> HoursResult:
    """Rules ``(weekday 1-7, opens, closes, over_midnight, valid_from, valid_to, by_appointment)`` and exceptions
    ``(date, closed, opens, closes, reason_fi, reason_sv, reason_en)``, with the reasons anything was skipped."""
    result = HoursResult()
    service_hours = service_hours or {}
    for entry in service_hours.get("hours") or []:
        kind = (entry.get("type") or "").removesuffix("ServiceHour")
        if kind in ("WeeklyUntilFurtherNotice", "WeeklyDateRange"):
            _weekly(result, entry, dated=kind == "WeeklyDateRange")
        elif kind in ("ContinuousAlwaysValid", "ContinuousDateRange"):
            _always(result, entry, dated=kind == "ContinuousDateRange")
        elif kind == "ContinuousWeekdaysUntilFurtherNotice":
            _continuous_weekdays(result, entry)
        elif kind == "ExceptionalDateRange":
            _exceptional(result, entry)
        else:
            result.skipped[f"unknown service hours type {entry.get('type')}"] += 1
    _holidays(result, service_hours.get("holidayServiceHours"), today=today)
    return result.finish()


def _validity(result: HoursResult, entry: dict, dated: bool) -> tuple[str | None, str | None] | None:
    if not dated:
        return None, None
    start, end = _day(entry.get("fromDate")), _day(entry.get("toDate"))
    if start and end and end < start:
        result.skipped["service hours that end before they start"] += 1
        return None
    return (start.isoformat() if start else None, end.isoformat() if end else None)


def _weekly(result: HoursResult, entry: dict, dated: bool) -> None:
    validity = _validity(result, entry, dated)
    if validity is None:
        return
    for index, day in enumerate(WEEKDAYS, start=1):
        for interval in ((entry.get("weeklyHours") or {}).get(day) or {}).get("hours") or []:
            status = interval.get("openingStatus") or "Open"
            if status == "Closed":
                continue
            if (interval.get("repetition") or "Weekly") != "Weekly":
                result.skipped["odd/even-week hours (not shown)"] += 1
                continue
            opens, closes = _clock(interval.get("start")), _clock(interval.get("end"))
            if opens is None or closes is None:
                result.skipped["hours without a valid time"] += 1
                continue
            result.rules.append((index, opens, closes, closes <= opens, *validity, status == "OpenOnReservation"))


def _always(result: HoursResult, entry: dict, dated: bool) -> None:
    validity = _validity(result, entry, dated)
    if validity is not None:
        result.rules.extend((day, MIDNIGHT, MIDNIGHT, True, *validity, False) for day in range(1, 8))


def _continuous_weekdays(result: HoursResult, entry: dict) -> None:
    try:
        first = WEEKDAYS.index(str(entry.get("fromDay")).lower()) + 1
        last = WEEKDAYS.index(str(entry.get("toDay")).lower()) + 1
    except ValueError:
        result.skipped["continuous hours without weekdays"] += 1
        return
    opens, closes = _clock(entry.get("fromTime")) or MIDNIGHT, _clock(entry.get("toTime")) or MIDNIGHT
    if first == last and closes > opens:
        result.rules.append((first, opens, closes, False, None, None, False))
        return
    days = [(first - 1 + offset) % 7 + 1 for offset in range((last - first) % 7 + 1)]
    if first == last:  # e.g. Monday 08:00 round the week to Monday 06:00
        days = [(first - 1 + offset) % 7 + 1 for offset in range(8)]
    for position, day in enumerate(days):
        start = opens if position == 0 else MIDNIGHT
        if position == len(days) - 1:
            if closes != MIDNIGHT:
                result.rules.append((day, start, closes, closes <= start, None, None, False))
        else:
            result.rules.append((day, start, MIDNIGHT, True, None, None, False))


def _exceptional(result: HoursResult, entry: dict) -> None:
    start = _day(entry.get("fromDate"))
    end = _day(entry.get("toDate")) or start
    if start is None or end < start:
        result.skipped["exceptional hours without valid dates"] += 1
        return
    if (end - start).days >= MAX_EXCEPTION_DAYS:
        result.skipped[f"exceptional hours past {MAX_EXCEPTION_DAYS} days (cut)"] += 1
        end = start + dt.timedelta(days=MAX_EXCEPTION_DAYS - 1)
    reason = (
        _texts(entry.get("heading"))
        if any(_texts(entry.get("heading")))
        else _texts(entry.get("additionalInformation"))
    )
    weekly = entry.get("weeklyHours") or {}
    day = start
    while day <= end:
        intervals = (weekly.get(WEEKDAYS[day.weekday()]) or {}).get("hours") or []
        _exception_day(result, day, intervals, reason)
        day += dt.timedelta(days=1)


def _exception_day(result: HoursResult, day: dt.date, intervals: list, reason: tuple) -> None:
    added = False
    for interval in intervals:
        if (interval.get("openingStatus") or "Open") == "Closed":
            continue
        opens, closes = _clock(interval.get("start")), _clock(interval.get("end"))
        if opens is None or closes is None:
            result.skipped["hours without a valid time"] += 1
            continue
        result.exceptions.append((day.isoformat(), False, opens, closes, *reason))
        added = True
    if not added:
        result.exceptions.append((day.isoformat(), True, None, None, *reason))


def _holidays(result: HoursResult, holiday_hours: dict | None, *, today: dt.date) -> None:
    if not holiday_hours:
        return
    repetition = holiday_hours.get("repetition") or {}
    if repetition.get("type") == "RepetitionInSelectedYears":
        years = sorted({int(y) for y in repetition.get("years") or [] if str(y).isdigit() and int(y) >= today.year})
    else:
        years = [today.year, today.year + 1]
    for holiday in holiday_hours.get("holidays") or []:
        name = holiday.get("holidayName")
        if name not in HOLIDAY_NAMES:
            result.skipped[f"unknown holiday {name}"] += 1
            continue
        for year in years:
            _exception_day(result, holiday_date(name, year), holiday.get("hours") or [], HOLIDAY_NAMES[name])
