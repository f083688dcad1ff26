"""The partner pages: a partner editor keeps their own organisation's entries true, without the admin.

Every page asks ``organisations.access`` what the signed-in user may see and change; a coordinator or superuser who is
no organisation's editor works in the admin and is sent there.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetingplaces.models import Activity, MeetingPlace
from organisations import access, review
from organisations import actions as reports
from organisations.models import Membership
from services.models import Service, ServiceFeedback

# The kinds of entry a partner checks, by the name used in URLs.
CHECKABLE = {"service": Service, "meeting-place": MeetingPlace}


@login_required
def home(request):
    organisations = access.member_organisations(request.user, Membership.Role.EDITOR).order_by("name")
    if not organisations.exists() and access.is_coordinator(request.user):
        return redirect("admin:index")
    due_only = request.GET.get("due") == "1"
    services = access.editable(request.user, Service).filter(organisation__in=organisations)
    places = access.editable(request.user, MeetingPlace).filter(organisation__in=organisations)
    due_services, due_places = review.due_for_check(services), review.due_for_check(places)
    if due_only:
        services, places = due_services, due_places
    activities = (
        access.editable(request.user, Activity)
        .filter(meeting_place__in=places)
        .select_related("meeting_place")
        .order_by("meeting_place__name", "weekday", "start_time", "title")
    )
    return render(
        request,
        "partners/home.html",
        {
            "organisations": organisations,
            "services": services.order_by("name"),
            "places": places.order_by("name"),
            "activities": activities if not due_only else Activity.objects.none(),
            "due_only": due_only,
            "due_service_ids": set(due_services.values_list("pk", flat=True)),
            "due_place_ids": set(due_places.values_list("pk", flat=True)),
            "reports": reports.reports_visible_to(request.user).open().filter(organisation__in=organisations),
            "feedback": _feedback_rows(services),
        },
    )


def _feedback_rows(services):
    """[(service, {"yes", "no", "comments"})] for the services families gave feedback on lately."""
    summary = ServiceFeedback.objects.filter(service__in=services).recent().by_service()
    return [(service, summary[service.pk]) for service in services.order_by("name") if service.pk in summary]


@login_required
@require_POST
def mark_checked(request, kind, pk):
    model = CHECKABLE.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    if not access.can(request.user, access.EDIT, obj):
        raise PermissionDenied
    review.mark_checked(user=request.user, obj=obj)
    messages.success(request, _("Thank you: “%(entry)s” is marked as checked today.") % {"entry": obj})
    home_url = reverse("partners:home")
    return redirect(f"{home_url}?due=1" if request.POST.get("due") == "1" else home_url)


@login_required
@require_POST
def resolve_report(request, pk):
    """Mark a family's problem report about one of the editor's entries resolved (its reply address is erased)."""
    report = get_object_or_404(reports.reports_visible_to(request.user).open(), pk=pk)
    note = request.POST.get("note", "")[:2000]
    reports.resolve_report(report=report, user=request.user, note=note)
    messages.success(request, _("The report about “%(entry)s” is marked as resolved.") % {"entry": report.object_repr})
    return redirect(reverse("partners:home") + "#problem-reports")
