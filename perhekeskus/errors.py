"""Error pages (400, 403, CSRF failure, 429, 500) and the Retry-After header for every 429.

The pages extend ``errors/base.html`` and are rendered with a plain context, never a RequestContext: no context
processors, no database and no ``request.get_host()`` (a 400 is often a bad Host header, and asking for the host again
would raise inside the handler), so they render whatever broke. The language is the one LocaleMiddleware chose from
the URL before the error.

Every 500 gets a short reference id, shown on the page and attached to the request, where
``perhekeskus.logfilters.ErrorReferenceFilter`` puts it into the ``django.request`` log record of the same error.
"""

import secrets

from django.conf import settings
from django.http import HttpResponse
from django.template import loader

# How long a rate-limited client is asked to wait: the longest window of allauth's default rate limits (5 minutes).
# allauth does not tell which of its limits tripped, so the page cannot promise a shorter wait.
RATE_LIMIT_RETRY_AFTER_SECONDS = 300


def render_error(template_name: str, status: int, context: dict | None = None) -> HttpResponse:
    html = loader.get_template(template_name).render({"feedback_email": settings.FEEDBACK_EMAIL, **(context or {})})
    return HttpResponse(html, status=status)


def new_reference() -> str:
    """Eight hex characters: short enough to read out on the phone, enough to find one error in a day's log."""
    return secrets.token_hex(4)


def bad_request(request, exception=None):
    return render_error("400.html", 400)


def permission_denied(request, exception=None):
    return render_error("403.html", 403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid token (expired page, blocked cookies)."""
    return render_error("403_csrf.html", 403)


def too_many_requests(request, exception=None):
    """handler429: allauth calls ``<ROOT_URLCONF>.handler429`` when one of its rate limits trips."""
    response = render_error("429.html", 429, {"retry_after_minutes": RATE_LIMIT_RETRY_AFTER_SECONDS // 60})
    response["Retry-After"] = str(RATE_LIMIT_RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    reference = new_reference()
    request.error_reference = reference
    return render_error("500.html", 500, {"reference": reference})


class RetryAfterMiddleware:
    """Every 429 tells the client when to come back, whoever produced it (allauth, DRF, a future view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(RATE_LIMIT_RETRY_AFTER_SECONDS)
        return response
