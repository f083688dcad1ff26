"""Saving and previewing a partner's entry: the form and its formsets as one change, recorded in the history.

A ``Kind`` says what an entry of the partner pages is made of (model, form, formsets, public page). ``save_entry``
writes it in one transaction with its history record (the snapshot taken before anything is saved; a new entry is a
draft until a coordinator of the area approves it). ``preview_html`` renders the public page for the unsaved state by
saving inside a savepoint that is always rolled back, so the preview is exactly what a family would see.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.text import slugify

from meetingplaces.models import Activity, MeetingPlace
from meetingplaces.views import MeetingPlaceDetailView
from organisations.history import record_change, recording_deletion, snapshot
from organisations.models import ChangeRecord
from services.choices import PublicationState
from services.models import Location, Service
from services.views import ServiceDetailView

from . import forms


@dataclass(frozen=True)
class Kind:
    slug: str  # in URLs
    model: type
    form: type
    formsets: tuple[tuple[str, type], ...] = field(default_factory=tuple)  # (prefix, formset class)


KINDS = {
    "service": Kind(
        "service",
        Service,
        forms.ServiceForm,
        (
            ("phones", forms.ServicePhoneFormSet),
            ("emails", forms.ServiceEmailFormSet),
            ("links", forms.ServiceLinkFormSet),
        ),
    ),
    "meeting-place": Kind(
        "meeting-place",
        MeetingPlace,
        forms.MeetingPlaceForm,
        (("hours", forms.MeetingPlaceHoursFormSet), ("exceptions", forms.MeetingPlaceExceptionFormSet)),
    ),
    "activity": Kind("activity", Activity, forms.ActivityForm, (("dates", forms.ActivityDateFormSet),)),
}
LOCATION = Kind(
    "location",
    Location,
    forms.LocationForm,
    (("hours", forms.LocationHoursFormSet), ("exceptions", forms.LocationExceptionFormSet)),
)


def unique_slug(model, text: str) -> str:
    base = slugify(text)[:200] or model._meta.model_name
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _save_with_a_free_slug(obj, attempts: int = 5) -> None:
    """Save a new entry under a slug nobody has: two partners saving the same name at the same moment both found it
    free; the second save then takes the next one instead of failing the request."""
    text = getattr(obj, "name_fi", "") or str(obj)
    for _attempt in range(attempts):
        obj.slug = unique_slug(obj.__class__, text)
        try:
            with transaction.atomic():
                obj.save()
            return
        except IntegrityError:
            if not obj.__class__._default_manager.filter(slug=obj.slug).exists():
                raise  # another constraint: not a slug race
            obj.pk = None
            obj._state.adding = True
    raise IntegrityError(f"no free slug for {text!r} after {attempts} attempts")


def _write(form, formsets) -> object:
    """Save the form and its formsets (a new entry as a draft, with a slug) and return the saved object."""
    obj = form.save(commit=False)
    if obj.pk is None and hasattr(obj, "state"):
        obj.state = PublicationState.DRAFT
    if obj.pk is None and hasattr(obj, "slug") and not obj.slug:
        _save_with_a_free_slug(obj)
    else:
        obj.save()
    form.save_m2m()
    for formset in formsets:
        formset.instance = obj
        formset.save()
    return obj


def save_entry(*, user, form, formsets, history_of=None) -> object:
    """Save the entry and record the change (CREATED for a new entry) in the same transaction.

    *history_of*: the listing whose history the change belongs to, when the form edits a part of one (a service's
    location); it is snapshot before the save like the entry itself.
    """
    with transaction.atomic():
        created = form.instance.pk is None
        owner = history_of or form.instance
        before = None if created and history_of is None else snapshot(owner)
        obj = _write(form, formsets)
        owner = history_of or obj
        if before is None:
            record_change(user=user, obj=owner, action=ChangeRecord.Action.CREATED)
        else:
            record_change(user=user, obj=owner, before=before)
    return obj


def delete_entry(*, user, obj) -> None:
    with transaction.atomic(), recording_deletion(user=user, objs=[obj]):
        obj.delete()


class _Rollback(Exception):
    pass


MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S)


def public_page(request, obj) -> str:
    """The HTML of *obj*'s public page as the family sees it (its main content), rendered as published."""
    page_request = copy.copy(request)
    page_request.method = "GET"
    page_request.GET = QueryDict()
    page_request.POST = QueryDict()
    if isinstance(obj, Activity):
        MeetingPlace.objects.filter(pk=obj.meeting_place_id).update(state=PublicationState.PUBLISHED)
        Activity.objects.filter(pk=obj.pk).update(state=PublicationState.PUBLISHED)
        obj = obj.meeting_place
    if isinstance(obj, Location):
        obj = obj.service
    obj.__class__.objects.filter(pk=obj.pk).update(state=PublicationState.PUBLISHED)
    view = ServiceDetailView if isinstance(obj, Service) else MeetingPlaceDetailView
    response = view.as_view()(page_request, slug=obj.slug)
    html = response.render().content.decode()
    found = MAIN.search(html)
    return found.group(1) if found else ""


def preview_html(request, *, form, formsets) -> str:
    """The public page for the form's unsaved state: saved in a savepoint, rendered, and rolled back."""
    html = ""
    try:
        with transaction.atomic():
            obj = _write(form, formsets)
            html = public_page(request, obj)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        # The instance got a primary key inside the rolled-back savepoint: forget it so saving later inserts anew.
        _forget_unsaved(form, formsets)
    return html


def _forget_unsaved(form, formsets):
    if (
        form.instance._state.adding is False
        and not form.instance.__class__._default_manager.filter(pk=form.instance.pk).exists()
    ):
        form.instance.pk = None
        form.instance._state.adding = True
        if hasattr(form.instance, "slug"):
            form.instance.slug = ""
    for formset in formsets:
        for child in formset.forms:
            if (
                child.instance.pk
                and not child.instance.__class__._default_manager.filter(pk=child.instance.pk).exists()
            ):
                child.instance.pk = None
                child.instance._state.adding = True
