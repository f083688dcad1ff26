"""Families' feedback on service pages, and the daily summary of their problem reports to each organisation.

The reports themselves are stored and resolved by ``organisations.actions``."""

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from organisations.models import Organisation, ProblemReport
from perhekeskus.jobs import run_once
from perhekeskus.reminders import bilingual_mail, message_id, review_reminder_recipients, site_url
from services.models import Service, ServiceFeedback

logger = logging.getLogger(__name__)


@transaction.atomic
def give_feedback(*, service: Service, found: bool, text: str = "", language: str = "") -> ServiceFeedback:
    """Count one family's answer to “Did you find what you needed?” for the service."""
    feedback = ServiceFeedback(service=service, found=found, text=text.strip(), language=language[:5])
    feedback.full_clean()
    feedback.save()
    return feedback


# --- The daily summary to the editors ---------------------------------------------------------------------------


def send_problem_report_summaries(*, now: dt.datetime | None = None) -> int:
    """E-mail each organisation with new (not yet mailed) open reports one fi/sv summary; marks them mailed.

    At most one summary per organisation and day (``run_once``); reports that come in after it wait for the next
    day's. The rows are the outbox: with SMTP down the transaction rolls back and tomorrow's run sends them.
    """
    now = now or timezone.now()
    organisation_ids = (
        ProblemReport.objects.open().filter(notified_at__isnull=True).values_list("organisation_id", flat=True)
    )
    sent = 0
    for organisation in Organisation.objects.filter(pk__in=organisation_ids).order_by("pk"):
        if _send_summary(organisation=organisation, now=now):
            sent += 1
    return sent


@transaction.atomic
def _send_summary(*, organisation: Organisation, now: dt.datetime) -> bool:
    recipients = review_reminder_recipients(organisation)
    if not recipients:
        logger.warning("No e-mail address for organisation %s; problem reports not mailed", organisation.pk)
        return False
    day = timezone.localdate(now)
    with run_once("send_problem_report_summaries", f"{organisation.pk}:{day.isoformat()}") as first:
        if not first:
            return False
        reports = list(
            ProblemReport.objects.open()
            .filter(organisation=organisation, notified_at__isnull=True)
            .select_for_update(skip_locked=True)
            .order_by("created_at", "pk")
        )
        if not reports:
            return False
        ProblemReport.objects.filter(pk__in=[report.pk for report in reports]).update(notified_at=now)
        bilingual_mail(
            lambda: gettext("Families reported problems in your information"),
            lambda language: _summary_text(organisation, reports),
            to=recipients,
            message_id=message_id("problem-reports", f"{organisation.pk}.{day:%Y%m%d}"),
        ).send()
    return True


def _summary_text(organisation: Organisation, reports: list[ProblemReport]) -> str:
    """The summary in the active language: each report's entry and message, and where to resolve them."""
    lines = [
        gettext(
            "Families reported that some information of %(organisation)s is wrong or missing. Please correct the "
            "entries and mark the reports as resolved on your partner pages (Your entries):"
        )
        % {"organisation": organisation.name},
        site_url(reverse("partners:home") + "#problem-reports"),
        "",
    ]
    for report in reports:
        lines.append(f"- {report.object_repr}: {report.message}")
        if report.reply_email:
            lines.append("  " + gettext("The family would like a reply: %(email)s") % {"email": report.reply_email})
    return "\n".join(lines)
