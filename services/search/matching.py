"""Which published services match a search, and in what order.

Service area: a service is given in its municipalities; if it names none, in its organisation's wellbeing areas; if
the organisation names none either, in the whole country. Area and municipality filters therefore keep the
nationwide services too, ranked after the local ones (services/querysets.py holds the one definition).
"""

# ruff: noqa: S611 - the raw SQL here is constant; ids travel as one array parameter.

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
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
from django.db.models.functions import ACos, Cos, Greatest, Least, Radians, Sin
from django.utils import timezone

from .. import querysets as service_area
from ..hours import HELSINKI
from ..models import Location, LocationException, LocationOpeningHours, Service, ServiceClass, ServiceFacetRow
from .filters import SearchFilter, filter_q
from .query import SearchQuery
from .text import search_language, text_match_q, tsquery_text
from .vocabulary import EXACT, MEDIUM, STRONG, Expansion, expand

# Points per search word by where and how well it matched (summed over the words; ties: place, distance, name).
NAME_EXACT, NAME_STRONG, NAME_MEDIUM, NAME_WEAK, HEADING, ELSEWHERE = 7, 6, 4, 3, 2, 1


def query_expansions(query: SearchQuery, *, version: int | None = None) -> list[Expansion]:
    """The corpus words for the query's words, computed once per query object (a query is a request's value); with
    the data *version*, read from the cache when a recent search had the same words (vocabulary.expand())."""
    cached = query.__dict__.get("_expansions")
    if cached is None or cached[0] != query.terms:
        cached = (query.terms, expand(query.terms, version=version))
        object.__setattr__(query, "_expansions", cached)
    return cached[1]


def matching_services(query: SearchQuery, *, language: str, exclude: SearchFilter | None = None) -> QuerySet[Service]:
    """Published services matching the words and filters (all but *exclude*), unordered and unannotated."""
    qs = Service.objects.published()
    condition = filter_q(query, exclude=exclude)
    if condition:
        # The filters read only the narrow facet rows (a few columns a service, kept by a trigger; the place filters by
        # a GIN index): the wide service rows are read for the services that pass them, not for all 30 000.
        qs = qs.filter(pk__in=ServiceFacetRow.objects.filter(condition).values("pk"))
    if query.terms:
        qs = qs.filter(text_match_q(query.terms, language, expansions=query_expansions(query)))
    return qs.order_by()


def id_in(ids: list[int]) -> Q:
    # One array parameter, not one placeholder per id.
    return Q(RawSQL('"services_service"."id" = ANY(%s)', (ids,), output_field=BooleanField()))


def _phrase_queries(expansion: Expansion, weight: str) -> list[str]:
    return [" & ".join(f"({tsquery_text(words, weight)})" for words in phrase) for phrase in expansion.phrases]


def _either(*options: str) -> str:
    return " | ".join(f"({option})" for option in options if option)


