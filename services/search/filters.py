"""One declaration per search filter.

Each filter below says, in one place: its GET parameters and how their values are parsed (the form fields), the
condition it puts on services, the SQL that counts its facet values, the values it offers and their labels, its
legend and widget on the search page, and the broader search that drops it. The search form
(form.py), the facets (facets.py), the filter chips and facet groups (services/views.py), the broader
searches (broader.py) and the REST API's parameters and OpenAPI description are all derived from ``FILTERS``; a
new filter is one new declaration.

Facet SQL gives rows ``(facet, value, label, order, count)`` over the service rows of the CTE ``{base}`` (columns
``id, organisation_id, age_min, age_max, for_expecting, for_parents, languages, cost, access, kind, places``). Only
constants and column names are written into it; values travel as query parameters.
"""

# The facet SQL is assembled from constants and column names; every value is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality, Organisation, PostalCode, WellbeingArea

from .. import querysets as service_area
from ..choices import MAX_AGE, Access, Cost, Language
from ..hours import HELSINKI
from ..models import LifeSituation, Location, LocationException, LocationOpeningHours, Service, ServiceClass
from .caching import cached_value
from .text import sort_key

# Control characters (NUL among them: PostgreSQL rejects it) never reach the database.
CONTROL_CHARS = str.maketrans(dict.fromkeys([*range(0, 32), *range(127, 160)]))


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Param:
    """One GET parameter: its name, whether it repeats, and an OpenAPI schema for one value."""

    name: str
    label: Promise
    schema: dict
    description: str = ""
    many: bool = False
    # For a parameter shown as its own input beside a facet (postcode, age): a hint and the input's attributes.
    hint: Promise | None = None
    attrs: dict | None = None


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values and remembers the unknown ones (the form reports them) instead of failing."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        values = [str(v).translate(CONTROL_CHARS) for v in self.to_python(value)]
        if not values:  # nothing chosen: no need to read the choices (a query for the taxonomies)
            self.unknown = []
            return []
        known = {str(code) for code, _label in self.choices}
        self.unknown = [v for v in values if v not in known]
        return list(dict.fromkeys(v for v in values if v in known))


def label_sql(table_alias: str, language: str) -> str:
    """A taxonomy or place row's name in *language*, falling back to Finnish (SQL)."""
    if language == "fi":
        return f"{table_alias}.name_fi"
    return f"coalesce(nullif({table_alias}.name_{language}, ''), {table_alias}.name_fi)"


class SearchFilter:
    """A filter of the service search. Subclasses fill in the class attributes and the hooks they need."""

    name: str  # the facet's key and its GET parameter
    fields: tuple[str, ...]  # the SearchQuery attributes it sets
    legend: Promise  # the facet group's legend, the form field's label
    widget: str  # "select", "checkbox" or "toggle" on the search page
    without_label: Promise  # the broader search that drops this filter
    description: str = ""  # for the API's documentation (English)

    # --- parameters and parsing ---

    @property
    def params(self) -> tuple[Param, ...]:
        return (Param(self.name, self.legend, self.value_schema(), self.description, self.many),)

    many = False

    def value_schema(self) -> dict:
        choices = self.choices()
        return {"type": "string", "enum": [value for value, _label in choices]} if choices else {"type": "string"}

    def form_fields(self) -> dict[str, forms.Field]:
        raise NotImplementedError

    def clean(self, form, cleaned: dict) -> None:
        """Checks that need several fields or the database, adding lenient errors to *form*."""

    def query_kwargs(self, cleaned: dict) -> dict:
        raise NotImplementedError

    def to_params(self, query) -> dict:
        """GET parameters that the form turns back into this filter's part of *query*."""
        value = getattr(query, self.fields[0])
        if not value:
            return {}
        return {self.name: list(value) if isinstance(value, tuple) else value}

    # --- the condition ---

    def is_active(self, query) -> bool:
        return any(getattr(query, field) for field in self.fields)

    def without(self, query):
        defaults = {f.name: f.default for f in dataclasses.fields(query) if f.name in self.fields}
        return dataclasses.replace(query, **defaults)

    def condition(self, query) -> Q:
        """The services this filter keeps, as a condition on the narrow facet rows (ServiceFacetRow)."""
        raise NotImplementedError

    # --- the facet ---

    def choices(self) -> list[tuple[str, str]]:
        """The values offered with their labels, in display order ([] when they come from the database)."""
        return []

    def selected(self, query) -> set[str]:
        value = getattr(query, self.fields[0])
        if isinstance(value, tuple):
            return set(value)
        return {str(value)} if value else set()

    def facet_sql(self, language: str) -> tuple[str, list]:
        raise NotImplementedError

    def selected_rows_sql(self, query, language: str) -> tuple[str, list] | None:
        """Rows with count 0 for selected values, so a selection always shows (to undo it)."""
        return None

    def facet_values(self, entries: dict[str, list], query) -> list[FacetValue]:
        """FacetValues from the SQL rows {value: [label, order, count]}: the offered values in their order."""
        selected = self.selected(query)
        values = []
        for value, label in self.choices():
            count = entries.get(value, [None, 0, 0])[2]
            if count or value in selected:
                values.append(FacetValue(value, str(label), count, value in selected))
        return values

    def broader(self, query) -> list[tuple[str, object]]:
        """(label, wider query) pairs offered when *query* finds nothing."""
        return [(str(self.without_label), self.without(query))]


