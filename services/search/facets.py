"""Facet counts: for every filter value offered, how many services the search would find with it chosen.

Each facet ignores its own filter (choosing a second language widens, so its count is over the search without the
language filter) and keeps all the others. All facets come from one SQL query: a CTE of the matching services'
narrow rows, one more per active filter (the search without that filter), and each filter's own facet SQL
(filters.py) over the right CTE.
"""

# The SQL is assembled from constants, column names and Django-compiled querysets; values are parameters.
# ruff: noqa: S608, S611

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from ..models import Service
from .filters import FILTERS, FacetValue, active_filters, open_now_q
from .matching import id_in, matching_services, query_expansions
from .query import SearchQuery
from .text import search_language, text_match_q

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


def facet_counts(
    query: SearchQuery, *, language: str, ids: list[int] | None = None, text_ids: list[int] | None = None
) -> dict[str, list[FacetValue]]:
    """Counts per facet value, each facet ignoring its own selection; one SQL query.

    *ids*, when given, are the services matching *query* (from run_search), so they are not matched again;
    *text_ids*, when given, are the published services matching its words alone.
    """
    language = search_language(language)
    active = active_filters(query)
    ctes, params = [], []

    def add_cte(name, qs):
        # One pass over the wide service rows; the facets then read these narrow rows.
        sql, cte_params = qs.values(*_FACET_COLUMNS).query.sql_with_params()
        ctes.append(f"{name} AS MATERIALIZED ({_FACET_CTE_SELECT.format(sql=sql)})")
        params.extend(cte_params)

    text_ids_sql = ""
    if query.terms and active:
        # The facets that ignore their own filter still need the words: match them once for all (or read the ids
        # run_search already fetched, passed once as an array).
        if text_ids is not None:
            text_sql, text_params = "SELECT unnest(%s::bigint[])", [text_ids]
        else:
            text_sql, text_params = (
                Service.objects.published()
                .filter(text_match_q(query.terms, language, expansions=query_expansions(query)))
                .values("pk")
                .query.sql_with_params()
            )
        ctes.append(f"matched_text(id) AS MATERIALIZED ({text_sql})")
        params.extend(text_params)
        text_ids_sql = "SELECT id FROM matched_text"
    if ids is not None:
        add_cte("base", Service.objects.filter(id_in(ids)).order_by())
    else:
        add_cte("base", matching_services(query, language=language, text_ids_sql=text_ids_sql))
    bases = {}
    for search_filter in FILTERS:
        if search_filter in active:
            bases[search_filter.name] = f"base_{search_filter.name}"
            add_cte(
                bases[search_filter.name],
                matching_services(query, language=language, exclude=search_filter, text_ids_sql=text_ids_sql),
            )
        else:
            bases[search_filter.name] = "base"
    # The open-now facet counts the open services among its base; computed once as a CTE of its own.
    open_base = bases["open_now"]
    open_sql, open_params = (
        Service.objects.filter(pk__in=RawSQL(f"SELECT id FROM {open_base}", ()))
        .filter(open_now_q())
        .values("pk")
        .query.sql_with_params()
    )
    ctes.append(f"{open_base}_open(id) AS MATERIALIZED ({open_sql})")
    params.extend(open_params)

    selects = []
    for search_filter in FILTERS:
        sql, facet_params = search_filter.facet_sql(language)
        selects.append(f"({sql.format(base=bases[search_filter.name])})")
        params.extend(facet_params)
    for search_filter in FILTERS:
        selected_rows = search_filter.selected_rows_sql(query, language)
        if selected_rows:
            selects.append(f"({selected_rows[0]})")
            params.extend(selected_rows[1])
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return build_facets(query, rows)


def build_facets(query: SearchQuery, rows) -> dict[str, list[FacetValue]]:
    """FacetValues per filter from rows (facet, value, label, order, count); a value's largest count wins."""
    entries: dict[str, dict[str, list]] = {f.name: {} for f in FILTERS}
    for facet, value, label, order, count in rows:
        if value is None:
            continue
        entry = entries[facet].setdefault(value, [label, order, 0])
        entry[2] = max(entry[2], count)
    return {f.name: f.facet_values(entries[f.name], query) for f in FILTERS}
