"""Database or cache down: a translated 503 page with Retry-After, probes for load balancers, a cache that degrades.

The database is made unreachable by pointing the test connection at a closed port and a database that does not
exist (the embedded backend ignores the port, so the name does it there); the cache and broker are a redis-server
this module starts on its own port and stops.
"""

import json
import logging
import os
import socket
import subprocess
import threading
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client

from perhekeskus import cache as degrading_cache
from tests.factories import UserFactory
from tests.test_settings import UNUSED_DATABASE_URL, run_python

# Ports of this module's own servers (never the machine's services); one per xdist worker.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_PORT = 16402 + WORKER
CLOSED_PORT = 16449


@pytest.fixture
def database_down(django_db_blocker):
    """Every new connection of the test database fails with OperationalError until the test ends."""
    with django_db_blocker.unblock():
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(CLOSED_PORT), NAME="perhekeskus_no_such_database")
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)


@pytest.fixture
def client_keeping_errors():
    """A client that returns the response even when the request signalled an exception (as a browser sees it)."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/fi/areas/", "fi", "Palvelu on tilapäisesti poissa käytöstä"),
        ("/sv/areas/", "sv", "Tjänsten är tillfälligt otillgänglig"),
        ("/en/areas/", "en", "Temporarily unavailable"),
        ("/sv/", "sv", "Tjänsten är tillfälligt otillgänglig"),
    ],
)
def test_database_down__page_is_a_translated_503_with_retry_after(
    database_down, client_keeping_errors, caplog, path, language, heading
):
    response = client_keeping_errors.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert f"<h1>{heading}</h1>" in content
    assert f'href="/{language}/"' in content
    assert "<script" not in content
    assert "style=" not in content
    # A warning, not a server error mailed to the admins for every page while the database is down.
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_database_down__session_loaded_in_middleware_is_a_503_in_the_requested_language(
    database_down, client_keeping_errors, settings
):
    # /sv/accounts/ is a 404 that allauth's middleware turns into a redirect after asking whether the user is logged
    # in: the session is read from the database inside the middleware, not in a view.
    client_keeping_errors.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    response = client_keeping_errors.get("/sv/accounts/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<h1>Tjänsten är tillfälligt otillgänglig</h1>" in response.content.decode()
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_database_down__error_in_a_middleware_is_a_warning_and_never_mailed(
    database_down, client_keeping_errors, settings, caplog
):
    settings.ADMINS = [("Admin", "admin@example.fi")]
    client_keeping_errors.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32

    response = client_keeping_errors.get("/fi/accounts/")

    assert response.status_code == 503
    request_records = [r for r in caplog.records if r.name == "django.request"]
    assert request_records, "Django's request logger should still record the failure"
    assert {r.levelname for r in request_records} == {"WARNING"}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert mail.outbox == []


def test_database_down__other_errors_are_still_server_errors(database_down, client_keeping_errors, settings):
    settings.ROOT_URLCONF = "tests.urls_failing"
    response = client_keeping_errors.get("/boom/")

    assert response.status_code == 500


def test_statement_timeout__is_a_server_error_not_a_503(db, client_keeping_errors, settings, caplog):
    settings.ROOT_URLCONF = "tests.urls_failing"

    response = client_keeping_errors.get("/slow-query/")

    assert response.status_code == 500
    assert [r.levelname for r in caplog.records if r.name == "django.request"] == ["ERROR"]


def test_healthz__answers_ok_without_database_or_session(database_down, client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert not response.cookies
    # Exempt from the HTTPS redirect that every page gets, so a load balancer can probe plain HTTP.
    assert client.get("/fi/").status_code == 301


@pytest.fixture
def no_broker(settings):
    """Tasks run in-process, as without CELERY_BROKER_URL (CI sets one for the whole run)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.mark.django_db
def test_readyz__all_ok_with_no_broker_configured(client, settings, no_broker):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "not configured"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz__503_when_the_database_is_down_logged_as_a_warning(database_down, client, no_broker, settings, caplog):
    settings.ADMINS = [("Admin", "admin@example.fi")]

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"database": "failed", "cache": "ok", "broker": "not configured"}
    # A load balancer probes every few seconds: an outage must not become a mail per probe.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert mail.outbox == []


# --- Cache and broker in a Redis of our own ---


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server():
    server = RedisServer(REDIS_PORT)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server, settings, monkeypatch):
    """The site's cache in the test's Redis, configured as settings do for CACHE_URL=redis://..."""
    monkeypatch.setattr(degrading_cache, "RETRY_AFTER_FAILURE_SECONDS", 0)
    # The outage memory is per process: each test starts with none (no warning already given this minute).
    monkeypatch.setattr(degrading_cache, "_OUTAGES", {})
    settings.CACHES = {
        "default": {
            "BACKEND": "perhekeskus.cache.DegradingRedisCache",
            "LOCATION": f"{redis_server.url}/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return redis_server


def test_settings__a_redis_cache_url_selects_the_degrading_backend_with_short_timeouts():
    result = run_python(
        "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.CACHES))",
        DEBUG="1",
        DATABASE_URL=UNUSED_DATABASE_URL,
        CACHE_URL="redis://127.0.0.1:6379/1",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "default": {
            "BACKEND": "perhekeskus.cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_degrading_cache__answers_as_an_empty_cache_while_redis_is_down_and_recovers(redis_cache, caplog):
    cache.set("greeting", "hei")
    assert cache.get("greeting") == "hei"

    redis_cache.stop()
    assert cache.get("greeting", "fallback") == "fallback"
    assert cache.get_many(["greeting"]) == {}
    assert cache.set("greeting", "moi") is None
    assert cache.add("other", 1) is True  # "stored", so that callers using add() as a lock go on (allauth)
    assert cache.get("other") is None
    assert cache.get_or_set("computed", lambda: 42) == 42
    assert cache.has_key("greeting") is False
    assert cache.delete("greeting") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
    # Another thread has its own cache object (Django makes one per thread) but shares the process's outage memory.
    other_thread = threading.Thread(target=lambda: cache.get("greeting"))
    other_thread.start()
    other_thread.join()
    # One warning for the outage, not one per call or per thread.
    warnings = [r for r in caplog.records if r.name == "perhekeskus.cache"]
    assert len(warnings) == 1
    assert warnings[0].levelname == "WARNING"

    redis_cache.start()
    cache.set("greeting", "hej")
    assert cache.get("greeting") == "hej"


@pytest.mark.django_db
def test_cache_down__login_password_reset_and_sitemap_still_work(redis_cache, client, no_broker):
    user = UserFactory(email="vanhempi@example.fi")
    redis_cache.stop()

    login_page = client.get("/fi/accounts/login/")
    assert login_page.status_code == 200
    assert 'name="password"' in login_page.content.decode()

    failed_login = client.post("/fi/accounts/login/", {"login": user.email, "password": "wrong"})
    assert failed_login.status_code == 200
    assert failed_login.context["form"].errors

    reset = client.post("/fi/accounts/password/reset/", {"email": user.email})
    assert reset.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]

    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert b"<sitemapindex" in sitemap.content

    assert client.get("/readyz").json() == {"database": "ok", "cache": "failed", "broker": "not configured"}


@pytest.mark.django_db
def test_readyz__reports_the_broker(redis_server, client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"{redis_server.url}/0"
    assert client.get("/readyz").json()["broker"] == "ok"

    redis_server.stop()
    response = client.get("/readyz")

    assert response.status_code == 200  # pages work without the broker: the process stays in the load balancer
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "failed"}
