"""A ChangeRecord's ``changes`` as a coordinator reads them: field labels in the reader's language, values as text.

``changes`` stores raw JSON (ids, codes, ISO dates, related rows as dicts: see ``history``); this turns each field
into a ``FieldChange`` with a label ("Nimi (ruotsi)" for ``name_sv``), the before and after values as lines (names of
related objects instead of ids, choice labels instead of codes, one line per phone number or opening-hours rule) and,
for long texts, a word diff. The admin's record page, the revert confirmation and the daily digest all show this.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext

from .history import NESTED, RELATED, diff

# Texts longer than this (or from a TextField) get a word diff instead of "before → after".
LONG_TEXT = 80


@dataclass
class FieldChange:
    """One changed field, ready to show."""

    key: str
    label: str
    before: list[str]
    after: list[str]
    # Long texts: [(kind, text)] with kind "same", "removed" or "added"; None for short values.
    words: list[tuple[str, str]] | None = None
    # Related rows: lines only before (removed) and only after (added).
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    related: bool = False


def readable_changes(model, changes: dict) -> list[FieldChange]:
    """Each entry of a record's ``changes`` for *model* as a ``FieldChange``, in the model's field order."""
    order = {name: index for index, name in enumerate(_field_order(model))}
    keys = sorted(changes, key=lambda key: (order.get(key, len(order)), key))
    return [_field_change(model, key, *changes[key]) for key in keys]


def _field_order(model) -> list[str]:
    names = []
    for model_field in model._meta.get_fields():
        names.append(getattr(model_field, "attname", model_field.name))
        names.append(model_field.name)
    return names


def field_label(model, key: str) -> str:
    """The field's name in the active language; a per-language field as "Nimi (ruotsi)"."""
    base, language = _split_language(model, key)
    model_field = _model_field(model, base)
    if model_field is None:
        label = key
    elif model_field.auto_created and not model_field.concrete:  # a reverse relation: "phone numbers"
        label = capfirst(str(model_field.related_model._meta.verbose_name_plural))
    else:
        label = capfirst(str(model_field.verbose_name))
    if language is None:
        return label
    return gettext("%(field)s (%(language)s)") % {"field": label, "language": _language_name(language)}


def _language_name(code: str) -> str:
    names = dict(settings.LANGUAGES)
    return gettext(str(names[code])).lower() if code in names else code


def _split_language(model, key: str) -> tuple[str, str | None]:
    from .history import _translated_field_names

    base, _sep, language = key.rpartition("_")
    if base and base in _translated_field_names(model) and language in dict(settings.LANGUAGES):
        return base, language
    return key, None


def _model_field(model, key: str):
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        for model_field in model._meta.concrete_fields:
            if model_field.attname == key:
                return model_field
    return None


def _field_change(model, key: str, before, after) -> FieldChange:
    label = field_label(model, key)
    if key in RELATED.get(model._meta.label_lower, ()):
        related_model = _model_field(model, key).related_model
        before_lines, after_lines = related_lines(related_model, before), related_lines(related_model, after)
        _name_hidden_differences(related_model, before or [], after or [], before_lines, after_lines)
        return FieldChange(
            key,
            label,
            before_lines,
            after_lines,
            removed=[line for line in before_lines if line not in after_lines],
            added=[line for line in after_lines if line not in before_lines],
            related=True,
        )
    base, _language = _split_language(model, key)
    model_field = _model_field(model, base)
    before_lines, after_lines = value_lines(model_field, before), value_lines(model_field, after)
    words = None
    if _is_long_text(model_field, before, after):
        words = word_diff(before or "", after or "")
    return FieldChange(key, label, before_lines, after_lines, words=words)


def _is_long_text(model_field, before, after) -> bool:
    if not isinstance(before or "", str) or not isinstance(after or "", str):
        return False
    if not (before and after):
        return False
    return isinstance(model_field, models.TextField) or max(len(before), len(after)) > LONG_TEXT


