"""GET filter forms of the meeting place list and the activities calendar.

Invalid values never fail the page: the form keeps the valid fields in ``cleaned_data`` and the page
shows ``messages`` for the rest (and filters without them).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality
from services.choices import MAX_AGE, Language

# Finnish and Swedish both sort å, ä, ö after z (in that order).
_ALPHABET_TAIL = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def alphabetical(text: str) -> str:
    return str(text).casefold().translate(_ALPHABET_TAIL)


class PlaceFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Wellbeing area"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # One query gives both lists; the labels follow the page language.
        municipalities = sorted(Municipality.objects.select_related("area"), key=lambda m: alphabetical(m.name))
        self.municipalities = {m.code: m for m in municipalities}
        self.areas = {m.area.code: m.area for m in municipalities}
        areas = sorted(self.areas.values(), key=lambda a: alphabetical(a.name))
        self.fields["area"].choices = [("", _("All areas")), *((a.code, a.name) for a in areas)]
        grouped = [
            (
                area.name,
                [(m.code, m.name) for m in municipalities if m.area_id == area.pk],
            )
            for area in areas
        ]
        self.fields["municipality"].choices = [("", _("All municipalities")), *grouped]

    def clean_area(self):
        code = self.cleaned_data["area"]
        return self.areas.get(code) if code else None

    def clean_municipality(self):
        code = self.cleaned_data["municipality"]
        return self.municipalities.get(code) if code else None

    def full_clean(self):
        """Replace Django's messages with ones saying what is shown instead, and tie them to the fields."""
        super().full_clean()
        fallbacks = {
            "area": _("Unknown wellbeing area, showing all areas."),
            "municipality": _("Unknown municipality, showing all municipalities."),
            "age": _("The age must be a whole number from 0 to %(max)d; showing all ages.") % {"max": MAX_AGE},
            "language": _("Unknown language, showing all languages."),
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

    def apply(self, activities):
        """Narrow an Activity queryset with the valid filters."""
        filters = self.filters()
        if "area" in filters:
            activities = activities.in_area(filters["area"])
        if "municipality" in filters:
            activities = activities.in_municipality(filters["municipality"])
        if "age" in filters:
            activities = activities.for_age(filters["age"])
        if "language" in filters:
            activities = activities.in_language(filters["language"])
        if filters.get("free"):
            activities = activities.free()
        return activities
