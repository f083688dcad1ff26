"""No open redirect: a `next` that leads off the site is ignored by the sign-in, sign-out, admin and language paths."""

from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105
OFF_SITE = [
    "https://evil.test/",
    "//evil.test/",
    "/\\evil.test/",
    "\\\\evil.test/",
    "https:evil.test",
    "javascript:alert(1)",
    " //evil.test",
    "http://testserver@evil.test/",
]


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Sign-ins count against allauth's rate limits in the cache: each test starts with an empty one."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "redirect"}}
    cache.clear()


def assert_stays_on_site(response):
    assert response.status_code in (301, 302, 303), response.status_code
    location = urlsplit(response["Location"])
    assert location.scheme in ("", "http", "https")
    assert location.netloc in ("", "testserver"), response["Location"]
    assert location.path.startswith("/") and not location.path.startswith(("//", "/\\"))


def family_member():
    """A signed-up partner editor without staff rights (staff would first be sent to activate their second factor)."""
    user = UserFactory(is_staff=False)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in__ignores_an_off_site_next(client, target):
    user = family_member()

    response = client.post("/fi/accounts/login/", {"login": user.email, "password": PASSWORD, "next": target})

    assert_stays_on_site(response)
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("target", OFF_SITE)
def test_admin_login__leads_to_the_sign_in_that_ignores_an_off_site_next(client, target):
    user = family_member()

    to_sign_in = client.get("/fi/admin/login/", {"next": target})
    assert_stays_on_site(to_sign_in)
    assert urlsplit(to_sign_in["Location"]).path == "/fi/accounts/login/"
    response = client.post(to_sign_in["Location"], {"login": user.email, "password": PASSWORD})

    assert_stays_on_site(response)
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_out__ignores_an_off_site_next(client, target):
    client.force_login(family_member())

    response = client.post("/fi/accounts/logout/", {"next": target})

    assert_stays_on_site(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_switch__ignores_an_off_site_next_and_referer(client, target):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": target}, HTTP_REFERER=target)

    assert_stays_on_site(response)