def _choice_field(filter_, choices, blank_label, invalid):
    return forms.ChoiceField(
        label=filter_.legend,
        required=False,
        choices=lambda: [("", blank_label), *choices()],
        error_messages={"invalid_choice": invalid},
    )


# --- Where ---


class PlaceFilter(SearchFilter):
    """A wellbeing area or municipality: the services given there and the nationwide ones (ranked after)."""

    widget = "select"
    table: str

    def value_schema(self):
        return {"type": "string", "pattern": self.pattern}

    def selected_rows_sql(self, query, language):
        values = sorted(self.selected(query))
        if not values:
            return None
        return (f"SELECT %s, code, {label_sql(self.table, language)}, 0, 0 FROM {self.table} WHERE code = ANY(%s)"), [
            self.name,
            values,
        ]

    def facet_sql(self, language):
        # Read from the place tokens of the narrow facet rows ({base}.places, services/querysets.py's one rule): a count
        # per token, then each place's tokens summed; the nationwide count ("*") is added to every place in Python.
        return (
            f"""
            SELECT %s, p.code, {label_sql("p", language)}, 0, sum(c.n)
              FROM (SELECT token, count(*) AS n FROM {{base}} s CROSS JOIN LATERAL unnest(s.places) AS token
                     GROUP BY token) c
              JOIN ({self.tokens_sql}) t ON t.token = c.token
              JOIN {self.table} p ON p.id = t.place_id
             GROUP BY 2, 3
            UNION ALL
            SELECT %s, '*', '', 0, count(*) FROM {{base}} s WHERE s.places @> ARRAY['*']""",
            [self.name, self.name],
        )

    def facet_values(self, entries, query):
        selected = self.selected(query)
        nationwide = entries.pop("*", [None, 0, 0])[2]
        values = []
        for value, (label, _order, count) in entries.items():
            if count or value in selected:
                values.append(FacetValue(value, label or value, count + nationwide, value in selected))
        return sorted(values, key=lambda v: sort_key(v.label))


class AreaFilter(PlaceFilter):
    name = "area"
    fields = ("area",)
    legend = _("Wellbeing area")
    table = "organisations_wellbeingarea"
    # A service in an area names a municipality there (a<id>) or, naming none, its organisation works there (o<id>):
    # never both, so no service is counted twice.
    tokens_sql = (
        "SELECT 'a' || id AS token, id AS place_id FROM organisations_wellbeingarea"
        " UNION ALL SELECT 'o' || id, id FROM organisations_wellbeingarea"
    )
    pattern = "^[0-9]{2}$"
    description = "Wellbeing area code (two digits, /api/v1/areas/). Nationwide services are included."

    def form_fields(self):
        return {
            "area": _choice_field(
                self,
                lambda: list(WellbeingArea.objects.order_by("code").values_list("code", "name")),
                _("All wellbeing areas"),
                _("Unknown wellbeing area — showing all areas."),
            )
        }

    def query_kwargs(self, cleaned):
        return {"area": cleaned.get("area") or ""}

    def condition(self, query):
        return service_area.facet_row_in_area(query.area)

    def broader(self, query):
        return [(gettext("In the whole country"), self.without(query))]


