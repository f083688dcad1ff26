"""A question's life: read by the right professionals only (audited), answered, replied to once, closed, expired."""

import datetime as dt
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied

from perhekeskus.contact import actions
from perhekeskus.contact.actions import NotAllowed
from perhekeskus.contact.delivery import notify, submit
from perhekeskus.contact.models import ContactAudit, ContactMessage, ContactRequest
from tests.access_matrix import READS_MESSAGES_OF, ROLES, build_world

pytestmark = pytest.mark.django_db

QUESTION = "Voiko perheneuvolaan tulla ilman lähetettä?"
ANSWER = "Voi. Soita ajanvaraukseen arkisin 9–11."
START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)

# Who may read the questions sent to the world's "own" organisation (tests/access_matrix.py).
READS_OWN = {role for role, organisations in READS_MESSAGES_OF.items() if "own" in organisations}


@pytest.fixture
def world():
    return build_world()


def ask(world, **kwargs):
    return submit(organisation=world.organisations["own"], body=QUESTION, language="fi", **kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_open_for_staff__only_the_organisations_professionals_and_its_areas_coordinators(world, role):
    request, _code = ask(world)
    user = world.user(role)
    if role in READS_OWN:
        opened = actions.open_for_staff(user, request.public_id)
        assert opened == request and actions.thread(opened)[0].body == QUESTION
        audit = ContactAudit.objects.get()
        assert audit.user == user and audit.action == ContactAudit.Action.READ
        assert audit.request_public_id == request.public_id
    else:
        with pytest.raises(PermissionDenied):
            actions.open_for_staff(user, request.public_id)
        assert not ContactAudit.objects.exists()
    assert (request in actions.inbox(user)) == (role in READS_OWN)


def test_a_professional_of_another_organisation_cannot_answer_close_or_delete(world):
    from organisations.models import Membership
    from tests.factories import MembershipFactory

    request, _code = ask(world)
    outsider = MembershipFactory(organisation=world.organisations["same_area"], role=Membership.Role.PROFESSIONAL).user
    for step in (
        lambda: actions.answer(outsider, request, ANSWER),
        lambda: actions.staff_close(outsider, request),
        lambda: actions.delete(outsider, request),
        lambda: actions.open_for_staff(outsider, request.public_id),
    ):
        with pytest.raises(PermissionDenied):
            step()
    request.refresh_from_db()
    assert request.state == ContactRequest.State.OPEN and not ContactAudit.objects.exists()


def test_family_reads_the_answer_with_the_code_replies_once_then_closes(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request, code = ask(world)
    assert actions.find_by_code(code.lower().replace("-", " ")) == request
    assert actions.find_by_code("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23") is None
    assert not actions.can_family_reply(request)  # nothing to reply to yet
    with pytest.raises(NotAllowed):
        actions.family_reply(request, "Vielä yksi asia")

    actions.answer(world.user("professional"), request, ANSWER)
    request.refresh_from_db()
    assert request.state == ContactRequest.State.ANSWERED and request.answered_at is not None
    assert [m.body for m in actions.thread(request)] == [QUESTION, ANSWER]

    with django_capture_on_commit_callbacks(execute=True):
        actions.family_reply(request, "Kiitos! Tarvitaanko Kela-kortti?")
    with pytest.raises(NotAllowed):
        actions.family_reply(request, "Ja vielä yksi")
    request.refresh_from_db()
    assert request.state == ContactRequest.State.OPEN
    # The professionals hear of the question and of the reply, each once.
    assert notify(request.pk) is False  # already notified of the latest message (eager broker in tests)
    assert [m.subject.split(" / ")[0] for m in mailoutbox] == [
        "Uusi nimetön kysymys: Oma perheyhdistys ry",
        "Perhe vastasi vastaukseenne (Oma perheyhdistys ry)",
    ]

    actions.family_close(request)
    request.refresh_from_db()
    assert request.state == ContactRequest.State.CLOSED and request.closed_at is not None
    with pytest.raises(NotAllowed):
        actions.answer(world.user("professional"), request, "Vielä tarkennus")


def test_an_answer_by_email_is_mailed_once_in_the_familys_language_and_the_address_erased(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    request, _code = submit(
        organisation=world.organisations["own"], body=QUESTION, language="sv", reply_email="familj@example.fi"
    )
    with django_capture_on_commit_callbacks(execute=True):  # tasks run at once without a broker (tests)
        message = actions.answer(world.user("professional"), request, ANSWER)

    assert [m.to for m in mailoutbox] == [["familj@example.fi"]]
    # In the family's language, the organisation's Swedish name included.
    assert mailoutbox[0].subject == f"Svar på din fråga till {world.organisations['own'].name_sv}"
    assert ANSWER in mailoutbox[0].body and "svarskod" in mailoutbox[0].body
    message.refresh_from_db()
    request.refresh_from_db()
    assert message.mail_state == ContactMessage.MailState.SENT
    assert request.reply_email_encrypted == "" and request.reply_email == ""
    assert actions.mail_answer(message.pk) is False
    assert len(mailoutbox) == 1


def test_an_answer_by_email_waits_while_smtp_is_down_and_keeps_the_address(world, monkeypatch):
    request, _code = ask(world, reply_email="perhe@example.fi")
    monkeypatch.setattr(actions, "publish_on_commit", lambda task, *args: None)  # queued later, by the sweep
    message = actions.answer(world.user("coordinator"), request, ANSWER)

    def smtp_down(self, fail_silently=False):
        raise smtplib.SMTPConnectError(421, "Service not available")

    monkeypatch.setattr(mail.EmailMessage, "send", smtp_down)
    with pytest.raises(smtplib.SMTPConnectError):
        actions.mail_answer(message.pk)
    request.refresh_from_db()
    message.refresh_from_db()
    assert message.mail_state == ContactMessage.MailState.PENDING and request.reply_email == "perhe@example.fi"

    monkeypatch.undo()
    assert actions.mail_answer(message.pk) is True
    request.refresh_from_db()
    assert request.reply_email == ""


def test_delete_expired__applies_each_retention_with_a_frozen_clock(world, settings):
    settings.CONTACT_RETENTION_DAYS, settings.CONTACT_UNANSWERED_RETENTION_DAYS = 90, 180
    professional = world.user("professional")
    with time_machine.travel(START, tick=False):
        closed_old, _ = ask(world)
        closed_recent, _ = ask(world)
        answered_old, _ = ask(world)
        unanswered_old, _ = ask(world)
        unanswered_recent, _ = ask(world)
        actions.answer(professional, answered_old, ANSWER)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        actions.family_close(closed_old)
    with time_machine.travel(START + dt.timedelta(days=60), tick=False):
        actions.family_close(closed_recent)
        unanswered_recent_id = unanswered_recent.pk
        ContactRequest.objects.filter(pk=unanswered_recent_id).update(created_at=START + dt.timedelta(days=60))

    # 90 days after closing or the last answer; 180 days after an unanswered one was sent.
    assert actions.delete_expired(now=START + dt.timedelta(days=89)) == 0
    assert actions.delete_expired(now=START + dt.timedelta(days=92)) == 2  # closed_old, answered_old
    assert actions.delete_expired(now=START + dt.timedelta(days=149)) == 0
    assert actions.delete_expired(now=START + dt.timedelta(days=181)) == 2  # closed_recent, unanswered_old
    assert set(ContactRequest.objects.values_list("pk", flat=True)) == {unanswered_recent_id}
    expired = ContactAudit.objects.filter(action=ContactAudit.Action.EXPIRED)
    assert {a.request_public_id for a in expired} == {
        closed_old.public_id,
        answered_old.public_id,
        closed_recent.public_id,
        unanswered_old.public_id,
    }
    assert not ContactMessage.objects.filter(request_id=closed_old.pk).exists()
