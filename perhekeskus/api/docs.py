"""/api/docs/: Swagger UI from drf-spectacular-sidecar's files, under the site's unchanged Content-Security-Policy.

The page has no inline code (templates/api/docs.html starts Swagger UI from static/js/api-docs.js). Swagger UI's
stylesheet draws its icons from ``data:`` URIs, which the policy's ``default-src 'self'`` blocks; rather than
loosen the policy, the stylesheet is served with each ``data:`` image moved to an address of its own on this site.
The images are read from the installed package, so nothing of Swagger UI is copied into this repository.
"""

import base64
import functools
import re
from pathlib import Path
from urllib.parse import unquote

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

SWAGGER_CSS = "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css"
# url("data:…") with CSS-escaped quotes inside, or url(data:…) unquoted.
DATA_URI_RE = re.compile(r'url\(\s*"(data:(?:[^"\\]|\\.)*)"\s*\)|url\(\s*(data:[^)"\'\s]*)\s*\)')
CACHE_SECONDS = 24 * 60 * 60


class DocsView(TemplateView):
    template_name = "api/docs.html"


def _decode(uri: str) -> tuple[str, bytes]:
    header, payload = uri[len("data:") :].split(",", 1)
    media_type = header.split(";")[0] or "text/plain"
    if ";base64" in header:
        return media_type, base64.b64decode(payload)
    text = re.sub(r"\\(.)", r"\1", payload)  # CSS escapes (\" inside the quoted url)
    return media_type, unquote(text).encode()


@functools.cache
def _stylesheet() -> tuple[str, tuple[tuple[str, bytes], ...]]:
    path = finders.find(SWAGGER_CSS)
    if not path:
        raise Http404("Swagger UI is not installed (drf-spectacular-sidecar).")
    images: list[tuple[str, bytes]] = []

    def moved(match) -> str:
        images.append(_decode(match[1] or match[2]))
        return f'url("{reverse("api-docs-image", kwargs={"index": len(images) - 1})}")'

    css = DATA_URI_RE.sub(moved, Path(path).read_text(encoding="utf-8"))
    return css, tuple(images)


@require_safe
@cache_control(public=True, max_age=CACHE_SECONDS)
def stylesheet(request):
    css, _images = _stylesheet()
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=CACHE_SECONDS)
def image(request, index: int):
    _css, images = _stylesheet()
    if index >= len(images):
        raise Http404("No such image.")
    media_type, content = images[index]
    return HttpResponse(content, content_type=media_type)