def value_lines(model_field, value) -> list[str]:
    """The value as lines of text ([] for empty)."""
    if value is None or value == "" or value == []:
        return []
    if model_field is None:
        return [str(value)]
    if model_field.many_to_many or (model_field.is_relation and model_field.many_to_one):
        ids = value if isinstance(value, list) else [value]
        names = _related_names(model_field.related_model, ids)
        return [names.get(pk, f"#{pk}") for pk in ids]
    base_field = getattr(model_field, "base_field", None)
    if base_field is not None and isinstance(value, list):
        return [_scalar(base_field, item) for item in value]
    return [_scalar(model_field, value)]


def _related_names(model, ids) -> dict:
    return {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}


def _scalar(model_field, value) -> str:
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        return formats.date_format(parsed, "SHORT_DATETIME_FORMAT") if parsed else value
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        return formats.date_format(parsed, "SHORT_DATE_FORMAT") if parsed else value
    return str(value)


def related_lines(model, rows) -> list[str]:
    """One line per related row (a phone number, an opening-hours rule, …), as the row's ``str``."""
    lines = []
    for row in rows or []:
        line = row_text(model, row)
        for relation in NESTED.get(model._meta.label_lower, ()):
            nested_model = _model_field(model, relation).related_model
            nested = related_lines(nested_model, row.get(relation))
            if nested:
                line = f"{line} ({', '.join(nested)})"
        lines.append(line)
    return lines


def _name_hidden_differences(model, before: list, after: list, before_lines: list, after_lines: list) -> None:
    """A row kept (same id) whose line reads the same although its fields changed (a location's postal code or
    step-free access is not in its name): add the differing fields to both lines, "(Postinumero: 00530)"."""
    later = {row.get("id"): index for index, row in enumerate(after) if row.get("id")}
    for index, row in enumerate(before):
        other = later.get(row.get("id"))
        if other is None or before_lines[index] != after_lines[other]:
            continue
        keys = [
            key for key in diff(row, after[other]) if key != "id" and key not in NESTED.get(model._meta.label_lower, ())
        ]
        if not keys:
            continue
        before_lines[index] += _field_values(model, keys, row)
        after_lines[other] += _field_values(model, keys, after[other])


def _field_values(model, keys: list[str], row: dict) -> str:
    empty = "–"
    parts = []
    for key in keys:
        base, _language = _split_language(model, key)
        value = ", ".join(value_lines(_model_field(model, base), row.get(key))) or empty
        parts.append(f"{field_label(model, key)}: {value}")
    return f" ({'; '.join(parts)})"


def row_text(model, row: dict) -> str:
    values = {}
    for model_field in model._meta.concrete_fields:
        if model_field.attname in row and not model_field.primary_key:
            try:
                values[model_field.attname] = model_field.to_python(row[model_field.attname])
            except ValidationError:
                values[model_field.attname] = row[model_field.attname]
    try:
        return str(model(**values))
    except Exception:  # noqa: BLE001 - a row some later code cannot describe still shows its values
        return "; ".join(str(value) for key, value in row.items() if value not in (None, "", []) and key != "id")


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Word by word: [("same"|"removed"|"added", text)], whitespace kept with the words."""
    import re

    old, new = re.findall(r"\S+\s*", before), re.findall(r"\S+\s*", after)
    parts: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(new[j1:j2])))
    return parts


def text_lines(change: FieldChange) -> list[str]:
    """The change as plain text lines (for e-mail): "Label: before → after", long texts as [-removed-] {+added+}."""
    if change.related:
        lines = [f"{change.label}:"]
        lines += [f"  - {line}" for line in change.removed]
        lines += [f"  + {line}" for line in change.added]
        return lines
    if change.words is not None:
        marked = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
        text = "".join(
            marked[kind].format(part.strip()) + (" " if part[-1:].isspace() else "") for kind, part in change.words
        )
        return [f"{change.label}: {text.strip()}"]
    empty = "–"
    return [f"{change.label}: {', '.join(change.before) or empty} → {', '.join(change.after) or empty}"]
