"""PTV import entry points for the command, the Celery tasks and the admin."""

from __future__ import annotations

import datetime as dt
import logging
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from organisations.models import TaskRun
from perhekeskus.jobs import run_once

from ..search.vocabulary import analyse_all_pending_words
from .accessors import accessors_for
from .adapters import read_files
from .client import PTVClient, fetch
from .importer import Importer, Scope, Summary
from .provenance import revert

logger = logging.getLogger(__name__)

TASK = "import_ptv_area"
# An incremental run asks for what was published since the last good run minus this margin: PTV copies v11 edits to
# v12 1-1.5 hours late, with the original publication time.
SINCE_MARGIN = dt.timedelta(hours=3)


def import_ptv_files(
    *,
    paths: list[Path],
    full: bool = False,
    scope: Scope | None = None,
    force_sweep: bool = False,
    progress: Callable | None = None,
) -> Summary:
    """Import saved PTV JSON (v12 or v11) files; with *full*, sweep the scope's services missing from them."""
    summary = Importer(progress=progress).run(read_files(paths), full=full, scope=scope, force_sweep=force_sweep)
    analyse_all_pending_words()
    return summary


def import_ptv_scope(
    *,
    scope: Scope,
    since: str | None = None,
    full: bool = False,
    api_version: int = 12,
    force_sweep: bool = False,
    progress: Callable | None = None,
    client: PTVClient | None = None,
) -> Summary:
    """Fetch one area, municipality or organisation from the PTV API and import it."""
    own_client = client is None
    client = client or PTVClient(version=api_version)
    try:
        bundle = fetch(client, kind=scope.kind, code=scope.code, since=None if full else since)
    finally:
        if own_client:
            client.close()
    summary = Importer(progress=progress).run(bundle, full=full, scope=scope, force_sweep=force_sweep)
    analyse_all_pending_words()
    return summary


@contextmanager
def advisory_lock(name: str):
    """A PostgreSQL session lock: yields False at once when another process holds it (the lock dies with it)."""
    key = zlib.crc32(name.encode()) & 0x7FFFFFFF  # int4
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [7, key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [7, key])


def last_good_run(area: str) -> dt.datetime | None:
    run = TaskRun.objects.filter(task=TASK, key__startswith=f"{area}:").order_by("-done_at").first()
    return run.done_at if run else None


def import_ptv_area(*, area: str, full: bool, run_key: str, client: PTVClient | None = None) -> Summary | None:
    """Import one wellbeing area from PTV unless this run (*run_key*) already happened or is running elsewhere.

    Incremental runs ask for what was published since the last good run (a full pass when there was none). A run is
    recorded only when it ended without errors, so a failed night is covered by the next one.
    """
    key = f"{area}:{'full' if full else 'incremental'}:{run_key}"
    if TaskRun.objects.filter(task=TASK, key=key).exists():
        logger.info("PTV import %s already done", key)
        return None
    with advisory_lock(f"{TASK}:{area}") as acquired:
        if not acquired:
            logger.info("PTV import of area %s is already running; %s skipped", area, key)
            return None
        if TaskRun.objects.filter(task=TASK, key=key).exists():
            return None
        previous = last_good_run(area)
        since = None if full or previous is None else (previous - SINCE_MARGIN).isoformat()
        summary = import_ptv_scope(scope=Scope("area", area), since=since, full=full or previous is None, client=client)
        for line in summary.lines():
            logger.info("PTV import %s: %s", key, line)
        if summary.ok:
            with run_once(TASK, key):
                pass
        else:
            logger.error("PTV import %s incomplete: %s", key, "; ".join(summary.errors) or summary.sweep_refused)
        return summary


def import_ptv_areas(*, full: bool, now: dt.datetime | None = None) -> int:
    """Queue one import task per configured area (PTV_SYNC_AREAS); the key is the local date of the run."""
    from django.conf import settings

    from perhekeskus.jobs import publish

    from ..tasks import import_ptv_area_task

    run_key = timezone.localdate(now or timezone.now()).isoformat()
    queued = 0
    for area in settings.PTV_SYNC_AREAS:
        if publish(import_ptv_area_task, area, full, run_key):
            queued += 1
    return queued


@transaction.atomic
def revert_to_ptv(*, obj, fields) -> list[str]:
    """Return the chosen fields of an imported row to PTV's last value and save it."""
    accessors = accessors_for(obj)
    reverted = revert(obj, fields, accessors=accessors)
    plain = [name for name in reverted if name not in accessors]
    if plain:
        obj.save()
    return reverted
