"""What every background job shares: publishing without failing the caller, and one effect per idempotency key.

The broker delivers at least once: a message can arrive twice (a publish that timed out on a frozen broker may still
have been queued, so the caller's retry queues it again; a worker killed before its late ack is redelivered after the
visibility timeout), and two runs can overlap. Tasks therefore do their work inside ``run_once(task, key)``, which
records ``(task, key)`` in the same transaction as the work: a second delivery with the same key finds the record and
does nothing.

``publish``/``publish_on_commit`` queue a task without ever failing the caller: a broker failure is logged and
``publish`` returns False (``publish_on_commit`` then tries nothing for PAUSE_AFTER_FAILURE seconds). Work that must
not be lost follows the outbox pattern (the anonymous questions, perhekeskus/contact/delivery.py): the request stores
the row that says what is to be done and queues the task with ``publish_on_commit``; a periodic sweeper publishes
again every row still waiting after a few minutes, and ``run_once`` keyed by the row makes the extra deliveries
harmless. Do not use ``publish_on_commit`` for work without a row that a sweeper will find.
"""

import logging
import time
import weakref
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from celery import Task
from django.db import connection, transaction
from kombu.exceptions import OperationalError

from organisations.models import TaskRun

logger = logging.getLogger(__name__)

# What ``apply_async`` raises when the broker is stopped, frozen or unreachable (kombu wraps redis-py's errors).
BrokerUnavailable = OperationalError


def publish(task: Task, *args, **kwargs) -> bool:
    """Queue the task now; False (logged) instead of an exception when the broker cannot take it.

    The settings bound a publish to one connection attempt and one command (about 1.5 s on a frozen broker, at once on
    a stopped one). A False does not prove the message was lost: it may still be queued, so callers that try again
    need tasks keyed with ``run_once``.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except BrokerUnavailable:
        logger.warning("Broker unavailable: task %s not queued", task.name, exc_info=True)
        return False
    return True


# After a publish from publish_on_commit found the broker unavailable, the same process publishes nothing more from
# it for this many seconds: the rows wait for their sweeper. A frozen broker costs each request 1.5 s (the socket
# timeout), and with every web worker blocked in turn the requests queued behind them waited seconds (measured by
# benchmarks/contact_load.py); now only one request per process and pause pays the timeout.
PAUSE_AFTER_FAILURE = 30
# Each Celery app's last failed publish (one app per process in production; a test's own broker has its own app).
_failed_at: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def publish_on_commit(task: Task, *args, **kwargs) -> None:
    """Queue the task after the current transaction commits (at once outside one); never raises into the caller.

    A request that stored its row must not answer 500 because the broker is down: the row is the record of the work.
    For PAUSE_AFTER_FAILURE seconds after a failed publish nothing is tried (the broker is likely still down), so only
    use this for work whose row a sweeper publishes again.
    """
    transaction.on_commit(lambda: publish_unless_paused(task, *args, **kwargs), robust=True)


def publish_unless_paused(task: Task, *args, **kwargs) -> bool:
    """``publish``, unless a publish of this app failed less than PAUSE_AFTER_FAILURE seconds ago (then False)."""
    failed_at = _failed_at.get(task.app)
    if failed_at is not None and time.monotonic() - failed_at < PAUSE_AFTER_FAILURE:
        logger.warning("Broker unavailable %.0f s ago: task %s not queued", time.monotonic() - failed_at, task.name)
        return False
    if publish(task, *args, **kwargs):
        _failed_at.pop(task.app, None)
        return True
    _failed_at[task.app] = time.monotonic()
    return False


@contextmanager
def run_once(task: str, key: str) -> Iterator[bool]:
    """Open a transaction and claim ``(task, key)`` in it; yield True for the first claim, False for a repeat.

    Do the task's database work inside the block, so it commits together with the claim. A concurrent run with the same
    key waits on the claim's unique index until the first run's transaction ends: if it committed, the second run gets
    False; if it failed and rolled back, the claim went with it and the second run does the work.
    Non-transactional effects (mail) inside the block happen at most once per committed claim, and again only if the
    transaction fails after them (at-least-once, never twice for one committed run).
    """
    with transaction.atomic():
        _, created = TaskRun.objects.get_or_create(task=task, key=str(key))
        yield created


@contextmanager
def only_one_at_a_time(name: str) -> Iterator[bool]:
    """Yield True while this process holds the job's PostgreSQL advisory lock, False at once if another one does.

    For long jobs that must not overlap but should not hold a transaction open for their whole run (a link check
    waits on the network for minutes). The lock is the session's, so it goes with the connection if the worker dies.
    """
    key = zlib.crc32(f"perhekeskus:{name}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        (acquired,) = cursor.fetchone()
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
