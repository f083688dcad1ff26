from celery import shared_task

from .digest import send_change_digests
from .linkcheck.job import check_links
from .reminders import send_review_escalations, send_review_reminders
from .voice.actions import send_problem_report_summaries


@shared_task(name="check_links")
def check_links_task() -> int:
    """Check the web addresses due for their weekly check and store the results (flagged in the admin)."""
    summary = check_links()
    return summary.checked if summary else 0


@shared_task(name="send_review_reminders")
def send_review_reminders_task() -> int:
    """Remind organisations of their services and meeting places not checked for six months (weekly rounds)."""
    return send_review_reminders()


@shared_task(name="send_review_escalations")
def send_review_escalations_task() -> int:
    """List to each area's coordinators the entries of their area not checked for nine months (weekly rounds)."""
    return send_review_escalations()


@shared_task(name="send_change_digests")
def send_change_digests_task() -> int:
    """Send each area's coordinators yesterday's partner edits and new drafts (once per area and day)."""
    return send_change_digests()


@shared_task(name="send_problem_report_summaries")
def send_problem_report_summaries_task() -> int:
    """E-mail each organisation the day's summary of the problem reports families sent about its entries."""
    return send_problem_report_summaries()
