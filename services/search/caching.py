"""What the search caches share: the search data version and a search's normalised description.

The version is the sequence ``services_search_data_version`` (migration 0007), advanced by every statement that
writes a table the search results, facet counts or result cards read, and (meetingplaces migration 0006) the meeting
place, activity, hours and contact person tables the activity calendar and the area page show, and (organisations
migration 0012) the memberships, users' addresses and postcodes. Every cache key of the search (facet counts, result
pages, rendered cards, a postcode's point), of the calendar's rendered listings and day counts and of the area page's
content and counts (``cached_html``, meetingplaces.views.cached_counts) includes it, so a write is seen at once and
nothing needs deleting. tests/test_data_version.py checks that every table the cached pages read advances it.

The version advances twice for a write: when its statement runs, and again when its transaction commits (services
migration 0013: a deferred constraint trigger, queued once per transaction). Sequences are not transactional, so the
first advance comes before anyone else can see the rows: a page rendered in between reads the new version with the old
rows, and would keep them under it until the entry expires. The second advance, after the writer's last change,
orphans whatever was cached in between; it is the one other connections need. The first stays because TRUNCATE has no
row to queue the second (its statement trigger queues it through a marker row) and it costs one nextval a statement.
What is left is the instant between the deferred trigger and the commit becoming visible (the commit record's flush).

Inside a transaction there is no version (None) and nothing is cached: the transaction may see rows no one else sees
yet (or ever, if it rolls back), and a cached answer computed from them would be shown to everyone.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import connection
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

if TYPE_CHECKING:  # query.py imports the filters, which use cache_key()
    from .query import SearchQuery


def data_version() -> int | None:
    """The current search data version (one small query), or None inside a transaction (do not cache)."""
    if connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM services_search_data_version")
        (version,) = cursor.fetchone()
    return version


def query_description(query: SearchQuery, *, skip=frozenset()) -> list[tuple]:
    """The query's fields as (name, value), without *skip*; the words as their terms (all the matching reads) and
    multiple choices sorted (any of them matches, so their order does not count)."""
    described = []
    for field in dataclasses.fields(query):
        if field.name in skip:
            continue
        value = getattr(query, field.name)
        if field.name == "q":
            value = tuple(query.terms)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            value = tuple(sorted(value))
        described.append((field.name, value))
    return described


def cache_key(prefix: str, *parts) -> str:
    """A key for *parts* (reprs of plain values) in this database; hashed, so any text fits the cache's limits."""
    described = repr((connection.settings_dict["NAME"], *parts))
    return f"{prefix}:" + hashlib.sha256(described.encode()).hexdigest()


def current_version(version=...) -> int | None:
    """*version* when the caller has read it already (one query per page is enough), else data_version()."""
    return data_version() if version is ... else version


def cached_value(
    prefix: str, parts: tuple, compute: Callable[[], object], seconds: int, *, version=..., per_language: bool = True
):
    """``compute()`` (a picklable value that names no visitor, never None), kept *seconds* under the data version, the
    language (unless not *per_language*) and *parts*, which must name everything the value depends on besides the
    data. Inside a transaction (no version) it is computed every time and not kept. *version*: the data version if the
    page has read it already."""
    version = current_version(version)
    language = get_language() if per_language else None
    key = None if version is None else cache_key(prefix, version, language, *parts)
    value = cache.get(key) if key else None
    if value is None:
        value = compute()
        if key:
            cache.set(key, value, seconds)
    return value


def cached_html(prefix: str, parts: tuple, render: Callable[[], str], seconds: int, *, version=...) -> SafeString:
    """``render()`` (HTML that names no visitor), kept like cached_value(): *parts* must name everything the HTML
    depends on besides the data: what the page asked for, and the day when it marks "today"."""
    html = cached_value(prefix, parts, lambda: str(render()), seconds, version=version)
    return mark_safe(html)  # noqa: S308 - our templates' output
