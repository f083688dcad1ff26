"""The family-facing service search: one core for the HTML search page and the REST API.

Matching
    Each search word must match, in one of two ways:
    - full-text search on the precomputed per-language vectors (``finnish`` on the Finnish fields,
      ``swedish`` on the Swedish ones, ``english`` on the English ones; weights name A, summary B,
      description C, keywords + class + life-situation names D) with prefix matching on the stem:
      ``lastenneuvolassa`` → ``lastenneuvol:*``;
    - trigram word similarity (``%>``) against ``search_text``, the folded names, keywords, class
      and life-situation names: finds words inside Finnish and Swedish compounds (``neuvola`` in
      *lastenneuvola*, ``rådgivning`` in *barnrådgivning*) and survives a typo (``lastenneuvla``);
      with Voikko installed (optional), also by the word's Finnish base form (``neuvolassa``).
    Stop words (``ja``, ``och``) are ignored. Swedish pages search the Swedish and the Finnish
    vectors, English pages the English and the Finnish ones; the page's language ranks first.

Service area
    A service is given in its municipalities; if it names none, in its organisation's wellbeing
    areas; if the organisation names none either, in the whole country. Area and municipality
    filters therefore keep the nationwide services too, ranked after the local ones.

Open now
    Computed in SQL from the weekly rules and exceptional dates of the service's locations for the
    current wall-clock time in Europe/Helsinki, with the same rules as services/hours.py: an
    exceptional date replaces that date's rules, and yesterday's hours that run past midnight count.

The precomputed columns are maintained by triggers (services/migrations/0003_search.py).
"""

# The facet and broader-search SQL is assembled from constants, column names and Django-compiled
# querysets; every value is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import re
import threading
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ACos, Coalesce, Collate, Cos, Greatest, Least, NullIf, Radians, Sin
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from organisations.models import Municipality, Organisation

from . import querysets as service_area
from .choices import Access, Cost, Language
from .hours import HELSINKI
from .models import Location, LocationException, LocationOpeningHours, Service

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8

# Ages are inclusive ranges in years; "expecting" and "parents" are audiences, not ages.
AGE_GROUPS = {"0-1": (0, 1), "1-6": (1, 6), "7-12": (7, 12), "13-17": (13, 17)}
AUDIENCES = ("expecting", "parents")
AGE_GROUP_CODES = ("expecting", "0-1", "1-6", "7-12", "13-17", "parents")

PROVIDER_KINDS = {
    "public": (Organisation.Kind.WELLBEING_AREA, Organisation.Kind.MUNICIPALITY),
    "ngo": (Organisation.Kind.NGO,),
    "parish": (Organisation.Kind.PARISH,),
    "private": (Organisation.Kind.PRIVATE, Organisation.Kind.OTHER),
}
SORTS = ("relevance", "name", "distance")

# The page language's text search configuration first, then the fallback.
TEXT_SEARCH = {
    "fi": (("fi", "finnish"),),
    "sv": (("sv", "swedish"), ("fi", "finnish")),
    "en": (("en", "english"), ("fi", "finnish")),
}

# Mirrors the SQL function search_fold() (migration 0003); a test keeps the two in step.
_FOLD = str.maketrans("åäöæøüáàâãāéèêëēíìîïóòôõúùûūñńçčšśžźýÿđðþ", "aaoaouaaaaaeeeeeiiiioooouuuunnccsszzyyddt")
# Mirrors search_sort_key(): å ä ö after z, as in Finnish and Swedish.
_SORT = str.maketrans("åäæöøüáàâãāéèêëēíìîïóòôõúùûūñńçčšśžźýÿđðþ", "{||}}yaaaaaeeeeeiiiioooouuuunnccsszzyyddt")
_WORD_RE = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    return text.lower().translate(_FOLD)


def sort_key(text: str) -> str:
    return text.strip(" \"'«»”“").lower().translate(_SORT)


def search_terms(q: str) -> list[str]:
    """The words of a query (letters and digits only, so nothing reaches tsquery syntax)."""
    terms = []
    for word in _WORD_RE.findall(q.lower()):
        if word not in terms:
            terms.append(word[:60])
    return terms[:MAX_TERMS]


