"""A 503 "temporarily unavailable" page, instead of a 500, whenever the database cannot be reached.

Two ways in, so that every stage of a request is covered:

- ``process_exception`` turns a database error raised by a view (or while its template renders, context processors
  included) into the 503 page directly; it is logged as a warning, not mailed as a server error.
- An error raised inside a middleware (the session saved in SessionMiddleware, the user loaded for allauth's
  middleware) never reaches ``process_exception``: Django turns it into a 500 response right there and sends
  ``got_request_exception``. The receiver below marks the request, and the middleware, which sits outside the session
  and authentication middleware, swaps that 500 for the 503 page on the way out.

The page is rendered without a request context (no context processors, no database), like templates/500.html, in
the language of the URL.
"""

import logging

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# How long clients and crawlers are asked to wait; the embedded database restarts within seconds.
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)
_MARK = "_perhekeskus_database_error"


# SQLSTATEs of a database that cannot serve at all (connection exceptions, server shutting down or starting, too many
# connections). Other OperationalErrors (a statement timeout, a deadlock, a serialisation failure) are bugs or load
# to look into: they stay server errors, logged as errors and mailed to ADMINS.
UNAVAILABLE_SQLSTATE_PREFIXES = ("08", "57P01", "57P02", "57P03", "53300")


def is_database_error(exception: BaseException | None) -> bool:
    """True when the database cannot be reached, also when another exception was raised from that error."""
    for _ in range(5):
        if exception is None:
            return False
        if isinstance(exception, InterfaceError):
            return True
        if isinstance(exception, OperationalError):
            # Django's error wraps the driver's, which carries the SQLSTATE; a failed connection attempt has none.
            sqlstate = getattr(exception.__cause__, "sqlstate", None)
            return sqlstate is None or sqlstate.startswith(UNAVAILABLE_SQLSTATE_PREFIXES)
        exception = exception.__cause__
    return False


def service_unavailable(request) -> HttpResponse:
    language = translation.get_language_from_path(request.path_info) or translation.get_language_from_request(
        request, check_path=False
    )
    with translation.override(language):
        content = render_to_string("503.html", {"feedback_email": settings.FEEDBACK_EMAIL})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    add_never_cache_headers(response)
    # Logged once as a warning here; Django's request logger would log every 503 as an error (and mail ADMINS).
    response._has_been_logged = True
    return response


def _remember_database_error(sender, request=None, **kwargs):
    import sys

    exception = sys.exc_info()[1]
    if request is not None and is_database_error(exception):
        setattr(request, _MARK, exception)


got_request_exception.connect(_remember_database_error, dispatch_uid="perhekeskus.unavailable")


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After when the database is unreachable. Place it before SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, None) is not None:
            logger.warning("Database unavailable, answered 503 for %s: %r", request.path, getattr(request, _MARK))
            return service_unavailable(request)
        return response

    def process_exception(self, request, exception):
        if not is_database_error(exception):
            return None
        logger.warning("Database unavailable, answered 503 for %s: %r", request.path, exception)
        return service_unavailable(request)
