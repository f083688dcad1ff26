from django.db import transaction
from django.utils import timezone


@transaction.atomic
def mark_services_reviewed(*, services) -> int:
    """Record that the services' information was checked now; clears pending review reminders and escalations.

    The reminders themselves (one rhythm for services and meeting places) are in perhekeskus/reminders.py.
    """
    return services.update(reviewed_at=timezone.now(), review_reminder_sent_at=None, review_escalated_at=None)
