"""Reading a search from GET parameters: leniently for the page, strictly for the API.

The form's fields come from the filter declarations (filters.py) and the core parameters (query.py). The page never
fails as a whole: a bad value is dropped, the rest of the search runs, and the form says what was ignored. The API is
strict: ``query_from_params(params, strict=True)`` reports every bad parameter instead.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .filters import FILTERS
from .places import municipality_centre, place_from_words, postcode_point
from .query import LAT_PARAM, LON_PARAM, Q_PARAM, SORT_PARAM, SORTS, SearchQuery, search_params
from .text import MAX_QUERY_LENGTH

# Control characters (NUL among them: PostgreSQL rejects it) separate words.
CONTROL_TO_SPACE = str.maketrans(dict.fromkeys([*range(0, 32), *range(127, 160)], " "))


class SearchTextField(forms.CharField):
    """Free text with control characters removed and whitespace collapsed."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(value.translate(CONTROL_TO_SPACE).split())


class ServiceSearchForm(forms.Form):
    """The family-facing search (GET). Never fails as a whole: invalid values are dropped and explained."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"] = SearchTextField(label=Q_PARAM.label, required=False)
        for search_filter in FILTERS:
            self.fields.update(search_filter.form_fields())
        self.fields["sort"] = forms.ChoiceField(
            label=SORT_PARAM.label,
            required=False,
            choices=[("", _("Default order")), *SORT_CHOICES],
            error_messages={"invalid_choice": _("Unknown sort order — showing the default order.")},
        )
        self.fields["lat"] = forms.FloatField(label=LAT_PARAM.label, required=False, min_value=-90, max_value=90)
        self.fields["lon"] = forms.FloatField(label=LON_PARAM.label, required=False, min_value=-180, max_value=180)

    def clean(self):
        cleaned = super().clean()
        q = cleaned.get("q") or ""
        if len(q) > MAX_QUERY_LENGTH:
            cut = q[:MAX_QUERY_LENGTH]
            self._keep_with_error(
                "q",
                cut.rsplit(" ", 1)[0] if " " in cut else cut,
                _("The search words were shortened to %(count)s characters.") % {"count": MAX_QUERY_LENGTH},
                "too_long",
            )
        for name, field in self.fields.items():
            unknown = getattr(field, "unknown", None)
            if unknown:
                shown = ", ".join(f"“{value[:30]}”" for value in unknown[:3])
                self._keep_with_error(
                    name,
                    cleaned.get(name, []),
                    _("Unknown choice ignored: %(values)s.") % {"values": shown},
                    "invalid_choice",
                )
        for search_filter in FILTERS:
            search_filter.clean(self, cleaned)
        has_position = cleaned.get("lat") is not None and cleaned.get("lon") is not None
        has_place = cleaned.get("municipality") or cleaned.get("postcode_municipality")
        if cleaned.get("sort") == "distance" and not has_position and not has_place:
            self._keep_with_error(
                "sort",
                "",
                _("Sorting by distance needs a place or your location — showing the usual order."),
                "needs_position",
            )
        return cleaned

    def _keep_with_error(self, name, value, message, code):
        self.add_error(name, forms.ValidationError(message, code=code))
        self.cleaned_data[name] = value

    def to_query(self) -> SearchQuery:
        """The query built from the valid part of the input (call is_valid() or errors first, or not)."""
        if not self.is_bound:
            return SearchQuery()
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        data = self.cleaned_data
        lat, lon = data.get("lat"), data.get("lon")
        if lat is None or lon is None:
            lat = lon = None
        kwargs = {}
        for search_filter in FILTERS:
            kwargs.update(search_filter.query_kwargs(data))
        origin = None
        if lat is None and kwargs.get("postcode"):
            origin = postcode_point(kwargs["postcode"])
        elif lat is None and kwargs.get("municipality"):
            origin = municipality_centre(kwargs["municipality"])
        return SearchQuery(
            q=data.get("q") or "", sort=data.get("sort") or "", lat=lat, lon=lon, origin=origin, **kwargs
        )

    def strict_errors(self) -> dict[str, list[str]]:
        """Every problem as {parameter: [message]}, in English, for the API (which refuses what the page forgives)."""
        errors: dict[str, list[str]] = {}
        for name, problems in self.errors.as_data().items():
            for problem in problems:
                errors.setdefault(name, []).append(_STRICT_MESSAGES.get(problem.code or "", _INVALID))
        return errors


SORT_CHOICES = [("relevance", _("Best match")), ("name", _("Name")), ("distance", _("Nearest first"))]
assert tuple(code for code, _label in SORT_CHOICES) == SORTS

_INVALID = "Not a valid value for this parameter."
_STRICT_MESSAGES = {
    "invalid_choice": "Unknown value; see the parameter's description for the allowed values.",
    "invalid": _INVALID,
    "min_value": "Too small.",
    "max_value": "Too large.",
    "too_long": f"At most {MAX_QUERY_LENGTH} characters.",
    "unknown_postcode": "Unknown postal code.",
    "needs_position": "sort=distance needs lat and lon, a postcode or a municipality.",
}


PARAM_NAMES = frozenset(param.name for param in search_params())
MULTI_PARAMS = frozenset(param.name for param in search_params() if param.many)


def query_from_params(
    params, *, strict: bool = False, language: str = "fi"
) -> tuple[SearchQuery, dict[str, list[str]]]:
    """The search *params* (a QueryDict) ask for, and the problems found ({} when lenient).

    A place named in the words becomes the municipality or postcode filter (places.py), as on the page.

    Lenient (the page): bad values are left out of the query and explained by the form. Strict (the API): each bad
    parameter is reported, including a single-valued parameter given more than once; the caller answers 400.
    Parameters that are not search parameters (page, lang, ...) are the caller's to check.
    """
    form = ServiceSearchForm(place_from_words(params, language=language)[0])
    form.is_valid()
    query = form.to_query()
    if not strict:
        return query, {}
    errors = form.strict_errors()
    for name in PARAM_NAMES - MULTI_PARAMS:
        if len(params.getlist(name)) > 1:
            errors.setdefault(name, []).append("Give this parameter once.")
    for given, missing in (("lat", "lon"), ("lon", "lat")):
        if params.get(given, "") != "" and params.get(missing, "") == "":
            errors.setdefault(missing, []).append(f"Required with {given}.")
    return query, errors
