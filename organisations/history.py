"""The history of listings: what each change did, in a form a coordinator can read, diff and revert.

Usage, wherever a listing is changed (partner pages, admin)::

    before = snapshot(service)
    ... save the form and its formsets ...
    record_change(user=request.user, obj=service, before=before)          # a change: only the fields that differ
    record_change(user=request.user, obj=service, action=ChangeRecord.Action.CREATED)   # a new entry: every value

A snapshot holds the object's own editable fields (each language of a translated field separately: ``name_fi``,
``name_sv``, ``name_en``), its many-to-many fields as sorted lists of ids, and the rows listed in ``RELATED`` (a
service's locations, phones, …; a meeting place's opening hours) as lists of their fields, so an edited phone number
or opening time shows in the diff too. Values are JSON: dates and times as ISO strings.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import prefetch_related_objects

from .models import ChangeRecord

# Fields never shown in a diff: bookkeeping, search internals, provenance written by imports.
UNTRACKED = {
    "id",
    "created_at",
    "updated_at",
    "review_reminder_sent_at",
    "review_escalated_at",
    "search_document",
    "search_heading",
    "sort_name_fi",
    "sort_name_sv",
    "sort_name_en",
    "ptv_fields",
}

# Rows that belong to a listing and are edited with it (each row's fields, its key to the listing left out).
RELATED: dict[str, tuple[str, ...]] = {
    "services.service": ("locations", "phones", "emails", "links"),
    "meetingplaces.meetingplace": ("opening_hours", "exceptions"),
    "meetingplaces.activity": ("dates",),
}
# A location's own hours belong to it: kept under "locations" as nested lists.
NESTED: dict[str, tuple[str, ...]] = {"services.location": ("opening_hours", "exceptions")}
# Parts of a listing that also have an admin page of their own: a change there is a change of the listing (a location
# is in its service's snapshot), recorded in the listing's history. The value is the part's key to its listing.
PART_OF: dict[str, str] = {"services.location": "service"}


def _json(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    if isinstance(value, models.Model):
        return value.pk
    return value


def tracked_fields(model) -> list[models.Field]:
    """The model's concrete, editable fields worth showing (foreign keys by id), translated ones per language.

    modeltranslation keeps the untranslated column (``name``) mirroring the active language; only the per-language
    fields (``name_fi`` …) are tracked.
    """
    mirrored = _translated_field_names(model)
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and field.name not in UNTRACKED
        and field.name not in mirrored
        and not getattr(field.remote_field, "parent_link", False)
    ]


def _translated_field_names(model) -> set[str]:
    from modeltranslation.translator import NotRegistered, translator

    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def _children(obj, relation: str) -> list:
    """The related rows in pk order, from ``prefetch_related`` when the caller prefetched them (``_lookups``)."""
    return sorted(getattr(obj, relation).all(), key=lambda child: child.pk)


def _row(obj) -> dict:
    row = {field.attname: _json(getattr(obj, field.attname)) for field in tracked_fields(obj.__class__)}
    for field in obj._meta.many_to_many:
        row[field.name] = [related.pk for related in _children(obj, field.name)]
    for relation in NESTED.get(obj._meta.label_lower, ()):
        row[relation] = [_row(child) for child in _children(obj, relation)]
    return row


def _related_rows(obj, relation: str) -> list[dict]:
    parent_field = getattr(obj, relation).field.attname
    rows = []
    for child in _children(obj, relation):
        row = _row(child)
        row.pop(parent_field, None)
        row["id"] = child.pk
        rows.append(row)
    return rows


def _lookups(model, prefix: str = "") -> list[str]:
    """The ``prefetch_related`` lookups of what ``_row`` reads of *model*'s rows (and, at the top, ``RELATED``)."""
    found = [prefix + field.name for field in model._meta.many_to_many]
    relations = NESTED.get(model._meta.label_lower, ())
    if not prefix:
        relations = (*RELATED.get(model._meta.label_lower, ()), *relations)
    for relation in relations:
        found.append(prefix + relation)
        found += _lookups(model._meta.get_field(relation).related_model, f"{prefix}{relation}__")
    return found


def snapshot(obj) -> dict:
    """The listing's stored values (see the module's docstring), read from the database: a form that has validated has
    already written its new values into the instance it was given, so the instance's own attributes would show the
    change as if it had already happened (and the diff would be empty)."""
    if obj.pk is None:
        return _snapshot(obj)
    return snapshots([obj])[obj.pk]


def snapshots(objs) -> dict:
    """``snapshot`` of each of *objs* (saved rows of one model), by pk: a query per relation, not per object."""
    model = objs[0].__class__
    stored = {
        row.pk: row
        for row in model._default_manager.filter(pk__in=[obj.pk for obj in objs]).prefetch_related(*_lookups(model))
    }
    # A row no longer stored is read as given (without prefetching into the caller's instance).
    return {obj.pk: _snapshot(stored.get(obj.pk, obj)) for obj in objs}


def _snapshot(obj) -> dict:
    values = _row(obj)
    for relation in RELATED.get(obj._meta.label_lower, ()):
        values[relation] = _related_rows(obj, relation)
    return values


def diff(before: dict, after: dict) -> dict[str, list]:
    """``{field: [before, after]}`` for every field whose value differs (a field missing on one side is None).

    An empty text and no text (None, as imports and modeltranslation's optional languages store it) are the same:
    saving a form that turns one into the other changed nothing a person could see.
    """
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if not _same(before.get(key), after.get(key))
    }


def _same(a, b) -> bool:
    return a == b or (a in (None, "") and b in (None, ""))


def subject_of(obj):
    """The listing whose history records a change to *obj*: *obj* itself, or the listing a part (a location) belongs
    to; None for anything else (memberships, network records: not in the history)."""
    from . import access

    label = obj._meta.label_lower
    if label in access.RULES:
        return obj
    if label in PART_OF:
        return getattr(obj, PART_OF[label], None)
    return None


