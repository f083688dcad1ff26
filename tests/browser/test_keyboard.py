"""Keyboard alone (BATTERY 44): a family's path from the home page to a Swedish comparison, skip link, tab walk."""

import re

import pytest

from tests.browser.conftest import watch_csp
from tests.browser.pages import PAGES, page_url

pytestmark = pytest.mark.django_db

# What a keyboard user can reach; hidden and disabled elements excluded.
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), "
    "textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])"
)


def active(page, selector):
    return page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)


def describe_active(page):
    return page.evaluate(
        """() => { const e = document.activeElement;
            return e ? e.outerHTML.slice(0, 160) : 'nothing'; }"""
    )


def tab_to(page, selector, *, limit=150, key="Tab"):
    """Press Tab until the focused element matches *selector*; fail with the path taken if it never does."""
    path = []
    for _ in range(limit):
        page.keyboard.press(key)
        if active(page, selector):
            return
        path.append(describe_active(page))
    raise AssertionError(f"{selector!r} not reached by {key} on {page.url}; last stops: {path[-5:]}")


def press_and_wait(page, key="Enter"):
    with page.expect_navigation():
        page.keyboard.press(key)


@pytest.fixture(params=[True, False], ids=["with-js", "without-js"])
def javascript(request):
    return request.param


@pytest.fixture
def journey_page(browser, javascript):
    context = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript))
    yield context.new_page()
    context.close()


def test_family_path__home_to_swedish_comparison_by_keyboard_alone(journey_page, javascript, site, demo):
    page = journey_page
    clinic, maternity = demo.services["child_clinic"], demo.services["maternity_clinic"]
    page.goto(f"{site}/fi/")

    # Home: search for clinics.
    tab_to(page, "#home-q")
    page.keyboard.type("neuvola")
    press_and_wait(page)
    assert re.search(r"/fi/services/\?.*q=neuvola", page.url)
    assert page.locator(".card h3").all_inner_texts() == ["Lastenneuvola", "Äitiysneuvola"]

    # Filter to maternity clinics: Space toggles the checkbox; JS submits the form, or else the filter button does.
    checkbox = "input[type=checkbox][name=service_class][value=maternity-clinic]"
    tab_to(page, checkbox)
    if javascript:  # the script submits the filters as soon as one changes
        with page.expect_navigation():
            page.keyboard.press("Space")
    else:  # without JavaScript the filters' own button submits them
        page.keyboard.press("Space")
        assert page.locator(checkbox).is_checked()
        tab_to(page, ".facets button[type=submit]")
        press_and_wait(page)
    assert "service_class=maternity-clinic" in page.url
    assert page.locator(checkbox).is_checked()
    assert page.locator(".card h3").all_inner_texts() == ["Äitiysneuvola"]

    # The result, then "add to comparison" on its page.
    tab_to(page, f".card h3 a[href^='/fi/services/{maternity.slug}/']")
    press_and_wait(page)
    assert page.locator("h1").inner_text() == "Äitiysneuvola"
    tab_to(page, ".actions-bar a[href*='compare=']")
    press_and_wait(page)
    assert f"compare={maternity.pk}" in page.url
    assert page.locator(".compare-tray li").all_inner_texts() == ["Äitiysneuvola"]

    # Back to the search (the breadcrumb keeps the choice), search again and add a second service from the results.
    tab_to(page, ".breadcrumbs a[href*='/services/']")
    press_and_wait(page)
    tab_to(page, "#id_q")
    page.keyboard.type("neuvola")
    press_and_wait(page)
    tab_to(page, f".card:has(a[href^='/fi/services/{clinic.slug}/']) .card__actions a")
    press_and_wait(page)
    assert page.locator(".compare-tray li").all_inner_texts() == ["Äitiysneuvola", "Lastenneuvola"]

    # Open the comparison, then switch the page to Swedish with the language switcher.
    tab_to(page, ".compare-tray a[href*='/compare/']")
    press_and_wait(page)
    assert "/fi/compare/" in page.url
    assert service_columns(page) == ["Äitiysneuvola", "Lastenneuvola"]
    tab_to(page, ".language-switcher a[hreflang=sv]", key="Shift+Tab")
    press_and_wait(page)

    assert "/sv/compare/" in page.url
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert service_columns(page) == ["Mödrarådgivning", "Barnrådgivning"]


