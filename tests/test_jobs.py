"""Background jobs against a broker that fails: a Redis server of the test's own, stopped, frozen and restarted.

Never the machine's Redis: each test starts ``redis-server`` on a free port of 16500-16549 in a temporary directory and
stops it afterwards (SIGCONT first when it was frozen).
"""

import datetime as dt
import threading
import time
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.db import connections, transaction

from organisations.models import Organisation, TaskRun
from perhekeskus import jobs
from perhekeskus.jobs import BrokerUnavailable, publish, publish_on_commit, run_once
from perhekeskus.reminders import reminder_round
from perhekeskus.tasks import send_review_reminders_task
from services.models import Service
from tests.brokers import queued, run_worker_until_done
from tests.factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")


def due_service(**kwargs):
    return ServiceFactory(published=True, reviewed_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), **kwargs)


# --- Publishing against a broker that is down ---


def test_publish__gives_up_within_the_socket_timeout_when_the_broker_is_frozen(broker_app, redis_server, caplog):
    task = broker_app.tasks["send_review_reminders"]
    task.apply_async()  # a live pooled connection, as in a web worker that has published before
    budget = settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"]
    redis_server.freeze()
    try:
        for _attempt in ("on the pooled connection", "on a new connection"):
            started = time.monotonic()
            with pytest.raises(BrokerUnavailable):
                task.apply_async()
            # One wait of the socket timeout, not kombu's default connection and publish retries (4-8.5 s measured).
            assert time.monotonic() - started < 2 * budget

        assert publish(task) is False
    finally:
        redis_server.thaw()
    assert "Broker unavailable: task send_review_reminders not queued" in caplog.text


def test_publish__fails_at_once_when_the_broker_is_stopped(broker_app, redis_server):
    task = broker_app.tasks["send_review_reminders"]
    redis_server.stop()

    with pytest.raises(BrokerUnavailable):
        task.apply_async()
    assert publish(task) is False


def test_publish_on_commit__keeps_the_callers_work_when_the_broker_is_down(
    broker_app, redis_server, caplog, django_capture_on_commit_callbacks
):
    task = broker_app.tasks["send_review_reminders"]
    redis_server.stop()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        organisation = OrganisationFactory()
        publish_on_commit(task)
    # No exception reached the caller; its row is stored (an outbox sweeper would publish it again later).

    assert len(callbacks) == 1
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert "Broker unavailable: task send_review_reminders not queued" in caplog.text


def test_publish_on_commit__after_a_frozen_broker_failed_one_publish_the_next_wait_nothing_until_the_pause_ends(
    broker_app, redis_server, monkeypatch
):
    """One request per process pays the socket timeout of a frozen broker, not every request (and those queued behind
    it): the rows of the others wait for their sweeper."""
    monkeypatch.setattr(jobs, "PAUSE_AFTER_FAILURE", 2)
    task = broker_app.tasks["send_review_reminders"]
    budget = settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"]
    redis_server.freeze()
    try:
        started = time.monotonic()
        assert jobs.publish_unless_paused(task) is False
        assert time.monotonic() - started >= budget  # the first one waited for the broker
        started = time.monotonic()
        assert jobs.publish_unless_paused(task) is False
        assert jobs.publish_unless_paused(task) is False
        assert time.monotonic() - started < 0.2  # the next ones did not
    finally:
        redis_server.thaw()
    assert jobs.publish_unless_paused(task) is False  # thawed, but still within the pause
    assert queued(broker_app, redis_server) == 0

    time.sleep(2.1)
    assert jobs.publish_unless_paused(task) is True
    assert jobs.publish_unless_paused(task) is True  # a success ends the pause
    assert queued(broker_app, redis_server) == 2


def test_publish_on_commit__queues_after_the_commit_only(broker_app, redis_server, django_capture_on_commit_callbacks):
    task = broker_app.tasks["send_review_reminders"]

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            publish_on_commit(task)
            assert queued(broker_app, redis_server) == 0
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            publish_on_commit(task)
            1 / 0  # noqa: B018
    assert queued(broker_app, redis_server) == 1


# --- One effect per key, with a real worker ---


@pytest.mark.django_db(transaction=True)
def test_duplicate_deliveries__send_one_reminder_through_a_real_worker(broker_app, redis_server, mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    service = due_service(organisation=organisation)
    task = broker_app.tasks["send_review_reminders"]

    task.apply_async()  # the first delivery
    redis_server.freeze()
    try:
        with pytest.raises(BrokerUnavailable):
            task.apply_async()  # the caller sees an error, but the command may already be in the frozen server
    finally:
        redis_server.thaw()
    task.apply_async()  # so the caller tries again
    task.apply_async()  # and one more duplicate, as after a redelivery
    messages = queued(broker_app, redis_server)
    assert messages >= 3

    run_worker_until_done(broker_app, messages)

    assert [message.to for message in mailoutbox] == [["toimisto@perheyhdistys.fi"]]
    service.refresh_from_db()
    assert service.review_reminder_sent_at is not None
    assert TaskRun.objects.filter(task="send_review_reminders").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("outcome", "second_runs"), [("commits", False), ("fails", True)])
def test_run_once__an_overlapping_run_with_the_same_key_waits_for_the_first(outcome, second_runs):
    first_claimed, second_started = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with run_once("import", "batch-7") as claimed:
                results["first"] = claimed
                first_claimed.set()
                second_started.wait(10)
                time.sleep(0.2)  # let the second run reach the claim and wait on it
                if outcome == "fails":
                    raise RuntimeError("the first run fails")
        except RuntimeError:
            pass
        finally:
            connections.close_all()

    def second():
        first_claimed.wait(10)
        second_started.set()
        try:
            with run_once("import", "batch-7") as claimed:
                results["second"] = claimed
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert results == {"first": True, "second": second_runs}
    assert TaskRun.objects.filter(task="import", key="batch-7").count() == 1


