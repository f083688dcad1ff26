"""The services list's parameters and query, from the site's one search core (``services.search``).

The API does not filter or rank services itself: its parameters are the core's ``search_params()`` (declared once per
filter in services/search/filters.py), read by the core's ``query_from_params(strict=True)``, and the services come
from ``search_services``, the call behind the search page, so both give the same services in the same order.
"""

from __future__ import annotations

from services.search import SearchQuery, query_from_params
from services.search import search_params as core_params

from .params import InvalidParams, Param, boolean, choice

LANGUAGE = Param(
    "lang",
    choice(("fi", "sv", "en")),
    "Language of the search words: decides which language's texts are matched first and how results are ranked "
    "(fi, sv or en; default fi). Every response carries all three languages.",
    {"type": "string", "enum": ["fi", "sv", "en"], "default": "fi"},
)


def _as_given(value: str) -> str:
    return value  # the core parses and checks the value (query_from_params); params.py has refused control characters


def _checker(schema: dict):
    # The page's checkbox takes any value as "on"; the schema promises true/false, so the API holds to that.
    return boolean if schema.get("type") == "boolean" else _as_given


def search_params() -> list[Param]:
    """The search core's parameters, as the API checks and documents them."""
    return [
        Param(param.name, _checker(param.schema), param.description or str(param.label), param.schema, param.many)
        for param in core_params()
    ]


def search_query(query_params) -> SearchQuery:
    """The core's query for the parameters (already checked one by one); its own problems raise InvalidParams."""
    query, errors = query_from_params(query_params, strict=True)
    if errors:
        raise InvalidParams(errors)
    return query
