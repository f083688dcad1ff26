"""Problem reports families send about an entry: stored at once, seen by whoever may edit the entry, resolved there.

The daily e-mail summary to the editors is ``perhekeskus.voice.actions.send_problem_report_summaries``.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from . import access
from .models import ProblemReport


@transaction.atomic
def report_problem(*, target, message: str, reply_email: str = "", language: str = "") -> ProblemReport:
    """Store a family's problem report about a service or meeting place; the daily summary mails it to the editors."""
    report = ProblemReport(
        content_type=ContentType.objects.get_for_model(target.__class__),
        object_id=target.pk,
        object_repr=str(target)[:300],
        organisation=target.organisation,
        message=message.strip(),
        reply_email=reply_email.strip(),
        language=language[:5],
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def resolve_report(*, report: ProblemReport, user, note: str = "") -> ProblemReport:
    """Mark the report resolved by *user* with an optional note, and erase the family's reply address."""
    report.resolved_at = timezone.now()
    report.resolved_by = user
    report.reply_email = ""
    if note:
        report.note = note.strip()
    report.full_clean()
    report.save(update_fields=["resolved_at", "resolved_by", "reply_email", "note"])
    return report


def reports_visible_to(user):
    """The problem reports about the entries *user* may edit (coordinators: their areas'; editors: their own)."""
    return access.about_editable(user, ProblemReport.objects.select_related("content_type", "organisation"))
