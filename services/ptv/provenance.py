"""Field-level provenance: which imported fields still hold PTV's value, and which a coordinator edited here.

Each imported row keeps ``ptv_fields = {field: {"value": <what PTV last gave>, "imported_at": <ISO date-time>}}``.
On re-import a field is overwritten only while its current value still equals what PTV gave last time; a field that
differs was edited here, keeps the local value and only its record moves on to PTV's newest value (so that "return
to PTV's value" restores the current one). Collections (a service's phones, a location's hours) are fields too: their
value is the canonical list of tuples the importer builds, and the importer reads and writes them through accessors.

JSON turns tuples into lists and dates into strings, so values are compared in their JSON form.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

FROM_PTV = "from_ptv"
EDITED_HERE = "edited_here"


def canonical(value):
    """The JSON form of a value (tuples → lists, dates → ISO strings) for storing and comparing."""
    return json.loads(json.dumps(value, default=_default))


def _default(value):
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if hasattr(value, "hex"):  # UUID
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} as provenance")


@dataclass
class Accessor:
    """How to read and write one collection "field" (reading must give the same canonical form PTV's value has)."""

    read: Callable[[], object]
    write: Callable[[object], None] | None = None  # None: shown, but cannot be returned (a set of locations)


@dataclass
class Outcome:
    changed: list[str] = field(default_factory=list)
    kept_local: list[str] = field(default_factory=list)
    record_changed: bool = False
    before: dict = field(default_factory=dict)  # the record as it was


def reconcile(obj: models.Model, incoming: dict, *, now: dt.datetime, accessors: dict | None = None) -> Outcome:
    """Bring *obj*'s imported fields to PTV's *incoming* values, except those edited here; update ``ptv_fields``.

    Plain model fields are set on *obj* (the caller saves it); collection fields go through *accessors*.
    """
    accessors = accessors or {}
    record = dict(obj.ptv_fields or {})
    outcome = Outcome(before=dict(record))
    stamp = now.isoformat(timespec="seconds")
    for name, value in incoming.items():
        new = canonical(value)
        accessor = accessors.get(name)
        current = canonical(accessor.read() if accessor else getattr(obj, name))
        previous = record.get(name)
        edited = previous is not None and current != previous["value"]
        if edited:
            outcome.kept_local.append(name)
        elif current != new:
            if accessor:
                accessor.write(value)
            else:
                setattr(obj, name, value)
            outcome.changed.append(name)
        if previous is None or previous["value"] != new:
            record[name] = {"value": new, "imported_at": stamp}
            outcome.record_changed = True
    obj.ptv_fields = record
    return outcome


def can_revert(obj: models.Model, name: str, accessors: dict) -> bool:
    return bool(accessors[name].write) if name in accessors else True


def status(obj: models.Model, *, accessors: dict | None = None) -> list[tuple[str, str, dt.datetime | None]]:
    """[(field, FROM_PTV or EDITED_HERE, imported_at)] for every field PTV ever gave this row."""
    accessors = accessors or {}
    result = []
    for name, entry in sorted((obj.ptv_fields or {}).items()):
        accessor = accessors.get(name)
        try:
            current = canonical(accessor.read() if accessor else getattr(obj, name))
        except AttributeError:
            continue
        when = dt.datetime.fromisoformat(entry["imported_at"]) if entry.get("imported_at") else None
        result.append((name, FROM_PTV if current == entry["value"] else EDITED_HERE, when))
    return result


def revert(obj: models.Model, names, *, accessors: dict | None = None) -> list[str]:
    """Set the chosen fields back to PTV's last value; returns the fields that changed (the caller saves)."""
    accessors = accessors or {}
    reverted = []
    for name in names:
        entry = (obj.ptv_fields or {}).get(name)
        if entry is None:
            continue
        accessor = accessors.get(name)
        if accessor:
            if accessor.write and canonical(accessor.read()) != entry["value"]:
                accessor.write(entry["value"])
                reverted.append(name)
            continue
        model_field = obj._meta.get_field(name)
        value = model_field.to_python(entry["value"]) if entry["value"] is not None else None
        if canonical(getattr(obj, name)) != entry["value"]:
            setattr(obj, name, value)
            reverted.append(name)
    return reverted


STATUS_LABELS = {FROM_PTV: _("from PTV %(date)s"), EDITED_HERE: _("edited here")}
