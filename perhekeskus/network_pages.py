"""Organisation and wellbeing area pages: what one provider, or everyone in one area, offers families.

They compose all three apps, so they live in the composition layer (STYLE.md §12) and keep the
``organisations:`` URL namespace that the rest of the site links to.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from meetingplaces import calendar
from meetingplaces.forms import alphabetical
from meetingplaces.models import Activity, MeetingPlace
from meetingplaces.views import page_number, query
from organisations.models import Organisation, WellbeingArea
from services.models import Service, ServiceClass

SERVICES_PER_PAGE = 20
ACTIVITIES_PER_DAY = 8
KIND_ORDER = [kind for kind, _label in Organisation.Kind.choices]


def week_of_activities(activities, *, per_day: int):
    week = calendar.Week.containing(timezone.localdate())
    days, total = calendar.week_days(activities.published().between(week.monday, week.sunday), week, per_day=per_day)
    return week, [day for day in days if day.occurrences], total


class OrganisationDetailView(TemplateView):
    template_name = "organisations/organisation_detail.html"

    def get_context_data(self, **kwargs):
        organisation = get_object_or_404(
            Organisation.objects.select_related("municipality").prefetch_related("areas"),
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
            Activity.objects.by_organisation(organisation), per_day=ACTIVITIES_PER_DAY
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


class AreaDetailView(TemplateView):
    template_name = "organisations/wellbeingarea_detail.html"

    def get_context_data(self, **kwargs):
        area = get_object_or_404(WellbeingArea.objects.prefetch_related("municipalities"), code=self.kwargs["code"])
        area_services = Service.objects.published().in_area(area)
        classes = ServiceClass.objects.annotate(
            service_count=Count("services", filter=Q(services__in=area_services.values("pk")), distinct=True)
        ).filter(service_count__gt=0)
        providers = Organisation.objects.filter(areas=area)
        places = MeetingPlace.objects.published().in_area(area).select_related("municipality")
        week, days, activity_count = week_of_activities(Activity.objects.in_area(area), per_day=ACTIVITIES_PER_DAY)
        return super().get_context_data(
            area=area,
            municipalities=sorted(area.municipalities.all(), key=lambda m: alphabetical(m.name)),
            service_count=area_services.count(),
            classes=classes,
            provider_groups=group_by_kind(providers),
            places=sorted(places, key=lambda p: (alphabetical(p.municipality.name), alphabetical(p.name))),
            week=week,
            days=days,
            activity_count=activity_count,
            **kwargs,
        )


def group_by_kind(organisations):
    """[(kind label, [organisation, ...])] in the order of Organisation.Kind, names alphabetical."""
    groups = {}
    for organisation in sorted(organisations, key=lambda o: alphabetical(o.name)):
        groups.setdefault(organisation.kind, []).append(organisation)
    labels = dict(Organisation.Kind.choices)
    return [(labels[kind], groups[kind]) for kind in KIND_ORDER if kind in groups]