# How long the municipality choices are kept (under the data version: a renamed municipality shows at once).
MUNICIPALITY_CHOICES_SECONDS = 600


class MunicipalityFilter(PlaceFilter):
    """A municipality, chosen by name or found from a postcode."""

    name = "municipality"
    fields = ("municipality", "postcode")
    legend = _("Municipality")
    table = "organisations_municipality"
    # A service in a municipality names it (m<id>) or, naming none, its organisation works in its area (o<area id>).
    tokens_sql = (
        "SELECT 'm' || id AS token, id AS place_id FROM organisations_municipality"
        " UNION ALL SELECT 'o' || area_id, id FROM organisations_municipality"
    )
    pattern = "^[0-9]{3}$"
    description = "Municipality code (three digits, /api/v1/municipalities/). Nationwide services are included."
    postcode_label = _("Postcode")
    postcode_hint = _("Five digits, e.g. 00530. We use it to find your municipality.")

    @property
    def params(self):
        return (
            *super().params,
            Param(
                "postcode",
                self.postcode_label,
                {"type": "string", "pattern": "^[0-9]{5}$"},
                "Finnish postal code; chooses its municipality (ignored when municipality is given).",
                hint=self.postcode_hint,
                attrs={"type": "text", "inputmode": "numeric", "autocomplete": "postal-code", "maxlength": "5"},
            ),
        )

    def form_fields(self):
        return {
            "municipality": _choice_field(
                self,
                # Codes and names only, kept under the data version: reading and ordering the ~300 took 2.5 ms of
                # every search with a municipality (validating the value reads the choices).
                lambda: cached_value(
                    "municipality-choices",
                    (),
                    lambda: list(Municipality.objects.order_by("name").values_list("code", "name")),
                    MUNICIPALITY_CHOICES_SECONDS,
                ),
                _("All municipalities"),
                _("Unknown municipality — showing all municipalities."),
            ),
            "postcode": forms.RegexField(
                label=self.postcode_label,
                required=False,
                regex=r"^\d{5}$",
                error_messages={"invalid": _("A postal code is five digits — showing all municipalities.")},
            ),
        }

    def clean(self, form, cleaned):
        postcode = cleaned.get("postcode")
        if not postcode:
            return
        code = PostalCode.objects.filter(code=postcode).values_list("municipality__code", flat=True).first()
        if code is None:
            form.add_error(
                "postcode",
                forms.ValidationError(_("Unknown postal code — showing all municipalities."), code="unknown_postcode"),
            )
        elif not cleaned.get("municipality"):
            cleaned["postcode_municipality"] = code

    def query_kwargs(self, cleaned):
        from_postcode = cleaned.get("postcode_municipality")
        return {
            "municipality": cleaned.get("municipality") or from_postcode or "",
            "postcode": (cleaned.get("postcode") or "") if from_postcode else "",
        }

    def to_params(self, query):
        if query.postcode:
            return {"postcode": query.postcode}
        return {"municipality": query.municipality} if query.municipality else {}

    def is_active(self, query):
        return bool(query.municipality)

    def without(self, query):
        # The point distances were measured from goes with the place (query.py).
        return dataclasses.replace(super().without(query), origin=None)

    def selected(self, query):
        return {query.municipality} if query.municipality else set()

    def condition(self, query):
        return service_area.facet_row_in_municipality(query.municipality)

    def broader(self, query):
        municipality = Municipality.objects.select_related("area").filter(code=query.municipality).first()
        if municipality is None:
            return []
        wider = dataclasses.replace(self.without(query), area=municipality.area.code)
        return [(gettext("In the whole wellbeing area %(area)s") % {"area": municipality.area.name}, wider)]


