from celery import shared_task

from .actions import send_review_reminders


@shared_task(name="send_review_reminders")
def send_review_reminders_task() -> int:
    """Send the weekly e-mail reminders about services due for review."""
    return send_review_reminders()
