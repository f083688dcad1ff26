"""Pages that span apps: the home page."""

from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from meetingplaces.models import Activity
from organisations.models import WellbeingArea
from perhekeskus.network_pages import week_of_activities
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


# The home page lists this many of the chosen area's activities from today on; the rest are one link away.
HOME_ACTIVITIES_SHOWN = 8


class HomeView(CachedPageMixin, TemplateView):
    template_name = "home.html"
    page_cache_name = "home"
    page_params = frozenset({"area"})
    page_by_minute = False  # nothing on the page depends on the time of day

    def page_key_parts(self):
        place = remembered_place(self.request)  # fills the "where" field
        area = self.request.GET.get("area", "") or remembered_area_code(self.request)
        # With an area the page lists the week's activities from today (the data version follows their edits).
        today = timezone.localdate().isoformat() if area else ""
        return (place.cookie_value() if place is not None else None, area, today)

    def get(self, request, *args, **kwargs):
        self.area = None
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie",))
        code = request.GET.get("area")
        # Rendered, the view knows the area; served from the cache, it asks (one small query).
        if code and (self.area or WellbeingArea.objects.filter(code=code).exists()):
            remember_area(response, code)
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
            # The next few of the week, as the area page shows them: a large area has thousands in a week.
            context["week"], context["days"], context["activity_count"] = week_of_activities(
                Activity.objects.in_area(self.area), {"area": self.area.code}, shown=HOME_ACTIVITIES_SHOWN
            )
        return context
