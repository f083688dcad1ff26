"""The 404 and 500 pages: in the URL's language, accessible, and the 500 page renders without the database."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.browser.conftest import format_violations, run_axe

pytestmark = pytest.mark.django_db


def render_500(language):
    with translation.override(language):
        return server_error(RequestFactory().get(f"/{language}/services/")).content.decode()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_500__renders_in_the_active_language_without_touching_the_database(django_assert_num_queries, language):
    with django_assert_num_queries(0):
        html = render_500(language)

    assert f'<html lang="{language}">' in html
    assert f'href="/{language}/"' in html
    assert "<h1>" in html


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_500__has_no_axe_violations(shared_page, site, axe_source, language):
    html = render_500(language)
    error_url = f"{site}/{language}/broken-page/"
    shared_page.route(error_url, lambda route: route.fulfill(status=500, body=html, content_type="text/html"))
    try:
        shared_page.goto(error_url)
        violations = run_axe(shared_page, axe_source, impacts=("minor", "moderate", "serious", "critical"))
    finally:
        shared_page.unroute(error_url)

    site_css = shared_page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--focus')")
    assert site_css.strip(), "site.css did not load"
    assert not violations, format_violations(shared_page.url, violations)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_404__is_in_the_url_language_with_a_way_forward(shared_page, site, language):
    response = shared_page.goto(f"{site}/{language}/no-such-page/")

    assert response.status == 404
    assert shared_page.evaluate("document.documentElement.lang") == language
    assert shared_page.locator("h1").count() == 1
    assert shared_page.locator(f"main a[href='/{language}/']").count() == 1
    assert shared_page.locator(f"main form[action='/{language}/services/'] input[name=q]").count() == 1
