"""Anonymous questions are delivered once, whatever the broker and the mail server do (perhekeskus/contact/delivery.py).

The broker is a redis-server of the test's own (tests/brokers.py), stopped and frozen while families send questions;
mail goes to Django's locmem outbox, made to fail like an SMTP server that is down.
"""

import datetime as dt
import logging
import smtplib
import threading
import time

import pytest
import time_machine
from celery.signals import task_postrun
from django.conf import settings
from django.db import connection

from organisations.models import Membership, TaskRun
from perhekeskus.contact import codes, crypto, delivery
from perhekeskus.contact.delivery import notify, submit, sweep_pending
from perhekeskus.contact.models import ContactMessage, ContactRequest
from tests.brokers import queued, run_worker_until_done
from tests.factories import MembershipFactory, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

QUESTION = "Lapseni ei nuku öisin. Voiko neuvolaan soittaa ilman ajanvarausta?"


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(name_fi="Perheneuvola Aura", email="toimisto@perheneuvola.fi")
    MembershipFactory(organisation=organisation, role=Membership.Role.PROFESSIONAL, user__email="terhi@perheneuvola.fi")
    MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR, user__email="editori@perheneuvola.fi")
    return organisation


@pytest.fixture
def contact_broker(broker_app, redis_server, monkeypatch):
    """Notifications are queued on the test's own broker (its app's copy of the task), not run eagerly."""
    import perhekeskus.contact.tasks  # noqa: F401 (registers the tasks with every app, the test's own included)

    monkeypatch.setattr(delivery, "notify_task", lambda: broker_app.tasks[delivery.NOTIFY_TASK])
    return broker_app


def ask(organisation, **kwargs):
    return submit(organisation=organisation, body=QUESTION, language="fi", **kwargs)


