"""Every page type in Finnish and Swedish: axe-core WCAG 2.2 A/AA checks, screenshots, reflow, text spacing, target
sizes, hyphenated headings and the help in the same place."""

import pytest
from django.conf import settings

from tests.browser.conftest import STRUCTURE_RULES, WCAG_TAGS, format_violations, run_axe, screenshot
from tests.browser.pages import LANGUAGES, PAGE_CASES, PAGE_IDS, PAGES, page_url

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


# Words of headings that the browser broke across lines other than after a hyphen or a soft hyphen.
BROKEN_WORDS_JS = """() => {
    const broken = [];
    for (const heading of document.querySelectorAll('h1, h2, h3, h4')) {
        if (heading.closest('.visually-hidden, [hidden]')) continue;
        const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.data.matchAll(/\\S+/g)) {
                let top = null;
                for (let i = match.index; i < match.index + match[0].length; i++) {
                    const range = document.createRange();
                    range.setStart(node, i);
                    range.setEnd(node, i + 1);
                    // The character's own box: an unused soft hyphen has none, a character just after a break
                    // may also get an empty one at the end of the line before.
                    const box = [...range.getClientRects()].filter((rect) => rect.width > 0).pop();
                    if (!box) continue;
                    if (top !== null && box.top > top + 1 && !/[\\u00ad-]$/.test(node.data.slice(0, i))) {
                        broken.push(`${heading.tagName}: ${match[0]} at ${i - match.index}`);
                    }
                    top = box.top;
                }
            }
        }
        if (heading.scrollWidth > heading.clientWidth + 1) {
            broken.push(`${heading.tagName} overflows: ${heading.textContent}`);
        }
    }
    return broken;
}"""


@pytest.mark.parametrize(("language", "name"), PAGE_CASES, ids=PAGE_IDS)
def test_page__breaks_heading_words_only_at_hyphens_at_375_px(shared_page, site, demo, language, name):
    page = shared_page
    page.set_viewport_size({"width": 375, "height": 800})
    open_page(page, site, demo, language, name)

    assert page.evaluate(BROKEN_WORDS_JS) == [], f"a heading word broken without a hyphen on {page.url}"


def test_axe__runs_the_wcag_22_target_size_rule(shared_page, site, demo, axe_source):
    page = shared_page
    open_page(page, site, demo, "fi", "home")
    run_axe(page, axe_source)

    rules = page.evaluate("(tags) => axe.getRules(tags).map((rule) => rule.ruleId)", WCAG_TAGS)
    checked = page.evaluate(
        """async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return [...r.passes, ...r.violations, ...r.incomplete].map((rule) => rule.id); }""",
        WCAG_TAGS,
    )

    assert "target-size" in rules
    assert "target-size" in checked


# Links, buttons and form controls smaller than 24 x 24 CSS px (WCAG 2.5.8). Exempt, as the criterion says: links
# inside running text (an inline link with other text in its block, its size set by the line). A checkbox or radio
# button and its label are one target.
SMALL_TARGETS_JS = """() => {
    const inText = (e) => {
        if (!e.matches('a') || getComputedStyle(e).display !== 'inline') return false;
        let block = e.parentElement;
        while (getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
        const words = (node) => node.textContent.replace(/\\s+/g, ' ').trim();
        return words(block).length > words(e).length + 2;
    };
    const small = [];
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
        + '[tabindex]:not([tabindex="-1"])';
    for (const e of document.querySelectorAll(selector)) {
        if (e.matches('.skip-link') && e !== document.activeElement) continue;  // off-screen until focused
        let box = e.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (getComputedStyle(e).visibility === 'hidden') continue;
        if (e.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)') || inText(e)) continue;
        const label = e.matches('input[type=checkbox], input[type=radio]') && e.labels && e.labels[0];
        if (label) {
            const other = label.getBoundingClientRect();
            const left = Math.min(box.left, other.left), top = Math.min(box.top, other.top);
            box = {width: Math.max(box.right, other.right) - left, height: Math.max(box.bottom, other.bottom) - top};
        }
        if (box.width < 23.99 || box.height < 23.99) {
            small.push(`${box.width.toFixed(1)} x ${box.height.toFixed(1)}: ${e.outerHTML.slice(0, 120)}`);
        }
    }
    return small;
}"""


@pytest.mark.parametrize(("language", "name"), PAGE_CASES, ids=PAGE_IDS)
def test_page__every_target_is_at_least_24_px_at_375_px(shared_page, site, demo, language, name):
    page = shared_page
    page.set_viewport_size({"width": 375, "height": 800})
    open_page(page, site, demo, language, name)
    # The skip link shows when focused: measure it as a keyboard user meets it (where no script moved focus first).
    page.keyboard.press("Tab")

    assert page.evaluate(SMALL_TARGETS_JS) == [], f"targets under 24 x 24 px on {page.url}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_help__is_in_the_same_place_on_every_page(shared_page, site, demo, language):
    """WCAG 3.2.6: the feedback address comes first in the footer, after the main content, on every page type."""
    page = shared_page
    places = {}
    for name in PAGES:
        open_page(page, site, demo, language, name)
        places[name] = page.evaluate(
            """() => { const help = document.querySelector('.site-footer__help a');
                const footer = document.querySelector('body > footer');
                const afterMain = document.querySelector('main').compareDocumentPosition(help);
                return help && [help.getAttribute('href'), help.closest('footer') === footer,
                                !!(afterMain & Node.DOCUMENT_POSITION_FOLLOWING),
                                [...footer.querySelectorAll('a')].indexOf(help)]; }"""
        )

    expected = [f"mailto:{settings.FEEDBACK_EMAIL}", True, True, 0]
    assert places == dict.fromkeys(PAGES, expected)
