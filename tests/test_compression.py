"""HTML and API answers go out gzipped to clients that accept it; pages with a signed-in user's data do not."""

import gzip

import pytest

from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def test_search_page__gzipped_for_a_client_that_accepts_it(client):
    service = ServiceFactory(published=True, name_fi="Kallion perhekahvila")

    response = client.get("/fi/services/", {"q": "perhekahvila"}, **GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(response)
    assert int(response["Content-Length"]) == len(response.content)
    html = gzip.decompress(response.content).decode()
    assert f'href="/fi/services/{service.slug}/"' in html
    assert "Kallion perhekahvila" in html
    assert html.rstrip().endswith("</html>")
    assert len(response.content) < len(html.encode()) / 2


def test_search_page__plain_for_a_client_that_does_not_accept_gzip(client):
    ServiceFactory(published=True, name_fi="Kallion perhekahvila")

    response = client.get("/fi/services/", {"q": "perhekahvila"}, HTTP_ACCEPT_ENCODING="identity")

    assert "Content-Encoding" not in response
    # A shared cache must still keep the two versions apart.
    assert "accept-encoding" in vary(response)
    assert "Kallion perhekahvila" in response.content.decode()


def test_api_list__gzipped(client):
    ServiceFactory(published=True, name_fi="Kallion perhekahvila")

    response = client.get("/api/v1/services/", **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Kallion perhekahvila" in gzip.decompress(response.content).decode()


def test_signed_in_pages__never_compressed(client):
    """BREACH: a page with a person's own data next to reflected search words goes out uncompressed."""
    ServiceFactory(published=True, name_fi="Kallion perhekahvila")
    client.force_login(UserFactory())

    response = client.get("/fi/services/", {"q": "perhekahvila"}, **GZIP)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Content-Encoding" not in response
    assert "Kallion perhekahvila" in response.content.decode()


def test_account_pages__never_compressed(client):
    response = client.get("/fi/accounts/login/", **GZIP)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "<form" in response.content.decode()


def test_short_answers__left_alone(client):
    response = client.get("/healthz", **GZIP)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
