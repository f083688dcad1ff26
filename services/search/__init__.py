"""The service search: one core for the search page, the REST API and the Open Referral feed.

- ``filters.py``: one declaration per filter (parameters, parsing, condition, facet SQL, choices, labels);
- ``query.py``: ``SearchQuery``, a search as a value, and the non-filter parameters (words, order, position);
- ``form.py``: GET parameters → ``SearchQuery``, leniently (page) or strictly (API);
- ``text.py``: the words of a query and their match; ``vocabulary.py``: the corpus words, analysed (base forms,
  compound parts) at index time, and a query word's corpus words; ``swedish.py``: Swedish base forms and compounds;
- ``matching.py``: which published services match, and the ranking;
- ``facets.py``: the count for every value offered; ``broader.py``: wider searches when nothing matched;
- ``places.py``: place words, the "where" field and the point distances are measured from; ``visit.py``: the place
  remembered for the visit (a signed browser-session cookie).

For an API: ``query, errors = query_from_params(request.GET, strict=True)`` (errors: {parameter: [message]}), then
``search_services(query, language=...)``; ``search_params()`` lists every parameter (``Param``: name, label, schema
of one value, description, many) to document.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Window
from django.utils import timezone

from ..choices import PublicationState
from ..hours import HELSINKI
from ..models import ServiceFacetRow
from .broader import Broader, broader_searches
from .caching import cache_key, data_version, query_description
from .facets import facet_counts
from .filters import (
    AGE_GROUPS,
    AUDIENCES,
    FILTERS,
    FILTERS_BY_NAME,
    PROVIDER_KINDS,
    FacetValue,
    Param,
    active_filters,
    filter_q,
    open_now_q,
)
from .form import PARAM_NAMES, ServiceSearchForm, query_from_params
from .matching import (
    card_prefetches,
    cards_in_order,
    matching_services,
    query_expansions,
    ranked_services,
    search_services,
)
from .query import SORTS, SearchQuery, search_params
from .text import MAX_QUERY_LENGTH, base_forms, fold, search_language, search_terms, sort_key, text_match_q
from .vocabulary import analyse_all_pending_words, analyse_pending_words, expand, refresh_vocabulary

__all__ = [
    "AGE_GROUPS",
    "AUDIENCES",
    "FILTERS",
    "FILTERS_BY_NAME",
    "MAX_QUERY_LENGTH",
    "PAGE_SIZE",
    "PARAM_NAMES",
    "PROVIDER_KINDS",
    "SORTS",
    "Broader",
    "FacetValue",
    "Param",
    "SearchQuery",
    "SearchResults",
    "ServiceSearchForm",
    "base_forms",
    "broader_searches",
    "card_prefetches",
    "cards_in_order",
    "data_version",
    "page_ids",
    "ranked_page",
    "ranked_services",
    "facet_counts",
    "fold",
    "matching_services",
    "open_now_q",
    "query_expansions",
    "refresh_vocabulary",
    "analyse_all_pending_words",
    "analyse_pending_words",
    "expand",
    "query_from_params",
    "results_page",
    "run_search",
    "search_params",
    "search_services",
    "search_terms",
    "sort_key",
    "text_match_q",
    "update_search_vectors",
]

PAGE_SIZE = 20


def results_page(queryset, page_number):
    """A page of results; a missing, malformed or too large page number gives the first or last page."""
    return Paginator(queryset, PAGE_SIZE).get_page(page_number)


# A result page's ids and count, per search, page and language, for as long as the facet counts are cached.
RESULTS_SECONDS = 60
# The first pages of a search are ranked by one query and cached together: its "next page" needs no ranking.
PAGES_AHEAD = 3
# SearchQuery fields that do not change the results: a postcode is already its municipality.
_NOT_RANKED = {"postcode"}


def page_number_of(page_number) -> int:
    """The page asked for: a missing, malformed or non-positive number is the first page."""
    try:
        return max(int(page_number), 1)
    except (TypeError, ValueError, OverflowError):
        return 1


def page_ids(
    query: SearchQuery,
    *,
    language: str,
    page_number,
    version: int | None,
    page_size: int = PAGE_SIZE,
    matches: list[int] | None = None,
) -> tuple[list[int], int, int]:
    """(ids of the page in order, its number, the number of matches); past the end, the last page. Pages hold
    *page_size* results (the API's page_size; the search page's PAGE_SIZE).

    Ranked by relevance or distance, every match is read to order it anyway, so the count rides on the same narrow
    query (ids and ``count(*) OVER ()``), and the wide rows are never sorted or counted; a page number past the end
    costs one query more (the last page). In name order, the count (from the facet rows when there are no words) and
    the page from the name index are two small queries.

    With a data *version* (data_version(); None inside a transaction) the answer is cached for RESULTS_SECONDS under
    the normalised query, the language, the page asked for and the version (and the minute when only services open
    now are wanted), so a popular search is ranked once a minute, not on every request; any write moves the version.
    Pages 1 to PAGES_AHEAD come from one query (a larger limit costs next to nothing: every match is ranked anyway)
    and are cached together.

    *matches*: a list that receives every match's id, in order, when the ranking read them for words without
    filters (shares_text_matches()); the facet counts then need not match the words again. Left empty otherwise.
    """
    language = search_language(language)
    number = page_number_of(page_number)
    key_of = None
    if version is not None:
        minute = timezone.localtime(timezone.now(), HELSINKI).strftime("%Y-%m-%dT%H:%M") if query.open_now else ""
        description = query_description(query, skip=_NOT_RANKED)

        def key_of(page):
            return cache_key("search-results", version, language, minute, description, page, page_size)

        found = cache.get(key_of(number))
        if found is not None:
            return found
        query_expansions(query, version=version)  # from the cache when a recent search had the same words
    page_of = _name_page if query.effective_sort == "name" else _ranked_page
    if number <= PAGES_AHEAD:
        # The first pages in one go (the same query with a larger limit): the family's next page is then ready.
        if matches is not None and page_of is _ranked_page and shares_text_matches(query):
            matches[:] = _ranked_ids(query, language=language)
            ids, total = matches[: page_size * PAGES_AHEAD], len(matches)
        else:
            ids, _first, total = page_of(query, language=language, number=1, size=page_size * PAGES_AHEAD)
        last = max(math.ceil(total / page_size), 1)
        pages = {}
        for page in range(1, PAGES_AHEAD + 1):
            shown = min(page, last)  # past the end: the last page
            pages[page] = (ids[(shown - 1) * page_size : shown * page_size], shown, total)
        if key_of:
            cache.set_many({key_of(page): found for page, found in pages.items()}, RESULTS_SECONDS)
        return pages[number]
    found = page_of(query, language=language, number=number, size=page_size)
    if key_of:
        cache.set(key_of(number), found, RESULTS_SECONDS)
    return found


def shares_text_matches(query: SearchQuery) -> bool:
    """Whether the services *query* finds are exactly those its words match: words and no filter (a position only
    orders). The facet counts' word matches (facets.py) are then the ranking's, read once."""
    return bool(query.terms) and not active_filters(query)


def _ranked_ids(query: SearchQuery, *, language: str) -> list[int]:
    # Every match's id in order, on a plain cursor: a list of ints, not thousands of ORM rows.
    sql, params = ranked_services(query, language=language).values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def _ranked_page(query: SearchQuery, *, language: str, number: int, size: int) -> tuple[list[int], int, int]:
    # Every match is read to rank it: the count rides on the same narrow query.
    ranked = ranked_services(query, language=language).annotate(_total=Window(Count("pk")))

    def ids_of(page):
        return list(ranked.values_list("pk", "_total")[(page - 1) * size : page * size])

    rows = ids_of(number)
    if not rows and number > 1:
        total = ranked_services(query, language=language).count()
        number = max(math.ceil(total / size), 1)
        rows = ids_of(number) if total else []
    if not rows:
        number = 1
    return [pk for pk, _total in rows], number, rows[0][1] if rows else 0


def _name_page(query: SearchQuery, *, language: str, number: int, size: int) -> tuple[list[int], int, int]:
    # In name order an index yields the page without reading every match (a window count would read them all, ~1 s
    # for the 29 000 of the no-words page): count apart, without words from the narrow facet rows.
    if query.terms:
        total = matching_services(query, language=language).count()
    else:
        total = ServiceFacetRow.objects.filter(state=PublicationState.PUBLISHED).filter(filter_q(query)).count()
    number = min(number, max(math.ceil(total / size), 1))
    start = (number - 1) * size
    ranked = ranked_services(query, language=language)
    return (list(ranked.values_list("pk", flat=True)[start : start + size]) if total else []), number, total


def _page(object_list, number: int, total: int) -> Page:
    paginator = Paginator([], PAGE_SIZE)
    paginator.__dict__["count"] = total  # Paginator.count is a cached_property
    return Page(object_list, number, paginator)


def ranked_page(query: SearchQuery, *, language: str, page_number) -> Page:
    """A page of results with their cards, like results_page(), in the query's order (page_ids(), uncached)."""
    ids, number, total = page_ids(query, language=language, page_number=page_number, version=None)
    return _page(cards_in_order(query, ids, upcoming=False), number, total)


