"""When nothing matches: wider versions of the search that do find something, with their counts."""

# The SQL is assembled from Django-compiled querysets; values are parameters.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext

from .filters import active_filters
from .matching import matching_services
from .query import SearchQuery
from .text import search_language


@dataclass(frozen=True)
class Broader:
    label: str
    query: SearchQuery
    count: int = 0


def broader_searches(query: SearchQuery, *, language: str) -> list[Broader]:
    """Each active filter dropped (as its declaration words it), the words dropped, all filters dropped: those of
    them that find something, with their counts (one SQL query)."""
    language = search_language(language)
    active = active_filters(query)
    candidates: list[tuple[str, SearchQuery]] = []
    for search_filter in active:
        candidates.extend(search_filter.broader(query))
    if query.terms:
        candidates.append((gettext("Without the search words"), query.without("q")))
    if len(active) > 1:
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