# --- The query ---


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    area: str = ""
    municipality: str = ""
    postcode: str = ""
    life_situations: tuple[str, ...] = ()
    service_classes: tuple[str, ...] = ()
    age_range: tuple[int, int] | None = None
    audience: str | None = None
    languages: tuple[str, ...] = ()
    cost: str = ""
    providers: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    open_now: bool = False
    sort: str = ""
    lat: float | None = None
    lon: float | None = None

    @property
    def terms(self) -> list[str]:
        return search_terms(self.q)

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def effective_sort(self) -> str:
        if self.sort == "distance" and self.has_location:
            return "distance"
        if self.sort == "name" or not self.terms:
            return "name"
        return "relevance"

    def without(self, name: str) -> SearchQuery:
        """This query with one filter (a field name, or "age_group"/"postcode") removed."""
        if name in ("municipality", "postcode"):
            return dataclasses.replace(self, municipality="", postcode="")
        if name in ("age", "age_group", "age_range", "audience"):
            return dataclasses.replace(self, age_range=None, audience=None)
        default = next(f for f in dataclasses.fields(self) if f.name == name).default
        return dataclasses.replace(self, **{name: default})

    def as_params(self) -> dict:
        """GET parameters that ServiceSearchForm turns back into this query (lists for multi-values)."""
        params: dict = {}
        if self.q:
            params["q"] = self.q
        if self.area:
            params["area"] = self.area
        if self.postcode:
            params["postcode"] = self.postcode
        elif self.municipality:
            params["municipality"] = self.municipality
        for key, values in (
            ("life_situation", self.life_situations),
            ("service_class", self.service_classes),
            ("language", self.languages),
            ("provider", self.providers),
            ("access", self.access),
        ):
            if values:
                params[key] = list(values)
        if self.audience:
            params["age_group"] = self.audience
        elif self.age_range:
            group = next((code for code, rng in AGE_GROUPS.items() if rng == tuple(self.age_range)), None)
            if group:
                params["age_group"] = group
            else:
                params["age"] = str(self.age_range[0])
        if self.cost:
            params["cost"] = self.cost
        if self.open_now:
            params["open_now"] = "1"
        if self.sort:
            params["sort"] = self.sort
        if self.has_location:
            params["lat"] = f"{self.lat:.5f}"
            params["lon"] = f"{self.lon:.5f}"
        return params

    @property
    def active_filters(self) -> list[str]:
        """Names of the filters (not q, sort or location) that narrow this query, in display order."""
        names = []
        for name in (
            "area",
            "municipality",
            "life_situations",
            "service_classes",
            "languages",
            "cost",
            "providers",
            "access",
            "open_now",
        ):
            if getattr(self, name):
                names.append(name)
        if self.age_range or self.audience:
            names.insert(4, "age_group")
        return names


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Broader:
    label: str
    query: SearchQuery
    count: int = field(default=0)


# --- Filters (each a Q on Service, so they compose into any queryset) ---

# Where a service is given: one definition, shared with ServiceQuerySet.in_area().
_local_to_area = service_area.local_to_area
_local_to_municipality = service_area.local_to_municipality
_named_municipality = service_area.named_municipality
_nationwide = service_area.nationwide


def _age_overlaps(low: int, high: int) -> Q:
    return (
        (Q(age_min__isnull=True) | Q(age_min__lte=high))
        & (Q(age_max__isnull=True) | Q(age_max__gte=low))
        & (Q(age_min__isnull=False) | Q(age_max__isnull=False))
    )


def open_now_q(moment: dt.datetime | None = None) -> Q:
    """Services with a location open at *moment* (default: now), from rules and exceptions, in SQL."""
    local = timezone.localtime(moment or timezone.now(), HELSINKI)
    today, now = local.date(), local.time().replace(tzinfo=None)
    yesterday = today - dt.timedelta(days=1)

    # Uncorrelated sets of location ids, so PostgreSQL computes each once (hashed), not per service.
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
    return Q(pk__in=Location.objects.filter(open_from_today | open_from_yesterday).values("service_id"))


def _stopword_free(config: str, term: str):
    """True in SQL when *term* is only a stop word in *config* (then it must not block a match)."""
    return RawSQL("numnode(to_tsquery(%s::regconfig, %s)) = 0", (config, term), output_field=BooleanField())


def _prefix_tsquery(config: str, terms: list[str], operator: str = "&") -> PgSearchQuery:
    return PgSearchQuery(f" {operator} ".join(f"{t}:*" for t in terms), search_type="raw", config=config)


