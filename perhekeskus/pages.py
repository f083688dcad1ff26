"""Static pages (accessibility statement, privacy, about) and robots.txt.

The legal texts are written per language (templates/pages/<page>_<lang>.html) instead of as msgids:
they are long, and a translator should work on the whole statement, not on sentence fragments.
"""

import datetime as dt

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from services.search.visit import PLACE_COOKIE
from services.views import AREA_COOKIE

PAGE_LANGUAGES = ("fi", "sv", "en")
# Update both when the statement is reviewed (at least yearly, and after every larger change).
STATEMENT_PREPARED = dt.date(2026, 11, 23)
STATEMENT_REVIEWED = dt.date(2026, 11, 23)


class LanguageTemplateView(TemplateView):
    """Renders ``pages/<page>_<language>.html`` for the page language (Finnish when there is none)."""

    page = ""

    def get_template_names(self):
        language = get_language()
        language = language if language in PAGE_LANGUAGES else "fi"
        return [f"pages/{self.page}_{language}.html"]


class AccessibilityStatementView(LanguageTemplateView):
    page = "accessibility"

    def get_context_data(self, **kwargs):
        return super().get_context_data(prepared=STATEMENT_PREPARED, reviewed=STATEMENT_REVIEWED, **kwargs)


class PrivacyView(LanguageTemplateView):
    page = "privacy"

    def get_context_data(self, **kwargs):
        # The names the cookies really have here (__Host- prefixed over HTTPS).
        return super().get_context_data(
            session_cookie=settings.SESSION_COOKIE_NAME,
            csrf_cookie=settings.CSRF_COOKIE_NAME,
            language_cookie=settings.LANGUAGE_COOKIE_NAME,
            place_cookie=PLACE_COOKIE,
            area_cookie=AREA_COOKIE,
            contact_retention_days=settings.CONTACT_RETENTION_DAYS,
            contact_unanswered_retention_days=settings.CONTACT_UNANSWERED_RETENTION_DAYS,
            **kwargs,
        )


class AboutView(LanguageTemplateView):
    page = "about"


@require_GET
def robots_txt(request):
    # Nothing is listed as off limits: a Disallow line would advertise where the admin lives. Pages
    # that must stay out of search engines (the sign-in pages) say so with <meta name="robots">, and
    # the admin only ever answers a signed-in staff user.
    lines = [
        "User-agent: *",
        "Disallow:",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