def areas_of(obj) -> list[int]:
    """The ids of the wellbeing areas the listing belongs to (organisations.access's rule), for the digest."""
    from . import access

    return access.belongs_to_areas(obj) if obj._meta.label_lower in access.RULES else []


def organisation_of(obj):
    if obj._meta.label_lower == "organisations.organisation":
        return obj
    if obj._meta.label_lower == "meetingplaces.activity":
        return obj.organiser or obj.meeting_place.organisation
    return getattr(obj, "organisation", None)


def record_change(
    *,
    user,
    obj,
    before: dict | None = None,
    after: dict | None = None,
    action: str = ChangeRecord.Action.CHANGED,
    reverts: ChangeRecord | None = None,
) -> ChangeRecord | None:
    """Record *action* on *obj* by *user*; call inside the transaction that made the change.

    - CHANGED: pass the ``snapshot`` taken before; only differing fields are stored, and nothing is recorded when
      nothing differs (None is returned);
    - CREATED: every value, as ``[None, value]``;
    - DELETED: call *before* deleting; every value as ``[value, None]``;
    - APPROVED / CHECKED / REVERTED: the fields that changed with it, if any (e.g. ``state``); a REVERTED record
      names the record it undid in *reverts*.
    """
    if action == ChangeRecord.Action.DELETED:
        changes = diff(before or snapshot(obj), {})
    elif action == ChangeRecord.Action.CREATED:
        changes = diff({}, after or snapshot(obj))
    else:
        changes = diff(before or {}, after or snapshot(obj)) if before is not None else {}
        if action == ChangeRecord.Action.CHANGED and not changes:
            return None
    record = _new_record(user=user, obj=obj, action=action, changes=changes, area_ids=areas_of(obj), reverts=reverts)
    record.save()
    return record


def _new_record(*, user, obj, action: str, changes: dict, area_ids: list[int], reverts=None) -> ChangeRecord:
    organisation = organisation_of(obj)
    signed_in = user is not None and user.is_authenticated
    return ChangeRecord(
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        organisation=organisation if organisation is not None and organisation.pk else None,
        area_ids=area_ids,
        user=user if signed_in else None,
        user_repr=(getattr(user, "email", "") or str(user))[:254] if signed_in else "",
        action=action,
        changes=changes,
        reverts=reverts,
    )


# What organisation_of reads, per listing model: loaded for many listings at once by record_deletions.
_ORGANISATION_LOOKUPS = {
    "services.service": ("organisation",),
    "meetingplaces.meetingplace": ("organisation",),
    "meetingplaces.activity": ("organiser", "meeting_place__organisation"),
}


def record_deletions(*, user, objs) -> list[ChangeRecord]:
    """Record the deletion of the listings *objs*, each as ``record_change(action=DELETED)`` would (call before
    deleting them), in a constant number of queries per kind of listing however many there are."""
    from . import access

    by_model: dict = {}
    for obj in objs:
        by_model.setdefault(obj.__class__, []).append(obj)
    records = []
    for model, group in by_model.items():
        before = snapshots(group)
        areas = access.areas_of_rows(model._default_manager.filter(pk__in=[obj.pk for obj in group]))
        prefetch_related_objects(group, *_ORGANISATION_LOOKUPS.get(model._meta.label_lower, ()))
        records += [
            _new_record(
                user=user,
                obj=obj,
                action=ChangeRecord.Action.DELETED,
                changes=diff(before[obj.pk], {}),
                area_ids=areas.get(obj.pk, []),
            )
            for obj in group
        ]
    return ChangeRecord.objects.bulk_create(records)


def distinct_subjects(*objs) -> list:
    """The saved listings (``subject_of``) whose history a change of *objs* touches, each once, in order."""
    found = {}
    for obj in objs:
        subject = subject_of(obj) if obj is not None else None
        if subject is not None and subject.pk is not None:
            found.setdefault((subject._meta.label_lower, subject.pk), subject)
    return list(found.values())


def deleted_with(objs) -> list:
    """*objs* and every row deleting them deletes too (Django's cascade: a meeting place's activities, an
    organisation's services, meeting places and activities, a service's locations), *objs* first."""
    from django.contrib.admin.utils import NestedObjects
    from django.db import router

    objs = list(objs)
    if not objs:
        return []
    collector = NestedObjects(using=router.db_for_write(objs[0].__class__))
    collector.collect(objs)
    cascaded = sorted(
        (obj for instances in collector.data.values() for obj in instances if obj not in objs),
        key=lambda obj: (obj._meta.label_lower, obj.pk),
    )
    return [*objs, *cascaded]


@contextmanager
def recording_deletion(*, user, objs):
    """Record the deletion of *objs* that the block does: each listing among them and among the rows deleted with them
    as DELETED (before they go: a meeting place's activities get their own record, so the history and the digest
    show everything that went); a part deleted without its listing (a location) as a CHANGED record of the listing
    (after it went). The listings are read and recorded together (``record_deletions``): an organisation with a
    hundred services costs the queries of one."""
    gone = deleted_with(objs)
    listings = [obj for obj in gone if subject_of(obj) is obj]
    record_deletions(user=user, objs=listings)
    parts = [obj for obj in gone if obj not in listings]
    for label, parent in PART_OF.items():  # the parts' listings, loaded at once (a service's many locations)
        prefetch_related_objects([obj for obj in parts if obj._meta.label_lower == label], parent)
    parents = [(subject, snapshot(subject)) for subject in distinct_subjects(*parts) if subject not in listings]
    yield
    for subject, before in parents:
        record_change(user=user, obj=subject, before=before)
