"""What families and professionals do with a question, each step audited and in one transaction.

Families (no account) hold the reply code: ``find_by_code`` opens the thread, ``family_reply`` adds their one reply
to an answer, ``family_close`` ends it. Professionals (``organisations.access.inbox_organisations``) ``open_for_staff``
(audited as a read), ``answer`` and ``staff_close``/``delete``. ``delete_expired`` (beat, daily) applies retention.

An answer to a family that asked for it by e-mail is mailed through the outbox (``mail_state=pending`` in the
answer's transaction, published after commit, swept while pending, sent once under ``run_once``); the address is
erased in the transaction that records the mail as sent.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from organisations import access
from perhekeskus.jobs import publish_on_commit, run_once
from perhekeskus.reminders import message_id as mail_message_id

from . import codes, delivery
from .models import ContactAudit, ContactMessage, ContactRequest

logger = logging.getLogger(__name__)

ANSWER_MAIL_TASK = "mail_contact_answer"


class NotAllowed(Exception):
    """The step is not possible in the thread's state (a second family reply, a reply to a closed question)."""


def find_by_code(code: str) -> ContactRequest | None:
    """The question whose reply code is *code* (typed by hand: case, dashes and look-alikes forgiven), or None."""
    if codes.normalise(code) is None:
        return None
    return ContactRequest.objects.filter(reply_code_hash__in=codes.code_hashes(code)).first()


def thread(request: ContactRequest) -> list[ContactMessage]:
    return list(request.messages.order_by("created_at", "pk"))


def can_family_reply(request: ContactRequest) -> bool:
    """Once, to an answer: after a professional's message and before any reply of the family's own after the first."""
    if request.state == ContactRequest.State.CLOSED:
        return False
    senders = [message.sender for message in thread(request)]
    return ContactMessage.Sender.STAFF in senders and senders.count(ContactMessage.Sender.FAMILY) < 2


@transaction.atomic
def family_reply(request: ContactRequest, body: str) -> ContactMessage:
    request = ContactRequest.objects.select_for_update().get(pk=request.pk)
    if not can_family_reply(request):
        raise NotAllowed
    message = ContactMessage(request=request, sender=ContactMessage.Sender.FAMILY)
    message.body = body
    message.save()
    request.state = ContactRequest.State.OPEN
    request.notify_state = ContactRequest.NotifyState.PENDING
    request.save(update_fields=["state", "notify_state"])
    # The professionals hear of the reply as of a new question (the same once-only task, keyed by message).
    publish_on_commit(delivery.notify_task(), request.pk)
    return message


@transaction.atomic
def family_close(request: ContactRequest) -> None:
    ContactRequest.objects.filter(pk=request.pk).exclude(state=ContactRequest.State.CLOSED).update(
        state=ContactRequest.State.CLOSED, closed_at=timezone.now(), reply_email_encrypted=""
    )


def _audit(user, request: ContactRequest, action: str) -> None:
    ContactAudit.objects.create(
        request_public_id=request.public_id,
        organisation_id=request.organisation_id,
        user=user,
        user_repr=(user.email or user.get_username())[:254],
        action=action,
    )


def inbox(user):
    """The questions *user* may read, newest first."""
    return ContactRequest.objects.filter(organisation__in=access.inbox_organisations(user).values("pk"))


def open_for_staff(user, public_id) -> ContactRequest:
    """The question for a professional to read; recorded in the audit log. PermissionDenied for anyone else (the
    same answer whether or not the question exists)."""
    request = inbox(user).filter(public_id=public_id).select_related("organisation", "service", "meeting_place").first()
    if request is None:
        raise PermissionDenied
    _audit(user, request, ContactAudit.Action.READ)
    return request


@transaction.atomic
def answer(user, request: ContactRequest, body: str) -> ContactMessage:
    request = inbox(user).select_for_update(of=("self",)).filter(pk=request.pk).first()
    if request is None:
        raise PermissionDenied
    if request.state == ContactRequest.State.CLOSED:
        raise NotAllowed
    by_mail = bool(request.reply_email_encrypted)
    message = ContactMessage(
        request=request,
        sender=ContactMessage.Sender.STAFF,
        author=user,
        mail_state=ContactMessage.MailState.PENDING if by_mail else "",
    )
    message.body = body
    message.save()
    now = timezone.now()
    request.state = ContactRequest.State.ANSWERED
    request.answered_at = request.answered_at or now
    request.save(update_fields=["state", "answered_at"])
    _audit(user, request, ContactAudit.Action.ANSWERED)
    if by_mail:
        publish_on_commit(answer_mail_task(), message.pk)
    return message