@functools.cache
def _voikko():
    """Voikko's Finnish analyser if libvoikko and a Finnish dictionary are installed, else None."""
    try:
        import libvoikko

        return libvoikko.Voikko("fi"), threading.Lock()
    except Exception:  # ImportError, OSError (no libvoikko.so), VoikkoException (no dictionary)
        logger.info("Voikko not available; Finnish search words are matched without base forms")
        return None


def base_forms(term: str) -> list[str]:
    """Finnish base forms of an inflected word ("neuvolassa" → "neuvola") when Voikko is installed.

    Optional: trigram matching already finds words inside compounds and survives typos, but an
    inflected compound part ("neuvolassa", "puheterapeutille") is too far from the compound by
    trigrams; its base form is not. See benchmarks/README.md for the measurement.
    """
    analyser = _voikko()
    if analyser is None or len(term) < 4:
        return []
    voikko, lock = analyser
    with lock:  # a Voikko handle is not thread-safe
        analyses = voikko.analyze(term)
    forms = []
    for analysis in analyses:
        form = (analysis.get("BASEFORM") or "").lower()
        if form and form != term and form not in forms and _WORD_RE.fullmatch(form):
            forms.append(form)
    return forms[:2]


def text_match_q(terms: list[str], language: str) -> Q:
    """Every term matches the page language's (or fallback) vector, or a folded name by trigrams."""
    condition = Q()
    for term in terms:
        term_q = Q()
        for lang, config in TEXT_SEARCH.get(language, TEXT_SEARCH["fi"]):
            term_q |= Q(**{f"search_vector_{lang}": _prefix_tsquery(config, [term])})
        for variant in [term, *base_forms(term)]:
            if len(variant) >= 3:
                term_q |= Q(search_text__trigram_word_similar=fold(variant))
        # A stop word matches nothing by itself; let it pass instead of sinking the whole query.
        for _lang, config in TEXT_SEARCH.get(language, TEXT_SEARCH["fi"])[:1]:
            term_q |= Q(_stopword_free(config, term))
        condition &= term_q
    return condition


def filter_q(query: SearchQuery, *, exclude: str = "") -> Q:
    """The structured filters of *query* as one Q, leaving out the dimension *exclude* (for facets)."""
    condition = Q()
    if query.area and exclude != "area":
        condition &= _local_to_area(query.area) | _nationwide()
    if query.municipality and exclude != "municipality":
        condition &= _local_to_municipality(query.municipality) | _nationwide()
    if query.life_situations and exclude != "life_situations":
        condition &= Q(
            Exists(
                Service.life_situations.through.objects.filter(
                    service_id=OuterRef("pk"), lifesituation__code__in=query.life_situations
                )
            )
        )
    if query.service_classes and exclude != "service_classes":
        condition &= Q(
            Exists(
                Service.service_classes.through.objects.filter(
                    service_id=OuterRef("pk"), serviceclass__code__in=query.service_classes
                )
            )
        )
    if exclude != "age_group":
        if query.age_range:
            condition &= _age_overlaps(*query.age_range)
        if query.audience == "expecting":
            condition &= Q(for_expecting=True)
        elif query.audience == "parents":
            condition &= Q(for_parents=True)
    if query.languages and exclude != "languages":
        condition &= Q(languages__overlap=list(query.languages))
    if query.cost and exclude != "cost":
        condition &= Q(cost=query.cost)
    if query.providers and exclude != "providers":
        kinds = [kind for provider in query.providers for kind in PROVIDER_KINDS.get(provider, ())]
        condition &= Q(organisation__kind__in=kinds)
    if query.access and exclude != "access":
        condition &= Q(access__overlap=list(query.access))
    if query.open_now and exclude != "open_now":
        condition &= open_now_q()
    return condition


def matching_services(
    query: SearchQuery,
    *,
    language: str,
    exclude: str = "",
    text_ids_sql: str = "",
    text_ids: list[int] | None = None,
) -> QuerySet[Service]:
    """Published services matching the words and filters, unordered and unannotated (for counting).

    *text_ids_sql* (SQL giving the ids that match the words) or *text_ids* (those ids, already
    fetched) replaces the word matching, so a query that needs the same words several times (the
    facets, or the ranked page and the facets) matches them once.
    """
    qs = Service.objects.published().filter(filter_q(query, exclude=exclude))
    if query.terms and exclude != "q":
        if text_ids is not None:
            qs = qs.filter(_id_in(text_ids))
        elif text_ids_sql:
            qs = qs.filter(pk__in=RawSQL(text_ids_sql, ()))  # noqa: S611 - constant SQL
        else:
            qs = qs.filter(text_match_q(query.terms, language))
    return qs.order_by()


