"""Which addresses are due for a check, and where the results go.

The task runs hourly and checks the addresses whose last check is older than ``LINK_CHECK_INTERVAL_DAYS`` (new ones
first), so a lost tick or a stopped worker only delays the check and a second run in the same week finds nothing to
do. Results are stored after each chunk, so a run that is killed keeps what it found. ``only_one_at_a_time`` keeps
two runs from checking the same addresses at once: the later one returns at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from meetingplaces.models import MeetingPlace
from organisations.models import LinkCheck, Organisation
from perhekeskus.jobs import only_one_at_a_time
from services.choices import PublicationState
from services.models import WebLink

from . import checker

logger = logging.getLogger(__name__)

LOCK_NAME = "check_links"
# Results are stored after each chunk: a killed run loses at most one chunk of work.
CHUNK = 200


@dataclass
class Summary:
    checked: int = 0
    outcomes: Counter = field(default_factory=Counter)
    added: int = 0
    removed: int = 0


def urls_in_use() -> set[str]:
    """Every web address shown on the site or about to be: service links in each language and the websites."""
    urls: set[str] = set()
    links = WebLink.objects.exclude(service__state=PublicationState.ARCHIVED)
    for row in links.values_list("url_fi", "url_sv", "url_en"):
        urls.update(url for url in row if url)
    urls.update(Organisation.objects.exclude(website="").values_list("website", flat=True))
    places = MeetingPlace.objects.exclude(state=PublicationState.ARCHIVED).exclude(website="")
    urls.update(places.values_list("website", flat=True))
    return {url.strip() for url in urls if url.strip()}


def sync_rows() -> tuple[int, int]:
    """Add a row for each address in use and drop the rows of addresses no longer used; (added, removed)."""
    wanted = urls_in_use()
    existing = set(LinkCheck.objects.values_list("url", flat=True))
    new = [LinkCheck(url=url) for url in sorted(wanted - existing) if len(url) <= 500]
    LinkCheck.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    gone = sorted(existing - wanted)
    for start in range(0, len(gone), 1000):
        LinkCheck.objects.filter(url__in=gone[start : start + 1000]).delete()
    return len(new), len(gone)


def options() -> checker.Options:
    return checker.Options(
        user_agent=settings.LINK_CHECK_USER_AGENT,
        timeout=settings.LINK_CHECK_TIMEOUT,
        concurrency=settings.LINK_CHECK_CONCURRENCY,
        per_host=settings.LINK_CHECK_PER_HOST,
        allow_loopback=settings.LINK_CHECK_ALLOW_PRIVATE,
    )


def store(results: list[checker.Result], *, now: dt.datetime) -> None:
    rows = {row.url: row for row in LinkCheck.objects.filter(url__in=[r.url for r in results])}
    for result in results:
        row = rows.get(result.url)
        if row is None:  # removed from the site while it was being checked
            continue
        row.outcome = result.outcome
        row.status = result.status
        row.reason = result.reason
        row.error = result.error[:300]
        row.final_url = result.final_url[:500] if result.final_url != result.url else ""
        row.checked_at = now
        row.broken_since = None if result.outcome == checker.OK else (row.broken_since or now)
    LinkCheck.objects.bulk_update(
        rows.values(),
        ["outcome", "status", "reason", "error", "final_url", "checked_at", "broken_since"],
        batch_size=500,
    )


def check_links(*, limit: int | None = None, **network) -> Summary | None:
    """Check the addresses that are due (at most *limit*), storing each chunk's results; None if a run is going on.

    *network* (``resolver``, ``transport``) replaces the real network in tests of the guard.
    """
    with only_one_at_a_time(LOCK_NAME) as alone:
        if not alone:
            logger.info("Link check already running; this run does nothing")
            return None
        summary = Summary()
        summary.added, summary.removed = sync_rows()
        due_before = timezone.now() - dt.timedelta(days=settings.LINK_CHECK_INTERVAL_DAYS)
        due = LinkCheck.objects.due(due_before).order_by(F("checked_at").asc(nulls_first=True), "url")
        urls = list(due.values_list("url", flat=True)[:limit])
        for start in range(0, len(urls), CHUNK):
            results = checker.check_urls(urls[start : start + CHUNK], options(), **network)
            store(results, now=timezone.now())
            summary.checked += len(results)
            summary.outcomes.update(result.outcome for result in results)
        logger.info("Link check: %d addresses checked %s", summary.checked, dict(summary.outcomes))
        return summary
