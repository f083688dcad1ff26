"""Pages that span apps: the home page."""

import datetime as dt
from collections import defaultdict

from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from meetingplaces.models import Activity
from organisations.models import WellbeingArea
from services.models import LifeSituation
from services.pagecache import CachedPageMixin
from services.search import FILTERS_BY_NAME
from services.search.visit import remembered_place
from services.views import remember_area, remembered_area_code, remembered_where_context

# The life stages families pick from, as tiles: the search's age_group values, with a longer label and a hint.
_AGE_TILES = {
    "expecting": (_("Expecting a baby"), _("Pregnancy and preparing for the baby")),
    "0-1": (_("Baby, under 1 year"), _("The first year")),
    "1-6": (_("Child aged 1–6"), _("Toddlers and pre-school age")),
    "7-12": (_("Child aged 7–12"), _("School age")),
    "13-17": (_("Young person aged 13–17"), _("Teenagers")),
    "parents": (_("For parents"), _("Support for you as a parent or couple")),
}
AGE_GROUPS = [(code, *_AGE_TILES[code]) for code, _label in FILTERS_BY_NAME["age_group"].choices()]


class HomeView(CachedPageMixin, TemplateView):
    template_name = "home.html"
    page_cache_name = "home"
    page_by_minute = False  # without an area, nothing on the page depends on the day

    def page_key_parts(self):
        # With an area the page lists its activities, which the data version does not follow: rendered every time.
        if "area" in self.request.GET or remembered_area_code(self.request):
            return None
        place = remembered_place(self.request)  # fills the "where" field
        return (place.cookie_value() if place is not None else None,)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie",))
        if request.GET.get("area") and self.area:
            remember_area(response, self.area.code)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.areas = list(WellbeingArea.objects.all())
        code = self.request.GET.get("area", "") or remembered_area_code(self.request)
        self.area = next((a for a in self.areas if a.code == code), None)
        context.update(
            areas=self.areas,
            area=self.area,
            area_requested="area" in self.request.GET,
            life_situations=LifeSituation.objects.all(),
            age_groups=AGE_GROUPS,
            **remembered_where_context(self.request, language=get_language()),
        )
        if self.area:
            context["week_start"], context["week_end"], context["activity_days"] = self.activities_this_week()
        return context

    def activities_this_week(self):
        start = timezone.localdate()
        end = start + dt.timedelta(days=6)
        activities = (
            Activity.objects.published()
            .between(start, end)
            .filter(meeting_place__municipality__area=self.area)
            .select_related("meeting_place__municipality", "meeting_place__organisation", "organiser")
            .prefetch_related("dates")
        )
        by_day = defaultdict(list)
        for activity in activities:
            for day in activity.occurrences(start, end):
                by_day[day].append(activity)
        days = [(day, sorted(items, key=lambda a: (a.start_time, a.title))) for day, items in sorted(by_day.items())]
        return start, end, days
