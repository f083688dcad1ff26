"""Template context shared by every family-facing page: language alternates for the switcher and hreflang, and the
feedback address the footer gives on every page in the same place (WCAG 3.2.6 consistent help)."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def alternate_url(path: str, current: str, code: str) -> str:
    """*path* (query string kept) in language *code*; unresolvable paths get their prefix swapped."""
    url = translate_url(path, code)
    prefix = f"/{current}/"
    if url == path and code != current and path.startswith(prefix):
        url = f"/{code}/{path.removeprefix(prefix)}"
    return url


def site(request):
    current = get_language()
    path = request.get_full_path()
    alternates = []
    for code, _name in settings.LANGUAGES:
        url = alternate_url(path, current, code)
        alternates.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"].capitalize(),
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "is_current": code == current,
            }
        )
    # x-default: the address without a language prefix, which redirects by the browser's language
    # (the same choice as the sitemap's x-default).
    default_url = alternate_url(path, current, settings.LANGUAGE_CODE).replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)
    return {
        "language_alternates": alternates,
        "x_default_url": request.build_absolute_uri(default_url),
        "feedback_email": settings.FEEDBACK_EMAIL,
    }
