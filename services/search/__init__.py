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

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Window

from .broader import Broader, broader_searches
from .facets import facet_counts
from .filters import AGE_GROUPS, AUDIENCES, FILTERS, FILTERS_BY_NAME, PROVIDER_KINDS, FacetValue, Param, open_now_q
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


def ranked_page(query: SearchQuery, *, language: str, page_number) -> Page:
    """A page of results in an order computed per match (relevance, distance), like results_page().

    Every match is read to rank it anyway, so the count rides on the same narrow query (ids and ``count(*) OVER
    ()``), and only the page's ids then fetch their cards: the wide rows are never sorted or counted. A page number
    past the end costs one query more (the last page).
    """
    try:
        number = max(int(page_number), 1)
    except (TypeError, ValueError):
        number = 1
    ranked = ranked_services(query, language=language).annotate(_total=Window(Count("pk")))

    def ids_of(page):
        return list(ranked.values_list("pk", "_total")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])

    rows = ids_of(number)
    if not rows and number > 1:
        total = ranked_services(query, language=language).count()
        number = max(math.ceil(total / PAGE_SIZE), 1)
        rows = ids_of(number) if total else []
    if not rows:
        number = 1
    paginator = Paginator([], PAGE_SIZE)
    paginator.__dict__["count"] = rows[0][1] if rows else 0  # Paginator.count is a cached_property
    return Page(cards_in_order(query, [pk for pk, _total in rows], upcoming=False), number, paginator)


@dataclass
class SearchResults:
    page: Page
    facets: dict[str, list[FacetValue]]
    broader: list[Broader]


def run_search(query: SearchQuery, *, language: str, page_number) -> SearchResults:
    """What the search page shows: one page of results, the facet counts and, if nothing matched, wider searches.

    The words are expanded once (vocabulary.py: one small query), then every part is an indexed query of its own:
    the count, the ranked page (the ranking reads only the small heading vector of each match), the cards of that
    page and the facets.
    """
    language = search_language(language)
    if query.effective_sort == "name":
        page = results_page(search_services(query, language=language, upcoming=False), page_number)
    else:
        page = ranked_page(query, language=language, page_number=page_number)
    facets = facet_counts(query, language=language)
    broader = broader_searches(query, language=language) if page.paginator.count == 0 else []
    return SearchResults(page, facets, broader)


def update_search_vectors(service_ids=None) -> int:
    """Recompute the search documents of the given services (all when None); the trigger does the work."""
    with connection.cursor() as cursor:
        if service_ids is None:
            cursor.execute("UPDATE services_service SET search_document = NULL")
        else:
            cursor.execute("UPDATE services_service SET search_document = NULL WHERE id = ANY(%s)", [list(service_ids)])
        return cursor.rowcount
