"""The base layout every family page shares: language, landmarks, skip link, switcher, hreflang."""

import re

import pytest

from perhekeskus.context_processors import alternate_url

pytestmark = pytest.mark.django_db


def test_home__html_lang_is_the_url_language(client):
    for code in ("fi", "sv", "en"):
        html = client.get(f"/{code}/").content.decode()
        assert f'<html lang="{code}">' in html


def test_layout__skip_link_comes_first_and_targets_main(client):
    html = client.get("/fi/").content.decode()
    body = html.split("<body>", 1)[1]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="skip-link"' in first_link and 'href="#main"' in first_link
    assert '<main id="main"' in html


def test_layout__has_landmarks_and_one_h1(client):
    html = client.get("/sv/").content.decode()
    assert "<header" in html and "<footer" in html and "<main" in html
    assert html.count('<nav class="site-nav"') == 1
    assert len(re.findall(r"<h1[ >]", html)) == 1


def test_language_switcher__keeps_page_and_query(client):
    html = client.get("/fi/compare/?services=1,2").content.decode()
    switcher = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/sv/compare/?services=1,2" hreflang="sv" lang="sv"' in switcher
    assert 'href="/en/compare/?services=1,2" hreflang="en" lang="en"' in switcher
    assert 'href="/fi/compare/?services=1,2" hreflang="fi" lang="fi" aria-current="true"' in switcher


def test_layout__hreflang_alternates_for_every_language(client):
    html = client.get("/fi/").content.decode()
    for code in ("fi", "sv", "en"):
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/"' in html


def test_layout__x_default_is_the_unprefixed_address_like_the_sitemap(client):
    html = client.get("/sv/services/?q=neuvola").content.decode()
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/services/?q=neuvola">' in html


def test_alternate_url__swaps_prefix_of_unresolvable_paths():
    assert alternate_url("/fi/no-such-page/?a=1", "fi", "sv") == "/sv/no-such-page/?a=1"
    assert alternate_url("/fi/no-such-page/", "fi", "fi") == "/fi/no-such-page/"


def title_of(client, url):
    return re.search(r"<title>(.*?)</title>", client.get(url).content.decode(), re.S).group(1).strip()


def test_layout__each_page_has_its_own_title(client):
    titles = [title_of(client, url) for url in ("/en/", "/en/compare/")]
    assert len(set(titles)) == len(titles)
    assert titles[1].startswith("Compare services")


def test_layout__stylesheet_and_script_are_local(client):
    html = client.get("/fi/").content.decode()
    assert 'href="/static/css/site.css"' in html
    assert 'src="/static/js/site.js"' in html
    assert "https://" not in re.sub(r'href="http://testserver[^"]*"', "", html.split("</head>")[0])
