import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from organisations.querysets import receives_questions
from services import hours
from services.search.caching import cache_key, cached_html, current_version, data_version
from services.search.visit import remembered_place

from . import calendar, feeds
from .forms import ActivityFilterForm, PlaceFilterForm
from .models import Activity, MeetingPlace

PLACES_PER_PAGE = 20
NEXT_ACTIVITIES_DAYS = 14
NEXT_ACTIVITIES_SHOWN = 3
UPCOMING_WEEKS = 4
UPCOMING_SHOWN = 30


def query(params: dict, **extra) -> str:
    """``?a=1&b=2`` from the filter parameters plus *extra* (None values left out)."""
    merged = {**params, **{k: v for k, v in extra.items() if v is not None}}
    return "?" + urlencode(merged) if merged else "?"


def page_number(value) -> int:
    try:
        return max(1, min(int(str(value)[:6]), 10_000))
    except (TypeError, ValueError):
        return 1


class MeetingPlaceListView(TemplateView):
    template_name = "meetingplaces/meetingplace_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        form = PlaceFilterForm(self.request.GET)
        filters = form.filters()
        places = MeetingPlace.objects.published().select_related("municipality", "organisation")
        if "area" in filters:
            places = places.in_area(filters["area"])
        if "municipality" in filters:
            places = places.in_municipality(filters["municipality"])
        until = today + dt.timedelta(days=NEXT_ACTIVITIES_DAYS)
        places = places.with_opening_hours(since=today - dt.timedelta(days=1)).with_activities(today, until)
        paginator = Paginator(places.order_by("name", "pk"), PLACES_PER_PAGE)
        page = paginator.get_page(page_number(self.request.GET.get("page")))
        rows = [
            {
                "place": place,
                "open_now": place.is_open_now,
                "has_hours": bool(place.opening_hours.all()) or bool(place.exceptions.all()),
                "next": [
                    calendar.place_day(occurrence, place.opening_hours.all(), place.exceptions.all())
                    for occurrence in calendar.occurrences(place.activities.all(), today, until)[:NEXT_ACTIVITIES_SHOWN]
                ],
            }
            for place in page.object_list
        ]
        return super().get_context_data(
            form=form,
            messages_=form.messages,
            page=page,
            rows=rows,
            filters=filters,
            where=filters.get("municipality") or filters.get("area"),
            previous_url=query(form.params(), page=page.previous_page_number()) if page.has_previous() else None,
            next_url=query(form.params(), page=page.next_page_number()) if page.has_next() else None,
            **kwargs,
        )


class MeetingPlaceDetailView(TemplateView):
    template_name = "meetingplaces/meetingplace_detail.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        week = calendar.Week.containing(today)
        upcoming_end = week.sunday + dt.timedelta(weeks=UPCOMING_WEEKS)
        place = get_object_or_404(
            MeetingPlace.objects.published()
            .select_related("municipality__area", "organisation")
            .with_opening_hours(since=week.monday)
            .with_activities(week.monday, upcoming_end)
            .annotate(receives_questions=receives_questions("organisation")),
            slug=self.kwargs["slug"],
        )
        rules, exceptions = place.opening_hours.all(), place.exceptions.all()
        activities = place.activities.all()
        this_week, upcoming = (
            [calendar.place_day(o, rules, exceptions) for o in calendar.occurrences(activities, first, last)]
            for first, last in ((week.monday, week.sunday), (week.sunday + dt.timedelta(days=1), upcoming_end))
        )
        return super().get_context_data(
            place=place,
            today=today,
            week=week,
            schedule=[
                # A day the place's hours leave closed but an activity opens it says so, with the activity's times.
                (
                    day,
                    intervals,
                    exception,
                    [o for o in this_week if o.date == day and o.place_day == calendar.PLACE_OPENS_FOR_IT],
                )
                for day, intervals, exception in hours.week_schedule(week.monday, rules, exceptions)
            ],
            open_now=hours.is_open_now(rules, exceptions),
            later_exceptions=[e for e in exceptions if week.sunday < e.date <= upcoming_end],
            this_week=calendar.by_day(week, this_week),
            this_week_count=len(this_week),
            show_hours_table=bool(rules) or any(week.monday <= e.date <= week.sunday for e in exceptions),
            upcoming=upcoming[:UPCOMING_SHOWN],
            upcoming_hidden=max(0, len(upcoming) - UPCOMING_SHOWN),
            has_weekly_hours=bool(rules),
            calendar_links=subscribe_links(
                self.request, reverse("meetingplaces:calendar", kwargs={"slug": place.slug})
            ),
            **kwargs,
        )


# Without a place the calendar asks for one and shows only a short sample of the next days around Finland.
PLACE_PARAMS = ("municipality", "postcode", "area")
# "Change place": show the chooser, not the place remembered for the visit.
CHOOSE_PARAM = "choose"
SAMPLE_DAYS = 3
SAMPLE_PER_DAY = 3
# With a place: a heading per day and at most this many activities under it, then a link to the whole day.
CALENDAR_PER_DAY = 8
# The whole day (``?day=``) a page at a time.
DAY_PAGE_SIZE = 40
# A rendered listing is kept under the data version, so a write shows at once: the time only bounds how long an
# unused one stays in the cache.
LISTING_SECONDS = 300
LISTING_TEMPLATE = "meetingplaces/includes/calendar_days.html"


