"""What keeps spam out of the forms families send without signing in: honeypot, minimum fill time, links, rate.

- a **honeypot** field people never see (its wrapper is ``hidden``); a filled one means a robot, answered as if all
  went well and stored nowhere;
- a **fill time**: the form carries the time it was rendered, signed with SECRET_KEY; a post sooner than
  ``FAMILY_FORM_MIN_SECONDS`` after it, or without a valid signature, or hours later, is refused with a message;
- at most ``MAX_LINKS`` web addresses in the text;
- a **rate limit** per client, counted in the shared cache under a hash of the client's address salted with
  SECRET_KEY and the date. The address itself is stored nowhere, and the hashes of one day cannot be linked to the
  next day's.
"""

import contextlib
import hashlib
import hmac
import logging
import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

SIGNING_SALT = "perhekeskus.voice.form-started"
# A family may leave the tab open over lunch; a form older than this is sent again with a fresh time.
FORM_MAX_AGE = 6 * 60 * 60
MAX_LINKS = 2
LINK_RE = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|ru|info|biz|xyz|top)\b", re.IGNORECASE)
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def salted_key(value: str) -> str:
    """A hash of *value* salted with SECRET_KEY and the date: the same value gets the same key today, another one
    tomorrow. What the rate limits count under, so the cache holds no address (or code prefix) in clear."""
    salt = hmac.new(settings.SECRET_KEY.encode(), f"client-key:{timezone.localdate()}".encode(), hashlib.sha256)
    return hmac.new(salt.digest(), value.encode(), hashlib.sha256).hexdigest()[:32]


def client_key(request) -> str:
    """A salted hash of the client's address (``salted_key``).

    The address is the one the API's throttle counts (DRF's ``get_ident``: the connecting address, or behind
    TRUSTED_PROXY_COUNT proxies the one they put in X-Forwarded-For).
    """
    return salted_key(BaseThrottle().get_ident(request) or "")


def parse_rate(rate: str) -> tuple[int, int] | None:
    """``"5/hour"`` → (5, 3600); empty → None (no limit)."""
    if not rate:
        return None
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


def _counter(request, scope: str, period: int, key: str | None) -> str:
    return f"family-input:{scope}:{key or client_key(request)}:{int(time.time()) // period}"


def over_limit(request, scope: str, rate: str, *, key: str | None = None) -> bool:
    """Count one more post of *scope* from this client (or under *key*, a ``salted_key`` of something else the
    limit is per); True when that is more than *rate* allows."""
    parsed = parse_rate(rate)
    if parsed is None:
        return False
    limit, period = parsed
    counter = _counter(request, scope, period, key)
    try:
        cache.add(counter, 0, timeout=period)
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.add(counter, 1, timeout=period)
            count = 1
    except Exception:
        # Open when the cache fails: what a family sends is never lost to a counter.
        logger.warning("%s: rate limit not counted (cache unavailable)", scope, exc_info=True)
        return False
    return count > limit


def forgive(request, scope: str, rate: str, *, key: str | None = None) -> None:
    """Take back the count of ``over_limit``: for limits on failures only, counted before the attempt is checked
    (so that parallel attempts cannot slip past the limit) and forgiven when it succeeded."""
    parsed = parse_rate(rate)
    if parsed is None:
        return
    with contextlib.suppress(Exception):  # the window turned meanwhile, or the cache is unavailable
        cache.decr(_counter(request, scope, parsed[1], key))


def seconds_left(rate: str) -> int:
    """Until the limit's current window ends: the Retry-After of a refused post."""
    parsed = parse_rate(rate)
    if parsed is None:
        return 0
    period = parsed[1]
    return period - int(time.time()) % period


def count_links(text: str) -> int:
    return len(LINK_RE.findall(text or ""))


def started_token() -> str:
    return signing.dumps(time.time(), salt=SIGNING_SALT)


class DescribedErrorsForm(forms.Form):
    """A form whose fields name their error (and help text) in ``aria-describedby``, so a screen reader reads the
    error with the field (the templates give it the id "<field id>_error")."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                ids = [f"{bound.auto_id}_error"] + ([f"{bound.auto_id}_helptext"] if bound.help_text else [])
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


class ProtectedForm(DescribedErrorsForm):
    """A form a family sends without signing in: adds the honeypot and the signed start time, checks both and links.

    Subclasses name their free-text fields in ``text_fields``. ``is_robot`` is True when the honeypot was filled:
    the view then answers as if all went well and stores nothing.
    """

    text_fields: tuple[str, ...] = ()

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every rendering starts the clock again (also when the form comes back with errors).
        self.initial["started"] = started_token()
        self._posted_started = self.data.get("started", "") if self.is_bound else ""
        if self.is_bound:
            self.data = self.data.copy()
            self.data["started"] = self.initial["started"]

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website")) if self.is_bound else False

    def clean(self):
        cleaned = super().clean()
        self._check_fill_time()
        for name in self.text_fields:
            if count_links(cleaned.get(name, "")) > MAX_LINKS:
                self.add_error(name, _("Please include at most %(count)s web addresses.") % {"count": MAX_LINKS})
        return cleaned

    def _check_fill_time(self):
        try:
            started = signing.loads(self._posted_started, salt=SIGNING_SALT, max_age=FORM_MAX_AGE)
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("The form was open for too long or could not be read. Please send it again."), code="expired"
            ) from None
        if time.time() - float(started) < settings.FAMILY_FORM_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was very fast. Please check what you wrote and send it again."), code="too_fast"
            )
