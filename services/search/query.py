"""A service search as a value: the words, the filters' values, the order and the family's position."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .filters import FILTERS, Param, active_filters, find_filter
from .text import MAX_QUERY_LENGTH, search_terms

SORTS = ("relevance", "name", "distance")

# The parameters that are not filters: the words, the order and the position for "distance".
Q_PARAM = Param(
    "q",
    _("What are you looking for?"),
    {"type": "string", "maxLength": MAX_QUERY_LENGTH},
    "Search words; every word must match (inflections, compound parts and typos are found).",
)
SORT_PARAM = Param(
    "sort",
    _("Sort by"),
    {"type": "string", "enum": list(SORTS)},
    "distance (default when a place is given: from lat/lon, else from the postcode area or the municipality's"
    " centre), relevance (default with words), name (default otherwise).",
)
LAT_PARAM = Param(
    "lat", _("Latitude"), {"type": "number", "minimum": -90, "maximum": 90}, "Latitude (WGS84), with lon."
)
LON_PARAM = Param(
    "lon", _("Longitude"), {"type": "number", "minimum": -180, "maximum": 180}, "Longitude (WGS84), with lat."
)


def search_params() -> list[Param]:
    """Every GET parameter of the service search, in the order the API documents them."""
    return [Q_PARAM, *(param for f in FILTERS for param in f.params), SORT_PARAM, LAT_PARAM, LON_PARAM]


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
    # Without lat/lon: the point of the chosen postcode area or municipality (places.py), not a GET parameter.
    origin: tuple[float, float] | None = None

    @property
    def terms(self) -> list[str]:
        return search_terms(self.q)

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def distance_from(self) -> tuple[float, float] | None:
        """The point distances are measured from: the family's position, else the chosen place's point."""
        return (self.lat, self.lon) if self.has_location else self.origin

    @property
    def default_sort(self) -> str:
        if self.distance_from is not None:
            return "distance"
        return "relevance" if self.terms else "name"

    @property
    def effective_sort(self) -> str:
        sort = self.sort or self.default_sort
        if sort == "distance" and self.distance_from is not None:
            return "distance"
        if sort == "name" or not self.terms:
            return "name"
        return "relevance"

    @property
    def sort_is_redundant(self) -> bool:
        """The sort given is the order this query has without it (the parameter can go)."""
        return bool(self.sort) and self.effective_sort == dataclasses.replace(self, sort="").effective_sort

    def without(self, name: str) -> SearchQuery:
        """This query without the words ("q") or without one filter (by its name, parameter or field)."""
        if name == "q":
            return dataclasses.replace(self, q="")
        return find_filter(name).without(self)

    def as_params(self) -> dict:
        """GET parameters that the search form turns back into this query (lists for multi-values)."""
        params: dict = {"q": self.q} if self.q else {}
        for search_filter in FILTERS:
            params.update(search_filter.to_params(self))
        if self.sort:
            params["sort"] = self.sort
        if self.has_location:
            params["lat"] = f"{self.lat:.5f}"
            params["lon"] = f"{self.lon:.5f}"
        return params

    @property
    def active_filters(self) -> list[str]:
        """Names of the filters that narrow this query (not q, sort or position), in display order."""
        return [f.name for f in active_filters(self)]
