"""Error pages 400, 403 (and CSRF failure), 404, 429 and 500: status, language, a way forward, no inline code,
Retry-After on 429, a reference id on 500 that is also in the log, and no mail to ADMINS for what outsiders cause."""

import logging
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

from perhekeskus.errors import RATE_LIMIT_RETRY_AFTER_SECONDS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Page → (status, heading by language).
HEADINGS = {
    "400": {"fi": "Pyyntöä ei voitu käsitellä", "sv": "Begäran kunde inte behandlas", "en": "could not be handled"},
    "403": {"fi": "Ei pääsyä tälle sivulle", "sv": "Ingen åtkomst till sidan", "en": "No access to this page"},
    "csrf": {"fi": "Lomaketta ei voitu lähettää", "sv": "Formuläret kunde inte skickas", "en": "could not be sent"},
    "429": {"fi": "Liian monta yritystä", "sv": "För många försök", "en": "Too many attempts"},
    "500": {"fi": "Jokin meni vikaan", "sv": "Något gick fel", "en": "Something went wrong"},
}
HOME_LINK = {"fi": "Siirry etusivulle", "sv": "Gå till startsidan", "en": "Go to the front page"}


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Admin", "admin@example.test")]


@pytest.fixture
def quiet_client():
    """A client that gets the 500 page instead of the exception, as a browser would."""
    return Client(raise_request_exception=False)


@pytest.fixture
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def assert_error_page(response, status, page, language):
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert re.search(rf"<h1>[^<]*{re.escape(HEADINGS[page][language])}", html), html
    assert f'<a href="/{language}/">{HOME_LINK[language]}</a>' in html
    # Where to ask for help, as in every page's footer (the 500 page says it in its text instead).
    if page != "500":
        assert f'<a href="mailto:{settings.FEEDBACK_EMAIL}">' in html
    # A strict CSP is coming: no inline script or style.
    assert "<script" not in html
    assert "<style" not in html
    assert "style=" not in html
    return html


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_400__bad_host_gets_the_translated_page_without_the_database(client, django_assert_num_queries, language):
    with django_assert_num_queries(0):
        response = client.get(f"/{language}/services/", HTTP_HOST="evil.example")

    assert_error_page(response, 400, "400", language)


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_403__permission_denied_page(client, language):
    assert_error_page(client.get(f"/{language}/test-forbidden/"), 403, "403", language)


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_403__csrf_failure_explains_what_to_do(language):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/{language}/test-form/", {"q": "x"})

    html = assert_error_page(response, 403, "csrf", language)
    assert "CSRF" not in html


def test_403__csrf_failure_on_a_real_form_outside_the_language_prefix():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="sv")

    response = client.post("/i18n/setlang/", {"language": "fi", "next": "/"})

    assert_error_page(response, 403, "csrf", "sv")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_404__is_translated(client, language):
    response = client.get(f"/{language}/no-such-page/")

    assert response.status_code == 404
    assert {"fi": "Sivua ei löytynyt", "sv": "Sidan hittades inte"}[language] in response.content.decode()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_429__allauth_rate_limit_renders_our_page_with_retry_after(client, settings, empty_cache, language):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "2/5m/key"}
    UserFactory(email="parent@example.test")
    reset = f"/{language}/accounts/password/reset/"

    statuses = [client.post(reset, {"email": "parent@example.test"}).status_code for _ in range(3)]
    response = client.post(reset, {"email": "parent@example.test"})

    assert statuses[:2] == [302, 302]
    html = assert_error_page(response, 429, "429", language)
    assert response["Retry-After"] == str(RATE_LIMIT_RETRY_AFTER_SECONDS)
    minutes = {"fi": "Odota 5 minuuttia", "sv": "Vänta 5 minuter"}[language]
    assert minutes in html


@pytest.mark.urls("tests.error_urls")
def test_429__any_429_gets_retry_after(client):
    response = client.get("/fi/test-throttled/")

    assert response.status_code == 429
    assert response["Retry-After"] == str(RATE_LIMIT_RETRY_AFTER_SECONDS)


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_500__shows_a_reference_that_is_in_the_log_line_and_the_mail(
    quiet_client, admins, caplog, django_assert_num_queries, language
):
    with caplog.at_level(logging.ERROR, logger="django.request"), django_assert_num_queries(0):
        response = quiet_client.get(f"/{language}/test-broken/")

    html = assert_error_page(response, 500, "500", language)
    reference = re.search(r'<strong class="error-reference">([0-9a-f]{8})</strong>', html).group(1)
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.error_reference == reference
    assert f"[ref {reference}]" in record.getMessage()
    assert "RuntimeError: broken on purpose" in caplog.text
    [message] = mail.outbox
    assert reference in message.subject


@pytest.mark.urls("tests.error_urls")
def test_500__each_error_gets_its_own_reference(quiet_client):
    pattern = r'class="error-reference">([0-9a-f]{8})<'
    first, second = (re.search(pattern, quiet_client.get("/fi/test-broken/").content.decode()).group(1) for _ in "12")

    assert first != second


def test_bad_host__is_a_warning_and_never_mails_the_admins(client, admins, caplog):
    with caplog.at_level(logging.INFO):
        statuses = {client.get("/fi/", HTTP_HOST=f"evil{n}.example").status_code for n in range(5)}

    assert statuses == {400}
    assert mail.outbox == []
    host_records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(host_records) == 5
    assert {r.levelname for r in host_records} == {"WARNING"}
    assert "evil0.example" in host_records[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
