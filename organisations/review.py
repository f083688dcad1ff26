"""Keeping listings true: approving a partner's draft, and "still correct" in one click.

Both change a listing's state or its checked date and record it in the history, in one transaction; the partner
pages, the admin and the reminder e-mails' page all call these.
"""

from django.db import transaction
from django.utils import timezone

from .history import record_change, snapshot
from .models import ChangeRecord

# Fields that say a reminder is pending; cleared when the entry is checked (those the model has).
REMINDER_FIELDS = ("review_reminder_sent_at", "review_escalated_at")


@transaction.atomic
def mark_checked(*, user, obj) -> None:
    """Record that *user* checked *obj* (a service or meeting place) now and found it correct."""
    before = snapshot(obj)
    obj.reviewed_at = timezone.now()
    fields = ["reviewed_at"]
    for name in REMINDER_FIELDS:
        if hasattr(obj, name):
            setattr(obj, name, None)
            fields.append(name)
    obj.save(update_fields=[*fields, "updated_at"] if hasattr(obj, "updated_at") else fields)
    record_change(user=user, obj=obj, before=before, action=ChangeRecord.Action.CHECKED)


@transaction.atomic
def approve(*, user, obj) -> bool:
    """Publish a draft (a coordinator's approval); False if it was not a draft. Approving also counts as checking."""
    if obj.state != "draft":
        return False
    before = snapshot(obj)
    obj.state = "published"
    fields = ["state"]
    if hasattr(obj, "reviewed_at"):
        obj.reviewed_at = timezone.now()
        fields.append("reviewed_at")
    obj.save(update_fields=[*fields, "updated_at"] if hasattr(obj, "updated_at") else fields)
    record_change(user=user, obj=obj, before=before, action=ChangeRecord.Action.APPROVED)
    return True


def check_due_before(now=None, days: int | None = None):
    """Entries last checked before this moment (or never) are due for checking by their partner: REVIEW_REMINDER_DAYS
    (6 months) ago, or *days* ago (the coordinators' escalation uses REVIEW_ESCALATION_DAYS)."""
    import datetime as dt

    from django.conf import settings

    days = settings.REVIEW_REMINDER_DAYS if days is None else days
    return (now or timezone.now()) - dt.timedelta(days=days)


def due_for_check(queryset, now=None, days: int | None = None):
    """The published rows of *queryset* (services or meeting places) not checked since ``check_due_before``."""
    from django.db.models import Q

    return queryset.filter(state="published").filter(
        Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=check_due_before(now, days))
    )
