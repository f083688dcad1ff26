import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from services import hours

from . import calendar, feeds
from .forms import ActivityFilterForm, PlaceFilterForm
from .models import Activity, MeetingPlace

PLACES_PER_PAGE = 20
NEXT_ACTIVITIES_DAYS = 14
NEXT_ACTIVITIES_SHOWN = 3
UPCOMING_WEEKS = 4
UPCOMING_SHOWN = 30
# The calendar shows this many occurrences a page. A nationwide week holds tens of thousands: beyond the last
# page the family is asked to choose a day or narrow the place down (each day has its own link).
CALENDAR_PAGE_SIZE = 20
CALENDAR_MAX_PAGES = 25


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
                "next": calendar.occurrences(place.activities.all(), today, until)[:NEXT_ACTIVITIES_SHOWN],
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
            .with_activities(week.monday, upcoming_end),
            slug=self.kwargs["slug"],
        )
        rules, exceptions = place.opening_hours.all(), place.exceptions.all()
        activities = place.activities.all()
        this_week = calendar.occurrences(activities, week.monday, week.sunday)
        upcoming = calendar.occurrences(activities, week.sunday + dt.timedelta(days=1), upcoming_end)
        return super().get_context_data(
            place=place,
            today=today,
            week=week,
            schedule=hours.week_schedule(week.monday, rules, exceptions),
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


class ActivityCalendarView(TemplateView):
    """A week's activities in time order, a page at a time, from today (or the day asked for) to Sunday.

    Every day of the week links to its own listing with its count, so any day is one step away however many
    activities the week holds; only the shown page's occurrences are ever worked out and loaded.
    """

    template_name = "meetingplaces/activity_calendar.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        week, asked_day, week_message = calendar.parse_week(
            week=self.request.GET.get("week"), start=self.request.GET.get("start"), today=today
        )
        first = asked_day or (today if week.monday <= today <= week.sunday else week.monday)
        form = ActivityFilterForm(self.request.GET)
        activities = form.apply(Activity.objects.published())
        counts = cached_day_counts(activities, week, form.params())
        remaining = sum(count for day, count in counts.items() if day >= first)
        paginator = Paginator(range(remaining), CALENDAR_PAGE_SIZE)
        page = paginator.get_page(min(page_number(self.request.GET.get("page")), CALENDAR_MAX_PAGES))
        found = calendar.listing(
            activities, first, week.sunday, offset=page.start_index() - 1 if remaining else 0, limit=CALENDAR_PAGE_SIZE
        )
        messages_ = ([week_message] if week_message else []) + form.messages
        params = form.params()
        current = calendar.Week.containing(today)
        here = {"start": first.isoformat()}
        return super().get_context_data(
            form=form,
            filters=form.filters(),
            where=form.filters().get("municipality") or form.filters().get("area"),
            messages_=messages_,
            week=week,
            this_week=current,
            first=first,
            previous_week_url=query(params, week=week.previous.param) if week.previous else None,
            next_week_url=query(params, week=week.next.param) if week.next else None,
            current_url=query(params) if week != current else None,
            week_days=[
                {
                    "date": day,
                    "count": count,
                    "url": query(params, start=day.isoformat()),
                    "is_shown": day == first,
                    "is_today": day == today,
                }
                for day, count in counts.items()
            ],
            days=[day for day in calendar.by_day(week, found) if day.occurrences],
            total=sum(counts.values()),
            remaining=remaining,
            page=page,
            more_pages=paginator.num_pages > CALENDAR_MAX_PAGES,
            previous_url=query(params, **here, page=page.previous_page_number()) if page.has_previous() else None,
            next_url=(
                query(params, **here, page=page.next_page_number())
                if page.has_next() and page.number < CALENDAR_MAX_PAGES
                else None
            ),
            calendar_links=subscribe_links(
                self.request, reverse("meetingplaces:activities-feed") + (query(params) if params else "")
            ),
            **kwargs,
        )


def cached_counts(key: str, count):
    """``count()``, reused for ``COUNTS_CACHE_SECONDS`` under *key*: for counts that read every row of a scope."""
    seconds = settings.COUNTS_CACHE_SECONDS
    return cache.get_or_set(key, count, seconds) if seconds else count()


def cached_day_counts(activities, week: calendar.Week, params: dict[str, str]) -> dict[dt.date, int]:
    """``calendar.day_counts`` per week and filters (*params*, as in the page's links), reused for a while."""
    key = "calendar-counts:" + week.param + query(dict(sorted(params.items())))
    return cached_counts(key, lambda: calendar.day_counts(activities, week))


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
    where = form.filters().get("municipality") or form.filters().get("area")
    name = gettext("Activities for families")
    return feed_response(
        form.apply(Activity.objects.published()),
        name=f"{name} – {where.name}" if where else name,
        description=gettext("Activities for families with children from the family centre's calendar."),
        filename="activities.ics",
        request=request,
    )
