"""Strict query parameters: each endpoint declares what it accepts, and anything else is a 400 naming the parameter.

The HTML pages are lenient (they drop what they do not understand and say so); a machine client is better served by
an error it cannot miss. Every value is checked before it reaches the database: no control characters (PostgreSQL
rejects NUL), bounded lengths and numbers, one value unless the parameter takes several.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_VALUE_LENGTH = 200
MAX_NAME_LENGTH = 60
MAX_INTEGER_DIGITS = 9


class ParamError(ValueError):
    """A value that cannot be used; the message is shown to the client under the parameter's name."""


@dataclass(frozen=True)
class Param:
    """One query parameter: its name, how one value is parsed, and its OpenAPI description and schema."""

    name: str
    parse: Callable[[str], Any]
    description: str
    schema: dict = field(default_factory=lambda: {"type": "string"})
    many: bool = False


class InvalidParams(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def parse_params(query: Mapping, declared: Iterable[Param]) -> dict[str, Any]:
    """The parsed values by name (a list for ``many`` parameters); raises InvalidParams with every problem at once."""
    by_name = {param.name: param for param in declared}
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in query:
        key = name[:MAX_NAME_LENGTH]
        param = by_name.get(name)
        if param is None:
            errors[key] = ["Unknown parameter."]
            continue
        raw = query.getlist(name)
        if not param.many and len(raw) > 1:
            errors[key] = ["Give this parameter once."]
            continue
        parsed, messages = [], []
        for value in raw:
            try:
                parsed.append(param.parse(_checked(value)))
            except ParamError as error:
                messages.append(str(error))
        if messages:
            errors[key] = list(dict.fromkeys(messages))
        else:
            values[name] = list(dict.fromkeys(parsed)) if param.many else parsed[0]
    if errors:
        raise InvalidParams(errors)
    return values


def _checked(value: str) -> str:
    if CONTROL_RE.search(value):
        raise ParamError("Control characters (such as NUL) are not allowed.")
    if len(value) > MAX_VALUE_LENGTH:
        raise ParamError(f"At most {MAX_VALUE_LENGTH} characters.")
    return value


# --- Value parsers ---


def integer(minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        value = value.strip()
        if not value.isascii() or not value.isdigit() or len(value) > MAX_INTEGER_DIGITS:
            raise ParamError(f"A whole number from {minimum} to {maximum}.")
        number = int(value)
        if not minimum <= number <= maximum:
            raise ParamError(f"A whole number from {minimum} to {maximum}.")
        return number

    return parse


def choice(choices: Sequence[str] | Callable[[], Sequence[str]]) -> Callable[[str], str]:
    """One of *choices* (or of what the callable returns, e.g. codes read from the database)."""

    def parse(value: str) -> str:
        known = choices() if callable(choices) else choices
        if value not in known:
            shown = ", ".join(list(known)[:25])
            raise ParamError(f"Unknown value “{value[:40]}”; use one of: {shown}.")
        return value

    return parse


def boolean(value: str) -> bool:
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise ParamError("Use true or false.")


def iso_datetime(value: str) -> dt.datetime:
    """An ISO 8601 date and time, e.g. 2026-11-30T08:00:00Z; without an offset it is Finnish time (Europe/Helsinki)."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # Out of range in UTC (year 1 with a positive offset) raises here, not in SQL; and PostgreSQL refuses offsets
        # beyond ±15:59 that Python accepts (up to ±23:59), so the same moment goes to the database in UTC.
        moment = moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ParamError("An ISO 8601 date and time, e.g. 2026-11-30T08:00:00Z.") from None
    return moment


# --- Parameters every list shares ---

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

PAGE = Param(
    "page",
    integer(1, MAX_PAGE),
    "Page number, from 1.",
    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
)
PAGE_SIZE = Param(
    "page_size",
    integer(1, MAX_PAGE_SIZE),
    f"Results per page, at most {MAX_PAGE_SIZE}.",
    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
)
MODIFIED_SINCE = Param(
    "modified_since",
    iso_datetime,
    "Only objects changed at or after this moment (ISO 8601; without an offset, Finnish time). For incremental "
    "copies: keep the time of your last successful run and ask for what changed since.",
    {"type": "string", "format": "date-time"},
)
PAGINATION = (PAGE, PAGE_SIZE)