# --- What ---


class TaxonomyFilter(SearchFilter):
    """Codes of a taxonomy linked to services (any of the chosen codes)."""

    widget = "checkbox"
    many = True
    model: type
    relation: str  # the Service many-to-many field

    def form_fields(self):
        return {
            self.name: LenientMultipleChoiceField(
                label=self.legend,
                required=False,
                choices=lambda: list(self.model.objects.values_list("code", "name")),
            )
        }

    def query_kwargs(self, cleaned):
        return {self.fields[0]: tuple(cleaned.get(self.name) or ())}

    def condition(self, query):
        through = getattr(Service, self.relation).through
        link = f"{self.model._meta.model_name}__code__in"
        return Q(Exists(through.objects.filter(service_id=OuterRef("pk"), **{link: getattr(query, self.fields[0])})))

    def _tables(self):
        through = getattr(Service, self.relation).through
        return through._meta.db_table, self.model._meta.db_table, f"{self.model._meta.model_name}_id"

    def facet_sql(self, language):
        # The ids on the facet rows (migration 0014): no join of every match to the link table.
        _link, table, _column = self._tables()
        return (
            f"""
            SELECT %s, t.code, {label_sql("t", language)}, t."order", c.n
              FROM (SELECT taxonomy_id, count(*) AS n FROM {{base}} s
                      CROSS JOIN LATERAL unnest(s.{self.relation}) AS taxonomy_id GROUP BY 1) c
              JOIN {table} t ON t.id = c.taxonomy_id""",
            [self.name],
        )

    def selected_rows_sql(self, query, language):
        values = sorted(self.selected(query))
        if not values:
            return None
        _link, table, _column = self._tables()
        return (f'SELECT %s, code, {label_sql(table, language)}, "order", 0 FROM {table} WHERE code = ANY(%s)'), [
            self.name,
            values,
        ]

    def facet_values(self, entries, query):
        selected = self.selected(query)
        values = [
            (order, FacetValue(value, label or value, count, value in selected))
            for value, (label, order, count) in entries.items()
            if count or value in selected
        ]
        return [v for _order, v in sorted(values, key=lambda item: item[0])]


class LifeSituationFilter(TaxonomyFilter):
    name = "life_situation"
    fields = ("life_situations",)
    legend = _("Life situation")
    without_label = _("Without the life situation filter")
    model = LifeSituation
    relation = "life_situations"
    description = "Life situation codes (/api/v1/life-situations/); a service with any of them matches."


class ServiceClassFilter(TaxonomyFilter):
    name = "service_class"
    fields = ("service_classes",)
    legend = _("Type of service")
    without_label = _("Without the service type filter")
    model = ServiceClass
    relation = "service_classes"
    description = "Service class codes (/api/v1/service-classes/); a service with any of them matches."


# --- Who for ---

# Ages are inclusive ranges in years; "expecting" and "parents" are audiences (a service flag), not ages.
AGE_GROUPS = {"0-1": (0, 1), "1-6": (1, 6), "7-12": (7, 12), "13-17": (13, 17)}
AUDIENCES = {"expecting": "for_expecting", "parents": "for_parents"}


def age_overlaps(low: int, high: int) -> Q:
    """Services whose age range (either end may be open, not both) overlaps [low, high]."""
    return (
        (Q(age_min__isnull=True) | Q(age_min__lte=high))
        & (Q(age_max__isnull=True) | Q(age_max__gte=low))
        & (Q(age_min__isnull=False) | Q(age_max__isnull=False))
    )


