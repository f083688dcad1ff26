"""Response headers the security libraries do not set: signed-in and account pages are never stored by caches."""

import re

from django.conf import settings
from django.utils.cache import add_never_cache_headers

# The allauth pages, under every language prefix (/fi/accounts/login/ ...).
ACCOUNT_PAGES = re.compile(r"^/(?:[a-z]{2}/)?accounts/")


def private_pages_not_stored(get_response):
    """`Cache-Control: no-store` on the account pages and on every page a signed-in user gets.

    A shared or browser cache must not keep a page with a staff user's data (or a password-reset form) for the next
    person at the same computer. Families without a session cookie cost nothing: the session is not even read.
    """

    def middleware(request):
        response = get_response(request)
        if ACCOUNT_PAGES.match(request.path_info) or (
            settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
        ):
            add_never_cache_headers(response)
        return response

    return middleware