def _id_in(ids: list[int]) -> Q:
    # One array parameter, not one placeholder per id.
    return Q(RawSQL('"services_service"."id" = ANY(%s)', (ids,), output_field=BooleanField()))  # noqa: S611


# --- Ranking and ordering ---


def _name_expression(language: str):
    if language == "fi":
        return F("name_fi")
    return Coalesce(NullIf(F(f"name_{language}"), Value("")), F("name_fi"))


def _relevance(terms: list[str], language: str):
    phrase = fold(" ".join(terms))
    score = None
    for position, (lang, config) in enumerate(TEXT_SEARCH.get(language, TEXT_SEARCH["fi"])):
        rank = SearchRank(F(f"search_vector_{lang}"), _prefix_tsquery(config, terms, "|"))
        score = rank if position == 0 else score + rank * 0.5
    name_similarity = TrigramWordSimilarity(
        Value(phrase), Func(_name_expression(language), function="search_fold", output_field=FloatField())
    )
    return score + name_similarity


def _distance_km(lat: float, lon: float):
    """Great-circle distance to the nearest location with coordinates (spherical law of cosines)."""
    lat_r, lon_r = Radians(Value(lat)), Radians(Value(lon))
    cosine = Sin(lat_r) * Sin(Radians(F("latitude"))) + Cos(lat_r) * Cos(Radians(F("latitude"))) * Cos(
        Radians(F("longitude")) - lon_r
    )
    # Clamp: rounding can take the cosine a hair outside [-1, 1] for the same point.
    distance = ACos(Greatest(Value(-1.0), Least(Value(1.0), cosine))) * 6371.0
    nearest = (
        Location.objects.filter(service_id=OuterRef("pk"), latitude__isnull=False, longitude__isnull=False)
        .annotate(km=distance)
        .order_by("km")
        .values("km")[:1]
    )
    return Subquery(nearest, output_field=FloatField())