class AgeFilter(SearchFilter):
    """A life stage (an age group or an audience), or one age in years."""

    name = "age_group"
    fields = ("age_range", "audience")
    legend = _("Child’s age or life stage")
    widget = "select"
    without_label = _("Without the age filter")
    age_label = _("Child’s age in years")
    description = "Age group or audience; see also age."

    def choices(self):
        return [
            ("expecting", _("Expecting a baby")),
            ("0-1", _("0–1 years")),
            ("1-6", _("1–6 years")),
            ("7-12", _("7–12 years")),
            ("13-17", _("13–17 years")),
            ("parents", _("Parents")),
        ]

    @property
    def params(self):
        return (
            *super().params,
            Param(
                "age",
                self.age_label,
                {"type": "integer", "minimum": 0, "maximum": MAX_AGE},
                "A child's age in whole years; services whose age range includes it (wins over age_group).",
                attrs={"type": "number", "min": "0", "max": str(MAX_AGE), "inputmode": "numeric"},
            ),
        )

    def form_fields(self):
        age_error = _("Give the child’s age in years, from 0 to 29 — showing all ages.")
        return {
            "age_group": _choice_field(self, self.choices, _("Any age"), _("Unknown age group — showing all ages.")),
            "age": forms.IntegerField(
                label=self.age_label,
                required=False,
                min_value=0,
                max_value=MAX_AGE,
                error_messages={
                    "invalid": _("Give the child’s age in whole years — showing all ages."),
                    "min_value": age_error,
                    "max_value": age_error,
                },
            ),
        }

    def query_kwargs(self, cleaned):
        group, age = cleaned.get("age_group") or "", cleaned.get("age")
        return {
            "age_range": (age, age) if age is not None else AGE_GROUPS.get(group),
            "audience": group if group in AUDIENCES and age is None else None,
        }

    def to_params(self, query):
        if query.audience:
            return {"age_group": query.audience}
        if query.age_range:
            group = next((code for code, rng in AGE_GROUPS.items() if rng == tuple(query.age_range)), None)
            return {"age_group": group} if group else {"age": str(query.age_range[0])}
        return {}

    def selected(self, query):
        if query.audience:
            return {query.audience}
        return {code for code, rng in AGE_GROUPS.items() if query.age_range and rng == tuple(query.age_range)}

    def condition(self, query):
        condition = Q()
        if query.age_range:
            condition &= age_overlaps(*query.age_range)
        if query.audience:
            condition &= Q(**{AUDIENCES[query.audience]: True})
        return condition

    def facet_sql(self, language):
        # One pass over {base}: a count per age group and audience, then one row per value.
        overlaps = (
            "(s.age_min IS NULL OR s.age_min <= %s) AND (s.age_max IS NULL OR s.age_max >= %s)"
            " AND (s.age_min IS NOT NULL OR s.age_max IS NOT NULL)"
        )
        counts, params = [], []
        for low, high in AGE_GROUPS.values():
            counts.append(f"count(*) FILTER (WHERE {overlaps})")
            params += [high, low]
        counts += [f"count(*) FILTER (WHERE s.{column})" for column in AUDIENCES.values()]
        return (
            f"""
            SELECT %s, x.code, '', 0, x.n
              FROM (SELECT ARRAY[{", ".join(counts)}] AS n FROM {{base}} s) c
             CROSS JOIN LATERAL unnest(%s::text[], c.n) AS x(code, n)""",
            [self.name, *params, [*AGE_GROUPS, *AUDIENCES]],
        )


class ArrayChoiceFilter(SearchFilter):
    """Fixed choices stored in an array column of the service: any of the chosen values."""

    widget = "checkbox"
    many = True
    column: str
    choice_class: type

    def choices(self):
        return list(self.choice_class.choices)

    def form_fields(self):
        return {self.name: LenientMultipleChoiceField(label=self.legend, required=False, choices=self.choices)}

    def query_kwargs(self, cleaned):
        return {self.fields[0]: tuple(cleaned.get(self.name) or ())}

    def condition(self, query):
        return Q(**{f"{self.column}__overlap": list(getattr(query, self.fields[0]))})

    def facet_sql(self, language):
        return (
            f"SELECT %s, code, '', 0, count(*) FROM {{base}} s CROSS JOIN LATERAL unnest(s.{self.column}) code "
            "GROUP BY 2",
            [self.name],
        )


class LanguageFilter(ArrayChoiceFilter):
    name = "language"
    fields = ("languages",)
    legend = _("Language served")
    without_label = _("Without the language filter")
    column = "languages"
    choice_class = Language
    description = "Languages the service is given in; any of them."