@transaction.atomic
def staff_close(user, request: ContactRequest) -> None:
    if not inbox(user).filter(pk=request.pk).exists():
        raise PermissionDenied
    ContactRequest.objects.filter(pk=request.pk).exclude(state=ContactRequest.State.CLOSED).update(
        state=ContactRequest.State.CLOSED, closed_at=timezone.now()
    )
    _audit(user, request, ContactAudit.Action.CLOSED)


@transaction.atomic
def delete(user, request: ContactRequest) -> None:
    if not inbox(user).filter(pk=request.pk).exists():
        raise PermissionDenied
    _audit(user, request, ContactAudit.Action.DELETED)
    request.delete()


# --- The answer by e-mail (outbox) ---


def answer_mail_task():
    from .tasks import mail_contact_answer_task

    return mail_contact_answer_task


def mail_answer(message_id: int) -> bool:
    """Mail the answer *message_id* to the family's address, once, then erase the address; True if sent now."""
    with run_once(ANSWER_MAIL_TASK, str(message_id)) as first:
        if not first:
            return False
        message = (
            ContactMessage.objects.select_for_update(of=("self",))
            .select_related("request__organisation")
            .filter(pk=message_id, mail_state=ContactMessage.MailState.PENDING)
            .first()
        )
        if message is None:
            return False
        request = message.request
        address = request.reply_email
        if address:
            _answer_mail(request, message, address).send()
        ContactMessage.objects.filter(pk=message.pk).update(mail_state=ContactMessage.MailState.SENT)
        # Kept only until the answer is sent.
        ContactRequest.objects.filter(pk=request.pk).update(reply_email_encrypted="")
    return True


def _answer_mail(request: ContactRequest, message: ContactMessage, address: str) -> EmailMessage:
    with translation.override(request.language):
        subject = gettext("An answer to your question to %(organisation)s") % {
            "organisation": request.organisation.name
        }
        body = "\n\n".join(
            [
                message.body,
                "-- ",
                gettext(
                    "This is an answer to the question you sent anonymously through the family centre portal. Your "
                    "e-mail address has now been deleted from our records; replying to this message does not reach "
                    "us. You can still read the answer and reply once with your reply code."
                ),
            ]
        )
    return EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        headers={"Message-ID": mail_message_id("contact-answer", f"{message.pk}.{request.public_id}")},
    )


def sweep_answer_mails(*, now: dt.datetime | None = None) -> int:
    """Queue again the answers still waiting to be mailed (``delivery.republish_due``)."""
    pending = ContactMessage.objects.filter(mail_state=ContactMessage.MailState.PENDING)
    return delivery.republish_due(pending, answer_mail_task(), now=now or timezone.now())


# --- Retention ---


def delete_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the questions past their retention (audited as EXPIRED); returns how many.

    - closed ones ``CONTACT_RETENTION_DAYS`` after closing;
    - answered ones the family never closed, the same time after the last answer;
    - unanswered ones ``CONTACT_UNANSWERED_RETENTION_DAYS`` after they were sent.
    """
    now = now or timezone.now()
    kept = dt.timedelta(days=settings.CONTACT_RETENTION_DAYS)
    unanswered = dt.timedelta(days=settings.CONTACT_UNANSWERED_RETENTION_DAYS)
    expired = ContactRequest.objects.filter(
        Q(state=ContactRequest.State.CLOSED, closed_at__lt=now - kept)
        | Q(state=ContactRequest.State.ANSWERED, answered_at__lt=now - kept)
        | Q(state=ContactRequest.State.OPEN, answered_at__isnull=True, created_at__lt=now - unanswered)
    )
    deleted = 0
    for request in expired.only("pk", "public_id", "organisation_id").iterator():
        with transaction.atomic():
            ContactAudit.objects.create(
                request_public_id=request.public_id,
                organisation_id=request.organisation_id,
                action=ContactAudit.Action.EXPIRED,
            )
            ContactRequest.objects.filter(pk=request.pk).delete()
        deleted += 1
    return deleted