def test_run_once__keys_are_per_task():
    with run_once("import", "1") as first:
        assert first
    with run_once("import", "1") as again:
        assert not again
    with run_once("export", "1") as other_task:
        assert other_task


# --- Broker persistence ---


@pytest.mark.django_db(transaction=True)
def test_broker_restart__keeps_queued_messages_with_the_append_only_file(broker_app, redis_server, mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    due_service(organisation=organisation)
    redis_server.stop()
    redis_server.appendonly = True  # as docker-compose.yml runs it
    redis_server.start()
    broker_app.tasks["send_review_reminders"].apply_async()

    redis_server.stop()  # SIGTERM, as `docker compose restart` sends
    redis_server.start()

    assert queued(broker_app, redis_server) == 1
    run_worker_until_done(broker_app, 1)
    assert [message.to for message in mailoutbox] == [["toimisto@perheyhdistys.fi"]]


def test_broker_restart__loses_queued_messages_without_persistence(broker_app, redis_server):
    """Why docker-compose.yml turns the append-only file on: the old `--save "" --appendonly no` lost the queue."""
    broker_app.tasks["send_review_reminders"].apply_async()
    assert queued(broker_app, redis_server) == 1

    redis_server.stop()
    redis_server.start()

    assert queued(broker_app, redis_server) == 0


# --- Catching up ticks that beat could not deliver ---


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HELSINKI)


def test_beat__runs_the_reminder_task_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["send-review-reminders"]
    schedule = entry["schedule"]

    assert entry["task"] == send_review_reminders_task.name
    assert schedule.minute == {0}
    assert schedule.hour == set(range(24))
    assert schedule.day_of_week == set(range(7))


@pytest.mark.parametrize(
    ("now", "round_start"),
    [
        (at(2026, 3, 2, 7, 0), at(2026, 3, 2, 7, 0)),  # Monday 07:00 itself
        (at(2026, 3, 2, 6, 59), at(2026, 2, 23, 7, 0)),  # just before: last week's round
        (at(2026, 3, 8, 23, 0), at(2026, 3, 2, 7, 0)),  # Sunday night
        (at(2026, 3, 30, 7, 30), at(2026, 3, 30, 7, 0)),  # the Monday after summer time began (04:00 UTC)
        (at(2026, 10, 26, 7, 0), at(2026, 10, 26, 7, 0)),  # the Monday after it ended (05:00 UTC)
    ],
)
def test_reminder_round__starts_on_monday_at_seven_helsinki_time(now, round_start):
    assert reminder_round(now) == round_start
    assert reminder_round(now.astimezone(dt.UTC)) == round_start


def test_review_reminders__a_tick_lost_while_the_broker_was_down_is_made_up_by_the_next_one(mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "Perhekeskus <noreply@perhekeskus.example>"
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    first = due_service(organisation=organisation)

    # Monday 07:00: beat's tick fails to reach the broker, so nothing runs. 08:00: the broker is back.
    with time_machine.travel(at(2026, 3, 2, 8, 0), tick=False):
        assert send_review_reminders_task() == 1
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        assert send_review_reminders_task() == 0
    assert len(mailoutbox) == 1
    assert first.name_fi in mailoutbox[0].body

    # A service that falls due mid-week waits for the next round: one mail a week at most.
    second = due_service(organisation=organisation)
    with time_machine.travel(at(2026, 3, 4, 12, 0), tick=False):
        assert send_review_reminders_task() == 0
    with time_machine.travel(at(2026, 3, 9, 7, 0), tick=False):
        assert send_review_reminders_task() == 1
    assert len(mailoutbox) == 2
    assert second.name_fi in mailoutbox[1].body
    assert first.name_fi not in mailoutbox[1].body
    # Each round's mail has an id of its own that a resend of the same round would repeat.
    assert [message.extra_headers["Message-ID"] for message in mailoutbox] == [
        f"<review-reminder.{organisation.pk}.20260302T0500Z@perhekeskus.example>",
        f"<review-reminder.{organisation.pk}.20260309T0500Z@perhekeskus.example>",
    ]


def test_review_reminders__a_whole_week_without_runs_is_caught_up_once(mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    due_before = due_service(organisation=organisation)
    with time_machine.travel(at(2026, 3, 4, 12, 0), tick=False):
        due_midweek = ServiceFactory(organisation=organisation, published=True, reviewed_at=None)

    # Broker down from before Monday 2 March until Tuesday 10 March: the rounds of 2 and 9 March never ran.
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        assert send_review_reminders_task() == 1
        assert send_review_reminders_task() == 0

    assert len(mailoutbox) == 1
    assert due_before.name_fi in mailoutbox[0].body
    assert due_midweek.name_fi in mailoutbox[0].body
    assert Service.objects.filter(review_reminder_sent_at__isnull=True).count() == 0


def test_review_reminders__a_round_is_sent_once_even_if_the_bookkeeping_is_reset(mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    due_service(organisation=organisation)

    with time_machine.travel(at(2026, 3, 2, 7, 0), tick=False):
        assert send_review_reminders_task() == 1
        Service.objects.update(review_reminder_sent_at=None)  # e.g. a bulk edit through another path
        assert send_review_reminders_task() == 0
    with time_machine.travel(at(2026, 3, 9, 7, 0), tick=False):
        assert send_review_reminders_task() == 1

    assert len(mailoutbox) == 2
