"""Every page type in Finnish and Swedish: axe-core WCAG 2.1 A/AA checks, screenshots, and reflow at 320 px."""

import pytest

from tests.browser.conftest import format_violations, run_axe, screenshot
from tests.browser.pages import PAGE_CASES, PAGE_IDS, page_url

pytestmark = pytest.mark.django_db


def open_page(page, site, demo, language, name):
    response = page.goto(page_url(site, demo, language, name))
    assert response.status == (404 if name == "404" else 200), f"{page.url} answered {response.status}"
    return response


@pytest.mark.parametrize(("language", "name"), PAGE_CASES, ids=PAGE_IDS)
def test_page__has_no_serious_or_critical_axe_violations(shared_page, site, demo, axe_source, language, name):
    page = shared_page
    open_page(shared_page, site, demo, language, name)

    violations = run_axe(page, axe_source)
    screenshot(page, f"{language}-{name}")

    assert not violations, format_violations(page.url, violations)


@pytest.mark.parametrize(("language", "name"), PAGE_CASES, ids=PAGE_IDS)
def test_page__reflows_without_horizontal_scrolling_at_320_px(shared_page, site, demo, language, name):
    page = shared_page
    page.set_viewport_size({"width": 320, "height": 256})
    open_page(shared_page, site, demo, language, name)

    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > 320.5 && !e.closest('.compare-scroll'))
            .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
    )
    assert scroll_width <= 320, f"{page.url} is {scroll_width}px wide at 320px; too wide: {wide}"
