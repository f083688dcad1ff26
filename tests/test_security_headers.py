"""Security headers on every response: each route of the URL resolver, in fi and sv, the admin, allauth, 404 and 500.

The routes are enumerated from the resolver, so a new route fails ``test_every_route__is_crawled`` until it has a way
to build its address here. Settings are the production ones (DEBUG off, HTTPS, secure ``__Host-`` cookies).
"""

import json
import re
from http.cookies import SimpleCookie

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from perhekeskus import pages
from perhekeskus.hsds import taxonomy as hsds_taxonomy
from perhekeskus.hsds.ids import row_id
from perhekeskus.sitemaps import SITEMAPS
from services.models import Location
from tests import factories
from tests.browser.dataset import build_demo
from tests.conftest import sign_in_staff
from tests.routes import all_routes, unnamed_routes
from tests.test_admin import BUILDERS
from tests.test_settings import production_env, run_python

pytestmark = pytest.mark.django_db

LANGUAGES = ("fi", "sv")
HOST = "perhekeskus.example.fi"
FORBIDDEN_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:")

# Routes with parameters: how to build their keyword arguments from the dataset (a list for several pages).
ROUTE_KWARGS = {
    "sitemap-section": lambda d: [{"section": section} for section in SITEMAPS],
    "services:by-id": lambda d: [{"pk": d.services["child_clinic"].pk}],
    "services:detail": lambda d: [{"slug": d.services["child_clinic"].slug}],
    "organisations:detail": lambda d: [{"slug": d.ngo.slug}, {"slug": d.city.slug}],
    "organisations:area-detail": lambda d: [{"code": d.area.code}],
    "meetingplaces:detail": lambda d: [{"slug": d.meeting_place.slug}],
    "meetingplaces:calendar": lambda d: [{"slug": d.meeting_place.slug}],
    # Invalid keys still render allauth's "bad link" pages.
    "account_confirm_email": lambda d: [{"key": "MQ:1tIn0v:invalid"}],
    "account_reset_password_from_key": lambda d: [{"uidb36": "1", "key": "set-invalid"}],
    "api:service-detail": lambda d: [{"pk": d.services["child_clinic"].pk}],
    "api:organisation-detail": lambda d: [{"pk": d.ngo.pk}],
    "api:meetingplace-detail": lambda d: [{"pk": d.meeting_place.pk}],
    "api:activity-detail": lambda d: [{"pk": 0}],
    "api:area-detail": lambda d: [{"code": d.area.code}],
    "api:municipality-detail": lambda d: [{"code": "091"}],
    "api:serviceclass-detail": lambda d: [{"code": "family-counselling"}],
    "api:lifesituation-detail": lambda d: [{"code": "baby"}],
    "api-docs-image": lambda d: [{"index": 0}],
    # An unknown invitation link: its "cannot be used" page.
    "invitation-accept": lambda d: [{"token": "no-such-invitation"}],
    "partners:checked": lambda d: [{"kind": "service", "pk": d.services["child_clinic"].pk}],
    "contact:question": lambda d: [{"public_id": "00000000-0000-4000-8000-000000000000"}],
    "contact:close": lambda d: [{"public_id": "00000000-0000-4000-8000-000000000000"}],
    "contact:delete": lambda d: [{"public_id": "00000000-0000-4000-8000-000000000000"}],
    "contact:ask": lambda d: [
        {"kind": "service", "slug": d.services["child_clinic"].slug},
        {"kind": "meeting-place", "slug": d.meeting_place.slug},
        {"kind": "organisation", "slug": d.ngo.slug},
    ],
    "partners:resolve-report": lambda d: [{"pk": 0}],
    "voice:report": lambda d: [
        {"kind": "service", "pk": d.services["child_clinic"].pk},
        {"kind": "meeting-place", "pk": d.meeting_place.pk},
    ],
    "voice:report-thanks": lambda d: [{"kind": "service", "pk": d.services["child_clinic"].pk}],
    "voice:feedback": lambda d: [{"pk": d.services["child_clinic"].pk}],
    "partners:create": lambda d: [{"kind": "service"}, {"kind": "activity"}],
    "partners:edit": lambda d: [{"kind": "meeting-place", "pk": d.meeting_place.pk}],
    "partners:delete": lambda d: [{"kind": "meeting-place", "pk": d.meeting_place.pk}],
    "partners:location-create": lambda d: [{"service_pk": d.services["child_clinic"].pk}],
    "partners:location-edit": lambda d: [{"service_pk": d.services["child_clinic"].pk, "pk": 0}],
    # The Open Referral feed (JSON) takes HSDS ids.
    "hsds:service-detail": lambda d: [{"id": row_id("service", d.services["child_clinic"].pk)}],
    "hsds:service-at-location-detail": lambda d: [
        {"id": row_id("service_at_location", location.pk)}
        for location in Location.objects.filter(service__state="published").order_by("pk")[:1]
    ],
    "hsds:organization-detail": lambda d: [{"id": row_id("organization", d.ngo.pk)}],
    "hsds:taxonomy-detail": lambda d: [{"id": hsds_taxonomy.TAXONOMIES[hsds_taxonomy.PTV].id}],
    "hsds:taxonomy-term-detail": lambda d: [{"id": hsds_taxonomy.ptv_terms()["P5.2"].id}],
}
# Query strings that open more page states than the bare address.
ROUTE_QUERIES = {
    "home": ["", "?area=90"],
    "services:search": ["", "?q=neuvola", "?q=neuvola&cost=fee", "?q=neuvola&age=abc"],
    "services:compare": ["", "?services={ids}"],
}

