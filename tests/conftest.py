"""Cross-cutting test fixtures only; build test data with tests.factories inside each test."""

import datetime as dt
import os
import zoneinfo

import pytest
import time_machine

# The broker fixtures (a redis-server of the test's own) for every test module that asks for them.
from tests.brokers import broker_app, redis_server  # noqa: F401

FROZEN_DATE_VARIABLE = "PYTEST_FROZEN_DATE"
STATEMENT_TIMEOUT_MS = 240_000
_frozen_clock = pytest.StashKey[time_machine.travel]()


def frozen_moment(value: str) -> dt.datetime:
    """``2027-03-15`` is noon in Helsinki that day; a full ISO datetime is taken as given (Helsinki if naive)."""
    helsinki = zoneinfo.ZoneInfo("Europe/Helsinki")
    if len(value) == 10:
        return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(12), tzinfo=helsinki)
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=helsinki)


def pytest_configure(config):
    """With PYTEST_FROZEN_DATE set, the whole run (each xdist worker too) lives on that date.

    The clock still ticks from there, so timeouts, live servers and waits behave; only this process
    and its threads travel (a subprocess such as a Celery worker, or Chromium's JavaScript, keep the
    real date). Proves that no test depends on the day the suite happens to run.
    """
    value = os.environ.get(FROZEN_DATE_VARIABLE)
    if value:
        config.stash[_frozen_clock] = traveller = time_machine.travel(frozen_moment(value), tick=True)
        traveller.start()


def pytest_unconfigure(config):
    traveller = config.stash.get(_frozen_clock, None)
    if traveller:
        traveller.stop()


def pytest_report_header(config):
    if os.environ.get(FROZEN_DATE_VARIABLE):
        return f"{FROZEN_DATE_VARIABLE}: the clock starts at {frozen_moment(os.environ[FROZEN_DATE_VARIABLE])}"
    return None


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Give each pytest process its own test database.

    Several people (and xdist workers) share one embedded PostgreSQL; with the default name
    ``test_postgres`` one run would drop the database another run is using.
    """
    from django.conf import settings

    for db in settings.DATABASES.values():
        test = db.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_{os.getpid()}"
        # A runaway statement stops in the server with its SQL in the error, before pytest-timeout's 300 s
        # end the test (which would leave the query running on in PostgreSQL).
        options = db.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c statement_timeout={STATEMENT_TIMEOUT_MS}".strip()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, no manifest for static files, plain HTTP and throwaway media for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The API's per-client limit counts in the process's cache across tests; throttling tests set their own rate.
    settings.API_ANON_RATE = "100000/minute"
    # Tests change data between requests; the count cache has its own test.
    settings.COUNTS_CACHE_SECONDS = 0
    # Families' forms (perhekeskus/voice/): counted per client in the same cache; their tests set rate and fill time.
    settings.PROBLEM_REPORT_RATE = settings.SERVICE_FEEDBACK_RATE = settings.CONTACT_RATE = ""
    # Wrong reply codes (perhekeskus/contact/views.py): the same cache; tests/contact/test_reply_views.py sets its rate.
    settings.CONTACT_CODE_RATE = ""
    settings.FAMILY_FORM_MIN_SECONDS = 0


@pytest.fixture
def tasks_at_once():
    """The project's tasks run in the calling thread (the live server's too), as without a broker, even where
    CELERY_BROKER_URL is set (CI): for tests about what the tasks do, not about the broker."""
    from perhekeskus.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the default language (fi): a request through LocaleMiddleware leaves its language active."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def with_authenticator_app(user):
    """Give a staff user the TOTP authenticator every staff member must have before the admin opens."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def superuser(db):
    """A fully set-up superuser: with an authenticator app, so the admin opens for them."""
    from tests.factories import UserFactory

    return with_authenticator_app(UserFactory(is_staff=True, is_superuser=True))


def sign_in_staff(client, user):
    """Log a staff user in as after the whole sign-in: password and authenticator code (force_login records neither)."""
    from types import SimpleNamespace

    from allauth.account.internal.flows.login import record_authentication

    client.force_login(user)
    session = client.session
    request = SimpleNamespace(session=session)
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", type="totp")
    session.save()
    return client


@pytest.fixture
def admin_client(client, superuser):
    """A test client logged in as a superuser."""
    return sign_in_staff(client, superuser)


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Reload the reference data (areas, municipalities, postal codes, taxonomies, synonyms) for transactional tests.

    Migrations load it once, but a transactional test (live_server, a real Celery worker) ends by
    flushing every table, which would leave the tests after it without areas or municipalities.
    """
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        marker = request.node.get_closest_marker("django_db")
        if not (marker and marker.kwargs.get("transaction")):
            return
    request.getfixturevalue("transactional_db")
    from organisations.models import Municipality, PostalCode, WellbeingArea
    from organisations.reference_data import load_reference_data
    from services.models import LifeSituation, SearchSynonym, ServiceClass
    from services.search.synonyms import load_default_synonyms
    from services.taxonomies import load_taxonomies

    if not WellbeingArea.objects.exists():
        load_reference_data(WellbeingArea, Municipality, PostalCode)
    if not ServiceClass.objects.exists():
        load_taxonomies(ServiceClass, LifeSituation)
    if not SearchSynonym.objects.exists():
        load_default_synonyms(SearchSynonym)
