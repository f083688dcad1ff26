"""Searches that found nothing, counted anonymously per day (``SearchMiss``), for the coordinators' dashboard.

The words are normalised so that no personal data is kept: lower case, whitespace collapsed, at most
``MAX_WORDS_LENGTH`` characters, and every token dropped that holds an e-mail address, a phone number, a personal
identity code or any other run of digits. Counting is one upsert in a savepoint and never fails the search: a database
error is logged and the family still gets the page.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ..hours import HELSINKI

logger = logging.getLogger(__name__)

MAX_WORDS_LENGTH = 100
# How long the counters are kept (days); the daily clean-up deletes older ones.
SEARCH_MISS_DAYS = 90

_EMAIL_RE = re.compile(r"\S+(@|\(at\)|\[at\])\S+")
# A token that is mostly a number once phone punctuation is removed: phone numbers, postcodes, identity codes.
_NUMBER_PUNCTUATION = str.maketrans("", "", "+-()./:#")
_EDGE_PUNCTUATION = " \t\"'«»”“,;:!?.()[]{}<>"


def _is_personal(token: str) -> bool:
    bare = token.translate(_NUMBER_PUNCTUATION)
    digits = sum(ch.isdigit() for ch in token)
    return "@" in token or (bare.isdigit() if bare else False) or digits >= 4


def normalise_words(q: str) -> str:
    """The words worth counting from *q*, or "" when nothing is left once personal-looking tokens are dropped."""
    text = _EMAIL_RE.sub(" ", q.lower())
    tokens = [token.strip(_EDGE_PUNCTUATION) for token in text.split()]
    kept = [token for token in tokens if token and not _is_personal(token)]
    words = " ".join(kept)
    if len(words) > MAX_WORDS_LENGTH:
        # Cut at a word boundary when there is one, so no half word is counted.
        cut = words[: MAX_WORDS_LENGTH + 1]
        words = cut.rsplit(" ", 1)[0] if " " in cut else cut[:MAX_WORDS_LENGTH]
    return words


_UPSERT_SQL = """
INSERT INTO services_searchmiss (day, language, words, area_id, count)
VALUES (%s, %s, %s,
        COALESCE((SELECT id FROM organisations_wellbeingarea WHERE code = %s),
                 (SELECT area_id FROM organisations_municipality WHERE code = %s)),
        1)
ON CONFLICT ON CONSTRAINT searchmiss_one_counter_per_day_language_words_area
DO UPDATE SET count = services_searchmiss.count + 1
"""


def count_search_miss(*, q: str, language: str, area: str = "", municipality: str = "", now=None) -> bool:
    """Count one search for *q* that found nothing today (Helsinki time); False if nothing was counted.

    *area* and *municipality* are the codes the search was narrowed to (the area is the municipality's when only that
    was given). Never raises: a failed insert is rolled back to its savepoint and logged.
    """
    words = normalise_words(q)
    if not words:
        return False
    day = timezone.localtime(now or timezone.now(), HELSINKI).date()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_UPSERT_SQL, [day, language[:2], words, area or "", municipality or ""])
    except DatabaseError:
        logger.warning("Could not count a search that found nothing", exc_info=True)
        return False
    return True


def count_query_miss(query, *, language: str) -> bool:
    """Count the search *query* (a SearchQuery that found nothing) if it had words; never raises."""
    if not query.terms:
        return False
    return count_search_miss(
        q=query.q,
        language=language,
        area=getattr(query.area, "code", query.area),
        municipality=getattr(query.municipality, "code", query.municipality),
    )


def delete_old_search_misses(*, today: dt.date | None = None) -> int:
    """Delete the counters older than SEARCH_MISS_DAYS; the number deleted."""
    from ..models import SearchMiss

    today = today or timezone.localdate()
    deleted, _by_model = SearchMiss.objects.filter(day__lt=today - dt.timedelta(days=SEARCH_MISS_DAYS)).delete()
    return deleted
