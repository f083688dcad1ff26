"""Facet counts: for every filter value offered, how many services the search would find with it chosen.

Each facet ignores its own filter (choosing a second language widens, so its count is over the search without the
language filter) and keeps all the others. All facets come from one SQL query: a CTE of the matching services'
narrow rows (services_servicefacetrow, a few columns per service kept by a trigger, instead of the wide service
rows), one more per active filter (the search without that filter), the services open now, and each filter's own
facet SQL (filters.py) over the right CTE.

The counts are cached for a minute (CACHE_SECONDS) under the normalised query, the language, the current minute
(for "open now") and the database's search data version, a sequence every write to the tables the search reads
advances (migration 0007): a write shows at once, and no two searches share an entry. The broad searches every
visitor starts from (no words, one filter) count 30 000 services in tens of milliseconds; cached, a few tenths.
Inside a transaction the cache is neither read nor written: the transaction may see rows no one else sees yet (or
ever, if it rolls back).
"""

# The SQL is assembled from constants, column names and Django-compiled querysets; values are parameters.
# ruff: noqa: S608, S611

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ..choices import PublicationState
from ..hours import HELSINKI
from ..models import Service, ServiceFacetRow
from .caching import cache_key, data_version, query_description
from .filters import (
    FILTERS,
    FILTERS_BY_NAME,
    FacetValue,
    active_filters,
    filter_q,
    open_service_id_list,
    open_service_ids,
)
from .matching import query_expansions
from .query import SearchQuery
from .text import search_language, text_match_q

CACHE_SECONDS = 60

# SearchQuery fields that do not change the counts: the order and the family's position. A postcode is already
# its municipality.
_NOT_COUNTED = {"sort", "lat", "lon", "postcode"}

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
    "places",
    "life_situations",
    "service_classes",
)
# values() orders its columns as it likes, so the CTE names them explicitly.
_FACET_CTE_SELECT = (
    'SELECT "pk" AS id, "organisation_id", "age_min", "age_max", "for_expecting", "for_parents", '
    '"languages", "cost", "access", "organisation__kind" AS kind, "places", "life_situations", "service_classes" '
    "FROM ({sql}) AS rows"
)


