"""Every page type in Finnish and Swedish: axe-core WCAG 2.1 A/AA checks, screenshots, reflow and text spacing."""

import pytest

from tests.browser.conftest import STRUCTURE_RULES, format_violations, run_axe, screenshot
from tests.browser.pages import PAGE_CASES, PAGE_IDS, page_url

pytestmark = pytest.mark.django_db

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")

# WCAG 1.4.12 text spacing, as a user style sheet would set it.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# Elements that cut their own text off: overflow hidden/clip and content larger than the box.
CLIPPED_JS = """() => [...document.querySelectorAll('body *')].filter((e) => {
    if (e.closest('.visually-hidden, [hidden]') || !e.textContent.trim()) return false;
    const style = getComputedStyle(e);
    const clips = (o) => o === 'hidden' || o === 'clip';
    return (clips(style.overflowY) && e.scrollHeight > e.clientHeight + 1)
        || (clips(style.overflowX) && e.scrollWidth > e.clientWidth + 1);
}).map((e) => e.outerHTML.slice(0, 160))"""


def open_page(page, site, demo, language, name):
    response = page.goto(page_url(site, demo, language, name))
    assert response.status == (404 if name == "404" else 200), f"{page.url} answered {response.status}"
    return response


@pytest.mark.parametrize(("language", "name"), PAGE_CASES, ids=PAGE_IDS)
def test_page__has_no_axe_violations(shared_page, site, demo, axe_source, language, name):
    page = shared_page
    open_page(shared_page, site, demo, language, name)

    violations = run_axe(page, axe_source, impacts=ALL_IMPACTS)
    violations += run_axe(page, axe_source, impacts=ALL_IMPACTS, rules=STRUCTURE_RULES)
    screenshot(page, f"{language}-{name}")

    assert not violations, format_violations(page.url, violations)
    assert page.locator("h1").count() == 1


@pytest.mark.parametrize(("language", "name"), PAGE_CASES, ids=PAGE_IDS)
def test_page__reflows_without_horizontal_scrolling_at_320_px(shared_page, site, demo, language, name):
    page = shared_page
    page.set_viewport_size({"width": 320, "height": 256})
    open_page(shared_page, site, demo, language, name)

    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > 320.5)
            .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
    )
    assert scroll_width <= 320, f"{page.url} is {scroll_width}px wide at 320px; too wide: {wide}"


@pytest.mark.parametrize(("language", "name"), PAGE_CASES, ids=PAGE_IDS)
def test_page__keeps_all_text_visible_with_wcag_text_spacing(shared_page, site, demo, language, name):
    page = shared_page
    page.set_viewport_size({"width": 320, "height": 640})
    open_page(page, site, demo, language, name)
    # A constructed style sheet, as a user's style sheet or bookmarklet would add: the page's CSP blocks a <style> tag.
    page.evaluate(
        "css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);"
        " document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }",
        TEXT_SPACING_CSS,
    )

    assert page.evaluate(CLIPPED_JS) == [], f"text cut off on {page.url} with WCAG 1.4.12 spacing"
