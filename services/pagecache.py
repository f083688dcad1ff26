"""Whole pages from the cache: the service page, the comparison and the home page at national scale.

A page is rendered once per key and then served as stored, so a repeat costs the data version query and one cache
get instead of a dozen queries and a template render. Like the search's result cards (services/cards.py), the key
holds everything the HTML depends on:

- the search data version (services/search/caching.py), which every write to the data these pages show advances
  (migration 0012 adds the phone numbers, e-mail addresses and web links; organisations migration 0012 the
  memberships and the users' addresses behind "Ask anonymously", and the postcodes), so an edit shows at once;
- the language, and the local minute for a page that shows the time of day ("open now", today's hours);
- the whole address (scheme, host, path and query string): the comparison, the language switcher's links, the
  feedback thanks all come from it;
- what the view reads from the request besides the address (the search the family came from, the place remembered
  for the visit), given by the view's ``page_key_parts``.

Two kinds of parts are made afresh for every request, as when the page is rendered: the stored copy has a random
marker in their place. The CSRF token of a form (the service page's feedback form) is found in the rendered page by
what it stands for, wherever the template put it, and every request gets its own token (and cookie); other values a
template wants fresh (the feedback form's signed start time) it asks from ``page_holes`` in the context while the
page is rendered for the cache (``fresh(request, "dotted.path.to.function")``).

Rendered as before, not cached: inside a transaction (no data version); for a visitor with a session or flash
messages (a signed-in user's layout, notices meant for one person); for addresses with a parameter the page does not
read (each would be an entry of its own); when the view's ``page_key_parts`` says None; a page that used a
Content-Security-Policy nonce; and any answer but a 200.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from .hours import HELSINKI
from .search.caching import cache_key, data_version

# The key changes every minute for a page with the time of day; the others keep for as long.
PAGE_SECONDS = 90
# A masked CSRF token as Django writes it into a form: 64 letters and digits.
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _visitor_cookies() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)


def local_minute() -> str:
    return timezone.localtime(timezone.now(), HELSINKI).strftime("%Y-%m-%dT%H:%M")


def without_csrf_tokens(request, html: str) -> tuple[str, str]:
    """*html* with every CSRF token of this request replaced by a new random marker, and the marker ("" when the page
    holds no token). A token is found by what it stands for (the request's secret), wherever the template put it."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:  # get_token() was not called: no token in the page
        return html, ""
    marker = "csrf" + secrets.token_hex(16)
    replaced = _TOKEN.sub(lambda match: marker if _unmask_cipher_token(match[0]) == secret else match[0], html)
    return replaced, marker if replaced != html else ""


class PageHoles:
    """The per-request values of a page rendered for the cache: each is written as a marker and made again for every
    request by its function (a dotted path, called without arguments)."""

    def __init__(self):
        self.holes: list[tuple[str, str]] = []

    def fresh(self, path: str) -> str:
        marker = "hole" + secrets.token_hex(16)
        self.holes.append((marker, path))
        return marker


def page_holes(context) -> PageHoles | None:
    """The page's holes when it is being rendered for the cache, else None (write the value itself)."""
    return context.get("page_holes")


def filled(html: str, holes) -> str:
    for marker, path in holes:
        html = html.replace(marker, str(import_string(path)()))
    return html


class CachedPageMixin:
    """For a view whose GET renders a template: serve the page from the cache when this address was rendered for the
    same data, language (and minute), else render it and keep it. Goes before the view class in the bases."""

    page_cache_name = ""
    # The query parameters the page reads; an address with any other is rendered and not kept.
    page_params: frozenset[str] = frozenset()
    # Whether the page shows the time of day (then the key has the minute).
    page_by_minute = True

    def page_key_parts(self) -> tuple | None:
        """What the page reads from the request besides its address (None: do not cache this request)."""
        return ()

    def page_key(self) -> str | None:
        request = self.request
        if request.method not in ("GET", "HEAD") or not set(request.GET) <= self.page_params:
            return None
        if any(name in request.COOKIES for name in _visitor_cookies()):
            return None
        parts = self.page_key_parts()
        if parts is None:
            return None
        version = data_version()
        if version is None:
            return None
        minute = local_minute() if self.page_by_minute else ""
        return cache_key(
            f"page-{self.page_cache_name}", version, get_language(), minute, request.build_absolute_uri(), *parts
        )

    def get(self, request, *args, **kwargs):
        key = self.page_key()
        self.page_holes = None
        if key is not None:
            stored = cache.get(key)
            if stored is not None:
                html, marker, holes, content_type = stored
                if marker:
                    html = html.replace(marker, get_token(request))
                return HttpResponse(filled(html, holes), content_type=content_type)
            self.page_holes = PageHoles()
        response = super().get(request, *args, **kwargs)
        if self.page_holes is not None and hasattr(response, "render"):
            response.render()
            # A Content-Security-Policy nonce is for one answer only: a page that uses one is not kept.
            if response.status_code == 200 and not isinstance(getattr(request, "_csp_nonce", None), str):
                html, marker = without_csrf_tokens(request, response.content.decode(response.charset))
                cache.set(key, (html, marker, self.page_holes.holes, response["Content-Type"]), PAGE_SECONDS)
            response.content = filled(response.content.decode(response.charset), self.page_holes.holes)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_holes"] = self.page_holes
        return context
