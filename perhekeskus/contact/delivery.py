"""Delivery of anonymous questions: nothing lost, nothing twice (the outbox of perhekeskus/jobs.py).

1. ``submit`` stores the question, its first message and ``notify_state=PENDING`` in one transaction and queues the
   notification with ``publish_on_commit``: the family's request succeeds as soon as that commits, whatever the broker
   does (a stopped broker fails the publish at once, a frozen one within the bounded socket timeout; either is only
   logged).
2. ``sweep_pending`` (beat, every minute) queues again every question still pending after
   ``CONTACT_REPUBLISH_AFTER`` seconds since it was stored or last queued: a publish lost while the broker was down is
   made up when it is back.
3. ``notify`` (the task) claims ``run_once`` keyed by the question and the family's latest message and, in the same
   transaction, mails the organisation's professionals and marks the question SENT. A second delivery of the same
   key (the sweeper and the first publish both got through; a redelivery after a lost ack) finds the claim and mails
   nothing; the family's one reply to an answer is a new key, notified the same way. If the mail fails (SMTP down)
   the transaction rolls back with the claim, the question stays pending, and the task is retried with backoff (and
   swept again).

The notification says only that a question is waiting and where to read it after signing in: never the question.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from organisations.models import Membership
from perhekeskus.jobs import publish, publish_on_commit, run_once
from perhekeskus.reminders import message_id, site_url

from . import codes
from .models import ContactMessage, ContactRequest

logger = logging.getLogger(__name__)

NOTIFY_TASK = "notify_contact_request"
# Notifications go out in both national languages, Finnish first (the professionals' language is not known).
NOTIFY_LANGUAGES = ("fi", "sv")


def submit(
    *,
    organisation,
    body: str,
    language: str,
    service=None,
    meeting_place=None,
    topic=None,
    age_group: str = "",
    reply_email: str = "",
    submission: str | None = None,
) -> tuple[ContactRequest, str]:
    """Store a family's question and queue its notification; returns the question and its reply code (show it once).

    Every question gets a reply code (the family can always read the answer on the site); with *reply_email* the
    answer is mailed too, and the address is erased once it has been. *submission* is the sent form's one-time key:
    if a question with it is already stored (the same form sent twice), nothing is stored and the code returned is
    empty (the first post's code is the one to keep).
    """
    earlier = submitted(submission)
    if earlier is not None:
        return earlier, ""
    code = codes.new_code()
    try:
        with transaction.atomic():
            request = ContactRequest(
                organisation=organisation,
                service=service,
                meeting_place=meeting_place,
                topic=topic,
                age_group=age_group,
                language=language,
                reply_code_hash=codes.code_hash(code),
                submission=submission or None,
            )
            request.reply_email = reply_email
            request.save()
            message = ContactMessage(request=request, sender=ContactMessage.Sender.FAMILY)
            message.body = body
            message.save()
            publish_on_commit(notify_task(), request.pk)
    except IntegrityError:
        # Two posts of one form at the same time: the unique key lets one in, the other waited for it and lands here.
        earlier = submitted(submission)
        if earlier is None:
            raise
        return earlier, ""
    return request, code


def submitted(submission: str | None) -> ContactRequest | None:
    """The question stored from the form with one-time key *submission*, if one was."""
    return ContactRequest.objects.filter(submission=submission).first() if submission else None


def notify_task():
    from .tasks import notify_contact_request_task

    return notify_contact_request_task


def notify(request_id: int) -> bool:
    """Mail the organisation's professionals about question *request_id*, once; True if this call sent it."""
    # Keyed by the family's latest message: their one reply to an answer is notified like the question itself.
    latest = (
        ContactMessage.objects.filter(request_id=request_id, sender=ContactMessage.Sender.FAMILY)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if latest is None:
        return False
    with run_once(NOTIFY_TASK, f"{request_id}:{latest}") as first:
        if not first:
            return False
        request = (
            ContactRequest.objects.select_for_update(of=("self",))
            .select_related("organisation", "service", "meeting_place")
            .filter(pk=request_id, notify_state=ContactRequest.NotifyState.PENDING)
            .first()
        )
        if request is None:  # deleted, or notified by a run before the claims were kept
            return False
        recipients = notification_recipients(request.organisation)
        if not recipients:
            # Stays pending and is swept again: a professional may be invited meanwhile. Logged for the coordinators.
            logger.error("No one to notify of question %s for organisation %s", request.pk, request.organisation_id)
            transaction.set_rollback(True)
            return False
        is_reply = request.messages.filter(sender=ContactMessage.Sender.FAMILY).count() > 1
        _notification(request, recipients, is_reply=is_reply, latest=latest).send()
        ContactRequest.objects.filter(pk=request.pk).update(
            notify_state=ContactRequest.NotifyState.SENT, notified_at=timezone.now()
        )
    return True


def notification_recipients(organisation) -> list[str]:
    """The organisation's professionals; if it has none, its own e-mail address."""
    # The same rule as organisations.querysets.receives_questions, which decides where families may ask.
    addresses = set(
        Membership.objects.notified_of_questions()
        .filter(organisation=organisation)
        .values_list("user__email", flat=True)
    )
    if not addresses and organisation.email:
        addresses.add(organisation.email)
    return sorted(addresses)


def _notification(request: ContactRequest, recipients: list[str], *, is_reply: bool, latest: int) -> EmailMessage:
    subjects, sections = [], []
    for language in NOTIFY_LANGUAGES:
        with translation.override(language):
            if is_reply:
                subject = gettext("A family replied to your answer (%(organisation)s)")
            else:
                subject = gettext("A new anonymous question to %(organisation)s")
            subject %= {"organisation": request.organisation.name}
            subjects.append(subject)
            about = request.service or request.meeting_place
            lines = [
                gettext("A family has sent an anonymous question to %(organisation)s through the family centre portal.")
                % {"organisation": request.organisation.name},
            ]
            if about is not None:
                lines.append(gettext("It is about: %(entry)s") % {"entry": about.name})
            lines += [
                gettext("Sign in to read and answer it (the question is not sent by e-mail):"),
                site_url(reverse("contact:inbox")),
            ]
            sections.append("\n".join(lines))
    return EmailMessage(
        subject=" / ".join(dict.fromkeys(subjects)),
        body="\n\n----------\n\n".join(sections),
        to=recipients,
        # The same id if this notification is ever sent again (sent, then the commit failed): mail clients fold them.
        headers={"Message-ID": message_id("contact-question", f"{request.public_id}.{latest}")},
    )


# A row still pending is queued again CONTACT_REPUBLISH_AFTER seconds after it was stored, then after twice as long
# each time (at most this often): a day-long mail outage adds a few deliveries per row, not one a minute.
MAX_REPUBLISH_INTERVAL = 60 * 60


def republish_due(pending, task, *, now: dt.datetime) -> int:
    """Queue *task* again for each row of *pending* (an outbox queryset: ``created_at``, ``last_published_at``,
    ``publish_attempts``) whose turn has come; stops at the first failed publish (the broker is down). Returns how many
    were queued."""
    queued = 0
    rows = pending.order_by("created_at").only("pk", "created_at", "last_published_at", "publish_attempts")
    for row in rows.iterator():
        wait = min(settings.CONTACT_REPUBLISH_AFTER * 2**row.publish_attempts, MAX_REPUBLISH_INTERVAL)
        if now - (row.last_published_at or row.created_at) < dt.timedelta(seconds=wait):
            continue
        if not publish(task, row.pk):
            break  # the rest wait for the next sweep
        pending.model.objects.filter(pk=row.pk).update(
            last_published_at=now, publish_attempts=F("publish_attempts") + 1
        )
        queued += 1
        if queued >= settings.CONTACT_SWEEP_BATCH:
            break
    return queued


def sweep_pending(*, now: dt.datetime | None = None) -> int:
    """Queue again the notifications of questions still pending (``republish_due``). Runs every minute from beat; a
    frozen or stopped broker only makes it log and try next time."""
    pending = ContactRequest.objects.filter(notify_state=ContactRequest.NotifyState.PENDING)
    return republish_due(pending, notify_task(), now=now or timezone.now())
