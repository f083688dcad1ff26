"""Hostile request headers never give a server error, on any public route (tests/routes.py) in Finnish and Swedish.

Each header set is sent on its own, so that an early refusal (a bad Host is a 400 before any view runs) does not hide
what the other headers would do to the views further in.
"""

import logging

import pytest
from django.core import mail
from django.test import Client

from tests.routes import make_route_objects, public_routes, route_urls

pytestmark = pytest.mark.django_db

HUGE = "x" * 8190  # gunicorn's default limit for one header line

HEADER_SETS = {
    "malformed referer": {"HTTP_REFERER": "http://[x"},
    "referer with a bad port and NUL": {"HTTP_REFERER": "http://testserver:99999999/fi/services/?q=\x00"},
    "referer to an unclosed IPv6 search": {"HTTP_REFERER": "http://[::1/fi/services/?q=neuvola"},
    "NUL in accept-language": {"HTTP_ACCEPT_LANGUAGE": "fi\x00, sv;q=0.\x00"},
    # WSGI hands undecodable bytes over as latin-1 characters: this is what b"\xc3\x28\xff" arrives as.
    "invalid UTF-8 in accept-language": {"HTTP_ACCEPT_LANGUAGE": "\xc3\x28\xff;q=1"},
    "NUL and invalid UTF-8 in cookies": {
        "HTTP_COOKIE": "sessionid=\x00\xc3\x28; __Host-sessionid=\x00\xc3\x28; csrftoken=\xff\xfe; "
        "__Host-csrftoken=\xff\xfe; django_language=\x00; area=\xc3\x28; messages=\x00"
    },
    "cookie garbage": {"HTTP_COOKIE": '=;;; "=\\; sessionid="unterminated; area=12345678901234567890'},
    "huge values": {
        "HTTP_REFERER": f"http://testserver/fi/services/?q={HUGE}",
        "HTTP_ACCEPT_LANGUAGE": HUGE,
        "HTTP_COOKIE": f"sessionid={HUGE}; __Host-sessionid={HUGE}",
        "HTTP_USER_AGENT": HUGE,
        "HTTP_X_FORWARDED_FOR": HUGE,
    },
    "forged forwarding headers": {
        "HTTP_X_FORWARDED_FOR": "1.2.3.4, [x, \x00, 999.999.999.999",
        "HTTP_X_FORWARDED_HOST": "evil.example",
        "HTTP_X_FORWARDED_PROTO": "https\x00",
        "HTTP_X_FORWARDED_PORT": "99999999",
        "HTTP_FORWARDED": "for=[x;host=evil.example;proto=gopher",
    },
    "malformed referer and origin over HTTPS": {
        "wsgi.url_scheme": "https",
        "HTTP_REFERER": "https://[x/fi/",
        "HTTP_ORIGIN": "https://[x",
    },
    "bad host": {"HTTP_HOST": "evil.example"},
    "broken host": {"HTTP_HOST": "[x"},
    "host with a NUL": {"HTTP_HOST": "testserver\x00.evil.example"},
}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_hostile_headers__never_give_a_server_error_on_any_public_route(settings, caplog, language):
    settings.ADMINS = [("Admin", "admin@example.test")]
    objects = make_route_objects()
    urls = route_urls(language, objects)
    client = Client(raise_request_exception=False)
    # A POST without a CSRF token, as an attacker sends it: the CSRF check reads Origin and Referer too.
    csrf_client = Client(raise_request_exception=False, enforce_csrf_checks=True)

    senders = {"GET": client.get, "POST": client.post, "POST (CSRF checked)": csrf_client.post}
    problems = []
    with caplog.at_level(logging.WARNING):
        for set_name, headers in HEADER_SETS.items():
            for route, url in urls:
                for how, send in senders.items():
                    caplog.clear()
                    response = send(url, **{"HTTP_ACCEPT_LANGUAGE": language, **headers})
                    errors = [r.getMessage()[:200] for r in caplog.records if r.levelno >= logging.ERROR]
                    if response.status_code >= 500 or errors:
                        problems.append((set_name, how, url, response.status_code, errors))

    assert problems == []
    assert mail.outbox == []


def test_routes__cover_the_family_pages_allauth_sitemap_robots_and_setlang():
    names = {route.name for route in public_routes()}

    expected = {
        "home",
        "services:search",
        "services:detail",
        "services:compare",
        "organisations:area-detail",
        "meetingplaces:detail",
        "pages:privacy",
        "sitemap",
        "sitemap-section",
        "robots",
        "set_language",
        "account_login",
        "account_reset_password_from_key",
        "admin:login",
    }
    assert expected <= names
    assert "admin:auth_user_changelist" not in names


def test_routes__every_public_route_gets_a_url_in_each_language(db):
    objects = make_route_objects()

    fi = {url: route.name for route, url in route_urls("fi", objects)}
    sv = {url: route.name for route, url in route_urls("sv", objects)}

    assert f"/fi/services/{objects.service.slug}/" in fi
    assert f"/sv/areas/{objects.area.code}/" in sv
    assert "/sitemap-services.xml" in fi
    assert set(fi.values()) == {route.name for route in public_routes()}
