"""Organisation and wellbeing area pages: what one provider, or everyone in one area, offers families.

They compose all three apps, so they live in the composition layer (STYLE.md §12) and keep the
``organisations:`` URL namespace that the rest of the site links to.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import TemplateView

from meetingplaces import calendar
from meetingplaces.forms import alphabetical
from meetingplaces.models import Activity, MeetingPlace
from meetingplaces.views import cached_counts, cached_day_counts, page_number, query
from organisations.models import ContactPerson, Organisation, WellbeingArea
from organisations.querysets import receives_questions
from services.models import Service, ServiceClass
from services.search.caching import cached_html, data_version

SERVICES_PER_PAGE = 20
# The next activities from today to the end of the week; the calendar page has the rest.
ACTIVITIES_SHOWN = 10
# The area page shows this many of a long list (municipalities, providers of a kind, …); the rest fold under a
# <details> with their count, so a phone does not scroll through a hundred links.
FOLD_SHOWN = 6
AREA_ACTIVITIES_SHOWN = 6


def fold(items, shown: int = FOLD_SHOWN) -> dict:
    """*items* as the first *shown* and the rest (folded on the page), with the count of both."""
    items = list(items)
    return {"shown": items[:shown], "rest": items[shown:], "count": len(items)}


def week_of_activities(activities, params: dict[str, str], *, shown: int = ACTIVITIES_SHOWN):
    """This week, its next *shown* activities from today grouped by day, and how many the whole week has.

    *params* name the scope for the cached count (the calendar page shares it: ``{"area": "02"}``).
    """
    today = timezone.localdate()
    week = calendar.Week.containing(today)
    activities = activities.published()
    found = calendar.with_place_days(calendar.listing(activities, today, week.sunday, limit=shown))
    total = sum(cached_day_counts(activities, week, params).values())
    return week, [day for day in calendar.by_day(week, found) if day.occurrences], total


def services_in_area(area):
    """The published services families in *area* can use, as ``Service.objects.published().in_area(area)``.

    The same rule written as a union of id sets (named municipalities of the area; area-wide services of its
    organisations; nationwide ones), so the database reads a few hundred link rows instead of testing the rule
    on every service of the country.
    """
    links = Service.municipalities.through.objects
    organisation_areas = Organisation.areas.through.objects
    names_none = ~Exists(links.filter(service_id=OuterRef("pk")))
    named = links.filter(municipality__area=area).values("service_id")
    area_wide = (
        Service.objects.order_by()
        .filter(names_none, organisation__in=organisation_areas.filter(wellbeingarea=area).values("organisation_id"))
        .values("pk")
    )
    without_areas = Organisation.objects.order_by().filter(
        ~Exists(organisation_areas.filter(organisation_id=OuterRef("pk")))
    )
    nationwide = Service.objects.order_by().filter(names_none, organisation__in=without_areas.values("pk")).values("pk")
    return Service.objects.published().order_by().filter(pk__in=named.union(area_wide, nationwide))


class OrganisationDetailView(TemplateView):
    template_name = "organisations/organisation_detail.html"

    def get_context_data(self, **kwargs):
        organisation = get_object_or_404(
            Organisation.objects.select_related("municipality")
            .prefetch_related("areas")
            .annotate(receives_questions=receives_questions()),
            slug=self.kwargs["slug"],
        )
        services = (
            Service.objects.published()
            .filter(organisation=organisation)
            .prefetch_related("service_classes")
            .order_by("name", "pk")
        )
        page = Paginator(services, SERVICES_PER_PAGE).get_page(page_number(self.request.GET.get("page")))
        places = MeetingPlace.objects.published().filter(organisation=organisation).select_related("municipality")
        week, days, activity_count = week_of_activities(
            Activity.objects.by_organisation(organisation), {"organisation": organisation.slug}
        )
        return super().get_context_data(
            organisation=organisation,
            areas=sorted(organisation.areas.all(), key=lambda a: alphabetical(a.name)),
            page=page,
            previous_url=query({}, page=page.previous_page_number()) if page.has_previous() else None,
            next_url=query({}, page=page.next_page_number()) if page.has_next() else None,
            places=sorted(places, key=lambda p: alphabetical(p.name)),
            week=week,
            days=days,
            activity_count=activity_count,
            **kwargs,
        )


class AreaListView(TemplateView):
    template_name = "organisations/wellbeingarea_list.html"

    def get_context_data(self, **kwargs):
        areas = WellbeingArea.objects.annotate(municipality_count=Count("municipalities"))
        return super().get_context_data(areas=sorted(areas, key=lambda a: alphabetical(a.name)), **kwargs)


def service_counts(area) -> tuple[int, dict[int, int]]:
    """How many services families in *area* can use, in all and by service class id."""
    area_services = services_in_area(area)
    by_class = (
        Service.service_classes.through.objects.filter(service__in=area_services.values("pk"))
        .values_list("serviceclass_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    return area_services.count(), dict(by_class)


class AreaDetailView(TemplateView):
    """What everyone in one wellbeing area offers families.

    The page names no visitor, so its content is rendered once and kept under the data version (services/search/
    caching.py: any write to what it shows renders it afresh), the language, the day (this week's activities from
    today) and the service count the title shows; a repeated visit asks the database for the area and the version.
    """

    template_name = "organisations/wellbeingarea_detail.html"
    content_template = "organisations/includes/wellbeingarea_content.html"
    content_seconds = 300

    def get_context_data(self, **kwargs):
        area = get_object_or_404(WellbeingArea, code=self.kwargs["code"])
        version = data_version()  # read once for the counts and the content
        service_count, class_counts = cached_counts(
            "area-service-counts", (area.code,), lambda: service_counts(area), version=version
        )
        content = cached_html(
            "area-page",
            (area.code, timezone.localdate(), service_count),
            lambda: render_to_string(self.content_template, self.content_context(area, service_count, class_counts)),
            self.content_seconds,
            version=version,
        )
        return super().get_context_data(area=area, service_count=service_count, content=content, **kwargs)

    def content_context(self, area, service_count: int, class_counts: dict[int, int]) -> dict:
        classes = list(ServiceClass.objects.filter(pk__in=class_counts))
        for service_class in classes:
            service_class.service_count = class_counts[service_class.pk]
        providers = Organisation.objects.filter(areas=area)
        municipalities = sorted(area.municipalities.all(), key=lambda m: alphabetical(m.name))
        place_counts = dict(
            MeetingPlace.objects.published()
            .in_area(area)
            .values_list("municipality_id")
            .annotate(n=Count("*"))
            .order_by()
        )
        week, days, activity_count = week_of_activities(
            Activity.objects.in_area(area), {"area": area.code}, shown=AREA_ACTIVITIES_SHOWN
        )
        return {
            "area": area,
            "municipalities": fold(municipalities, shown=2 * FOLD_SHOWN),
            "service_count": service_count,
            "classes": fold(sorted(classes, key=lambda c: -c.service_count), shown=2 * FOLD_SHOWN),
            "provider_groups": [(kind, fold(organisations)) for kind, organisations in group_by_kind(providers)],
            "place_counts": fold((m, place_counts[m.pk]) for m in municipalities if m.pk in place_counts),
            "place_count": sum(place_counts.values()),
            "week": week,
            "days": days,
            "activity_count": activity_count,
            "contact_groups": contact_groups(area),
        }


def contact_groups(area):
    """[(kind label, [contact person, ...])] of the area's network contacts who agreed to be shown, by kind."""
    people = ContactPerson.objects.shown_publicly().filter(area=area).select_related("organisation")
    return group_by_kind(people, ContactPerson.Kind)


def group_by_kind(rows, kinds=Organisation.Kind):
    """[(kind label, [row, ...])] of rows with a ``kind`` and a ``name`` (organisations, contact persons), in the
    order of *kinds* (the rows' ``TextChoices``), names alphabetical."""
    groups = {}
    for row in sorted(rows, key=lambda r: alphabetical(r.name)):
        groups.setdefault(row.kind, []).append(row)
    return [(label, groups[kind]) for kind, label in kinds.choices if kind in groups]
