"""Which published services match a search, and in what order.

Service area: a service is given in its municipalities; if it names none, in its organisation's wellbeing areas; if
the organisation names none either, in the whole country. Area and municipality filters therefore keep the
nationwide services too, ranked after the local ones (services/querysets.py holds the one definition).
"""

# ruff: noqa: S611 - the raw SQL here is constant; ids travel as one array parameter.

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.db.models import (
    BooleanField,
    Case,
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

from .. import querysets as service_area
from ..hours import HELSINKI
from ..models import Location, LocationException, Service
from .filters import SearchFilter, filter_q
from .query import SearchQuery
from .text import TEXT_SEARCH, _prefix_tsquery, fold, search_language, text_match_q


def matching_services(
    query: SearchQuery,
    *,
    language: str,
    exclude: SearchFilter | None = None,
    text_ids_sql: str = "",
    text_ids: list[int] | None = None,
) -> QuerySet[Service]:
    """Published services matching the words and filters, unordered and unannotated (for counting).

    *text_ids_sql* (SQL giving the ids that match the words) or *text_ids* (those ids, already
    fetched) replaces the word matching, so a query that needs the same words several times (the
    facets, or the ranked page and the facets) matches them once.
    """
    qs = Service.objects.published().filter(filter_q(query, exclude=exclude))
    if query.terms:
        if text_ids is not None:
            qs = qs.filter(id_in(text_ids))
        elif text_ids_sql:
            qs = qs.filter(pk__in=RawSQL(text_ids_sql, ()))
        else:
            qs = qs.filter(text_match_q(query.terms, language))
    return qs.order_by()


def id_in(ids: list[int]) -> Q:
    # One array parameter, not one placeholder per id.
    return Q(RawSQL('"services_service"."id" = ANY(%s)', (ids,), output_field=BooleanField()))


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
            When(service_area.named_municipality(query.municipality), then=Value(2)),
            When(service_area.local_to_municipality(query.municipality), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    if query.area:
        local = service_area.local_to_area(query.area)
        return Case(When(local, then=Value(1)), default=Value(0), output_field=IntegerField())
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
    return _for_cards(ranked_services(query, language=language))


def ranked_services(query: SearchQuery, *, language: str, text_ids: list[int] | None = None) -> QuerySet[Service]:
    language = search_language(language)
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


def cards_in_order(query: SearchQuery, ids: list[int]) -> list[Service]:
    if not ids:
        return []
    qs = _for_cards(Service.objects.filter(id_in(ids)))
    if query.has_location:
        qs = qs.annotate(distance_km=_distance_km(query.lat, query.lon))
    by_id = {service.pk: service for service in qs}
    return [by_id[pk] for pk in ids if pk in by_id]
