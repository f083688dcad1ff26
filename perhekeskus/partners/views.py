"""The partner pages: a partner editor keeps their own organisation's entries true, without the admin.

Every page asks ``organisations.access`` what the signed-in user may see and change; a coordinator or superuser who is
no organisation's editor works in the admin and is sent there.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetingplaces.models import Activity, MeetingPlace
from organisations import access, review
from organisations import actions as reports
from organisations.models import Membership
from perhekeskus.contact import actions as contact
from perhekeskus.contact.models import ContactRequest
from services.models import Location, Service, ServiceFeedback

from . import editing, forms

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
    # The organisation's activities: at its own meeting places, and those it organises at another's.
    activities = (
        access.editable(request.user, Activity)
        .filter(Q(meeting_place__in=places) | Q(organiser__in=organisations))
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
            "feedback": [] if due_only else _feedback_rows(services),
            "open_questions": _open_questions(request.user),
        },
    )


def _open_questions(user) -> int | None:
    """How many anonymous questions wait in the user's inbox (None: the user has no inbox, e.g. an editor only)."""
    if not access.inbox_organisations(user).exists():
        return None
    return contact.inbox(user).exclude(state=ContactRequest.State.CLOSED).count()


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


# --- Creating, editing and deleting entries ------------------------------------------------------------------------


def _kind(kind: str) -> editing.Kind:
    try:
        return editing.KINDS[kind]
    except KeyError:
        raise Http404 from None


def _editable_object(request, kind: editing.Kind, pk):
    """The entry if the user may edit it; another organisation's entry is a 404, never shown."""
    return get_object_or_404(access.editable(request.user, kind.model), pk=pk)


def _bound_formsets(kind: editing.Kind, request, instance):
    data = request.POST if request.method == "POST" else None
    formsets = [formset(data, instance=instance, prefix=prefix) for prefix, formset in kind.formsets]
    added = request.POST.get("add_row") if data is not None else None
    return [_with_added_row(f) if f.prefix == added else f for f in formsets], added


def _with_added_row(formset):
    """The formset again with one more empty row (the "add a row" button, without JavaScript)."""
    data = formset.data.copy()
    # Django's own count: a tampered or missing TOTAL_FORMS is cleaned (0 when unreadable), never int()ed raw.
    data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.total_form_count() + 1)
    return formset.__class__(data, instance=formset.instance, prefix=formset.prefix)


def edit_entry(request, kind: editing.Kind, instance, *, template="partners/edit.html", history_of=None, extra=None):
    """Show and handle the entry's form: save, preview (nothing saved) or add a row to a formset."""
    data = request.POST if request.method == "POST" else None
    form = kind.form(data, instance=instance, user=request.user)
    formsets, added = _bound_formsets(kind, request, instance)
    preview = ""
    if data is not None and not added:
        valid = all([form.is_valid(), *(f.is_valid() for f in formsets)])
        if valid and "preview" in request.POST:
            preview = editing.preview_html(request, form=form, formsets=formsets)
        elif valid:
            return _saved(
                request, editing.save_entry(user=request.user, form=form, formsets=formsets, history_of=history_of)
            )
    return render(
        request,
        template,
        {
            "kind": kind.slug,
            "entry": instance if instance.pk else None,
            "form": form,
            "formsets": formsets,
            "preview": preview,
            "errors": forms.error_summary(form, formsets) if data is not None and not added else [],
            "may_delete": kind.slug in editing.KINDS
            and bool(instance.pk)
            and access.can(request.user, access.DELETE, instance),
            **(extra or {}),
        },
    )


def _saved(request, obj):
    """The success message, then the saved entry's page again ("Save") or the page it was opened from ("Save and
    return": the list of entries, or a location's service)."""
    back = "save_return" in request.POST
    if isinstance(obj, Location):
        messages.success(request, _("The visiting location “%(entry)s” is saved.") % {"entry": obj.name})
        if back:
            return redirect("partners:edit", kind="service", pk=obj.service_id)
        return redirect("partners:location-edit", service_pk=obj.service_id, pk=obj.pk)
    if getattr(obj, "state", None) == "draft":
        messages.success(
            request,
            _("“%(entry)s” is saved as a draft, waiting for approval by your area’s coordinator.") % {"entry": obj},
        )
    else:
        messages.success(request, _("“%(entry)s” is saved and shown to families.") % {"entry": obj})
    if back:
        return redirect("partners:home")
    return redirect("partners:edit", kind=_kind_slug(obj), pk=obj.pk)


def _kind_slug(obj) -> str:
    return next(slug for slug, kind in editing.KINDS.items() if isinstance(obj, kind.model))


@login_required
def create(request, kind):
    kind = _kind(kind)
    if not access.can(request.user, access.CREATE, None) or not forms.organisation_choices(request.user).exists():
        raise PermissionDenied
    return edit_entry(request, kind, kind.model())


@login_required
def edit(request, kind, pk):
    kind = _kind(kind)
    return edit_entry(request, kind, _editable_object(request, kind, pk))


@login_required
def delete(request, kind, pk):
    kind = _kind(kind)
    obj = _editable_object(request, kind, pk)
    if not access.can(request.user, access.DELETE, obj):
        raise PermissionDenied
    if request.method == "POST":
        editing.delete_entry(user=request.user, obj=obj)
        messages.success(request, _("“%(entry)s” is deleted.") % {"entry": obj})
        return redirect("partners:home")
    return render(request, "partners/delete.html", {"kind": kind.slug, "entry": obj})


@login_required
def location(request, service_pk, pk=None):
    """A service's visiting location with its opening hours; the change is recorded in the service's history."""
    service = _editable_object(request, editing.KINDS["service"], service_pk)
    instance = get_object_or_404(service.locations, pk=pk) if pk else Location(service=service)
    return edit_entry(
        request,
        editing.LOCATION,
        instance,
        template="partners/location.html",
        history_of=service,
        extra={"service": service},
    )