def service_columns(page):
    return page.locator(".compare-table thead th a:not(.button)").all_inner_texts()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_skip_link__is_the_first_tab_stop_and_moves_focus_to_main(shared_page, site, demo, language):
    page = shared_page
    page.goto(page_url(site, demo, language, "service"))

    page.keyboard.press("Tab")
    assert active(page, "a.skip-link[href='#main']"), describe_active(page)
    assert page.locator("a.skip-link").is_visible()
    page.keyboard.press("Enter")

    assert active(page, "main#main")
    page.keyboard.press("Tab")
    in_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert in_main, f"after the skip link, Tab went to {describe_active(page)}"


# Marks every focusable, visible element and remembers how it looks unfocused.
RECORD_UNFOCUSED_JS = """(selector) => {
    window.__kb = [];
    document.querySelectorAll(selector).forEach((e) => {
        const box = e.getBoundingClientRect();
        const style = getComputedStyle(e);
        if (box.width === 0 && box.height === 0 && !e.matches('.skip-link')) return;
        if (style.visibility === 'hidden' || e.closest('[hidden], details:not([open]) > :not(summary)')) return;
        if (e.type === 'radio') {  // Tab stops once in a radio group (the checked one, else the first); arrows move
            const group = [...document.getElementsByName(e.name)].filter((r) => r.form === e.form);
            if (e !== (group.find((r) => r.checked) || group[0])) return;
        }
        e.dataset.kb = window.__kb.length;
        window.__kb.push({html: e.outerHTML.slice(0, 120), look: [style.outlineStyle, style.outlineWidth,
                          style.outlineColor, style.boxShadow].join('|'), seen: false});
    });
    return window.__kb.length;
}"""

# The focused element: its index and whether it now looks different from its unfocused self.
FOCUSED_JS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e.dataset.kb === undefined) return null;
    const style = getComputedStyle(e);
    const look = [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow].join('|');
    const record = window.__kb[Number(e.dataset.kb)];
    record.seen = true;
    const shows = style.outlineStyle !== 'none' || style.boxShadow !== 'none';
    return {index: Number(e.dataset.kb), changed: look !== record.look && shows};
}"""


@pytest.mark.parametrize("name", [name for name in PAGES if name != "404"] + ["404"])
def test_tab_walk__reaches_every_control_without_traps_and_shows_focus(shared_page, site, demo, name):
    page = shared_page
    page.goto(page_url(site, demo, "fi", name))
    total = page.evaluate(RECORD_UNFOCUSED_JS, FOCUSABLE)

    # Start from the top even when a script moved focus (the error summary); Tab wraps round to the first stop.
    order, invisible = [], []
    for _ in range(2 * total + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None:  # the browser's own UI between the last and the first stop
            continue
        if order and focused["index"] == order[0]:
            break
        order.append(focused["index"])
        if not focused["changed"]:
            invisible.append(describe_active(page))

    missed = page.evaluate("() => window.__kb.filter((r) => !r.seen).map((r) => r.html)")
    assert missed == [], f"not reachable by Tab on {page.url}"
    assert invisible == [], f"no visible focus indicator on {page.url}"
    assert len(set(order)) == len(order), f"Tab visited a stop twice before the end on {page.url}"

    # Shift+Tab walks the same stops backwards: focus is never trapped in a widget.
    back = []
    page.evaluate("(i) => document.querySelector(`[data-kb='${i}']`).focus()", order[-1])
    for _ in range(len(order) + 5):
        if len(back) == len(order) - 1:
            break
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is not None:  # None: the browser's own UI, where the walk wrapped round
            back.append(focused["index"])
    assert back == list(reversed(order[:-1])), f"Shift+Tab does not retrace Tab on {page.url}"


def test_folded_filters_on_a_phone__open_with_the_keyboard(shared_page, site, demo):
    page = shared_page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site}/fi/services/?q=neuvola")
    assert page.evaluate("document.querySelector('.facets details').open") is False

    tab_to(page, ".facets summary")
    page.keyboard.press("Enter")
    tab_to(page, "input[type=checkbox][name=service_class]")

    assert page.evaluate("document.querySelector('.facets details').open") is True