class AccessFilter(ArrayChoiceFilter):
    name = "access"
    fields = ("access",)
    legend = _("How to get in")
    without_label = _("Without the access filter")
    column = "access"
    choice_class = Access
    description = "How to get in: walk-in, booking, referral; any of them."


class CostFilter(SearchFilter):
    name = "cost"
    fields = ("cost",)
    legend = _("Cost")
    widget = "select"
    without_label = _("Without the cost filter")
    description = "Free or chargeable."

    def choices(self):
        return list(Cost.choices)

    def form_fields(self):
        return {
            "cost": _choice_field(
                self,
                self.choices,
                _("Free or chargeable"),
                _("Unknown cost — showing free and chargeable services."),
            )
        }

    def query_kwargs(self, cleaned):
        return {"cost": cleaned.get("cost") or ""}

    def condition(self, query):
        return Q(cost=query.cost)

    def facet_sql(self, language):
        return "SELECT %s, s.cost, '', 0, count(*) FROM {base} s GROUP BY 2", [self.name]


# Provider choices group the organisation kinds.
PROVIDER_KINDS = {
    "public": (Organisation.Kind.WELLBEING_AREA, Organisation.Kind.MUNICIPALITY),
    "ngo": (Organisation.Kind.NGO,),
    "parish": (Organisation.Kind.PARISH,),
    "private": (Organisation.Kind.PRIVATE, Organisation.Kind.OTHER),
}


class ProviderFilter(SearchFilter):
    name = "provider"
    fields = ("providers",)
    legend = _("Provider")
    widget = "checkbox"
    many = True
    without_label = _("Without the provider filter")
    description = "Kind of provider: public, NGO, parish or private; any of them."

    def choices(self):
        return [
            ("public", _("Public services")),
            ("ngo", _("Organisations (NGOs)")),
            ("parish", _("Parishes")),
            ("private", _("Private providers")),
        ]

    def form_fields(self):
        return {"provider": LenientMultipleChoiceField(label=self.legend, required=False, choices=self.choices)}

    def query_kwargs(self, cleaned):
        return {"providers": tuple(p for p in cleaned.get("provider") or () if p in PROVIDER_KINDS)}

    def condition(self, query):
        return Q(organisation__kind__in=[kind for p in query.providers for kind in PROVIDER_KINDS.get(p, ())])

    def facet_sql(self, language):
        cases = " ".join("WHEN s.kind = ANY(%s) THEN %s" for _provider in PROVIDER_KINDS)
        params = [self.name]
        for provider, kinds in PROVIDER_KINDS.items():
            params += [[str(kind) for kind in kinds], provider]
        return f"SELECT %s, CASE {cases} END, '', 0, count(*) FROM {{base}} s GROUP BY 2", params


# --- When ---


def open_service_ids(moment: dt.datetime | None = None) -> QuerySet:
    """Ids of the services with a location open at *moment* (default: now), from rules and exceptions, in SQL.

    The same rules as services/hours.py, for the wall-clock time in Europe/Helsinki: an exceptional date replaces
    that date's rules, and yesterday's hours that run past midnight count. Reads only today's and yesterday's rules
    and exceptions (indexes by weekday and by date, migration 0007).
    """
    local = timezone.localtime(moment or timezone.now(), HELSINKI)
    today, now = local.date(), local.time().replace(tzinfo=None)
    yesterday = today - dt.timedelta(days=1)

    # Uncorrelated sets of location ids, so PostgreSQL computes each once (hashed), not per location.
    def exception_locations(day, **conditions):
        return LocationException.objects.filter(date=day, **conditions).values("location_id")

    def rule_locations(day, *conditions, **kwargs):
        return LocationOpeningHours.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            *conditions,
            weekday=day.isoweekday(),
            **kwargs,
        ).values("location_id")

    # Intervals starting today that have begun and not ended (overnight ones end tomorrow) ...
    open_from_today = (
        Q(id__in=rule_locations(today, Q(closes__gt=now) | Q(over_midnight=True), opens__lte=now))
        & ~Q(id__in=exception_locations(today))
    ) | Q(
        id__in=exception_locations(today).filter(
            Q(closes__gt=now) | Q(closes__lte=F("opens")), closed=False, opens__lte=now
        )
    )
    # ... and yesterday's intervals that run past midnight and have not closed yet.
    open_from_yesterday = (
        Q(id__in=rule_locations(yesterday, over_midnight=True, closes__gt=now))
        & ~Q(id__in=exception_locations(yesterday))
    ) | Q(id__in=exception_locations(yesterday, closed=False, closes__lte=F("opens"), closes__gt=now))
    return Location.objects.filter(open_from_today | open_from_yesterday).order_by().values("service_id")


