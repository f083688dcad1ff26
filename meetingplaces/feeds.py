"""iCalendar feeds of activities, for a phone's or computer's calendar: one meeting place's, or the filtered calendar's.

A weekly activity is one event with a rule (``RRULE:FREQ=WEEKLY;INTERVAL=n;BYDAY=TU;UNTIL=…``) whose first instance
is the first date the rhythm gives (``Activity.rhythm_anchor``), so the calendar app repeats it exactly as
``Activity.occurrences`` does. Cancelled dates are ``EXDATE``s; a listed date the rule does not give is an event of
its own (calendar apps handle ``RDATE`` unevenly). An activity on listed dates is one event per date. A day its
meeting place is closed all day (an exceptional date) is left out like a cancelled one (the pages mark it cancelled).
Times are local Helsinki times with the zone's ``VTIMEZONE``; texts are in the request's language (with the content
fallback).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

import icalendar
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext

from services.templatetags.family import audience, cost_name, language_names, shown_language

from .calendar import LAST_YEAR
from .models import Activity, ActivityDate, MeetingPlaceException

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
# Listed dates further back than this are left out (a calendar app keeps what it already has).
PAST_DAYS = 60
# A feed of the whole country is no use to a family; past this many activities it is cut (and says so).
MAX_ACTIVITIES = 500
# How often calendar apps should fetch the feed again.
REFRESH = dt.timedelta(hours=6)


def feed_activities(activities, *, today: dt.date) -> tuple[list[Activity], bool]:
    """The activities of the queryset *activities* a feed shows, with what an event needs; (rows, cut off).

    Three queries whatever the number: the activities with place, municipality and organisers, their dates
    (every cancellation, for the rules' EXDATEs, and the listed dates from PAST_DAYS back), and their places'
    exceptional dates from PAST_DAYS back (the days a place is closed).
    """
    since = today - dt.timedelta(days=PAST_DAYS)
    dates = ActivityDate.objects.filter(Q(cancelled=True) | Q(date__gte=since)).order_by("date")
    exceptions = MeetingPlaceException.objects.filter(date__gte=since)
    rows = list(
        activities.between(since, dt.date(LAST_YEAR, 12, 31))
        .select_related("meeting_place__municipality", "meeting_place__organisation", "organiser")
        .prefetch_related(Prefetch("dates", queryset=dates), Prefetch("meeting_place__exceptions", queryset=exceptions))
        .order_by("pk")[: MAX_ACTIVITIES + 1]
    )
    return rows[:MAX_ACTIVITIES], len(rows) > MAX_ACTIVITIES


def build_calendar(
    activities: Iterable[Activity], *, name: str, description: str, host: str, absolute_url, today: dt.date
) -> icalendar.Calendar:
    """The VCALENDAR of *activities* (as loaded by ``feed_activities``); *absolute_url(path)* makes links absolute."""
    language = get_language()
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Perhekeskus//Activities//{language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    since = today - dt.timedelta(days=PAST_DAYS)
    events = [
        event
        for activity in activities
        for event in activity_events(activity, host=host, stamp=stamp, since=since, absolute_url=absolute_url)
    ]
    # The zone's transitions from the first event's year on (from 1970 the VTIMEZONE alone would be 2 kB).
    first = min((event.DTSTART.date() for event in events), default=today)
    calendar.add_component(icalendar.Timezone.from_tzid("Europe/Helsinki", first_date=dt.date(first.year, 1, 1)))
    for event in events:
        calendar.add_component(event)
    return calendar


def activity_events(activity: Activity, *, host: str, stamp, since: dt.date, absolute_url) -> list[icalendar.Event]:
    listed = list(activity.dates.all())
    closed = closed_days(activity.meeting_place.exceptions.all())
    extra = [d.date for d in listed if not d.cancelled and d.date >= since and d.date not in closed]
    events = []
    if activity.recurrence == Activity.Recurrence.WEEKLY and activity.weekday:
        first = _first_in_rhythm(activity)
        if activity.valid_to is None or first <= activity.valid_to:
            event = _event(
                activity, first, uid=f"activity-{activity.pk}@{host}", stamp=stamp, absolute_url=absolute_url
            )
            rule = {"FREQ": "WEEKLY", "BYDAY": BYDAY[activity.weekday]}
            if activity.every_nth_week > 1:
                rule["INTERVAL"] = activity.every_nth_week
            if activity.valid_to:
                # UNTIL is in UTC when DTSTART has a time zone (RFC 5545); the whole last day counts.
                rule["UNTIL"] = _local(activity.valid_to, dt.time(23, 59, 59)).astimezone(dt.UTC)
            event.add("rrule", rule)
            cancelled = sorted(
                {d.date for d in listed if d.cancelled and _rule_gives(activity, d.date)}
                | {day for day in closed if _rule_gives(activity, day)}
            )
            if cancelled:
                event.add("exdate", [_local(day, activity.start_time) for day in cancelled])
            events.append(event)
            extra = [day for day in extra if not _rule_gives(activity, day)]
    for day in sorted(set(extra)):
        uid = f"activity-{activity.pk}-{day:%Y%m%d}@{host}"
        events.append(_event(activity, day, uid=uid, stamp=stamp, absolute_url=absolute_url))
    return events


def closed_days(exceptions: Iterable) -> set[dt.date]:
    """The dates a meeting place is closed all day: every exceptional hours entry of the date says closed."""
    by_date: dict[dt.date, list[bool]] = {}
    for exception in exceptions:
        by_date.setdefault(exception.date, []).append(exception.closed)
    return {day for day, closed in by_date.items() if all(closed)}


def _first_in_rhythm(activity: Activity) -> dt.date:
    anchor = activity.rhythm_anchor
    return anchor + dt.timedelta(days=(activity.weekday - anchor.isoweekday()) % 7)


def _rule_gives(activity: Activity, day: dt.date) -> bool:
    """Whether the weekly rule alone puts the activity on *day* (as ``Activity.occurrences`` counts it)."""
    return (
        activity.recurrence == Activity.Recurrence.WEEKLY
        and day.isoweekday() == activity.weekday
        and (activity.valid_from is None or day >= activity.valid_from)
        and (activity.valid_to is None or day <= activity.valid_to)
        and day >= _first_in_rhythm(activity)
        and activity.in_weekly_rhythm(day)
    )


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=HELSINKI)


def _event(activity: Activity, day: dt.date, *, uid: str, stamp, absolute_url) -> icalendar.Event:
    language = {"LANGUAGE": get_language()}
    # The title may come from a fallback language (an activity with no Swedish title on the Swedish feed).
    title_language = {"LANGUAGE": shown_language(activity, "title") or get_language()}
    place = activity.meeting_place
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", _local(day, activity.start_time))
    event.add("dtend", _local(day, activity.end_time))
    event.add("summary", str(activity.title), parameters=title_language)
    event.add("description", _description(activity), parameters=language)
    address = f"{place.name}, {place.street_address}, {place.postal_code} {place.municipality.name}"
    event.add("location", address, parameters=language)
    if place.latitude is not None and place.longitude is not None:
        event.add("geo", (place.latitude, place.longitude))
    event.add("url", absolute_url(place.get_absolute_url()))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _description(activity: Activity) -> str:
    """The activity's own description, then the facts the calendar page shows, one per line."""
    lines = [str(activity.description).strip()] if activity.description else []
    lines.append(gettext("Organiser: %(name)s") % {"name": activity.provider.name})
    lines.append(gettext("For: %(audience)s") % {"audience": audience(activity)})
    if activity.languages:
        lines.append(gettext("Language: %(languages)s") % {"languages": language_names(activity.languages)})
    cost = cost_name(activity.cost)
    if activity.cost_info:
        cost = f"{cost} – {activity.cost_info}"
    lines.append(gettext("Cost: %(cost)s") % {"cost": cost})
    if activity.registration_required:
        registration = gettext("Registration needed")
        if activity.registration_info:
            registration = f"{registration}: {activity.registration_info}"
    else:
        registration = gettext("No registration, just come")
    lines.append(registration)
    return "\n".join(line for line in lines if line)
