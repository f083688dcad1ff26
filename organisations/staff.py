"""What a staff account must satisfy on every request: a second factor, and a session that ends.

Staff (``is_staff``) sign in through allauth (the admin's login redirects there), which asks for the
authenticator code once the account has one. This middleware makes that second factor compulsory:
a signed-in staff user without an activated authenticator app is sent to activate one before any
other page opens; only allauth's own pages (login, logout, password, two-factor set-up), language
switching and files stay reachable. A staff user who has an app must also have used it in this
session (allauth records each method a session used; activating the app counts, since it takes a
code from the app): a session signed in some other way, by a path added later or a password alone,
is sent to confirm a code first. It also ends a staff session after ``STAFF_IDLE_TIMEOUT``
seconds without a request and ``STAFF_SESSION_MAX_AGE`` seconds after it began, whatever the
activity (the session cookie alone would be renewed by every request that changes the session).
Partners (any ``Membership``) get the same two clocks and sign-out warning, but no compulsory second factor.
"""

import time

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import access

STARTED_KEY = "staff_session_started"
LAST_ACTIVITY_KEY = "staff_last_activity"
# The last activity is written at most this often, so most staff requests do not save the session.
ACTIVITY_RESOLUTION = 60
# Views a staff user without a second factor may still open: allauth's pages, language, files.
ALLOWED_VIEW_MODULES = ("allauth.", "django.views.i18n", "django.views.static")


def has_timed_session(user) -> bool:
    """Staff and members of an organisation: their sessions end when idle and at a maximum age."""
    return user.is_staff or access.memberships(user).exists()


def start_session(sender, request, user, **kwargs):
    """On every sign-in (connected in apps.py): the clocks start, saved with the login itself."""
    if hasattr(request, "session") and has_timed_session(user):
        now = time.time()
        request.session[STARTED_KEY] = now
        request.session[LAST_ACTIVITY_KEY] = now


def continue_session(request):
    """A signed-in user who just became a member: the clocks start now, unless they already run."""
    now = time.time()
    request.session.setdefault(STARTED_KEY, now)
    request.session.setdefault(LAST_ACTIVITY_KEY, now)


def record_activation(sender, request, user, authenticator, **kwargs):
    """Activating an app takes a code from it: the session has used the second factor (connected in apps.py)."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)


def has_authenticator_app(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def used_second_factor(request) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # Read by the layouts: show the sign-out warning (templates/includes/session_timeout.html).
        request.timed_session = False
        if user is not None and user.is_authenticated and has_timed_session(user):
            request.timed_session = self._expire_or_touch(request)
        return self.get_response(request)

    def _expire_or_touch(self, request):
        session, now = request.session, time.time()
        started = session.setdefault(STARTED_KEY, now)
        last = session.get(LAST_ACTIVITY_KEY, now)
        if now - last > settings.STAFF_IDLE_TIMEOUT:
            reason = _("You were signed out after %(minutes)d minutes without activity. Please sign in again.") % {
                "minutes": settings.STAFF_IDLE_TIMEOUT // 60
            }
        elif now - started > settings.STAFF_SESSION_MAX_AGE:
            reason = _("You were signed out because your session reached its maximum length. Please sign in again.")
        else:
            if LAST_ACTIVITY_KEY not in session or now - last >= ACTIVITY_RESOLUTION:
                session[LAST_ACTIVITY_KEY] = now
            return True
        logout(request)
        messages.info(request, reason)
        return False

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return None
        if getattr(view_func, "__module__", "").startswith(ALLOWED_VIEW_MODULES):
            return None
        if not has_authenticator_app(user):
            return redirect("mfa_activate_totp")
        if not used_second_factor(request):
            return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return None


@never_cache
@require_POST
def keep_alive(request):
    """ "Stay signed in" on the sign-out warning: the request itself is the activity StaffSessionMiddleware records."""
    if not getattr(request, "timed_session", False):
        return HttpResponse(status=403)
    return HttpResponse(status=204)