# The services open in a minute, kept a little longer than the minute (the key changes with it anyway).
OPEN_NOW_SECONDS = 90


def open_service_id_list(moment: dt.datetime | None, version: int) -> list[int]:
    """The ids of open_service_ids(*moment*), sorted; cached under the data *version* and the local minute, so the
    searches of a minute read the opening hours once (a data change moves the version, a new minute the key)."""
    moment = moment or timezone.now()
    minute = timezone.localtime(moment, HELSINKI).strftime("%Y-%m-%dT%H:%M")
    return cached_value(
        "search-open-now",
        (minute,),
        lambda: sorted(set(open_service_ids(moment).values_list("service_id", flat=True))),
        OPEN_NOW_SECONDS,
        version=version,
        per_language=False,
    )


def open_now_q(moment: dt.datetime | None = None) -> Q:
    """Services with a location open at *moment* (default: now); see open_service_ids()."""
    return Q(pk__in=open_service_ids(moment))


class OpenNowFilter(SearchFilter):
    name = "open_now"
    fields = ("open_now",)
    legend = _("Opening hours")
    widget = "toggle"
    without_label = _("Also services that are closed now")
    description = "Only services with a location open at this moment (Europe/Helsinki)."

    def choices(self):
        return [("1", pgettext_lazy("facet", "Open now"))]

    def value_schema(self):
        return {"type": "boolean"}

    def form_fields(self):
        return {"open_now": forms.BooleanField(label=pgettext_lazy("facet", "Open now"), required=False)}

    def query_kwargs(self, cleaned):
        return {"open_now": bool(cleaned.get("open_now"))}

    def to_params(self, query):
        return {"open_now": "1"} if query.open_now else {}

    def selected(self, query):
        return {"1"} if query.open_now else set()

    def condition(self, query):
        return open_now_q()

    def facet_sql(self, language):
        # The CTE open_now holds the ids of the services open now, each once (facets.py computes it once, for the
        # same moment as the cache key's minute).
        return "SELECT %s, '1', '', 0, count(*) FROM {base} s JOIN open_now o ON o.service_id = s.id", [self.name]


# The filters in the order the search page shows them.
FILTERS: tuple[SearchFilter, ...] = (
    AreaFilter(),
    MunicipalityFilter(),
    LifeSituationFilter(),
    AgeFilter(),
    ServiceClassFilter(),
    LanguageFilter(),
    CostFilter(),
    ProviderFilter(),
    AccessFilter(),
    OpenNowFilter(),
)
FILTERS_BY_NAME = {f.name: f for f in FILTERS}


def active_filters(query) -> list[SearchFilter]:
    return [f for f in FILTERS if f.is_active(query)]


def filter_q(query, *, exclude: SearchFilter | None = None) -> Q:
    """The structured filters of *query* as one Q on the facet rows, leaving out *exclude* (for that filter's facet)."""
    condition = Q()
    for search_filter in active_filters(query):
        if search_filter is not exclude:
            condition &= search_filter.condition(query)
    return condition


def find_filter(name: str) -> SearchFilter:
    """A filter by its name, one of its parameters or one of its SearchQuery fields."""
    for search_filter in FILTERS:
        if name == search_filter.name or name in search_filter.fields or name in {p.name for p in search_filter.params}:
            return search_filter
    raise KeyError(name)