def _locality(query: SearchQuery):
    """2 = named municipality, 1 = the chosen area, 0 = nationwide (only when a place is chosen)."""
    if query.municipality:
        return Case(
            When(_named_municipality(query.municipality), then=Value(2)),
            When(_local_to_municipality(query.municipality), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    if query.area:
        return Case(When(_local_to_area(query.area), then=Value(1)), default=Value(0), output_field=IntegerField())
    return None


def card_prefetches() -> list:
    yesterday = timezone.localdate(timezone=HELSINKI) - dt.timedelta(days=1)
    locations = Location.objects.select_related("municipality").prefetch_related(
        "opening_hours",
        Prefetch("exceptions", queryset=LocationException.objects.filter(date__gte=yesterday)),
    )
    return ["service_classes", Prefetch("locations", queryset=locations)]


def _for_cards(qs: QuerySet[Service]) -> QuerySet[Service]:
    return (
        qs.select_related("organisation")
        .prefetch_related(*card_prefetches())
        .defer("search_vector_fi", "search_vector_sv", "search_vector_en", "search_text")
    )


def search_services(query: SearchQuery, *, language: str) -> QuerySet[Service]:
    """Published services for *query*, ranked and ordered, with what a result card shows prefetched."""
    return _for_cards(_ranked(query, language=language))


def _ranked(query: SearchQuery, *, language: str, text_ids: list[int] | None = None) -> QuerySet[Service]:
    language = language if language in TEXT_SEARCH else "fi"
    qs = matching_services(query, language=language, text_ids=text_ids)
    order = []
    locality = _locality(query)
    if locality is not None:
        qs = qs.annotate(locality=locality)
        order.append(F("locality").desc())
    if query.has_location:
        qs = qs.annotate(distance_km=_distance_km(query.lat, query.lon))
    sort = query.effective_sort
    name_key = Collate(Func(_name_expression(language), function="search_sort_key"), "C")
    if sort == "relevance":
        qs = qs.annotate(relevance=_relevance(query.terms, language))
        order += [F("relevance").desc(), name_key]
    elif sort == "distance":
        order += [F("distance_km").asc(nulls_last=True), name_key]
    else:
        order.append(name_key)
    return qs.order_by(*order, "pk")


def results_page(queryset, page_number):
    """A page of results; a missing, malformed or too large page number gives the first or last page."""
    return Paginator(queryset, PAGE_SIZE).get_page(page_number)


@dataclass
class SearchResults:
    page: Page
    facets: dict[str, list[FacetValue]]
    broader: list[Broader]


def run_search(query: SearchQuery, *, language: str, page_number) -> SearchResults:
    """What the search page shows: one page of results, the facet counts and, if nothing matched, wider searches.

    With search words, the word matching and ranking (the expensive part at national scale) run once:
    one query gives the ids of every match in result order, and the count, the page and the facets
    all read them. With words and filters, the facets that ignore their own filter need the words
    without the filters, so those ids are fetched first (one query more) and both the ranked query
    and the facets read them instead of matching the words again. Without words the filters alone
    are cheap, and the count and one page come from the name index.
    """
    language = language if language in TEXT_SEARCH else "fi"
    if query.terms:
        text_ids = None
        if set(query.active_filters) & set(FACET_DIMENSIONS.values()):
            text_ids = list(
                Service.objects.published()
                .filter(text_match_q(query.terms, language))
                .order_by()
                .values_list("pk", flat=True)
            )
        ids = list(_ranked(query, language=language, text_ids=text_ids).values_list("pk", flat=True))
        page = Paginator(ids, PAGE_SIZE).get_page(page_number)
        page.object_list = _cards_in_order(query, list(page.object_list))
        facets = facet_counts(query, language=language, ids=ids, text_ids=text_ids)
    else:
        page = results_page(search_services(query, language=language), page_number)
        facets = facet_counts(query, language=language)
    broader = broader_searches(query, language=language) if page.paginator.count == 0 else []
    return SearchResults(page, facets, broader)


def _cards_in_order(query: SearchQuery, ids: list[int]) -> list[Service]:
    if not ids:
        return []
    qs = _for_cards(Service.objects.filter(_id_in(ids)))
    if query.has_location:
        qs = qs.annotate(distance_km=_distance_km(query.lat, query.lon))
    by_id = {service.pk: service for service in qs}
    return [by_id[pk] for pk in ids if pk in by_id]


# --- Facets ---


def _label_sql(table_alias: str, language: str) -> str:
    if language == "fi":
        return f"{table_alias}.name_fi"
    return f"coalesce(nullif({table_alias}.{'name_' + language}, ''), {table_alias}.name_fi)"


_FACET_COLUMNS = (
    "pk",
    "organisation_id",
    "age_min",
    "age_max",
    "for_expecting",
    "for_parents",
    "languages",
    "cost",
    "access",
    "organisation__kind",
)
# values() orders its columns as it likes, so the CTE names them explicitly.
_FACET_CTE_SELECT = (
    'SELECT "pk" AS id, "organisation_id", "age_min", "age_max", "for_expecting", "for_parents", '
    '"languages", "cost", "access", "organisation__kind" AS kind FROM ({sql}) AS rows'
)


FACET_DIMENSIONS = {
    # facet key: SearchQuery field that it filters on
    "area": "area",
    "municipality": "municipality",
    "life_situation": "life_situations",
    "service_class": "service_classes",
    "age_group": "age_group",
    "language": "languages",
    "cost": "cost",
    "provider": "providers",
    "access": "access",
    "open_now": "open_now",
}


# Services given nationwide are in every area's and municipality's results, so in their counts too.
_NATIONWIDE_SQL = """
            UNION ALL
            SELECT '{facet}', '*', '', 0, count(*) FROM {{base}} s
             WHERE NOT EXISTS (SELECT 1 FROM services_service_municipalities sm WHERE sm.service_id = s.id)
               AND NOT EXISTS (SELECT 1 FROM organisations_organisation_areas oa
                                WHERE oa.organisation_id = s.organisation_id)"""


def _facet_parts(language: str) -> dict[str, str]:
    """SQL per facet giving rows (facet, value, label, sort, count) over the ids in CTE {base}."""
    # Only constants and column names are interpolated here; values travel as query parameters.
    label = _label_sql
    return {
        "area": f"""
            SELECT 'area', a.code, {label("a", language)}, 0, count(*)
              FROM (SELECT DISTINCT sm.service_id, m.area_id FROM services_service_municipalities sm
                      JOIN organisations_municipality m ON m.id = sm.municipality_id
                     WHERE sm.service_id IN (SELECT id FROM {{base}})
                    UNION ALL
                    SELECT s.id, oa.wellbeingarea_id FROM {{base}} s
                      JOIN organisations_organisation_areas oa ON oa.organisation_id = s.organisation_id
                     WHERE NOT EXISTS (SELECT 1 FROM services_service_municipalities sm
                                        WHERE sm.service_id = s.id)) x
              JOIN organisations_wellbeingarea a ON a.id = x.area_id
             GROUP BY 2, 3"""
        + _NATIONWIDE_SQL.format(facet="area"),
        "municipality": f"""
            SELECT 'municipality', m.code, {label("m", language)}, 0, count(*)
              -- A service either names municipalities or is area-wide, so no service is counted twice.
              FROM (SELECT sm.service_id, sm.municipality_id FROM services_service_municipalities sm
                     WHERE sm.service_id IN (SELECT id FROM {{base}})
                    UNION ALL
                    SELECT s.id, m2.id FROM {{base}} s
                      JOIN organisations_organisation_areas oa ON oa.organisation_id = s.organisation_id
                      JOIN organisations_municipality m2 ON m2.area_id = oa.wellbeingarea_id
                     WHERE NOT EXISTS (SELECT 1 FROM services_service_municipalities sm
                                        WHERE sm.service_id = s.id)) x
              JOIN organisations_municipality m ON m.id = x.municipality_id
             GROUP BY 2, 3"""
        + _NATIONWIDE_SQL.format(facet="municipality"),
        "life_situation": f"""
            SELECT 'life_situation', t.code, {label("t", language)}, t."order", count(*)
              FROM services_service_life_situations link
              JOIN services_lifesituation t ON t.id = link.lifesituation_id
             WHERE link.service_id IN (SELECT id FROM {{base}})
             GROUP BY 2, 3, 4""",
        "service_class": f"""
            SELECT 'service_class', t.code, {label("t", language)}, t."order", count(*)
              FROM services_service_service_classes link
              JOIN services_serviceclass t ON t.id = link.serviceclass_id
             WHERE link.service_id IN (SELECT id FROM {{base}})
             GROUP BY 2, 3, 4""",
        "age_group": """
            SELECT 'age_group', g.code, '', 0, count(*)
              FROM {base} s
              JOIN (VALUES ('0-1', 0, 1), ('1-6', 1, 6), ('7-12', 7, 12), ('13-17', 13, 17))
                   AS g(code, low, high)
                ON (s.age_min IS NULL OR s.age_min <= g.high) AND (s.age_max IS NULL OR s.age_max >= g.low)
               AND (s.age_min IS NOT NULL OR s.age_max IS NOT NULL)
             GROUP BY 2
            UNION ALL
            SELECT 'age_group', a.code, '', 0, a.n
              FROM (SELECT count(*) FILTER (WHERE s.for_expecting) AS expecting,
                           count(*) FILTER (WHERE s.for_parents) AS parents FROM {base} s) c
             CROSS JOIN LATERAL (VALUES ('expecting', c.expecting), ('parents', c.parents)) AS a(code, n)""",
        "language": """
            SELECT 'language', code, '', 0, count(*)
              FROM {base} s CROSS JOIN LATERAL unnest(s.languages) code
             GROUP BY 2""",
        "cost": """
            SELECT 'cost', s.cost, '', 0, count(*) FROM {base} s GROUP BY 2""",
        "provider": """
            SELECT 'provider', CASE s.kind WHEN 'wellbeing_area' THEN 'public'
                                           WHEN 'municipality' THEN 'public'
                                           WHEN 'other' THEN 'private' ELSE s.kind END, '', 0, count(*)
              FROM {base} s GROUP BY 2""",
        "access": """
            SELECT 'access', code, '', 0, count(*)
              FROM {base} s CROSS JOIN LATERAL unnest(s.access) code
             GROUP BY 2""",
        "open_now": """
            SELECT 'open_now', '1', '', 0, count(*) FROM {base}_open""",
    }


def _selected_labels_sql(query: SearchQuery, language: str) -> tuple[str, list]:
    """Rows with count 0 for selected taxonomy/place values, so a selection always shows (to undo it)."""
    parts, params = [], []
    for facet, table, values in (
        ("area", "organisations_wellbeingarea", [query.area] if query.area else []),
        ("municipality", "organisations_municipality", [query.municipality] if query.municipality else []),
        ("life_situation", "services_lifesituation", list(query.life_situations)),
        ("service_class", "services_serviceclass", list(query.service_classes)),
    ):
        if values:
            order = '"order"' if facet in ("life_situation", "service_class") else "0"
            parts.append(
                f"SELECT '{facet}', code, {_label_sql(table, language)}, {order}, 0 FROM {table} WHERE code = ANY(%s)"
            )
            params.append(values)
    return " UNION ALL ".join(parts), params


def _choice_labels() -> dict[str, dict[str, str]]:
    return {
        "age_group": {
            "expecting": gettext("Expecting a baby"),
            "0-1": gettext("0–1 years"),
            "1-6": gettext("1–6 years"),
            "7-12": gettext("7–12 years"),
            "13-17": gettext("13–17 years"),
            "parents": gettext("Parents"),
        },
        "language": {code: str(label) for code, label in Language.choices},
        "cost": {code: str(label) for code, label in Cost.choices},
        "provider": {
            "public": gettext("Public services"),
            "ngo": gettext("Organisations (NGOs)"),
            "parish": gettext("Parishes"),
            "private": gettext("Private providers"),
        },
        "access": {code: str(label) for code, label in Access.choices},
        "open_now": {"1": pgettext("facet", "Open now")},
    }


def _selected_values(query: SearchQuery) -> dict[str, set[str]]:
    age = set()
    if query.audience:
        age.add(query.audience)
    elif query.age_range:
        age.update(code for code, rng in AGE_GROUPS.items() if rng == tuple(query.age_range))
    return {
        "area": {query.area} - {""},
        "municipality": {query.municipality} - {""},
        "life_situation": set(query.life_situations),
        "service_class": set(query.service_classes),
        "age_group": age,
        "language": set(query.languages),
        "cost": {query.cost} - {""},
        "provider": set(query.providers),
        "access": set(query.access),
        "open_now": {"1"} if query.open_now else set(),
    }


def facet_counts(
    query: SearchQuery, *, language: str, ids: list[int] | None = None, text_ids: list[int] | None = None
) -> dict[str, list[FacetValue]]:
    """Counts per facet value, each facet ignoring its own selection; one SQL query.

    *ids*, when given, are the services matching *query* (from run_search), so they are not matched
    again; *text_ids*, when given, are the published services matching its words alone.
    """
    language = language if language in TEXT_SEARCH else "fi"
    active = set(query.active_filters)
    ctes, params = [], []

    def add_cte(name, qs):
        # One pass over the wide service rows; the facets then read these narrow rows.
        sql, cte_params = qs.values(*_FACET_COLUMNS).query.sql_with_params()
        ctes.append(f"{name} AS MATERIALIZED ({_FACET_CTE_SELECT.format(sql=sql)})")
        params.extend(cte_params)

    text_ids_sql = ""
    if query.terms and active & set(FACET_DIMENSIONS.values()):
        # The facets that ignore their own filter still need the words: match them once for all
        # (or read the ids run_search already fetched, passed once as an array).
        if text_ids is not None:
            text_sql, text_params = "SELECT unnest(%s::bigint[])", [text_ids]
        else:
            text_sql, text_params = (
                Service.objects.published()
                .filter(text_match_q(query.terms, language))
                .values("pk")
                .query.sql_with_params()
            )
        ctes.append(f"matched_text(id) AS MATERIALIZED ({text_sql})")
        params.extend(text_params)
        text_ids_sql = "SELECT id FROM matched_text"
    if ids is not None:
        add_cte("base", Service.objects.filter(_id_in(ids)).order_by())
    else:
        add_cte("base", matching_services(query, language=language, text_ids_sql=text_ids_sql))
    bases = {}
    for facet, dimension in FACET_DIMENSIONS.items():
        if dimension in active:
            bases[facet] = f"base_{facet}"
            add_cte(
                bases[facet],
                matching_services(query, language=language, exclude=dimension, text_ids_sql=text_ids_sql),
            )
        else:
            bases[facet] = "base"
    open_ids = f"{bases['open_now']}_open"
    open_sql, open_params = (
        Service.objects.filter(pk__in=RawSQL(f"SELECT id FROM {bases['open_now']}", ()))  # noqa: S611
        .filter(open_now_q())
        .values("pk")
        .query.sql_with_params()
    )
    ctes.append(f"{open_ids}(id) AS MATERIALIZED ({open_sql})")
    params.extend(open_params)

    parts = _facet_parts(language)
    selects = []
    for facet, sql in parts.items():
        selects.append(sql.format(base=bases[facet]))
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(f"({s})" for s in selects)
    selected_sql, selected_params = _selected_labels_sql(query, language)
    if selected_sql:
        sql += " UNION ALL " + selected_sql
        params.extend(selected_params)

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _build_facets(query, rows)


def _build_facets(query: SearchQuery, rows) -> dict[str, list[FacetValue]]:
    counts: dict[str, dict[str, list]] = {facet: {} for facet in FACET_DIMENSIONS}
    for facet, value, label, order, count in rows:
        entry = counts[facet].setdefault(value, [label, order, 0])
        entry[2] = max(entry[2], count)
    selected = _selected_values(query)
    choice_labels = _choice_labels()
    result = {}
    for facet, entries in counts.items():
        values = []
        choices = choice_labels.get(facet)
        if choices is not None:
            for position, (value, label) in enumerate(choices.items()):
                count = entries.get(value, [None, 0, 0])[2]
                if count or value in selected[facet]:
                    values.append((position, FacetValue(value, label, count, value in selected[facet])))
            result[facet] = [v for _p, v in values]
            continue
        nationwide = entries.pop("*", [None, 0, 0])[2]
        for value, (label, order, count) in entries.items():
            if facet in ("area", "municipality") and (count or value in selected[facet]):
                count += nationwide
            if count or value in selected[facet]:
                key = order if facet in ("life_situation", "service_class") else sort_key(label or "")
                values.append((key, FacetValue(value, label or value, count, value in selected[facet])))
        result[facet] = [v for _k, v in sorted(values, key=lambda item: item[0])]
    return result


# --- When nothing matches ---


def broader_searches(query: SearchQuery, *, language: str) -> list[Broader]:
    """Wider versions of *query* that do find something, with their counts (one SQL query)."""
    language = language if language in TEXT_SEARCH else "fi"
    candidates: list[tuple[str, SearchQuery]] = []
    if query.municipality:
        municipality = Municipality.objects.select_related("area").filter(code=query.municipality).first()
        if municipality is not None:
            wider = dataclasses.replace(query.without("municipality"), area=municipality.area.code)
            candidates.append(
                (gettext("In the whole wellbeing area %(area)s") % {"area": municipality.area.name}, wider)
            )
    elif query.area:
        candidates.append((gettext("In the whole country"), query.without("area")))
    labels = {
        "life_situations": gettext("Without the life situation filter"),
        "service_classes": gettext("Without the service type filter"),
        "age_group": gettext("Without the age filter"),
        "languages": gettext("Without the language filter"),
        "cost": gettext("Without the cost filter"),
        "providers": gettext("Without the provider filter"),
        "access": gettext("Without the access filter"),
        "open_now": gettext("Also services that are closed now"),
    }
    for name in query.active_filters:
        if name in labels:
            candidates.append((labels[name], query.without(name)))
    if query.terms:
        candidates.append((gettext("Without the search words"), query.without("q")))
    if len(query.active_filters) > 1:
        candidates.append((gettext("Without any filters"), SearchQuery(q=query.q, sort=query.sort)))
    if not candidates:
        return []

    selects, params = [], []
    for _label, candidate in candidates:
        sql, candidate_params = matching_services(candidate, language=language).values("pk").query.sql_with_params()
        selects.append(f"(SELECT count(*) FROM ({sql}) c)")
        params.extend(candidate_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        counts = cursor.fetchone()
    return [
        Broader(label, candidate, count)
        for (label, candidate), count in zip(candidates, counts, strict=True)
        if count > 0
    ]


def update_search_vectors(service_ids=None) -> int:
    """Recompute the search vectors of the given services (all when None); the trigger does the work."""
    with connection.cursor() as cursor:
        if service_ids is None:
            cursor.execute("UPDATE services_service SET search_text = ''")
        else:
            cursor.execute("UPDATE services_service SET search_text = '' WHERE id = ANY(%s)", [list(service_ids)])
        return cursor.rowcount
