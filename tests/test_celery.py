"""The review-reminder action and its Celery task, eagerly and through a real worker on the broker."""

import datetime as dt
import os
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections
from django.utils import timezone

from organisations.review import mark_checked
from perhekeskus.celery import app as celery_app
from perhekeskus.reminders import send_review_reminders
from perhekeskus.tasks import send_review_reminders_task
from services.models import Service
from tests.factories import MembershipFactory, OrganisationFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=400)
RECENTLY = NOW - dt.timedelta(days=30)


def due_service(organisation, **kwargs):
    return ServiceFactory(organisation=organisation, published=True, reviewed_at=LONG_AGO, **kwargs)


def test_send_review_reminders__mails_each_organisation_once_listing_its_due_services(mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    due = due_service(organisation, name_fi="Vauvaperhetreffit", name_sv="Babyfamiljeträffar")
    never_checked = ServiceFactory(organisation=organisation, published=True, reviewed_at=None)
    fresh = ServiceFactory(organisation=organisation, published=True, reviewed_at=RECENTLY)
    draft = ServiceFactory(organisation=organisation, draft=True, reviewed_at=LONG_AGO)

    sent = send_review_reminders(now=NOW)

    assert sent == 1
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Vauvaperhetreffit" in body
    assert never_checked.name_fi in body
    assert fresh.name_fi not in body
    assert draft.name_fi not in body
    reminded = set(Service.objects.filter(review_reminder_sent_at=NOW).values_list("pk", flat=True))
    assert reminded == {due.pk, never_checked.pk}


def test_send_review_reminders__writes_in_finnish_and_swedish(mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    due_service(organisation, name_fi="Vauvaperhetreffit", name_sv="Babyfamiljeträffar")
    due_service(organisation, name_fi="Isä-lapsi-kerho", name_sv="")

    send_review_reminders(now=NOW)

    finnish, swedish = mailoutbox[0].body.split("\n\n----------\n\n")
    assert "Vauvaperhetreffit" in finnish and "Babyfamiljeträffar" not in finnish
    assert "Babyfamiljeträffar" in swedish and "Vauvaperhetreffit" not in swedish
    # Without a Swedish name the Swedish part falls back to the Finnish one rather than leaving a blank.
    assert "Isä-lapsi-kerho" in swedish
    assert organisation.name_fi in finnish
    assert organisation.name_sv in swedish
    # Dates in each language's own short format (the Finnish one is day.month.year).
    checked = timezone.localdate(LONG_AGO)
    assert f"{checked.day}.{checked.month}.{checked.year}" in finnish


def test_send_review_reminders__goes_to_the_organisation_and_its_editors(mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    due_service(organisation)
    MembershipFactory(organisation=organisation, user=UserFactory(email="editori@perheyhdistys.fi"))
    coordinator = UserFactory(email="koordinaattori@hyvinvointialue.fi")
    MembershipFactory(organisation=organisation, user=coordinator, coordinator=True)
    professional = UserFactory(email="ammattilainen@perheyhdistys.fi")
    MembershipFactory(organisation=organisation, user=professional, role="professional")
    former_editor = UserFactory(email="entinen@perheyhdistys.fi", is_active=False)
    MembershipFactory(organisation=organisation, user=former_editor)
    MembershipFactory(user=UserFactory(email="muu@toinen.fi"))

    send_review_reminders(now=NOW)

    assert sorted(mailoutbox[0].to) == ["editori@perheyhdistys.fi", "toimisto@perheyhdistys.fi"]


def test_send_review_reminders__sends_separate_mail_per_organisation(mailoutbox):
    first = OrganisationFactory(email="eka@example.fi")
    second = OrganisationFactory(email="toka@example.fi")
    first_service, second_service = due_service(first), due_service(second)

    assert send_review_reminders(now=NOW) == 2

    by_recipient = {message.to[0]: message.body for message in mailoutbox}
    assert first_service.name_fi in by_recipient["eka@example.fi"]
    assert second_service.name_fi not in by_recipient["eka@example.fi"]
    assert second_service.name_fi in by_recipient["toka@example.fi"]


def test_send_review_reminders__is_idempotent(mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    due_service(organisation)

    assert send_review_reminders(now=NOW) == 1
    assert send_review_reminders(now=NOW + dt.timedelta(days=7)) == 0

    assert len(mailoutbox) == 1


def test_send_review_reminders__reminds_again_when_due_again_after_a_review(mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    service = due_service(organisation)
    send_review_reminders(now=NOW)
    mark_checked(user=None, obj=service)
    Service.objects.filter(pk=service.pk).update(reviewed_at=NOW + dt.timedelta(days=1))

    assert send_review_reminders(now=NOW + dt.timedelta(days=100)) == 0
    assert send_review_reminders(now=NOW + dt.timedelta(days=400)) == 1

    assert len(mailoutbox) == 2


def test_send_review_reminders__reminds_again_when_reviewed_but_reminder_not_cleared(mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    service = due_service(organisation)
    send_review_reminders(now=NOW)
    # Reviewed through a path that leaves the old reminder time in place: the next due date still counts.
    Service.objects.filter(pk=service.pk).update(reviewed_at=NOW + dt.timedelta(days=1))

    assert send_review_reminders(now=NOW + dt.timedelta(days=400)) == 1


def test_send_review_reminders__skips_organisations_without_addresses_until_they_have_one(mailoutbox):
    organisation = OrganisationFactory(email="")
    service = due_service(organisation)

    assert send_review_reminders(now=NOW) == 0
    service.refresh_from_db()
    assert service.review_reminder_sent_at is None

    organisation.email = "uusi@perheyhdistys.fi"
    organisation.save()
    assert send_review_reminders(now=NOW) == 1
    assert mailoutbox[0].to == ["uusi@perheyhdistys.fi"]


def test_send_review_reminders_task__is_named_after_its_action():
    assert send_review_reminders_task.name == "send_review_reminders"
    assert send_review_reminders_task.name in celery_app.tasks


def test_send_review_reminders_task__runs_eagerly_without_a_broker(tasks_at_once, mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    service = due_service(organisation)

    send_review_reminders_task.delay()

    assert len(mailoutbox) == 1
    service.refresh_from_db()
    assert service.review_reminder_sent_at is not None


@pytest.fixture
def broker_worker():
    """A Celery worker thread consuming a queue of its own on the real broker."""
    queue = f"test-{uuid.uuid4().hex}"
    conf = celery_app.conf
    previous = conf.task_always_eager, conf.task_default_queue
    conf.task_always_eager, conf.task_default_queue = False, queue

    # The worker thread opens its own database connection; close it so the test database can be dropped.
    def close_connections(**kwargs):
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(celery_app, queues=[queue], perform_ping_check=False, shutdown_timeout=20):
            yield
    finally:
        task_postrun.disconnect(close_connections)
        conf.task_always_eager, conf.task_default_queue = previous
        with celery_app.connection_for_write() as connection:
            channel = connection.default_channel
            channel.queue_delete(queue)
            if hasattr(channel, "client"):  # Redis keeps the queue's exchange bindings in keys of their own
                channel.client.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


@pytest.mark.broker
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (a real broker)")
@pytest.mark.django_db(transaction=True)
def test_send_review_reminders_task__runs_on_a_real_worker_through_the_broker(broker_worker, mailoutbox):
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    service = due_service(organisation)

    send_review_reminders_task.delay()

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        service.refresh_from_db()
        if service.review_reminder_sent_at is not None and mailoutbox:
            break
        time.sleep(0.1)
    assert service.review_reminder_sent_at is not None
    assert [message.to for message in mailoutbox] == [["toimisto@perheyhdistys.fi"]]