def calendar_place(request) -> dict[str, str]:
    """The place the activity calendar lists, as its URL parameters (municipality, postcode or area).

    Read from the URL, else the place remembered for the visit (services/search/visit.py) when it is a municipality
    or a postcode; empty when the family has not chosen one, and the calendar asks for it.
    """
    chosen = {name: request.GET[name] for name in PLACE_PARAMS if request.GET.get(name)}
    if chosen:
        return chosen
    remembered = None if request.GET.get(CHOOSE_PARAM) else remembered_place(request)
    if remembered is not None and remembered.kind in PLACE_PARAMS:
        return remembered.as_params()
    return {}


class ActivityCalendarView(TemplateView):
    """Activities grouped by day for one place (municipality, postal code or wellbeing area).

    With a place: the week from today (or the day asked for) to Sunday, a heading per day with its first
    ``CALENDAR_PER_DAY`` activities and a link to the whole day (``?day=``, a page at a time). Without one: the
    place chooser and a short sample of the next days, so the page never lists the whole country.
    """

    template_name = "meetingplaces/activity_calendar.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["Cookie"])  # the remembered place may choose what is listed
        return response

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        data = self.request.GET.copy()
        for name in PLACE_PARAMS:
            data.pop(name, None)
        data.update(calendar_place(self.request))
        asked = self.request.GET.get("day")
        week, asked_day, week_message = calendar.parse_week(
            week=self.request.GET.get("week"), start=asked or self.request.GET.get("start"), today=today
        )
        form = ActivityFilterForm(data)
        place = form.place()
        params = form.params()
        place_params = {name: value for name, value in params.items() if name in PLACE_PARAMS}
        other_params = {name: value for name, value in params.items() if name not in PLACE_PARAMS}
        context = {
            "form": form,
            "filters": form.filters(),
            "where": place,
            "place_params": place_params,
            "kept_params": other_params,
            # "choose": the chooser even when a place is remembered for the visit.
            "change_place_url": query({**other_params, CHOOSE_PARAM: "1"}),
            "filters_beyond_place": bool(other_params),
            "unfiltered_url": query(place_params, week=week.param),
            "messages_": ([week_message] if week_message else []) + form.messages,
            "week": week,
            "calendar_links": subscribe_links(
                self.request, reverse("meetingplaces:activities-feed") + (query(params) if params else "")
            ),
        }
        activities = form.apply(Activity.objects.published())
        first = asked_day or (today if week.monday <= today <= week.sunday else week.monday)
        self.version = data_version()  # read once for the counts and the listing
        if place is None:
            context.update(self.sample(activities, first, params))
        elif asked and asked_day:
            context.update(self.whole_day(activities, asked_day, params))
        else:
            context.update(self.week(activities, week, first, today, params))
        return super().get_context_data(**context, **kwargs)

    def sample(self, activities, first, params):
        """The first few activities of the days from *first* around Finland, to show what the calendar holds."""
        days = [first + dt.timedelta(days=offset) for offset in range(SAMPLE_DAYS)]
        listing = cached_listing(
            ("sample", sorted(params.items()), first),
            lambda: _days(calendar.listing_by_day(activities, days, limit=SAMPLE_PER_DAY)),
            version=self.version,
        )
        return {"mode": "sample", "listing": listing}

    def week(self, activities, week, first, today, params):
        firsts = {}

        def count():
            # Counted afresh (not in the cache): the same query gives each day's first rows for the listing.
            counts, firsts["rows"] = calendar.day_counts_and_firsts(activities, week, first, limit=CALENDAR_PER_DAY)
            return counts

        counts = cached_day_counts(activities, week, params, version=self.version, count=count)
        shown_days = [day for day, count in counts.items() if day >= first and count]

        def days():
            if "rows" in firsts:
                by_day = calendar.occurrences_by_day(firsts["rows"], shown_days, limit=CALENDAR_PER_DAY)
            else:
                expected = sum(counts[day] for day in shown_days)
                by_day = calendar.listing_by_day(activities, shown_days, limit=CALENDAR_PER_DAY, expected=expected)
            found = _days(by_day)
            for day in found:
                day.hidden = max(0, counts[day.date] - len(day.occurrences))
                if day.hidden:
                    day.more_url = query(params, day=day.date.isoformat()) + f"#day-{day.date.isoformat()}"
            return found

        # The "more" links under the days read the counts and the filters.
        listing = cached_listing(
            ("week", sorted(params.items()), first, tuple(counts.items())), days, version=self.version
        )
        current = calendar.Week.containing(today)
        return {
            "mode": "week",
            "first": first,
            "listing": listing,
            "total": sum(counts.values()),
            "remaining": sum(count for day, count in counts.items() if day >= first),
            "previous_week_url": query(params, week=week.previous.param) if week.previous else None,
            "next_week_url": query(params, week=week.next.param) if week.next else None,
            "current_url": query(params) if week != current else None,
            "week_days": [
                {
                    "date": day,
                    "count": count,
                    "url": query(params, start=day.isoformat()),
                    "is_shown": day == first,
                    "is_today": day == today,
                }
                for day, count in counts.items()
            ],
        }

    def whole_day(self, activities, day, params):
        count = cached_day_counts(activities, calendar.Week.containing(day), params, version=self.version)[day]
        paginator = Paginator(range(count), DAY_PAGE_SIZE)
        page = paginator.get_page(page_number(self.request.GET.get("page")))
        offset = page.start_index() - 1 if count else 0
        listing = cached_listing(
            ("day", sorted(params.items()), day, offset),
            lambda: _days(
                {day: calendar.listing(activities, day, day, offset=offset, limit=DAY_PAGE_SIZE, expected=count)}
            ),
            version=self.version,
        )
        here = {"day": day.isoformat()}
        return {
            "mode": "day",
            "day": day,
            "count": count,
            "listing": listing,
            "page": page,
            "week_url": query(params, start=day.isoformat()),
            "previous_url": query(params, **here, page=page.previous_page_number()) if page.has_previous() else None,
            "next_url": query(params, **here, page=page.next_page_number()) if page.has_next() else None,
        }


