import re

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality, PostalCode, WellbeingArea

from .choices import MAX_AGE, Access, Cost, Language
from .models import LifeSituation, ServiceClass
from .search import AGE_GROUPS, AUDIENCES, MAX_QUERY_LENGTH, PROVIDER_KINDS, SearchQuery

# Control characters (NUL among them: PostgreSQL rejects it) never reach the database.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _area_choices():
    return [("", _("All wellbeing areas"))] + [(a.code, a.name) for a in WellbeingArea.objects.order_by("code")]


def _municipality_choices():
    return [("", _("All municipalities"))] + [(m.code, m.name) for m in Municipality.objects.order_by("name")]


def _life_situation_choices():
    return [(t.code, t.name) for t in LifeSituation.objects.all()]


def _service_class_choices():
    return [(t.code, t.name) for t in ServiceClass.objects.all()]


AGE_GROUP_CHOICES = [
    ("", _("Any age")),
    ("expecting", _("Expecting a baby")),
    ("0-1", _("0–1 years")),
    ("1-6", _("1–6 years")),
    ("7-12", _("7–12 years")),
    ("13-17", _("13–17 years")),
    ("parents", _("Parents")),
]
PROVIDER_CHOICES = [
    ("public", _("Public services")),
    ("ngo", _("Organisations (NGOs)")),
    ("parish", _("Parishes")),
    ("private", _("Private providers")),
]
SORT_CHOICES = [("relevance", _("Relevance")), ("name", _("Name")), ("distance", _("Distance"))]


class SearchTextField(forms.CharField):
    """Free text with control characters removed and whitespace collapsed."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(_CONTROL_RE.sub(" ", value).split())


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values and remembers the unknown ones (the form reports them) instead of failing."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        values = [_CONTROL_RE.sub("", str(v)) for v in self.to_python(value)]
        known = {str(code) for code, _label in self.choices}
        self.unknown = [v for v in values if v not in known]
        return list(dict.fromkeys(v for v in values if v in known))


class ServiceSearchForm(forms.Form):
    """The family-facing search (GET). Never fails as a whole: invalid values are dropped and explained."""

    q = SearchTextField(label=_("Search"), required=False)
    area = forms.ChoiceField(
        label=_("Wellbeing area"),
        required=False,
        choices=_area_choices,
        error_messages={"invalid_choice": _("Unknown wellbeing area — showing all areas.")},
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        required=False,
        choices=_municipality_choices,
        error_messages={"invalid_choice": _("Unknown municipality — showing all municipalities.")},
    )
    postcode = forms.RegexField(
        label=_("Postal code"),
        required=False,
        regex=r"^\d{5}$",
        error_messages={"invalid": _("A postal code is five digits — showing all municipalities.")},
    )
    life_situation = LenientMultipleChoiceField(
        label=_("Life situation"), required=False, choices=_life_situation_choices
    )
    service_class = LenientMultipleChoiceField(
        label=_("Type of service"), required=False, choices=_service_class_choices
    )
    age = forms.IntegerField(
        label=_("Child’s age (years)"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        error_messages={
            "invalid": _("Give the child’s age in whole years — showing all ages."),
            "min_value": _("Give the child’s age in years, from 0 to 29 — showing all ages."),
            "max_value": _("Give the child’s age in years, from 0 to 29 — showing all ages."),
        },
    )
    age_group = forms.ChoiceField(
        label=_("Age or life stage"),
        required=False,
        choices=AGE_GROUP_CHOICES,
        error_messages={"invalid_choice": _("Unknown age group — showing all ages.")},
    )
    language = LenientMultipleChoiceField(label=_("Language"), required=False, choices=Language.choices)
    cost = forms.ChoiceField(
        label=_("Cost"),
        required=False,
        choices=[("", _("Free or chargeable")), *Cost.choices],
        error_messages={"invalid_choice": _("Unknown cost — showing free and chargeable services.")},
    )
    provider = LenientMultipleChoiceField(label=_("Provider"), required=False, choices=PROVIDER_CHOICES)
    access = LenientMultipleChoiceField(label=_("How to access"), required=False, choices=Access.choices)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Default order")), *SORT_CHOICES],
        error_messages={"invalid_choice": _("Unknown sort order — showing the default order.")},
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)

    def clean(self):
        cleaned = super().clean()
        q = cleaned.get("q") or ""
        if len(q) > MAX_QUERY_LENGTH:
            self._keep_with_error(
                "q",
                q[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] if " " in q[:MAX_QUERY_LENGTH] else q[:MAX_QUERY_LENGTH],
                _("The search words were shortened to %(count)s characters.") % {"count": MAX_QUERY_LENGTH},
            )
        for name, field in self.fields.items():
            unknown = getattr(field, "unknown", None)
            if unknown:
                shown = ", ".join(f"“{value[:30]}”" for value in unknown[:3])
                self._keep_with_error(
                    name, cleaned.get(name, []), _("Unknown choice ignored: %(values)s.") % {"values": shown}
                )
        postcode = cleaned.get("postcode")
        if postcode:
            municipality_code = (
                PostalCode.objects.filter(code=postcode).values_list("municipality__code", flat=True).first()
            )
            if municipality_code is None:
                self.add_error("postcode", _("Unknown postal code — showing all municipalities."))
            elif not cleaned.get("municipality"):
                cleaned["postcode_municipality"] = municipality_code
        if cleaned.get("sort") == "distance" and (cleaned.get("lat") is None or cleaned.get("lon") is None):
            self._keep_with_error("sort", "", _("Sorting by distance needs your location — showing the usual order."))
        return cleaned

    def _keep_with_error(self, name, value, message):
        self.add_error(name, message)
        self.cleaned_data[name] = value

    def to_query(self) -> SearchQuery:
        """The query built from the valid part of the input (call is_valid() or errors first, or not)."""
        if not self.is_bound:
            return SearchQuery()
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        data = self.cleaned_data
        age_group = data.get("age_group") or ""
        age = data.get("age")
        age_range = (age, age) if age is not None else AGE_GROUPS.get(age_group)
        lat, lon = data.get("lat"), data.get("lon")
        if lat is None or lon is None:
            lat = lon = None
        postcode_municipality = data.get("postcode_municipality")
        return SearchQuery(
            q=data.get("q") or "",
            area=data.get("area") or "",
            municipality=data.get("municipality") or postcode_municipality or "",
            postcode=(data.get("postcode") or "") if postcode_municipality else "",
            life_situations=tuple(data.get("life_situation") or ()),
            service_classes=tuple(data.get("service_class") or ()),
            age_range=age_range,
            audience=age_group if age_group in AUDIENCES else None,
            languages=tuple(data.get("language") or ()),
            cost=data.get("cost") or "",
            providers=tuple(p for p in data.get("provider") or () if p in PROVIDER_KINDS),
            access=tuple(data.get("access") or ()),
            open_now=bool(data.get("open_now")),
            sort=data.get("sort") or "",
            lat=lat,
            lon=lon,
        )
