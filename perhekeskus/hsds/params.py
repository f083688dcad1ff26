"""Query parameters of the feed: parsed strictly, every bad one named in one 400 answer.

Each endpoint lists the parameters it takes; anything else is an error too, so a misspelt filter
(``organisation_id``) is reported instead of silently returning everything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from services.choices import MAX_AGE

from .ids import is_uuid

LANGUAGES = ("fi", "sv", "en")
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_SEARCH_LENGTH = 200
MAX_PROXIMITY_METRES = 500_000
MAX_PAGE = 1_000_000

# RFC 5545 day codes (as in HSDS schedule.byday) → ISO weekday; English names are accepted too.
DAYS = {"MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6, "SU": 7}
DAY_NAMES = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7}

PAGING = ("page", "per_page", "lang", "format")
SERVICE_FILTERS = (
    "search",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "postcode",
    "proximity",
    "minimum_age",
    "maximum_age",
    "day",
)
ALLOWED = {
    "root": ("lang",),
    "detail": ("lang", "format"),
    "services": PAGING + SERVICE_FILTERS,
    "service_at_locations": PAGING + SERVICE_FILTERS,
    "organizations": (*PAGING, "search", "modified_after"),
    "taxonomies": (*PAGING, "search"),
    "taxonomy_terms": (*PAGING, "search", "taxonomy_id", "parent_id", "top_only"),
}

_POSTCODE_RE = re.compile(r"^[0-9]{5}$")


class BadParameters(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class FeedParams:
    lang: str = "fi"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    search: str = ""
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    organization_id: str = ""
    modified_after: dt.datetime | None = None
    postcode: str = ""
    proximity: float | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    day: int | None = None
    parent_id: str = ""
    top_only: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    resolved: object = None  # queries.Resolved, for the endpoints that look ids up


def _integer(value: str, low: int, high: int) -> int:
    if not re.fullmatch(r"[0-9]{1,9}", value.strip()):
        raise ValueError(f"must be a whole number from {low} to {high}")
    number = int(value)
    if not low <= number <= high:
        raise ValueError(f"must be a whole number from {low} to {high}")
    return number


def _datetime(value: str) -> dt.datetime:
    value = value.strip()
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise ValueError
            moment = dt.datetime.combine(day, dt.time())
    except ValueError:
        raise ValueError("must be an ISO 8601 date or date-time, e.g. 2026-11-30T08:00:00Z") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _uuid(value: str) -> str:
    value = value.strip()
    if not is_uuid(value):
        raise ValueError("must be a UUID")
    return value.lower()


def _day(value: str) -> int:
    value = value.strip()
    if value.upper() in DAYS:
        return DAYS[value.upper()]
    if value.lower() in DAY_NAMES:
        return DAY_NAMES[value.lower()]
    raise ValueError("must be a day: MO, TU, WE, TH, FR, SA or SU (or Monday … Sunday)")


def _boolean(value: str) -> bool:
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise ValueError("must be true or false")


def _parse_one(params: FeedParams, name: str, value: str) -> None:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if name == "lang":
        if value not in LANGUAGES:
            raise ValueError("must be one of fi, sv, en")
        params.lang = value
    elif name == "format":
        if value != "json":
            raise ValueError("only json is served")
    elif name == "page":
        params.page = _integer(value, 1, MAX_PAGE)
    elif name == "per_page":
        params.per_page = _integer(value, 1, MAX_PER_PAGE)
    elif name == "search":
        if len(value) > MAX_SEARCH_LENGTH:
            raise ValueError(f"must be at most {MAX_SEARCH_LENGTH} characters")
        params.search = value.strip()
    elif name in ("taxonomy_term_id", "taxonomy_id", "organization_id", "parent_id"):
        setattr(params, name, _uuid(value))
    elif name == "modified_after":
        params.modified_after = _datetime(value)
    elif name == "postcode":
        if not _POSTCODE_RE.match(value.strip()):
            raise ValueError("must be a Finnish postal code, five digits")
        params.postcode = value.strip()
    elif name == "proximity":
        params.proximity = float(_integer(value, 1, MAX_PROXIMITY_METRES))
    elif name in ("minimum_age", "maximum_age"):
        setattr(params, name, _integer(value, 0, MAX_AGE))
    elif name == "day":
        params.day = _day(value)
    elif name == "top_only":
        params.top_only = _boolean(value)


def parse(query_dict, endpoint: str) -> FeedParams:
    """The parameters of *endpoint* from a request's GET; the bad ones are named in ``errors``.

    The caller raises BadParameters, after looking up the ids that parsed (queries.resolve), so one answer
    names every bad parameter.
    """
    params = FeedParams()
    errors: dict[str, str] = {}
    allowed = ALLOWED[endpoint]
    for name in query_dict:
        values = query_dict.getlist(name)
        if name not in allowed:
            errors[name] = "unknown parameter; this endpoint takes: " + ", ".join(allowed)
            continue
        if len(values) > 1:
            errors[name] = "give this parameter once"
            continue
        try:
            _parse_one(params, name, values[0])
        except ValueError as error:
            errors[name] = str(error)
    if params.proximity is not None and not params.postcode and "postcode" not in errors:
        errors["proximity"] = "needs a postcode: the distance is measured from the postcode's centre"
    if (
        params.minimum_age is not None
        and params.maximum_age is not None
        and params.minimum_age > params.maximum_age
        and "maximum_age" not in errors
    ):
        errors["maximum_age"] = "must not be below minimum_age"
    params.errors = errors
    return params