def _relevance(expansions: list[Expansion]) -> RawSQL | None:
    """Per search word: the word itself in the name 7, a compound ending in it 6, inflected or synonym 4, another
    compound part or a close spelling in the name 3, in keywords/classes/life situations 2, elsewhere 1; summed.

    Everything is read from ``search_heading`` (names A, keywords/classes/life situations B; stored inline), so
    ranking every match stays cheap and never unpacks a document. The widest name tier (every corpus word of the
    search word) is tested first and the narrower ones only inside it: most matches of a common word do not have it in
    the name, and they then cost two tests instead of five (a long word's tiers hold dozens of compounds each).
    """
    heading = '"services_service"."search_heading"'
    cases, params = [], []
    for expansion in expansions:
        if expansion.stop_word:
            continue
        phrases_a = _phrase_queries(expansion, "A")
        narrower = [
            (points, tsquery)
            for points, tsquery in (
                (NAME_EXACT, tsquery_text(expansion.at_least(EXACT), "A")),
                (NAME_STRONG, tsquery_text(expansion.at_least(STRONG), "A")),
                (NAME_MEDIUM, _either(tsquery_text(expansion.at_least(MEDIUM), "A"), *phrases_a)),
            )
            if tsquery
        ]
        widest = _either(tsquery_text(expansion.words, "A"), *phrases_a)  # holds every narrower tier's words
        whens = []
        if widest:
            inner = " ".join(f"WHEN {heading} @@ %s::tsquery THEN {points}" for points, _tsquery in narrower)
            name_points = f"(CASE {inner} ELSE {NAME_WEAK} END)" if narrower else str(NAME_WEAK)
            whens.append(f"WHEN {heading} @@ %s::tsquery THEN {name_points}")
            params += [widest, *(tsquery for _points, tsquery in narrower)]
        # Keywords, classes, life situations: in the heading too (migration 0015), so the (often out-of-line)
        # document is never unpacked to rank.
        phrases_b = _phrase_queries(expansion, "B")
        whens.append(f"WHEN {heading} @@ %s::tsquery THEN {HEADING}")
        params.append(_either(tsquery_text(expansion.words, "B"), *phrases_b))
        cases.append(f"(CASE {' '.join(whens)} ELSE {ELSEWHERE} END)")
    if not cases:
        return None
    return RawSQL(" + ".join(cases), params, output_field=IntegerField())


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
            When(service_area.named_municipality(query.municipality), then=Value(2)),
            When(service_area.local_to_municipality(query.municipality), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    if query.area:
        local = service_area.local_to_area(query.area)
        return Case(When(local, then=Value(1)), default=Value(0), output_field=IntegerField())
    return None


# The columns the search page's result card (templates/services/includes/service_card.html) reads, and nothing else:
# the wide rows (descriptions in three languages) took half the time of loading a page of cards.
CARD_SERVICE_FIELDS = (
    "slug",
    "name",
    "summary",
    "age_min",
    "age_max",
    "for_expecting",
    "for_parents",
    "languages",
    "cost",
    "organisation__name",
)
CARD_LOCATION_FIELDS = (
    "service_id",
    "name",
    "street_address",
    "latitude",
    "longitude",
    "municipality__code",
    "municipality__name",
)


def card_prefetches() -> list:
    """What a service's card in the API shows: its classes and locations with every weekly rule and every exceptional
    day from yesterday on."""
    yesterday = timezone.localdate(timezone=HELSINKI) - dt.timedelta(days=1)
    locations = Location.objects.select_related("municipality").prefetch_related(
        "opening_hours", Prefetch("exceptions", queryset=LocationException.objects.filter(date__gte=yesterday))
    )
    return ["service_classes", Prefetch("locations", queryset=locations)]


def _for_cards(qs: QuerySet[Service]) -> QuerySet[Service]:
    return (
        qs.select_related("organisation")
        .prefetch_related(*card_prefetches())
        .defer("search_document", "search_heading")
    )


def _as_prefetched(instance, name: str, model, items: list) -> None:
    """Make ``instance.<name>.all()`` return *items* without a query, as prefetch_related() leaves it; but one plain
    queryset per instance, where prefetch_related() builds and filters a translated one (a third of a page's cards)."""
    prefetched = QuerySet(model)
    prefetched._result_cache = items
    prefetched._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = prefetched


def _search_cards(ids: list[int]) -> dict[int, Service]:
    """The services of *ids* as the search page's result card shows them (services/cards.py): only its columns, the
    classes, and the locations with yesterday's and today's weekly rules and exceptional days (today's hours and "open
    now" read nothing else). Five small queries, whatever the number of services."""
    services = {
        service.pk: service
        for service in Service.objects.filter(id_in(ids)).select_related("organisation").only(*CARD_SERVICE_FIELDS)
    }
    class_order = [f"serviceclass__{field}" for field in ServiceClass._meta.ordering]
    classes = defaultdict(list)
    links = Service.service_classes.through.objects.filter(service_id__in=list(services))
    for link in links.select_related("serviceclass").order_by(*class_order):
        classes[link.service_id].append(link.serviceclass)
    locations = list(
        Location.objects.filter(service_id__in=list(services))
        .select_related("municipality")
        .only(*CARD_LOCATION_FIELDS)
        .order_by("name", "pk")
    )
    today = timezone.localdate(timezone=HELSINKI)
    yesterday = today - dt.timedelta(days=1)
    location_ids = [location.pk for location in locations]
    rules, exceptions = defaultdict(list), defaultdict(list)
    weekdays = (yesterday.isoweekday(), today.isoweekday())
    for rule in LocationOpeningHours.objects.filter(location_id__in=location_ids, weekday__in=weekdays):
        rules[rule.location_id].append(rule)
    for exception in LocationException.objects.filter(location_id__in=location_ids, date__range=(yesterday, today)):
        exceptions[exception.location_id].append(exception)
    by_service = defaultdict(list)
    for location in locations:
        _as_prefetched(location, "opening_hours", LocationOpeningHours, rules[location.pk])
        _as_prefetched(location, "exceptions", LocationException, exceptions[location.pk])
        by_service[location.service_id].append(location)
    for pk, service in services.items():
        _as_prefetched(service, "service_classes", ServiceClass, classes[pk])
        _as_prefetched(service, "locations", Location, by_service[pk])
    return services


def search_services(query: SearchQuery, *, language: str) -> QuerySet[Service]:
    """Published services for *query*, ranked and ordered, with what the API's card shows prefetched."""
    return _for_cards(ranked_services(query, language=language))


def ranked_services(query: SearchQuery, *, language: str) -> QuerySet[Service]:
    language = search_language(language)
    qs = matching_services(query, language=language)
    order = []
    locality = _locality(query)
    if locality is not None:
        qs = qs.annotate(locality=locality)
    if query.distance_from is not None:
        qs = qs.annotate(distance_km=_distance_km(*query.distance_from))
    sort = query.effective_sort
    name_key = F(f"sort_name_{language}")
    if sort == "relevance":
        relevance = _relevance(query_expansions(query))
        if relevance is not None:
            qs = qs.annotate(relevance=relevance)
            order.append(F("relevance").desc())
        if locality is not None:
            order.append(F("locality").desc())
        if query.distance_from is not None:
            order.append(F("distance_km").asc(nulls_last=True))
        order.append(name_key)
    else:
        if locality is not None:
            order.append(F("locality").desc())
        if sort == "distance":
            order.append(F("distance_km").asc(nulls_last=True))
        order.append(name_key)
    return qs.order_by(*order, "pk")


def cards_in_order(query: SearchQuery, ids: list[int], *, upcoming: bool = True) -> list[Service]:
    """The services of *ids* in that order, with what a card shows: the API's (*upcoming*: every exceptional day from
    yesterday on, and the distance to the nearest location when the query has a point), else the search page's
    (_search_cards(): today's hours; the card picks and measures its location itself)."""
    if not ids:
        return []
    if upcoming:
        qs = _for_cards(Service.objects.filter(id_in(ids)))
        if query.distance_from is not None:
            qs = qs.annotate(distance_km=_distance_km(*query.distance_from))
        by_id = {service.pk: service for service in qs}
    else:
        by_id = _search_cards(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