INLINE_BLOCK = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
NONCE = re.compile(r'\snonce="([^"]+)"')
# style= and on...= attributes, javascript: links: all blocked without 'unsafe-inline'.
INLINE_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\s(?:style|on[a-z]+)\s*=[^>]*>|href=[\"']?javascript:", re.IGNORECASE)


def named_routes():
    """(name, takes parameters) for every named route (tests/routes.py walks the URLconf)."""
    return [(route.name, bool(route.params)) for route in all_routes()]


def public_routes():
    """Every route outside the admin (the admin is crawled with its models below)."""
    unnamed = [route.pattern for route in unnamed_routes()]
    assert not unnamed, f"name these routes so they can be crawled: {unnamed}"
    return sorted((name, parameters) for name, parameters in named_routes() if not name.startswith("admin:"))


def urls_of(name, has_parameters, demo):
    queries = ROUTE_QUERIES.get(name, [""])
    compare_ids = ",".join(str(demo.services[key].pk) for key in ("child_clinic", "family_counselling"))
    kwargs_list = ROUTE_KWARGS[name](demo) if has_parameters else [{}]
    return [reverse(name, kwargs=kwargs) + query.format(ids=compare_ids) for kwargs in kwargs_list for query in queries]


def csp_directives(response):
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']} ({response.status_code})"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response):
    where = f"{response.request['PATH_INFO']}?{response.request.get('QUERY_STRING', '')} ({response.status_code})"
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"], where
    for directive in ("script-src", "style-src"):
        assert "'self'" in directives[directive], where
        assert not set(FORBIDDEN_SOURCES) & set(directives[directive]), f"{directive} too wide on {where}"
    assert not [d for d in directives if d.startswith(("script-src-", "style-src-"))], where
    assert directives["frame-ancestors"] == ["'none'"], where
    assert directives["form-action"] == ["'self'"], where
    assert directives["base-uri"] == ["'none'"], where
    assert directives["object-src"] == ["'none'"], where

    features = response.headers.get("Permissions-Policy", "").split(",")
    policy = dict(feature.strip().split("=", 1) for feature in features if feature)
    assert policy.get("geolocation") == "(self)", where
    for feature in ("camera", "microphone", "payment", "usb"):
        assert policy.get(feature) == "()", f"{feature} not off on {where}"

    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("Strict-Transport-Security", "").startswith("max-age=31536000"), where


