"""GET filter forms of the meeting place list and the activities calendar.

Invalid values never fail the page: the form keeps the valid fields in ``cleaned_data`` and the page
shows ``messages`` for the rest (and filters without them).
"""

import re

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality, PostalCode, WellbeingArea
from organisations.validators import POSTAL_CODE_RE
from services.choices import MAX_AGE, Language

# Finnish and Swedish both sort å, ä, ö after z (in that order).
_ALPHABET_TAIL = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})
# The choice lists are keyed by their content, so this only bounds how long an unused one is kept.
PLACE_CHOICES_CACHE_SECONDS = 24 * 60 * 60


def alphabetical(text: str) -> str:
    return str(text).casefold().translate(_ALPHABET_TAIL)


def _shown_name(row: dict, prefix: str, language: str) -> str:
    """The name in *language*, else in the fallback languages (as modeltranslation shows it), from a values() row."""
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    if isinstance(fallbacks, dict):
        fallbacks = fallbacks.get(language, fallbacks.get("default", ()))
    order = (language, *fallbacks)
    return next(
        (row[f"{prefix}name_{code}"] for code in order if row.get(f"{prefix}name_{code}")), row[f"{prefix}name"]
    )


def _place_rows_digest() -> str:
    """A digest of every municipality and area row as the lists show them, computed in the database (one query)."""
    columns = ["code", "name", *(f"name_{code}" for code, _label in settings.LANGUAGES)]
    listed = ", ".join([*(f"m.{c}" for c in columns), "m.area_id", *(f"a.{c}" for c in columns)])
    with connection.cursor() as cursor:
        cursor.execute(
            # Only column and table names are written into the text.
            f"""SELECT md5(string_agg(concat_ws('|', m.id, {listed}), ',' ORDER BY m.id))
                  FROM {Municipality._meta.db_table} m JOIN {WellbeingArea._meta.db_table} a ON a.id = m.area_id"""  # noqa: S608
        )
        return cursor.fetchone()[0] or ""


def place_choices() -> tuple[str, list, list]:
    """The area and grouped municipality choices in the page language, and a key that changes with them.

    About 300 municipalities: loading, sorting and grouping them (and rendering the lists, see the templates'
    fragment cache) happens once per language and content; a request only asks the database for the digest.
    """
    language = get_language() or settings.LANGUAGE_CODE
    key = f"place-choices:{language}:{_place_rows_digest()}"
    cached = cache.get(key)
    if cached is None:
        columns = ["code", "name", *(f"name_{code}" for code, _label in settings.LANGUAGES)]
        # Plain rows (raw_values: no per-row language fallback); the names are chosen here.
        rows = Municipality.objects.raw_values("area_id", *columns, *(f"area__{column}" for column in columns))
        areas = {row["area_id"]: (row["area__code"], _shown_name(row, "area__", language)) for row in rows}
        grouped = {}
        for row in sorted(rows, key=lambda row: alphabetical(_shown_name(row, "", language))):
            grouped.setdefault(row["area_id"], []).append((row["code"], _shown_name(row, "", language)))
        area_order = sorted(areas, key=lambda pk: alphabetical(areas[pk][1]))
        cached = ([areas[pk] for pk in area_order], [(areas[pk][1], grouped[pk]) for pk in area_order])
        cache.set(key, cached, PLACE_CHOICES_CACHE_SECONDS)
    return key, *cached


class PlaceFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Wellbeing area"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # One query tells whether the cached lists are current; the labels follow the page language.
        self.choices_key, areas, grouped = place_choices()
        # Callables: checked and rendered only when needed (the templates cache the rendered lists).
        self.fields["area"].choices = lambda: [("", _("All areas")), *areas]
        self.fields["municipality"].choices = lambda: [("", _("All municipalities")), *grouped]

    @property
    def place_fields_key(self) -> str | None:
        """What the rendered area and municipality fields depend on, or None to render them afresh.

        Only the lists with no place or one valid place chosen are cached: a bounded set (~320 per language and
        content) whatever the URLs ask for.
        """
        self.is_valid()
        if "area" in self.errors or "municipality" in self.errors:
            return None
        area, municipality = self.data.get("area") or "", self.data.get("municipality") or ""
        if area and municipality:
            return None
        return f"{self.choices_key}:{area}:{municipality}"

    def clean_area(self):
        code = self.cleaned_data["area"]
        return WellbeingArea.objects.filter(code=code).first() if code else None

    def clean_municipality(self):
        code = self.cleaned_data["municipality"]
        return Municipality.objects.select_related("area").filter(code=code).first() if code else None

    def full_clean(self):
        """Replace Django's messages with ones saying what is shown instead, and tie them to the fields."""
        super().full_clean()
        fallbacks = {
            "area": _("Unknown wellbeing area, showing all areas."),
            "municipality": _("Unknown municipality, showing all municipalities."),
            "age": _("The age must be a whole number from 0 to %(max)d; showing all ages.") % {"max": MAX_AGE},
            "language": _("Unknown language, showing all languages."),
            "postcode": _("Unknown postal code: type the five digits (e.g. 20100) or choose a municipality."),
        }
        for name in list(self._errors):
            message = fallbacks.get(name, _("This filter was not understood and was left out."))
            self._errors[name] = self.error_class([message])
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}_error"})

    @property
    def messages(self) -> list[str]:
        """One sentence per rejected filter, saying what is shown instead."""
        if not self.is_bound:
            return []
        self.is_valid()
        return [str(errors[0]) for errors in self.errors.values()]

    def filters(self) -> dict:
        """The valid, non-empty filter values."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not (value is None or value is False or value == "")
        }

    def params(self) -> dict[str, str]:
        """The valid filters as URL parameters, for links that keep them (e.g. next week)."""
        params = {}
        for name, value in self.filters().items():
            params[name] = "1" if value is True else getattr(value, "code", value)
        return params


class ActivityFilterForm(PlaceFilterForm):
    age = forms.IntegerField(label=_("Child’s age in years"), required=False, min_value=0, max_value=MAX_AGE)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *Language.choices]
    )
    free = forms.BooleanField(label=_("Only free of charge"), required=False)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=5)

    def clean_postcode(self):
        """A postal code known to the reference data: the calendar lists its municipality."""
        code = self.cleaned_data["postcode"].strip()
        if not code:
            return None
        found = None
        if re.match(POSTAL_CODE_RE, code):
            found = PostalCode.objects.select_related("municipality__area").filter(code=code).first()
        if found is None:
            raise forms.ValidationError("unknown postal code", code="unknown")
        return found

    def place(self):
        """The municipality or wellbeing area the valid filters name (a postal code names its municipality)."""
        filters = self.filters()
        postcode = filters.get("postcode")
        return filters.get("municipality") or (postcode.municipality if postcode else None) or filters.get("area")

    def apply(self, activities):
        """Narrow an Activity queryset with the valid filters."""
        filters = self.filters()
        if "area" in filters:
            activities = activities.in_area(filters["area"])
        if "municipality" in filters:
            activities = activities.in_municipality(filters["municipality"])
        if "postcode" in filters:
            activities = activities.in_municipality(filters["postcode"].municipality)
        if "age" in filters:
            activities = activities.for_age(filters["age"])
        if "language" in filters:
            activities = activities.in_language(filters["language"])
        if filters.get("free"):
            activities = activities.free()
        return activities
