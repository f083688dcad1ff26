from smtplib import SMTPException

from celery import shared_task

from . import delivery


@shared_task(
    name=delivery.NOTIFY_TASK,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=None,
)
def notify_contact_request_task(request_id: int) -> bool:
    """Mail the organisation's professionals about a new anonymous question, once (SMTP errors: retried with backoff;
    the sweeper queues it again too, and ``run_once`` makes the extra deliveries harmless)."""
    return delivery.notify(request_id)


@shared_task(name="sweep_contact_outbox")
def sweep_contact_outbox_task() -> int:
    """Queue again the notifications of questions still pending (a publish lost while the broker was down)."""
    return delivery.sweep_pending()
