"""The error pages: in the URL's language, accessible, and the 500 page renders without the database."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from perhekeskus import errors
from tests.browser.conftest import format_violations, run_axe

pytestmark = pytest.mark.django_db


ERROR_VIEWS = {
    "400": errors.bad_request,
    "403": errors.permission_denied,
    "403-csrf": errors.csrf_failure,
    "429": errors.too_many_requests,
    "500": errors.server_error,
}


def render_error(language, page="500"):
    with translation.override(language):
        return ERROR_VIEWS[page](RequestFactory().get(f"/{language}/services/")).content.decode()


def render_500(language):
    return render_error(language, "500")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_500__renders_in_the_active_language_without_touching_the_database(django_assert_num_queries, language):
    with django_assert_num_queries(0):
        html = render_500(language)

    assert f'<html lang="{language}">' in html
    assert f'href="/{language}/"' in html
    assert "<h1>" in html


@pytest.mark.parametrize("page", list(ERROR_VIEWS))
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_error_pages__have_no_axe_violations(shared_page, site, axe_source, language, page):
    html = render_error(language, page)
    error_url = f"{site}/{language}/broken-page/"
    status = int(page[:3])
    shared_page.route(error_url, lambda route: route.fulfill(status=status, body=html, content_type="text/html"))
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
