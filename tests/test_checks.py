"""Deploy checks: production defaults that fail safe (console mail, embedded database, per-process cache)."""

import datetime as dt

import pytest
import time_machine
from django.core.checks import run_checks

from perhekeskus.pages import STATEMENT_REVIEWED

REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/1"}
SMTP = "django.core.mail.backends.smtp.EmailBackend"
FERNET_KEY = "x5U1PvrAxjYXn1V-nMbkpkyk1j7gUdTaCCi_NmSsQlw="


def our_issues(include_deployment_checks=True) -> dict[str, str]:
    """Our issues but the date-dependent reminder perhekeskus.I001 (tested on its own below)."""
    issues = run_checks(include_deployment_checks=include_deployment_checks)
    return {issue.id: issue.msg for issue in issues if issue.id.startswith(("perhekeskus.W", "perhekeskus.E"))}


@pytest.fixture
def production(settings):
    """Real production values: DEBUG off, SMTP, an external database, Redis and a feedback address."""
    settings.DEBUG = False
    settings.FEEDBACK_EMAIL = "saavutettavuus@hyvinvointialue.fi"
    settings.EMAIL_BACKEND = SMTP
    settings.EMBEDDED_DATABASE = False
    settings.CACHES = {"default": REDIS}
    settings.SITE_URL = "https://perhekeskus.hyvinvointialue.fi"
    settings.CONTACT_ENCRYPTION_KEYS = [FERNET_KEY]
    return settings


def test_deploy_checks__pass_with_production_values(production):
    assert our_issues() == {}


@pytest.mark.parametrize(("proxies", "expected"), [(0, ["perhekeskus.W004"]), (1, [])])
def test_deploy_checks__behind_a_proxy_need_the_trusted_proxy_count(production, proxies, expected):
    production.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    production.ALLAUTH_TRUSTED_PROXY_COUNT = proxies

    assert list(our_issues()) == expected


def test_deploy_checks__pass_with_the_database_cache(production):
    production.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}}

    assert our_issues() == {}


@pytest.mark.parametrize("backend", ["console", "filebased", "locmem", "dummy"])
def test_deploy_checks__mail_that_never_leaves_the_server_warns(production, backend):
    production.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"

    issues = our_issues()

    assert list(issues) == ["perhekeskus.W001"]
    assert production.EMAIL_BACKEND in issues["perhekeskus.W001"]


def test_deploy_checks__embedded_database_warns(production):
    production.EMBEDDED_DATABASE = True

    issues = our_issues()

    assert list(issues) == ["perhekeskus.W002"]
    assert "embedded PostgreSQL" in issues["perhekeskus.W002"]


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_deploy_checks__per_process_cache_warns(production, backend):
    production.CACHES = {"default": REDIS, "sessions": {"BACKEND": backend, "LOCATION": "/tmp/unused"}}

    issues = our_issues()

    assert list(issues) == ["perhekeskus.W003"]
    assert "'sessions'" in issues["perhekeskus.W003"] and backend in issues["perhekeskus.W003"]


def test_deploy_checks__are_silent_with_debug_on_and_without_deploy(production):
    production.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    production.EMBEDDED_DATABASE = True
    production.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert set(our_issues()) == {"perhekeskus.W001", "perhekeskus.W002", "perhekeskus.W003"}
    assert our_issues(include_deployment_checks=False) == {}

    production.DEBUG = True

    assert our_issues() == {}


@pytest.mark.parametrize(
    "address",
    [
        "palaute@perhekeskus.invalid",  # the default
        "",
        "palaute",
        "palaute@example.com",
        "feedback@mail.example.org",
        "palaute@example.fi",
        "PALAUTE@PERHEKESKUS.TEST",
        "root@localhost",
    ],
)
def test_feedback_email__missing_or_a_placeholder_is_an_error_with_debug_off(production, address):
    production.FEEDBACK_EMAIL = address

    issues = our_issues(include_deployment_checks=False)

    assert list(issues) == ["perhekeskus.E001"]
    assert f"FEEDBACK_EMAIL is {address!r} with DEBUG off" in issues["perhekeskus.E001"]
    assert list(our_issues()) == ["perhekeskus.E001"]
    production.DEBUG = True
    assert our_issues() == {}


@pytest.mark.parametrize("address", ["saavutettavuus@hyvinvointialue.fi", "palaute@examples.fi"])
def test_feedback_email__a_real_address_passes(production, address):
    production.FEEDBACK_EMAIL = address

    assert our_issues(include_deployment_checks=False) == {}


def statement_reminders() -> list[str]:
    return [issue.msg for issue in run_checks(include_deployment_checks=True) if issue.id == "perhekeskus.I001"]


def test_deploy_checks__remind_when_the_accessibility_statement_is_over_a_year_old():
    a_year_later = dt.datetime.combine(STATEMENT_REVIEWED + dt.timedelta(days=365), dt.time(12), dt.UTC)

    with time_machine.travel(a_year_later, tick=False):
        assert statement_reminders() == []
    with time_machine.travel(a_year_later + dt.timedelta(days=1), tick=False):
        assert statement_reminders() == [
            f"The accessibility statement was last reviewed on {STATEMENT_REVIEWED}, 366 days ago."
        ]


def test_deploy_check__warns_without_finnish_morphology(production, monkeypatch):
    monkeypatch.setattr("services.search.text._voikko", lambda: None)
    issues = our_issues()
    assert list(issues) == ["perhekeskus.W005"]
    assert "Voikko" in issues["perhekeskus.W005"]
    assert our_issues(include_deployment_checks=False) == {}


def test_deploy_checks__anonymous_questions_need_their_own_encryption_keys(production):
    production.CONTACT_ENCRYPTION_KEYS = []
    assert list(our_issues()) == ["perhekeskus.E002"]
    production.CONTACT_ENCRYPTION_KEYS = [FERNET_KEY, "not-a-key"]
    issues = our_issues()
    assert list(issues) == ["perhekeskus.E003"] and "key 2 is not a Fernet key" in issues["perhekeskus.E003"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "https://localhost", "http://perhekeskus.fi"])
def test_deploy_checks__links_in_mail_need_the_public_https_address(production, url):
    production.SITE_URL = url
    assert list(our_issues()) == ["perhekeskus.W006"]
