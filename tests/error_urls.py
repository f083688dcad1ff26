"""The site's URLconf plus views that fail on purpose, for the error-page tests (``@pytest.mark.urls``)."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from perhekeskus.urls import *  # noqa: F403 (the whole site, with its handler400/403/429/500)
from perhekeskus.urls import urlpatterns as site_patterns


def broken(request):
    raise RuntimeError("broken on purpose")


def forbidden(request):
    raise PermissionDenied


def throttled(request):
    return HttpResponse("slow down", status=429)


@require_POST
def form(request):
    return HttpResponse("sent")


urlpatterns = site_patterns + i18n_patterns(
    path("test-broken/", broken),
    path("test-forbidden/", forbidden),
    path("test-throttled/", throttled),
    path("test-form/", form),
    prefix_default_language=True,
)