def assert_no_inline_code(response):
    """HTML carries no inline code the policy would block; an inline block with this response's nonce may run."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode()
    where = response.request["PATH_INFO"]
    directives = csp_directives(response)
    for tag, attributes in INLINE_BLOCK.findall(html):
        if tag.lower() == "script" and (" src=" in attributes or 'type="application/json"' in attributes):
            continue
        nonce = NONCE.search(attributes)
        sources = directives["script-src" if tag.lower() == "script" else "style-src"]
        assert nonce and f"'nonce-{nonce[1]}'" in sources, f"inline <{tag}{attributes}> without the nonce on {where}"
    assert not INLINE_ATTRIBUTE.search(html), f"{INLINE_ATTRIBUTE.search(html)[0]} on {where}"


@pytest.fixture
def production(settings):
    """DEBUG off behind HTTPS, as in production (the test suite otherwise runs on plain HTTP)."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [HOST]
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.LANGUAGE_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    return settings


class HttpsClient(Client):
    """A test client whose every request arrives over HTTPS, as behind the production proxy."""

    def generic(self, *args, **kwargs):
        return super().generic(*args, **{**kwargs, "secure": True})


def https_client(**kwargs):
    return HttpsClient(raise_request_exception=False, HTTP_HOST=HOST, **kwargs)


@pytest.fixture
def demo(db):
    return build_demo()


def test_every_route__is_crawled():
    missing = [name for name, has_parameters in public_routes() if has_parameters and name not in ROUTE_KWARGS]
    assert not missing, f"add these routes to ROUTE_KWARGS so their headers are tested: {missing}"
    assert len(public_routes()) >= 30


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_routes__carry_the_security_headers_in_fi_and_sv(production, demo, language):
    client = https_client()
    crawled = 0
    with translation.override(language):
        urls = [url for name, has_parameters in public_routes() for url in urls_of(name, has_parameters, demo)]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert_security_headers(response)
        assert_no_inline_code(response)
        crawled += 1
    assert crawled >= 40
    # Family pages are in the URL's language (not the fi default nor the root-level routes).
    assert f"/{language}/services/{demo.services['child_clinic'].slug}/" in urls


def crawl_signed_in(client, urls) -> dict[str, int]:
    """GET each page as a signed-in user: the headers, no inline code, and nothing of it kept in a cache."""
    statuses = {}
    for url in urls:
        response = client.get(url)
        statuses[url] = response.status_code
        assert_security_headers(response)
        assert_no_inline_code(response)
        assert "no-store" in response.headers.get("Cache-Control", ""), url
    return statuses


def test_account_pages__signed_in__carry_the_headers_and_are_not_stored(production):
    from allauth.account.models import EmailAddress

    user = factories.UserFactory(email="kumppani@example.fi")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = https_client()
    client.force_login(user)
    urls = [reverse(name) for name, parameters in public_routes() if name.startswith("account_") and not parameters]

    statuses = crawl_signed_in(client, urls)
    assert statuses["/fi/accounts/email/"] == 200
    assert statuses["/fi/accounts/password/change/"] == 200


def test_admin__every_model_page_carries_the_headers_as_superuser(production, superuser):
    client = https_client()
    sign_in_staff(client, superuser)
    urls = [reverse(name) for name, parameters in named_routes() if name.startswith("admin:") and not parameters]
    assert "/fi/admin/" in urls
    urls += [reverse("admin:app_list", args=[label]) for label in {m._meta.app_label for m in admin.site._registry}]
    objects = {}
    for model in admin.site._registry:
        obj = objects[model._meta.label] = (
            superuser if model._meta.label == "auth.User" else BUILDERS[model._meta.label]()
        )
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_{view}", args=[obj.pk]) for view in ("change", "delete")]
    urls.append(reverse("admin:auth_user_password_change", args=[superuser.pk]))

    statuses = crawl_signed_in(client, urls)
    assert statuses[reverse("admin:services_service_change", args=[objects["services.Service"].pk])] == 200
    assert statuses[reverse("admin:services_service_add")] == 200
    assert statuses[reverse("admin:index")] == 200
    assert not [url for url, status in statuses.items() if status >= 500]


