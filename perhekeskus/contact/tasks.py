from smtplib import SMTPException

from celery import shared_task

from . import actions, delivery

# While the mail server is down: retried after about 30 s, 1 min and 2 min; after that the minutely sweep queues the
# row again with its own growing spacing (delivery.republish_due), and run_once keeps the extra deliveries harmless.
MAIL_RETRIES = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 3,
}


@shared_task(name=delivery.NOTIFY_TASK, **MAIL_RETRIES)
def notify_contact_request_task(request_id: int) -> bool:
    """Mail the organisation's professionals about a new anonymous question, once (SMTP errors: a few retries with
    backoff, then the sweep; ``run_once`` makes the extra deliveries harmless)."""
    return delivery.notify(request_id)


@shared_task(name=actions.ANSWER_MAIL_TASK, **MAIL_RETRIES)
def mail_contact_answer_task(message_id: int) -> bool:
    """Mail a professional's answer to the family that asked for it by e-mail, once, then erase the address."""
    return actions.mail_answer(message_id)


@shared_task(name="sweep_contact_outbox")
def sweep_contact_outbox_task() -> int:
    """Queue again what is still pending (a publish lost while the broker was down): notifications, then answers."""
    return delivery.sweep_pending() + actions.sweep_answer_mails()


@shared_task(name="delete_expired_contact_requests")
def delete_expired_contact_requests_task() -> int:
    """Retention: delete the questions past CONTACT_RETENTION_DAYS / CONTACT_UNANSWERED_RETENTION_DAYS."""
    return actions.delete_expired()