@pytest.fixture
def smtp(settings):
    """Django's locmem mail backend, and a switch that makes it fail as an unreachable SMTP server does."""
    from django.core import mail
    from django.core.mail.backends import locmem

    state = {"down": False}
    original = locmem.EmailBackend.send_messages

    def send_messages(self, messages):
        if state["down"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return original(self, messages)

    locmem.EmailBackend.send_messages = send_messages
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    yield state
    locmem.EmailBackend.send_messages = original


# --- What is stored ---


def test_submit__stores_the_question_encrypted_and_the_code_only_as_a_keyed_hash(organisation):
    service = ServiceFactory(organisation=organisation)
    request, code = ask(organisation, service=service, reply_email="perhe@example.fi")

    assert codes.normalise(code) is not None and len(code) == 29  # six groups of four with dashes
    assert request.reply_code_hash == codes.code_hash(code) and code not in request.reply_code_hash
    message = request.messages.get()
    assert message.sender == ContactMessage.Sender.FAMILY and message.body == QUESTION
    assert request.reply_email == "perhe@example.fi"
    # A dump of the tables shows neither the question nor the address.
    with connection.cursor() as cursor:
        cursor.execute("SELECT body_encrypted FROM contact_contactmessage")
        stored_body = cursor.fetchone()[0]
        cursor.execute("SELECT reply_email_encrypted, reply_code_hash FROM contact_contactrequest")
        stored_email, stored_hash = cursor.fetchone()
    assert "nuku" not in stored_body and "perhe@" not in stored_email
    assert codes.normalise(code) not in stored_hash
    assert request.notify_state == ContactRequest.NotifyState.PENDING


def test_reply_codes__carry_120_bits_and_read_back_as_written_by_hand():
    code = codes.new_code()
    assert len(codes.normalise(code)) * 5 == 120
    assert len({codes.new_code() for _ in range(200)}) == 200
    sloppy = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert codes.normalise(sloppy) == codes.normalise(code)
    assert codes.code_hash(sloppy) == codes.code_hash(code)
    assert codes.normalise("ABCD-EFGH") is None and codes.normalise("U" * 24) is None


def test_reply_code_hashes__survive_a_secret_key_rotation(settings):
    code = codes.new_code()
    stored = codes.code_hash(code)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    assert stored in codes.code_hashes(code)
    assert codes.code_hash(code) != stored


def test_encryption_keys__rotate_without_losing_a_question(settings, organisation):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CONTACT_ENCRYPTION_KEYS = [old]
    request, _code = ask(organisation, reply_email="perhe@example.fi")
    settings.CONTACT_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_contact_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.CONTACT_ENCRYPTION_KEYS = [new]  # the old key is gone
    request.refresh_from_db()
    assert request.messages.get().body == QUESTION
    assert request.reply_email == "perhe@example.fi"
    with pytest.raises(crypto.InvalidToken):
        settings.CONTACT_ENCRYPTION_KEYS = [old]
        request.messages.get().body  # noqa: B018


# --- Notified once ---


def test_notify__mails_the_professionals_once_without_the_question(organisation, smtp):
    from django.core import mail

    request, _code = ask(organisation)
    assert notify(request.pk) is True
    assert notify(request.pk) is False  # a second delivery of the same message

    assert [message.to for message in mail.outbox] == [["terhi@perheneuvola.fi"]]
    text = mail.outbox[0].body
    assert "Perheneuvola Aura" in text
    assert "Kirjaudu sisään" in text and "Logga in" in text
    assert "/fi/contact/inbox/" in text and "/sv/contact/inbox/" in text
    assert "nuku" not in text and "nuku" not in mail.outbox[0].subject
    request.refresh_from_db()
    assert request.notify_state == ContactRequest.NotifyState.SENT and request.notified_at is not None


def test_notify__without_professionals_goes_to_the_organisations_address(smtp):
    from django.core import mail

    organisation = OrganisationFactory(email="info@perhekahvila.fi")
    request, _code = ask(organisation)
    notify(request.pk)
    assert [message.to for message in mail.outbox] == [["info@perhekahvila.fi"]]


def test_notify__smtp_down_then_up_sends_exactly_once(organisation, smtp):
    from django.core import mail

    request, _code = ask(organisation)
    smtp["down"] = True
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notify(request.pk)
    request.refresh_from_db()
    assert request.notify_state == ContactRequest.NotifyState.PENDING
    assert not TaskRun.objects.filter(task="notify_contact_request").exists()  # the claim rolled back with it

    smtp["down"] = False
    assert notify(request.pk) is True
    assert notify(request.pk) is False
    assert len(mail.outbox) == 1


def test_sweep__queues_again_only_what_is_still_pending_and_old_enough(organisation, contact_broker, redis_server):
    broker_app = contact_broker
    start = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        pending, _ = ask(organisation)
        sent, _ = ask(organisation)
    ContactRequest.objects.filter(pk=sent.pk).update(notify_state=ContactRequest.NotifyState.SENT)
    queue_before = queued(broker_app, redis_server)

    too_soon = start + dt.timedelta(seconds=settings.CONTACT_REPUBLISH_AFTER - 1)
    assert sweep_pending(now=too_soon) == 0
    later = start + dt.timedelta(seconds=settings.CONTACT_REPUBLISH_AFTER + 1)
    assert sweep_pending(now=later) == 1
    assert sweep_pending(now=later) == 0  # just queued: not again until the interval has passed
    assert queued(broker_app, redis_server) == queue_before + 1


def test_sweep__queues_a_row_again_less_and_less_often_while_it_stays_pending(organisation, contact_broker, settings):
    """A long mail outage must not add a delivery a minute per question: the spacing doubles up to an hour."""
    settings.CONTACT_REPUBLISH_AFTER = 120
    start = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        ask(organisation)
    queued_at = []
    for minute in range(0, 24 * 60):
        if sweep_pending(now=start + dt.timedelta(minutes=minute)):
            queued_at.append(minute)
    # 2 min after it was sent, then 4, 8, 16, 32 and 64 → capped at 60 minutes apart.
    assert queued_at[:6] == [2, 6, 14, 30, 62, 122]
    assert all(later - earlier == 60 for earlier, later in zip(queued_at[6:], queued_at[7:], strict=False))
    assert len(queued_at) < 30  # not 1 440


def test_sweep__with_the_broker_down_stops_and_leaves_the_rows_for_the_next_sweep(
    organisation, contact_broker, redis_server
):
    start = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        first, _ = ask(organisation)
        ask(organisation)
    redis_server.stop()
    later = start + dt.timedelta(seconds=settings.CONTACT_REPUBLISH_AFTER + 1)
    assert sweep_pending(now=later) == 0
    first.refresh_from_db()
    assert first.last_published_at is None


# --- The whole path through a real broker and worker ---


@pytest.mark.django_db(transaction=True)
def test_questions_sent_while_the_broker_is_stopped_and_frozen_are_each_notified_exactly_once(
    contact_broker, redis_server, smtp
):
    broker_app = contact_broker
    from django.core import mail

    organisation = OrganisationFactory(name_fi="Perheneuvola Aura")
    MembershipFactory(organisation=organisation, role=Membership.Role.PROFESSIONAL, user__email="terhi@perheneuvola.fi")
    budget = settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"]

    asked = [ask(organisation)[0]]  # broker up
    redis_server.stop()
    asked.append(ask(organisation)[0])  # broker stopped: the family still gets its answer at once
    redis_server.start()
    redis_server.freeze()
    try:
        started = time.monotonic()
        asked.append(ask(organisation)[0])  # broker frozen: bounded by the socket timeout, then success
        assert time.monotonic() - started < 2 * budget
    finally:
        redis_server.thaw()
    assert ContactRequest.objects.count() == 3  # every question stored

    # The sweep finds what was not queued (and, harmlessly, what may have been), later.
    later = ContactRequest.objects.order_by("-created_at").first().created_at + dt.timedelta(
        seconds=settings.CONTACT_REPUBLISH_AFTER + 1
    )
    swept = sweep_pending(now=later)
    assert swept >= 1
    run_worker_until_done(broker_app, queued(broker_app, redis_server))

    assert len(mail.outbox) == 3, [m.subject for m in mail.outbox]
    assert sorted(ContactRequest.objects.values_list("notify_state", flat=True)) == ["sent"] * 3
    assert TaskRun.objects.filter(task="notify_contact_request").count() == 3


@pytest.mark.django_db(transaction=True)
def test_worker__goes_on_notifying_after_the_broker_froze_while_it_acknowledged_a_task(
    organisation, contact_broker, redis_server, smtp, caplog
):
    """Found by benchmarks/contact_load.py: an ack lost to a frozen broker used to stop the worker for good (kombu kept
    the message among its unacknowledged ones, and the prefetch limit was reached), though the broker came back."""
    from django.core import mail

    broker_app = contact_broker
    ask(organisation)
    ask(organisation)
    assert queued(broker_app, redis_server) == 2
    thaw = threading.Timer(3 * settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"], redis_server.thaw)

    # The first task has run; its acknowledgement comes next and finds the broker frozen beyond the socket timeout.
    def freeze_once(**kwargs):
        if not thaw.is_alive() and not thaw.finished.is_set():
            redis_server.freeze()
            thaw.start()

    # The worker sets up its own logging: listen on the logger itself.
    logging.getLogger("perhekeskus.celery").addHandler(caplog.handler)
    task_postrun.connect(freeze_once, weak=False)
    try:
        run_worker_until_done(broker_app, 2)
    finally:
        task_postrun.disconnect(freeze_once)
        logging.getLogger("perhekeskus.celery").removeHandler(caplog.handler)
        thaw.cancel()
        redis_server.thaw()

    # The freeze did take the first acknowledgement (whether Redis ran it after the thaw or will deliver the message
    # again after the visibility timeout, run_once makes it harmless).
    assert [record.getMessage().split(" ")[:5] for record in caplog.records if record.name == "perhekeskus.celery"] == [
        ["Could", "not", "acknowledge", "task", delivery.NOTIFY_TASK]
    ]
    assert len(mail.outbox) == 2
    assert sorted(ContactRequest.objects.values_list("notify_state", flat=True)) == ["sent"] * 2
