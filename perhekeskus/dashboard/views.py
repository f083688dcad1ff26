"""The coordinator dashboard's pages, in the admin: the area's overview and its lists of entries to fix.

Only the area's coordinators and superusers open them (``access.coordinated_areas``); an area the user does not
coordinate is 404, as if it were not there; a staff member who coordinates nothing gets 403. The chosen area is in the
address (``?area=05``), so a link or a bookmark opens the same area.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations import access
from organisations.models import Municipality

from . import data

SHOWN = {
    "swedish": gettext_lazy("Entries without Swedish text"),
    "stale": gettext_lazy("Entries not checked"),
    "broken": gettext_lazy("Broken links"),
}


def _areas_and_area(request):
    """The areas the user coordinates and the one asked for (the first when none is asked); 403 or 404 otherwise."""
    areas = list(access.coordinated_areas(request.user).order_by("code"))
    if not areas:
        raise PermissionDenied
    code = request.GET.get("area", "")
    if not code:
        return areas, areas[0]
    area = next((a for a in areas if a.code == code), None)
    if area is None:
        raise Http404
    return areas, area


def _context(request, **extra):
    return {**admin.site.each_context(request), "is_nav_sidebar_enabled": False, **extra}


@admin.site.admin_view
def dashboard(request):
    areas, area = _areas_and_area(request)
    return render(
        request,
        "admin/dashboard/dashboard.html",
        _context(
            request,
            title=_("Area dashboard: %(area)s") % {"area": area.name},
            areas=areas,
            area=area,
            board=data.dashboard(area),
            stale_months=data.STALE_MONTHS,
            window_days=data.SEARCH_MISS_WINDOW_DAYS,
            family_window_days=data.FAMILY_WINDOW_DAYS,
        ),
    )


def _months(value: str) -> int:
    try:
        months = int(value)
    except ValueError:
        raise Http404 from None
    if months not in data.STALE_MONTHS:
        raise Http404
    return months


@admin.site.admin_view
def entries(request):
    """One list behind a dashboard number: entries without Swedish (in a municipality), not checked, broken links."""
    areas, area = _areas_and_area(request)
    show = request.GET.get("show", "")
    if show not in SHOWN:
        raise Http404
    context = {"area": area, "show": show, "heading": SHOWN[show]}
    if show == "swedish":
        municipality = None
        if request.GET.get("municipality"):
            municipality = Municipality.objects.filter(area=area, code=request.GET["municipality"][:3]).first()
            if municipality is None:
                raise Http404
        found = data.without_swedish_entries(area, municipality)
        context.update(
            municipality=municipality,
            groups=[
                (_("Services"), _("Organisation"), [(s, s.name, s.organisation) for s in found["services"]]),
                (
                    _("Meeting places"),
                    _("Organisation"),
                    [(p, p.name, p.organisation) for p in found["meeting_places"]],
                ),
                (_("Activities"), _("Meeting place"), [(a, a.title, a.meeting_place) for a in found["activities"]]),
            ],
        )
    elif show == "stale":
        kind = request.GET.get("kind", "")
        if kind not in data.CHECKED_MODELS:
            raise Http404
        months = _months(request.GET.get("months", ""))
        context.update(months=months, kind=kind, stale_entries=data.stale_entries(area, kind, months))
    else:
        context.update(broken=data.broken_links(area, limit=None))
    title = f"{SHOWN[show]}: {area.name}"
    return render(request, "admin/dashboard/entries.html", _context(request, title=title, **context))
