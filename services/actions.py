import datetime as dt
import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from organisations.models import Membership, Organisation
from perhekeskus.jobs import run_once

from .models import Service

logger = logging.getLogger(__name__)

# Reminders go out in both national languages, Finnish first.
REMINDER_LANGUAGES = ("fi", "sv")
# The weekly reminder round starts on Monday at 07:00 local (Helsinki) time; the task runs hourly and sends a round's
# reminders on its first run after that moment, so a run lost while the broker or worker was down is made up later.
REMINDER_WEEKDAY = 0
REMINDER_TIME = dt.time(7, 0)


def send_review_reminders(*, now: dt.datetime | None = None) -> int:
    """E-mail each organisation one fi/sv reminder of its services due for review; marks them reminded.

    Covers the services due as of the start of the current weekly round (``reminder_round``), whenever in the week it
    runs: the first run of a round sends, the later ones find nothing new, and a missed round is caught up by the next.
    """
    now = now or timezone.now()
    round_start = reminder_round(now)
    organisation_ids = (
        _services_needing_reminder(round_start).order_by().values_list("organisation_id", flat=True).distinct()
    )
    sent = 0
    for organisation in Organisation.objects.filter(pk__in=list(organisation_ids)).order_by("pk"):
        if _send_review_reminder(organisation=organisation, round_start=round_start, now=now):
            sent += 1
    return sent


def reminder_round(now: dt.datetime) -> dt.datetime:
    """The start of the weekly reminder round that ``now`` falls in: the latest Monday 07:00 local time."""
    local = timezone.localtime(now)
    day = local.date() - dt.timedelta(days=(local.weekday() - REMINDER_WEEKDAY) % 7)
    start = timezone.make_aware(dt.datetime.combine(day, REMINDER_TIME))
    if start > now:
        start = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=7), REMINDER_TIME))
    return start


def _services_needing_reminder(now):
    """Services due for review with no reminder sent since they fell due."""
    interval = dt.timedelta(days=settings.SERVICE_REVIEW_INTERVAL_DAYS)
    return Service.objects.due_for_review(now).filter(
        Q(review_reminder_sent_at__isnull=True)
        | Q(reviewed_at__isnull=False, review_reminder_sent_at__lt=F("reviewed_at") + interval)
    )


def review_reminder_recipients(organisation: Organisation) -> list[str]:
    addresses = {organisation.email} if organisation.email else set()
    addresses.update(
        Membership.objects.filter(organisation=organisation, role=Membership.Role.EDITOR, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(addresses)


@transaction.atomic
def _send_review_reminder(*, organisation: Organisation, round_start: dt.datetime, now: dt.datetime) -> bool:
    # Row locks keep two overlapping runs from reminding about the same services twice.
    services = list(
        _services_needing_reminder(round_start)
        .filter(organisation=organisation)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("name_fi", "pk")
    )
    if not services:
        return False
    recipients = review_reminder_recipients(organisation)
    if not recipients:
        logger.warning("No e-mail address for organisation %s; review reminder not sent", organisation.pk)
        return False
    # One reminder per organisation and round, whatever happens to the services' bookkeeping in between.
    with run_once("send_review_reminders", f"{organisation.pk}:{round_start.isoformat()}") as first:
        if not first:
            return False
        subjects, sections = [], []
        for language in REMINDER_LANGUAGES:
            with translation.override(language):
                subject = gettext("Please check the information about your family services")
                if subject not in subjects:
                    subjects.append(subject)
                sections.append(_reminder_text(organisation, services))
        Service.objects.filter(pk__in=[service.pk for service in services]).update(review_reminder_sent_at=now)
        EmailMessage(
            subject=" / ".join(subjects),
            body="\n\n----------\n\n".join(sections),
            to=recipients,
            # The same id if the mail is ever sent again for this round (sent, then the commit failed).
            headers={"Message-ID": _reminder_message_id(organisation, round_start)},
        ).send()
    return True


def _reminder_message_id(organisation: Organisation, round_start: dt.datetime) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "perhekeskus.invalid"
    return f"<review-reminder.{organisation.pk}.{round_start.astimezone(dt.UTC):%Y%m%dT%H%MZ}@{domain}>"


def _reminder_text(organisation: Organisation, services: list[Service]) -> str:
    """The reminder in the active language; service names come from that language's fields."""
    lines = [
        gettext(
            "The information about these services of %(organisation)s has not been checked for a while. "
            "Families rely on it, so please check that it is still correct and mark the services as checked:"
        )
        % {"organisation": organisation.name},
        "",
    ]
    for service in services:
        if service.reviewed_at:
            checked = gettext("last checked %(date)s") % {
                "date": formats.date_format(timezone.localdate(service.reviewed_at), "SHORT_DATE_FORMAT")
            }
        else:
            checked = gettext("never checked")
        lines.append(f"- {service.name} ({checked})")
    return "\n".join(lines)
