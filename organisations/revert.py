"""Undoing one recorded change: put back the ``before`` values of a CHANGED record, but never over a later edit.

A coordinator who sees a wrong edit in the digest reverts it from the record's admin page. ``plan_revert`` says what
would happen (shown on the confirmation page); ``revert`` does it, in one transaction with the object's row locked:

- a field is restored only while its current value still equals the record's ``after``; a field changed again since
  is a *conflict* and keeps its current value (the later edit wins; the coordinator edits it by hand);
- own fields, each language of a translated field, many-to-many fields and related rows (phones, e-mails, links,
  opening hours, exceptions, activity dates, and a service's locations with their own opening hours and exceptions)
  are restored; related rows with many-to-many fields of their own would not be, and the confirmation would say so;
- the result is validated like any edit, and recorded as a REVERTED ChangeRecord pointing at the reverted one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from .history import NESTED, RELATED, record_change, snapshot, tracked_fields
from .models import ChangeRecord


class RevertRefused(Exception):
    """Nothing could be reverted; the message says why, in the active language."""


@dataclass
class RevertPlan:
    record: ChangeRecord
    obj: object | None
    restorable: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    # The conflicting fields' current values, to show next to what the change left there.
    current: dict = field(default_factory=dict)

    @property
    def possible(self) -> bool:
        return self.obj is not None and bool(self.restorable)


def target(record: ChangeRecord):
    """The changed object as it is now, or None if it is gone."""
    model = record.content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=record.object_id).first()


def plan_revert(record: ChangeRecord, obj=None, current: dict | None = None) -> RevertPlan:
    """What reverting *record* would restore, what conflicts with a later edit, and what cannot be reverted."""
    obj = obj if obj is not None else target(record)
    plan = RevertPlan(record=record, obj=obj)
    if obj is None or record.action != ChangeRecord.Action.CHANGED:
        return plan
    current = current if current is not None else snapshot(obj)
    for key, (_before, after) in record.changes.items():
        if not _restorable_key(obj.__class__, key):
            plan.unsupported.append(key)
        elif _comparable(current.get(key)) != _comparable(after):
            plan.conflicts.append(key)
            plan.current[key] = current.get(key)
        else:
            plan.restorable.append(key)
    return plan


def _comparable(value):
    # Related rows keep their ids, but a deleted and re-added row is the same line to a reader: compare without ids.
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [{k: v for k, v in row.items() if k != "id"} for row in value]
    return value


def _restorable_key(model, key: str) -> bool:
    names = {f.attname for f in tracked_fields(model)} | {f.name for f in model._meta.many_to_many}
    if key in names:
        return True
    if key in RELATED.get(model._meta.label_lower, ()):
        child = model._meta.get_field(key).related_model
        nested = [child._meta.get_field(name).related_model for name in NESTED.get(child._meta.label_lower, ())]
        return not any(related._meta.many_to_many for related in (child, *nested))
    return False


def revert(*, user, record: ChangeRecord) -> tuple[ChangeRecord | None, RevertPlan]:
    """Restore what ``plan_revert`` calls restorable; raises RevertRefused when nothing can be or validation fails.

    Returns the REVERTED record and the plan that was carried out (its conflicts and unsupported fields untouched).
    """
    from django.utils.translation import gettext

    with transaction.atomic():
        model = record.content_type.model_class()
        obj = model._default_manager.select_for_update().filter(pk=record.object_id).first() if model else None
        if obj is None:
            raise RevertRefused(gettext("The entry no longer exists."))
        before = snapshot(obj)
        plan = plan_revert(record, obj=obj, current=before)
        if not plan.possible:
            raise RevertRefused(gettext("Nothing can be reverted: every field has been changed again since."))
        _restore(obj, {key: record.changes[key][0] for key in plan.restorable})
        reverted = record_change(user=user, obj=obj, before=before, action=ChangeRecord.Action.REVERTED, reverts=record)
    return reverted, plan


def _restore(obj, values: dict) -> None:
    model = obj.__class__
    own = {f.attname: f for f in tracked_fields(model)}
    many = {f.name for f in model._meta.many_to_many}
    for key, value in values.items():
        if key in own:
            setattr(obj, key, own[key].to_python(value) if value is not None else None)
    try:
        obj.full_clean(exclude=[own_field.name for attname, own_field in own.items() if attname not in values])
    except ValidationError as error:
        from django.utils.translation import gettext

        messages = "; ".join(error.messages)
        raise RevertRefused(
            gettext("The old values are not valid any more: %(errors)s") % {"errors": messages}
        ) from error
    obj.save()
    for key, value in values.items():
        if key in many:
            getattr(obj, key).set(value or [])
        elif key in RELATED.get(model._meta.label_lower, ()):
            _restore_rows(obj, key, value or [])


def _restore_rows(obj, relation: str, rows: list[dict]) -> None:
    """Make the related rows those of *rows*: same ids where they still exist (their other columns, such as PTV
    provenance, kept), deleted ones made again; a location's own hours are put back as they were."""
    manager = getattr(obj, relation)
    parent = manager.field.attname
    child = manager.model
    keep = [row["id"] for row in rows if row.get("id")]
    manager.exclude(pk__in=keep).delete()
    existing = {instance.pk: instance for instance in manager.all()}
    for row in rows:
        instance = existing.get(row.get("id"))
        if instance is None:
            instance = child(pk=row.get("id"))
            instance._state.adding = True
        _save_row(instance, row, parent, obj.pk)
        for nested in NESTED.get(child._meta.label_lower, ()):
            nested_manager = getattr(instance, nested)
            nested_manager.all().delete()
            for nested_row in row.get(nested) or []:
                nested_instance = nested_manager.model()
                nested_instance._state.adding = True
                _save_row(nested_instance, nested_row, nested_manager.field.attname, instance.pk)


def _save_row(instance, row: dict, parent: str, parent_pk) -> None:
    fields = {f.attname: f for f in tracked_fields(instance.__class__)}
    for key, value in row.items():
        if key in fields and key != parent:
            setattr(instance, key, fields[key].to_python(value) if value is not None else None)
    setattr(instance, parent, parent_pk)
    instance.full_clean(exclude=[fields[parent].name] if parent in fields else [])
    instance.save()