def _days(found: dict[dt.date, list]) -> list[calendar.Day]:
    """Days with occurrences, each occurrence told whether its meeting place is open, opens for it or is closed."""
    marked = iter(calendar.with_place_days([o for occurrences in found.values() for o in occurrences]))
    return [
        calendar.Day(day, [next(marked) for _o in occurrences]) for day, occurrences in found.items() if occurrences
    ]


def cached_listing(parts: tuple, days, *, version=...) -> SafeString:
    """``days()`` (a list of ``calendar.Day``) rendered, cached under the data version, the language, today and *parts*.

    *parts* must name everything ``days()`` reads besides the data (mode, filters, first day, counts, page). Today is
    in the key for the "today" marks. Empty when no day has an activity.
    """

    def render():
        found = days()
        return render_to_string(LISTING_TEMPLATE, {"days": found}) if found else ""

    return cached_html("calendar-listing", (timezone.localdate(), *parts), render, LISTING_SECONDS, version=version)


def cached_counts(prefix: str, parts: tuple, count, *, version=...):
    """``count()``, reused for ``COUNTS_CACHE_SECONDS`` under the data version and *parts* (what it counts), so a
    write is counted at once: for counts that read every row of a scope. Counted afresh inside a transaction."""
    seconds = settings.COUNTS_CACHE_SECONDS
    version = current_version(version) if seconds else None
    if version is None:
        return count()
    return cache.get_or_set(cache_key(prefix, version, *parts), count, seconds)


def cached_day_counts(
    activities, week: calendar.Week, params: dict[str, str], *, version=..., count=None
) -> dict[dt.date, int]:
    """``calendar.day_counts`` per week and filters (*params*, as in the page's links), kept under the data version.

    *count*: what counts them when they are not kept (``calendar.day_counts`` of *activities* without it).
    """
    parts = (week.param, sorted(params.items()))
    return cached_counts(
        "calendar-counts", parts, count or (lambda: calendar.day_counts(activities, week)), version=version
    )


def subscribe_links(request, path: str) -> dict[str, str]:
    """The feed at *path* as a ``webcal:`` address (calendar apps subscribe to it) and as a download."""
    absolute = request.build_absolute_uri(path)
    return {"webcal": "webcal://" + absolute.split("://", 1)[1], "download": path}


def feed_response(activities, *, name: str, description: str, filename: str, request) -> HttpResponse:
    rows, cut_off = feeds.feed_activities(activities, today=timezone.localdate())
    if cut_off:
        description = " ".join(
            [description, gettext("Only some of the activities are included: choose a municipality or an area.")]
        )
    ical = feeds.build_calendar(
        rows,
        name=name,
        description=description,
        host=split_domain_port(request.get_host())[0],
        absolute_url=request.build_absolute_uri,
        today=timezone.localdate(),
    )
    response = HttpResponse(ical.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def meeting_place_feed(request, slug):
    """The meeting place's published activities as an iCalendar feed."""
    place = get_object_or_404(MeetingPlace.objects.published().select_related("municipality"), slug=slug)
    return feed_response(
        Activity.objects.published().filter(meeting_place=place),
        name=f"{place.name} – {place.municipality.name}",
        description=gettext("Activities for families at %(place)s.") % {"place": place.name},
        filename=f"{place.slug}.ics",
        request=request,
    )


@require_safe
def activities_feed(request):
    """The activity calendar's activities, narrowed by the same filters as the page, as an iCalendar feed.

    Lenient like the page: a filter value that is not understood is left out, never an error.
    """
    form = ActivityFilterForm(request.GET)
    where = form.place()
    name = gettext("Activities for families")
    return feed_response(
        form.apply(Activity.objects.published()),
        name=f"{name} – {where.name}" if where else name,
        description=gettext("Activities for families with children from the family centre's calendar."),
        filename="activities.ics",
        request=request,
    )
