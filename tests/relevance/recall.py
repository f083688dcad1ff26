"""Recall@5 of the relevance set: the share of each query's "must" services among its first five results.

``top_ids()`` asks the search core what the search page shows first for the words a family typed: the words are read
by ``query_from_params`` exactly as the page reads them (a place in the words becomes the municipality or postcode
filter) and ranked by ``search_services``. Used by tests/test_search_relevance.py and benchmarks/relevance.py.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import translation

from services.search import query_from_params, search_services

from .queries import CATEGORIES, QUERIES, Query

TOP = 5


def top_ids(q: str, language: str, n: int = TOP) -> list[int]:
    """The ids of the first *n* services the search page shows for the words *q* on a page in *language*."""
    params = QueryDict(mutable=True)
    params["q"] = q
    with translation.override(language):
        query, _errors = query_from_params(params, strict=False, language=language)
        return [service.pk for service in search_services(query, language=language)[:n]]


@dataclass(frozen=True)
class Outcome:
    query: Query
    top: tuple[str, ...]  # fixture keys of the first five results, in order

    @property
    def found(self) -> tuple[str, ...]:
        return tuple(key for key in self.query.must if key in self.top)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(key for key in self.query.must if key not in self.top)

    @property
    def ahead(self) -> tuple[str, ...]:
        """The query's ``outranks`` services that come before one of its "must" services in the first five."""
        last = max((self.top.index(key) for key in self.found), default=len(self.top))
        return tuple(key for key in self.top[:last] if key in self.query.outranks)

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.query.must)

    def describe(self) -> str:
        problems = [f"missing {', '.join(self.missing)}"] if self.missing else []
        if self.ahead:
            problems.append(f"ranked ahead: {', '.join(self.ahead)}")
        return f"{self.query.label} [{self.query.category}] {'; '.join(problems) or 'ok'}; top 5: " + (
            ", ".join(self.top) or "nothing"
        )


def evaluate(ids: dict[str, int], queries: list[Query] = QUERIES) -> list[Outcome]:
    """Run every query against the loaded fixture (*ids*: {key: service id})."""
    keys = {pk: key for key, pk in ids.items()}
    return [
        Outcome(query, tuple(keys.get(pk, f"#{pk}") for pk in top_ids(query.q, query.language))) for query in queries
    ]


def overall(outcomes: list[Outcome]) -> float:
    """The mean of the queries' recall@5 (each query weighs the same)."""
    return statistics.fmean(outcome.recall for outcome in outcomes)


def by_category(outcomes: list[Outcome]) -> dict[str, tuple[float, int]]:
    """{category: (recall@5, number of queries)} in CATEGORIES order."""
    result = {}
    for category in CATEGORIES:
        chosen = [outcome for outcome in outcomes if outcome.query.category == category]
        if chosen:
            result[category] = (overall(chosen), len(chosen))
    return result


def by_language(outcomes: list[Outcome]) -> dict[str, tuple[float, int]]:
    result = {}
    for language in ("fi", "sv"):
        chosen = [outcome for outcome in outcomes if outcome.query.language == language]
        if chosen:
            result[language] = (overall(chosen), len(chosen))
    return result


def misses(outcomes: list[Outcome]) -> list[Outcome]:
    return [outcome for outcome in outcomes if outcome.missing]
