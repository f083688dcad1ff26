"""Deployment checks: production settings that would quietly hurt families or staff fail ``check --deploy``.

Each check runs only with ``--deploy``, the first three only with DEBUG off (development and tests
may use these defaults on purpose). CI runs ``manage.py check --deploy --fail-level WARNING`` with production values.
One is an error every management command runs (migrate, check): the feedback address a statement requires.
"""

import datetime as dt

from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

# Mail that never leaves the server: the console and file backends write password-reset links into logs.
LOCAL_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
# Caches each worker process (or host) keeps for itself: rate limits then count per process.
UNSHARED_CACHE_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}
STATEMENT_REVIEW_INTERVAL = dt.timedelta(days=365)
# Top-level domains reserved for examples and tests (RFC 2606, RFC 6761): mail to them reaches nobody.
RESERVED_TOP_LEVEL_DOMAINS = {"example", "invalid", "localhost", "test"}


def is_placeholder_address(address: str) -> bool:
    """True for an empty or malformed address, or one at a reserved or example domain (example.com, x.invalid)."""
    try:
        validate_email(address)
    except ValidationError:
        return True
    labels = address.rpartition("@")[2].lower().rstrip(".").split(".")
    return labels[-1] in RESERVED_TOP_LEVEL_DOMAINS or "example" in labels


