"""Probes for load balancers and container healthchecks, outside the language prefixes.

- ``/healthz``: the process answers. Touches no database, cache or session: "ok".
- ``/readyz``: can this process serve pages? JSON with the state of the database, the cache and the Celery broker,
  each "ok" or "failed" (the broker "not configured" when tasks run in-process). 503 when the database is down; a
  failed cache or broker is reported but keeps 200, since pages still work without them (the cache degrades, see
  perhekeskus/cache.py) and taking every web process out of the load balancer would not help.

Both answer only to a Host in ALLOWED_HOSTS, like every page: probes must send one.
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 1


@never_cache
@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def readyz(request):
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    response = JsonResponse(checks, status=200 if checks["database"] == "ok" else 503)
    # Already logged as a warning above; Django would log the 503 as an error and mail ADMINS at every probe.
    response._has_been_logged = True
    return response


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Readiness: database failed: %r", error)
        return "failed"
    return "ok"


def check_cache() -> str:
    # A round trip, since a degrading cache backend swallows errors: a value that does not come back is a failure.
    key, token = "readyz:probe", secrets.token_hex(8)
    try:
        cache.set(key, token, 10)
        ok = cache.get(key) == token
    except Exception as error:  # any backend's own error type
        logger.warning("Readiness: cache failed: %r", error)
        return "failed"
    return "ok" if ok else "failed"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or settings.CELERY_BROKER_URL.startswith("memory://"):
        return "not configured"
    from kombu import Connection

    options = {"socket_timeout": BROKER_TIMEOUT_SECONDS, "socket_connect_timeout": BROKER_TIMEOUT_SECONDS}
    try:
        with Connection(
            settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options
        ) as broker:
            broker.ensure_connection(max_retries=0)
    except Exception as error:  # kombu and the transports raise many types
        logger.warning("Readiness: broker failed: %r", error)
        return "failed"
    return "ok"
