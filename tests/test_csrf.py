"""Every state change needs the CSRF token: a cross-site POST without one is refused on every public route."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.routes import make_route_objects, route_urls

pytestmark = pytest.mark.django_db

# Routes that accept a POST without a token on purpose (none today); each entry needs a reason.
CSRF_EXEMPT: dict[str, str] = {}


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_post_without_token__is_refused_with_403_on_every_public_route(signed_in):
    objects = make_route_objects()
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(UserFactory())

    accepted = []
    for route, url in route_urls("fi", objects):
        if route.name in CSRF_EXEMPT:
            continue
        response = client.post(url, {"language": "sv", "email": "x@example.fi"}, HTTP_ORIGIN="https://evil.test")
        if response.status_code != 403:
            accepted.append((route.name, url, response.status_code))

    assert accepted == []
