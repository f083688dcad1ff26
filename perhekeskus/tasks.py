from celery import shared_task

from .linkcheck.job import check_links
from .voice.actions import send_problem_report_summaries


@shared_task(name="check_links")
def check_links_task() -> int:
    """Check the web addresses due for their weekly check and store the results (flagged in the admin)."""
    summary = check_links()
    return summary.checked if summary else 0


@shared_task(name="send_problem_report_summaries")
def send_problem_report_summaries_task() -> int:
    """E-mail each organisation the day's summary of the problem reports families sent about its entries."""
    return send_problem_report_summaries()
