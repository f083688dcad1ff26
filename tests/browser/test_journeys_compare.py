"""Journey 3 at 375 px, in Finnish and Swedish: add two results to the comparison without losing the place on the
page, then read the comparison with every chosen service in view and only the differences shown."""

import re

import pytest

from tests.browser.conftest import ARTIFACTS, format_violations, run_axe, screenshot, watch_csp

pytestmark = pytest.mark.django_db

PHONE = {"width": 375, "height": 667}
TEXTS = {
    "fi": {"added": "Lisätty vertailuun", "remove": "Poista vertailusta", "tray": "2 palvelua valittu vertailuun"},
    "sv": {
        "added": "Tillagd i jämförelsen",
        "remove": "Ta bort från jämförelsen",
        "tray": "2 tjänster valda för jämförelse",
    },
}


@pytest.fixture
def phone(browser, request):
    javascript = getattr(request, "param", True)
    context = watch_csp(browser.new_context(viewport=PHONE, java_script_enabled=javascript))
    page = context.new_page()
    yield page
    context.close()


def screenshot_path(name):
    """The first screen as the family sees it (the sticky tray included), next to the full-page screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def scroll_to_toggle(page, card):
    """Scroll so that *card*'s compare button sits in the middle of the window; return the scroll position."""
    page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            window.scrollBy(0, box.top - window.innerHeight / 2);
        }""",
        f"{card} [data-compare-toggle]",
    )
    return page.evaluate("window.scrollY")


def add_without_leaving(page, card, texts, navigations):
    """Click the card's "Add to comparison" and check the page neither moved nor reloaded."""
    before = scroll_to_toggle(page, card)
    assert before > 0, "the card should be below the first screen"
    top_before = page.locator(card).bounding_box()["y"]
    page.locator(f"{card} [data-compare-toggle]").click()
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector + ' [data-compare-toggle]').textContent.includes(text)",
        arg=[card, texts["remove"]],
    )
    assert page.evaluate("window.scrollY") == before
    assert page.locator(card).bounding_box()["y"] == top_before
    assert page.evaluate("window.__stillTheSamePage") is True, "the page was reloaded"
    assert navigations == []
    # Keyboard focus stays on the (new) button of the same card.
    assert page.evaluate("([s]) => document.activeElement.closest(s) !== null", [card])


# The focused element lies entirely behind the sticky tray (WCAG 2.2 2.4.11 Focus Not Obscured).
FOCUS_UNDER_TRAY_JS = """() => {
    const tray = document.querySelector('#compare-tray .compare-tray');
    const focused = document.activeElement;
    if (!tray || !focused || tray.contains(focused)) return null;
    const t = tray.getBoundingClientRect(), f = focused.getBoundingClientRect();
    const hidden = f.top >= t.top && f.bottom <= t.bottom && f.left >= t.left && f.right <= t.right;
    return hidden ? focused.outerHTML.slice(0, 120) : null;
}"""