@dataclass
class SearchResults:
    page: Page
    facets: dict[str, list[FacetValue]]
    broader: list[Broader]
    version: int | None = None  # the search data version the page was computed at (None: not cached)


def run_search(
    query: SearchQuery,
    *,
    language: str,
    page_number,
    with_cards: bool = True,
    facets: tuple[str, ...] | None = None,
) -> SearchResults:
    """What the search page shows: one page of results, the facet counts and, if nothing matched, wider searches.

    The data version is read once (one small query) and keys the cached page ids and facet counts; on a miss the
    words are expanded once (vocabulary.py: one small query), then every part is an indexed query of its own: the
    ranked page with its count (the ranking reads only the small heading vector of each match), the cards of that
    page and the facets. Without *with_cards*, the page holds the services' ids and the caller brings the cards
    (services/cards.py renders them from its cache). *facets*: the names of the facets to count (default: all).
    """
    language = search_language(language)
    version = data_version()
    matches: list[int] = []
    ids, number, total = page_ids(query, language=language, page_number=page_number, version=version, matches=matches)
    page = _page(cards_in_order(query, ids, upcoming=False) if with_cards else ids, number, total)
    counts = facet_counts(
        query, language=language, version=version, names=facets, matched_ids=matches if matches else None
    )
    broader = broader_searches(query, language=language) if total == 0 else []
    return SearchResults(page, counts, broader, version)


def update_search_vectors(service_ids=None) -> int:
    """Recompute the search documents of the given services (all when None); the trigger does the work."""
    with connection.cursor() as cursor:
        if service_ids is None:
            cursor.execute("UPDATE services_service SET search_document = NULL")
        else:
            cursor.execute("UPDATE services_service SET search_document = NULL WHERE id = ANY(%s)", [list(service_ids)])
        return cursor.rowcount