@register()
def check_feedback_email(app_configs, **kwargs):
    """The accessibility statement must name a feedback channel that works (Act on the Provision of Digital Services,
    section 16): with DEBUG off, no management command runs until FEEDBACK_EMAIL is a real address."""
    if settings.DEBUG or not is_placeholder_address(settings.FEEDBACK_EMAIL):
        return []
    return [
        Error(
            f"FEEDBACK_EMAIL is {settings.FEEDBACK_EMAIL!r} with DEBUG off: the accessibility statement, the privacy "
            "page and the error pages would give families an address that reaches nobody.",
            hint="Set FEEDBACK_EMAIL to the address where the organisation answers accessibility and privacy "
            "feedback (not at example.*, .invalid, .test or .localhost).",
            id="perhekeskus.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_email_backend(app_configs, **kwargs):
    if settings.DEBUG or settings.EMAIL_BACKEND not in LOCAL_EMAIL_BACKENDS:
        return []
    return [
        Warning(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND} with DEBUG off: mail is never delivered, and password-reset "
            "and login links end up in the server log, where whoever reads the log can take over the accounts.",
            hint="Set EMAIL_URL to the SMTP server, e.g. smtp+tls://user:password@smtp.example.fi:587.",
            id="perhekeskus.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_embedded_database(app_configs, **kwargs):
    if settings.DEBUG or not getattr(settings, "EMBEDDED_DATABASE", False):
        return []
    return [
        Warning(
            "The embedded PostgreSQL (no DATABASE_URL) is used with DEBUG off: it is for development and tests, "
            "with its data in the project directory, no backups and no monitoring.",
            hint="Set DATABASE_URL to the production PostgreSQL, e.g. postgres://user:password@db.example.fi/perhekeskus.",
            id="perhekeskus.W002",
        )
    ]


@register(Tags.security, Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    return [
        Warning(
            f"The {alias!r} cache is {config['BACKEND']} with DEBUG off: each worker process (or host) keeps its "
            "own, so login and password-reset rate limits are counted per process and let several times more "
            "attempts through.",
            hint="Use a cache shared by every process: set CACHE_URL to Redis (e.g. redis://redis:6379/1) or "
            "to the database cache (dbcache://django_cache, after manage.py createcachetable).",
            id="perhekeskus.W003",
        )
        for alias, config in settings.CACHES.items()
        if config["BACKEND"] in UNSHARED_CACHE_BACKENDS
    ]


@register(Tags.security, deploy=True)
def check_proxy_client_addresses(app_configs, **kwargs):
    """Behind a proxy (HTTPS told by X-Forwarded-Proto) every client arrives from the proxy's address."""
    if settings.DEBUG or not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return []
    if settings.ALLAUTH_TRUSTED_PROXY_COUNT:
        return []
    return [
        Warning(
            "The site trusts a proxy for HTTPS (USE_X_FORWARDED_PROTO) but TRUSTED_PROXY_COUNT is 0: the login rate "
            "limits then count every visitor as the proxy's one address, so ten wrong passwords from anybody lock "
            "everybody out of signing in for a minute.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append the client's address to "
            "X-Forwarded-For (1 behind one load balancer).",
            id="perhekeskus.W004",
        )
    ]


@register(deploy=True)
def check_accessibility_statement_reviewed(app_configs, **kwargs):
    """The accessibility statement must be kept up to date (reviewed at least yearly).

    A reminder in the deploy output (Info, so it depends on the date without failing a build on one day).
    """
    from perhekeskus.pages import STATEMENT_REVIEWED

    age = timezone.localdate() - STATEMENT_REVIEWED
    if age <= STATEMENT_REVIEW_INTERVAL:
        return []
    return [
        Info(
            f"The accessibility statement was last reviewed on {STATEMENT_REVIEWED}, {age.days} days ago.",
            hint="Review templates/pages/accessibility_*.html against the site and update STATEMENT_REVIEWED "
            "in perhekeskus/pages.py.",
            id="perhekeskus.I001",
        )
    ]


@register(deploy=True)
def check_finnish_morphology(app_configs, **kwargs):
    """Without Voikko, Finnish search words are matched without their base forms: families typing an inflected
    word ("neuvolassa") miss services. The search still works, so a warning, not an error."""
    from services.search.text import voikko_available

    if voikko_available():
        return []
    return [
        Warning(
            "Finnish morphology (Voikko) is not available: inflected Finnish search words find fewer services.",
            hint="Install the Debian packages libvoikko1 and voikko-fi (the Dockerfile and make do).",
            id="perhekeskus.W005",
        )
    ]


@register(Tags.security, deploy=True)
def check_contact_encryption_keys(app_configs, **kwargs):
    """Anonymous questions are encrypted at rest with CONTACT_ENCRYPTION_KEYS. Without them (development) the key
    comes from SECRET_KEY, which a rotation of SECRET_KEY would lose with every stored question; a key that is not a
    Fernet key would fail the family's request. Both refused with DEBUG off."""
    from cryptography.fernet import Fernet

    if settings.DEBUG:
        return []
    keys = settings.CONTACT_ENCRYPTION_KEYS
    if not keys:
        return [
            Error(
                "CONTACT_ENCRYPTION_KEYS is not set with DEBUG off: anonymous questions would be encrypted with a key "
                "derived from SECRET_KEY.",
                hint='Set it to one or more Fernet keys, newest first, separated by commas: python -c "from '
                'cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"',
                id="perhekeskus.E002",
            )
        ]
    bad = []
    for index, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            bad.append(index)
    if bad:
        return [
            Error(
                f"CONTACT_ENCRYPTION_KEYS: key {', '.join(map(str, bad))} is not a Fernet key (32 bytes, URL-safe "
                "base64).",
                id="perhekeskus.E003",
            )
        ]
    return []


@register(deploy=True)
def check_site_url(app_configs, **kwargs):
    """Links in e-mails (notifications of questions, reminders) use SITE_URL: with DEBUG off it must be the public
    https address, not the development default."""
    if settings.DEBUG:
        return []
    url = settings.SITE_URL
    if url.startswith("https://") and not any(host in url for host in ("127.0.0.1", "localhost")):
        return []
    return [
        Warning(
            f"SITE_URL is {url!r} with DEBUG off: links in e-mails would not reach the site.",
            hint="Set SITE_URL to the site's public address, e.g. https://perhekeskus.hyvinvointialue.fi.",
            id="perhekeskus.W006",
        )
    ]