def test_admin_changelist_without_actions__puts_its_inline_style_under_the_nonce(production, superuser, monkeypatch):
    from services.admin import ServiceAdmin

    monkeypatch.setattr(ServiceAdmin, "actions_on_top", False)
    monkeypatch.setattr(ServiceAdmin, "actions_on_bottom", False)
    client = https_client()
    sign_in_staff(client, superuser)
    response = client.get(reverse("admin:services_service_changelist"))

    assert response.status_code == 200
    assert "<style nonce=" in response.content.decode()
    nonce = response.content.decode().split('<style nonce="', 1)[1].split('"', 1)[0]
    assert f"'nonce-{nonce}'" in csp_directives(response)["style-src"]
    assert_no_inline_code(response)


def test_family_page__has_no_nonce_and_is_not_stored_only_for_a_signed_in_user(production, demo, superuser):
    url = f"/fi/services/{demo.services['child_clinic'].slug}/"
    client = https_client()
    anonymous = client.get(url)
    sign_in_staff(client, superuser)
    signed_in = client.get(url)

    assert "'nonce-" not in anonymous.headers["Content-Security-Policy"]
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    assert "no-store" in signed_in.headers["Cache-Control"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_pages__404_and_500_carry_the_headers(production, monkeypatch, language):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    client = https_client()
    not_found = client.get(f"/{language}/no-such-page/")
    monkeypatch.setattr(pages.AboutView, "get", broken)
    server_error = client.get(f"/{language}/about/")

    assert (not_found.status_code, server_error.status_code) == (404, 500)
    for response in (not_found, server_error):
        assert_security_headers(response)
        assert_no_inline_code(response)


def test_login__session_csrf_and_language_cookies_are_host_only_secure_and_same_site(production):
    user = factories.UserFactory(email="koordinaattori@example.fi")
    user.set_password("pitkä salasana 123")
    user.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = https_client(enforce_csrf_checks=True)

    form = client.get("/fi/accounts/login/")
    csrf = form.cookies["__Host-csrftoken"].value
    login = client.post(
        "/fi/accounts/login/",
        {"login": user.email, "password": "pitkä salasana 123", "csrfmiddlewaretoken": csrf},
        HTTP_REFERER=f"https://{HOST}/fi/accounts/login/",
    )
    language = client.post(
        "/i18n/setlang/",
        {"language": "sv", "next": "/sv/", "csrfmiddlewaretoken": client.cookies["__Host-csrftoken"].value},
        HTTP_REFERER=f"https://{HOST}/fi/",
    )

    assert login.status_code == 302, login.content.decode()[:500]
    for response in (form, login, language):
        assert_security_headers(response)
        assert "no-store" in response.headers.get("Cache-Control", "") or response is language
    cookies = SimpleCookie()
    for response in (form, login, language):
        cookies.update(response.cookies)
    assert {"__Host-sessionid", "__Host-csrftoken", "django_language"} <= set(cookies)
    assert "sessionid" not in cookies and "csrftoken" not in cookies
    for name in ("__Host-sessionid", "__Host-csrftoken", "django_language"):
        morsel = cookies[name]
        assert morsel["secure"] is True, name
        assert morsel["samesite"] == "Lax", name
        assert morsel["path"] == "/", name
        assert not morsel["domain"], name
    assert cookies["__Host-sessionid"]["httponly"] is True
    assert cookies["django_language"]["httponly"] is True
    assert cookies["django_language"].value == "sv"


def test_settings__use_host_prefixed_cookies_only_when_they_are_secure():
    code = (
        "import json, django; from django.conf import settings; django.setup(); print(json.dumps(["
        "settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_SECURE]))"
    )
    production = run_python(code, **production_env())
    development = run_python(code, DEBUG="1", DATABASE_URL=production_env()["DATABASE_URL"])

    assert production.returncode == 0, production.stderr
    assert development.returncode == 0, development.stderr
    assert json.loads(production.stdout) == ["__Host-sessionid", "__Host-csrftoken", True]
    assert json.loads(development.stdout) == ["sessionid", "csrftoken", False]
