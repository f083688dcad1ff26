import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import crypto


class ContactRequest(models.Model):
    """An anonymous question to an organisation (about one of its services or meeting places, or itself).

    Holds nothing that names the family: the thread's texts are ``ContactMessage`` rows (encrypted), the reply code
    only as a keyed hash, a reply address only encrypted and only until the answer has been sent. The notification of
    the organisation's professionals is this row's outbox state: ``notify_state`` is PENDING from the transaction
    that stores the question until the notification task has mailed them (``perhekeskus.contact.delivery``).
    """

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class NotifyState(models.TextChoices):
        PENDING = "pending", _("Notification pending")
        SENT = "sent", _("Notified")

    public_id = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="contact_requests",
        verbose_name=_("organisation"),
    )
    service = models.ForeignKey(
        "services.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("service"),
    )
    meeting_place = models.ForeignKey(
        "meetingplaces.MeetingPlace",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("meeting place"),
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    topic = models.ForeignKey(
        "services.LifeSituation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )
    age_group = models.CharField(_("child's age"), max_length=20, blank=True)
    reply_code_hash = models.CharField(_("reply code (hash)"), max_length=64, unique=True, null=True, editable=False)
    reply_email_encrypted = models.TextField(_("reply e-mail (encrypted)"), blank=True, editable=False)
    # The one-time key of the form the family sent (random, from the page): a second post of the same form (a double
    # click, a resend after a lost response) finds it and stores nothing new.
    submission = models.CharField(_("form key"), max_length=64, unique=True, null=True, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    notify_state = models.CharField(
        _("notification"), max_length=10, choices=NotifyState.choices, default=NotifyState.PENDING
    )
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("last queued"), null=True, blank=True, editable=False)
    publish_attempts = models.PositiveSmallIntegerField(_("times queued again"), default=0, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("anonymous question")
        verbose_name_plural = _("anonymous questions")
        ordering = ["-created_at"]
        indexes = [
            # The sweeper reads only the few pending rows.
            models.Index(fields=["created_at"], name="contact_pending_idx", condition=Q(notify_state="pending")),
        ]
        constraints = [
            models.CheckConstraint(
                name="contact_state_is_known",
                condition=Q(state__in=["open", "answered", "closed"]),
                violation_error_message=_("Unknown state."),
            ),
            models.CheckConstraint(
                name="contact_notify_state_is_known",
                condition=Q(notify_state__in=["pending", "sent"]),
                violation_error_message=_("Unknown notification state."),
            ),
            models.CheckConstraint(
                name="contact_has_a_way_to_answer",
                condition=Q(reply_code_hash__isnull=False) | ~Q(reply_email_encrypted="") | ~Q(state="open"),
                violation_error_message=_("An open question needs a reply code or an e-mail address."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {str(self.public_id)[:8]}"

    reply_email = crypto.Encrypted("reply_email_encrypted")

    @property
    def age_group_label(self) -> str:
        """The child's age as the family chose it, named as the search names it, in the active language."""
        from .forms import age_group_label

        return age_group_label(self.age_group)


class ContactMessage(models.Model):
    """One message of a question's short thread: the family's question, the answer, the family's one reply."""

    class Sender(models.TextChoices):
        FAMILY = "family", _("Family")
        STAFF = "staff", _("Professional")

    class MailState(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")

    request = models.ForeignKey(
        ContactRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("question")
    )
    sender = models.CharField(_("from"), max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    body_encrypted = models.TextField(_("message (encrypted)"), editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    # An answer to a family that asked for it by e-mail is mailed through the same outbox as the notifications.
    mail_state = models.CharField(_("e-mail to the family"), max_length=10, choices=MailState.choices, blank=True)
    last_published_at = models.DateTimeField(_("last queued"), null=True, blank=True, editable=False)
    publish_attempts = models.PositiveSmallIntegerField(_("times queued again"), default=0, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["created_at"], name="contact_mail_pending_idx", condition=Q(mail_state="pending")),
        ]
        constraints = [
            models.CheckConstraint(
                name="contactmessage_mail_state_is_known",
                condition=Q(mail_state__in=["", "pending", "sent"]),
                violation_error_message=_("Unknown e-mail state."),
            ),
            models.CheckConstraint(
                name="contactmessage_sender_is_known",
                condition=Q(sender__in=["family", "staff"]),
                violation_error_message=_("Unknown sender."),
            ),
        ]

    def __str__(self):
        return f"{self.request} – {self.get_sender_display()}"

    body = crypto.Encrypted("body_encrypted")


class ContactAudit(models.Model):
    """Who read, answered, closed or deleted which question, and when. Kept after the question itself is deleted."""

    class Action(models.TextChoices):
        READ = "read", _("Read")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        DELETED = "deleted", _("Deleted")
        EXPIRED = "expired", _("Deleted after the retention period")

    request_public_id = models.UUIDField(_("question reference"), db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    user_repr = models.CharField(_("user (at the time)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} {str(self.request_public_id)[:8]} ({self.user_repr or '-'})"
