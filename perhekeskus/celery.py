import logging
import os

from celery import Celery
from celery import Task as BaseTask
from celery.worker.request import Request as BaseRequest
from kombu.transport import virtual

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perhekeskus.settings")

logger = logging.getLogger(__name__)


class Request(BaseRequest):
    """A task request whose acknowledgement, when the broker cannot take it, does not stall the worker.

    Celery logs a failed ack ("Couldn't ack", e.g. a broker frozen for longer than the socket timeout) and goes on,
    but kombu's Redis transport keeps the message among the channel's unacknowledged deliveries. Once as many acks as
    the prefetch limit (the pool's processes) have failed, the worker never fetches another message, though the broker
    is back (found with benchmarks/contact_load.py: every later notification waited for a restart). Here a failed
    ack is forgotten by the worker: Redis either ran it after all (a frozen server answers late) or still holds the
    message as unacknowledged and delivers it again after the visibility timeout, which ``run_once`` makes harmless.
    """

    def acknowledge(self):
        if self.acknowledged:
            return
        message, errors = self._message, self._connection_errors
        task_name, task_id = self.task_name, self.id

        def ack_or_forget():
            try:
                message.ack()
            except errors:
                logger.warning("Could not acknowledge task %s %s: it will be delivered again", task_name, task_id)
                qos = getattr(message.channel, "qos", None)
                if isinstance(qos, virtual.QoS):
                    virtual.QoS.ack(qos, message.delivery_tag)  # only the worker's own bookkeeping

        # Celery sends the ack from the consumer's own event loop (the function of its ack promise); so does this.
        schedule = getattr(self._on_ack, "fun", None)
        if callable(schedule):
            schedule(ack_or_forget)
        else:
            ack_or_forget()
        self.acknowledged = True


class Task(BaseTask):
    Request = Request


app = Celery("perhekeskus", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