def assert_focus_never_hidden_by_the_tray(page, stops=25):
    """Tab on from the card's button past the rest of the results: no stop disappears behind the tray."""
    for _ in range(stops):
        page.keyboard.press("Tab")
        hidden = page.evaluate(FOCUS_UNDER_TRAY_JS)
        assert hidden is None, f"focus is hidden behind the compare tray: {hidden}"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_compare_journey__add_two_in_place_then_see_them_all_at_375_px(phone, site, demo, axe_source, language):
    page, texts = phone, TEXTS[language]
    page.goto(f"{site}/{language}/services/")
    cards = page.locator(".card-list > .card")
    assert cards.count() >= 4
    page.evaluate("window.__stillTheSamePage = true")
    navigations = []
    page.on("domcontentloaded", lambda loaded: navigations.append(loaded.url))
    history_length = page.evaluate("history.length")

    first_id, second_id = (cards.nth(i).get_attribute("id") for i in (2, 3))
    first_name, second_name = (cards.nth(i).locator("h3").inner_text() for i in (2, 3))

    add_without_leaving(page, f"#{first_id}", texts, navigations)
    page.wait_for_function(
        "(text) => document.getElementById('compare-status').textContent.includes(text)", arg=texts["added"]
    )
    assert first_name in page.locator("#compare-status").inner_text()
    add_without_leaving(page, f"#{second_id}", texts, navigations)

    # The address bar has the choice (replaceState, no new history entry) and the tray offers the comparison.
    pks = [card_id.removeprefix("service-") for card_id in (first_id, second_id)]
    assert re.search(rf"[?&]compare={pks[0]}%2C{pks[1]}(&|$)", page.url), page.url
    assert page.evaluate("history.length") == history_length
    tray = page.locator("#compare-tray .compare-tray")
    assert texts["tray"] in " ".join(tray.locator("h2").inner_text().split())
    assert tray.is_visible()
    tray_box = tray.bounding_box()
    assert tray_box["y"] + tray_box["height"] <= PHONE["height"] + 1, "the tray stays in the window"
    # The other links of the page carry the new choice too (the language switch, the result titles).
    assert f"compare={pks[0]}%2C{pks[1]}" in page.locator(".language-switcher a[hreflang=en]").get_attribute("href")
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)
    page.screenshot(path=str(screenshot_path(f"{language}-journey-compare-added-375")))
    assert_focus_never_hidden_by_the_tray(page)

    with page.expect_navigation():
        tray.locator("a.button").click()
    assert f"/{language}/compare/?services={pks[0]},{pks[1]}" in page.url

    # Every chosen service is named within the width of the phone: nothing clipped, nothing scrolls sideways.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    names = page.locator(".compare-table thead th a:not(.button)")
    assert names.all_inner_texts() == [first_name, second_name]
    for index in range(2):
        box = names.nth(index).bounding_box()
        assert names.nth(index).is_visible()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    # In the stacked layout every value is labelled with its service.
    labels = page.locator(".compare-row:not([hidden]) td .compare-cell__service").first
    assert labels.is_visible() and labels.inner_text() == first_name

    page.screenshot(path=str(screenshot_path(f"{language}-journey-compare-first-screen-375")))
    page.locator(".compare-table").evaluate("(table) => table.scrollIntoView()")
    page.screenshot(path=str(screenshot_path(f"{language}-journey-compare-table-375")))
    screenshot(page, f"{language}-journey-compare")
    page.set_viewport_size(PHONE)

    # "Show only the differences" hides the rows that are the same, without a reload.
    same_rows = page.locator("tr.compare-row[data-same]")
    assert same_rows.count() > 0 and same_rows.first.is_visible()
    page.evaluate("window.__stillTheSamePage = true")
    page.locator("[data-compare-show=differences]").click()
    assert not same_rows.first.is_visible()
    assert page.locator("tr.compare-row--differs").first.is_visible()
    assert page.evaluate("window.__stillTheSamePage") is True
    assert "show=differences" in page.url
    assert page.evaluate("document.activeElement.getAttribute('data-compare-show')") == "all"
    screenshot(page, f"{language}-journey-compare-differences")
    page.set_viewport_size(PHONE)
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)


@pytest.mark.parametrize("phone", [False], indirect=True, ids=["without-js"])
def test_compare_journey__without_javascript_the_page_comes_back_at_the_card(phone, site, demo):
    page = phone
    page.goto(f"{site}/fi/services/")
    card = page.locator(".card-list > .card").nth(3)
    card_id = card.get_attribute("id")

    with page.expect_navigation():
        card.locator("[data-compare-toggle]").click()

    assert page.url.endswith(f"#{card_id}")
    box = page.locator(f"#{card_id}").bounding_box()
    assert page.evaluate("window.scrollY") > 0
    assert 0 <= box["y"] < 100, "the page opens at the card, not at the top"
    assert page.locator(f"#{card_id} [data-compare-toggle]").inner_text().startswith("Poista vertailusta")