def facet_counts(
    query: SearchQuery,
    *,
    language: str,
    moment: dt.datetime | None = None,
    version: int | None = None,
    names: tuple[str, ...] | None = None,
    matched_ids: list[int] | None = None,
) -> dict[str, list[FacetValue]]:
    """Counts per facet value, each facet ignoring its own selection; at most one SQL query (and the data version,
    unless the caller read it: *version*).

    *moment* is the time for "open now" (default: now). *names*: only these facets are counted (default: all); the
    others are empty lists (the search page does not show the municipalities'). *matched_ids*: the ids of the
    published services the words match, when the caller has them (the ranking of a search without filters read
    them): the words are then not matched again, which at national scale read every match's wide row a second time.
    """
    language = search_language(language)
    moment = moment or timezone.now()
    names = _facet_names(names)
    # Inside a transaction this connection may see writes others do not (yet): count without the cache.
    if connection.in_atomic_block:
        version = key = None
    else:
        version = data_version() if version is None else version
        key = facet_cache_key(query, language=language, moment=moment, version=version, names=names)
    facets = cache.get(key) if key else None
    if facets is None:
        query_expansions(query, version=version)  # from the cache when a recent search had the same words
        sql, params = facet_sql(
            query, language=language, moment=moment, version=version, names=names, matched_ids=matched_ids
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        # Built once: the ~350 values of a broad search take milliseconds to build, a tenth of that to unpickle.
        facets = build_facets(query, rows, names)
        if key:
            cache.set(key, facets, CACHE_SECONDS)
    return facets


def _facet_names(names) -> tuple[str, ...]:
    """The facets to count, in FILTERS order (a KeyError for an unknown one)."""
    if names is None:
        return tuple(f.name for f in FILTERS)
    wanted = {FILTERS_BY_NAME[name].name for name in names}
    return tuple(f.name for f in FILTERS if f.name in wanted)


def facet_cache_key(
    query: SearchQuery,
    *,
    language: str,
    moment: dt.datetime,
    version: int | None = None,
    names: tuple[str, ...] | None = None,
) -> str:
    """The cache key of *query*'s counts: everything the counts depend on, and nothing else (one query for the data
    version unless given)."""
    if version is None:
        version = data_version()
    minute = timezone.localtime(moment, HELSINKI).strftime("%Y-%m-%dT%H:%M")
    description = query_description(query, skip=_NOT_COUNTED)
    return cache_key("search-facets", version, language, minute, description, _facet_names(names))


def facet_sql(
    query: SearchQuery,
    *,
    language: str,
    moment: dt.datetime | None = None,
    version: int | None = None,
    names: tuple[str, ...] | None = None,
    matched_ids: list[int] | None = None,
) -> tuple[str, list]:
    """The one facet query of facet_counts() and its parameters (*names*: only those facets; *version*: the data
    version, under which the services open now are read from the cache; *matched_ids*: the words' matches, given)."""
    language = search_language(language)
    names = _facet_names(names)
    counted = [f for f in FILTERS if f.name in names]
    active = active_filters(query)
    ctes, params = [], []

    def add_cte(name, sql, cte_params):
        ctes.append(f"{name} AS MATERIALIZED ({sql})")
        params.extend(cte_params)

    def add_base(name, exclude=None):
        rows = ServiceFacetRow.objects.filter(state=PublicationState.PUBLISHED).filter(filter_q(query, exclude=exclude))
        if query.terms and matched_ids is not None:
            # An array, not a subquery: thousands of ids are one hashed test per narrow row, not an index lookup each.
            matched = RawSQL('"services_servicefacetrow"."id" = ANY(%s::bigint[])', (matched_ids,), BooleanField())
            rows = rows.filter(matched)
        elif query.terms:
            rows = rows.filter(pk__in=RawSQL("SELECT id FROM matched_text", ()))
        sql, cte_params = rows.order_by().values(*_FACET_COLUMNS).query.sql_with_params()
        add_cte(name, _FACET_CTE_SELECT.format(sql=sql), cte_params)

    if query.terms and matched_ids is None:
        # The services matching the words, once for every base.
        words = (
            Service.objects.published()
            .filter(text_match_q(query.terms, language, expansions=query_expansions(query)))
            .order_by()
            .values("pk")
        )
        add_cte("matched_text(id)", *words.query.sql_with_params())
    add_base("base")
    bases = {}
    for search_filter in counted:
        bases[search_filter.name] = "base"
        if search_filter in active:
            bases[search_filter.name] = f"base_{search_filter.name}"
            add_base(bases[search_filter.name], exclude=search_filter)
    if "open_now" in names:
        # The services open now, for the open-now facet and the same moment as the cache key: with a data version,
        # their ids from the cache (the same for every search in the minute), else the query.
        if version is None:
            sql, cte_params = open_service_ids(moment).distinct().query.sql_with_params()
            add_cte("open_now", sql, cte_params)
        else:
            add_cte("open_now(service_id)", "SELECT unnest(%s::bigint[])", [open_service_id_list(moment, version)])

    selects = []
    for search_filter in counted:
        sql, facet_params = search_filter.facet_sql(language)
        selects.append(f"({sql.format(base=bases[search_filter.name])})")
        params.extend(facet_params)
    for search_filter in counted:
        selected_rows = search_filter.selected_rows_sql(query, language)
        if selected_rows:
            selects.append(f"({selected_rows[0]})")
            params.extend(selected_rows[1])
    return "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(selects), params


def build_facets(query: SearchQuery, rows, names: tuple[str, ...] | None = None) -> dict[str, list[FacetValue]]:
    """FacetValues per filter from rows (facet, value, label, order, count); a value's largest count wins. The
    facets not in *names* (default: all) were not counted: empty lists."""
    names = _facet_names(names)
    entries: dict[str, dict[str, list]] = {f.name: {} for f in FILTERS}
    for facet, value, label, order, count in rows:
        if value is None:
            continue
        entry = entries[facet].setdefault(value, [label, order, 0])
        entry[2] = max(entry[2], count)
    return {f.name: f.facet_values(entries[f.name], query) if f.name in names else [] for f in FILTERS}
