from celery import shared_task

from .linkcheck.job import check_links


@shared_task(name="check_links")
def check_links_task() -> int:
    """Check the web addresses due for their weekly check and store the results (flagged in the admin)."""
    summary = check_links()
    return summary.checked if summary else 0
