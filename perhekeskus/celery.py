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
    is back (measured with benchmarks/contact_load.py: every later notification waited for a restart). Here a failed
    ack is forgotten by the worker: Redis still holds the message as unacknowledged and delivers it again after the
    visibility timeout, which the tasks' ``run_once`` makes harmless.
    """

    def acknowledge(self):
        if self.acknowledged:
            return
        try:
            self._message.ack()
        except self._connection_errors:
            logger.warning("Could not acknowledge task %s %s: it will be delivered again", self.task_name, self.id)
            qos = getattr(self._message.channel, "qos", None)
            if isinstance(qos, virtual.QoS):
                virtual.QoS.ack(qos, self._message.delivery_tag)  # only the worker's own bookkeeping
        self.acknowledged = True


class Task(BaseTask):
    Request = Request


app = Celery("perhekeskus", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
