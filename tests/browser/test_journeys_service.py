"""Journey 2 on a phone (375 × 667), in Finnish and Swedish: the service page answers "whom do I call and how do I get
there" in the first screen, and prints as content only."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, format_violations, run_axe
from tests.browser.pages import LANGUAGES

pytestmark = pytest.mark.django_db

PHONE = {"width": 375, "height": 667}
HEADINGS = {"fi": "Yhteystiedot ja reitti", "sv": "Kontakt och vägbeskrivning"}
DIRECTIONS = {"fi": "Reitti kartalla", "sv": "Vägen på kartan"}


def within_first_screen(box):
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= PHONE["width"]
        and (box["y"] + box["height"] <= PHONE["height"])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_service_page__phone_and_directions_are_in_the_first_screen(shared_page, site, demo, axe_source, language):
    page = shared_page
    page.set_viewport_size(PHONE)
    service = demo.services["child_clinic"]
    phone = service.phones.get()
    location = service.locations.get()

    page.goto(f"{site}/{language}/services/{service.slug}/")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-service-{language}-375.png"))

    assert page.evaluate("window.scrollY") == 0
    tel = page.locator("a.reach__phone").first
    assert tel.get_attribute("href") == "tel:" + phone.number.replace(" ", "")
    assert tel.inner_text() == phone.number
    assert within_first_screen(tel.bounding_box()), f"phone link at {tel.bounding_box()}"

    directions = page.locator("a.reach__directions").first
    assert directions.inner_text().startswith(DIRECTIONS[language])
    assert within_first_screen(directions.bounding_box()), f"directions link at {directions.bounding_box()}"
    parts = urlsplit(directions.get_attribute("href"))
    assert (parts.netloc, parts.path) == ("www.google.com", "/maps/dir/")
    assert parse_qs(parts.query)["destination"][0].startswith(
        location.street_address_fi if language == "fi" else location.street_address_sv
    )
    # The tap targets are big enough for a thumb (WCAG 2.5.8 asks for 24 px).
    assert tel.bounding_box()["height"] >= 44 and directions.bounding_box()["height"] >= 44

    assert page.get_by_role("heading", name=HEADINGS[language]).is_visible()
    # The description comes after the ways to reach the service.
    reach_bottom = page.locator("section.reach").bounding_box()
    description = page.locator(".prose").bounding_box()
    assert description["y"] > reach_bottom["y"] + reach_bottom["height"]

    violations = run_axe(page, axe_source, impacts=("minor", "moderate", "serious", "critical"))
    assert not violations, format_violations(page.url, violations)


# The site's colours in print would be a mistake: everything prints black on white.
PRINT_COLOURS_JS = """() => [...document.querySelectorAll('main *')]
    .filter((e) => e.offsetParent !== null && e.textContent.trim())
    .map((e) => getComputedStyle(e).color)
    .filter((colour) => colour !== 'rgb(0, 0, 0)')"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_service_and_compare_pages__print_only_the_content(shared_page, site, demo, language):
    page = shared_page
    page.set_viewport_size(PHONE)
    services = [demo.services[key] for key in ("child_clinic", "family_counselling")]
    ids = ",".join(str(service.pk) for service in services)
    service_url = f"{site}/{language}/services/{services[0].slug}/?compare={ids}"

    page.goto(service_url)
    for selector in ("nav.site-nav", ".compare-tray", ".actions-bar", "section.reach"):
        assert page.locator(selector).first.is_visible(), f"{selector} should show on screen"

    page.emulate_media(media="print")
    try:
        for selector in (".site-header", "nav.site-nav", ".breadcrumbs", ".compare-tray", ".actions-bar"):
            assert page.locator(selector).first.is_hidden(), f"{selector} prints on {page.url}"
        assert page.locator("a.reach__phone").first.is_visible()
        assert page.locator("a.reach__directions").first.is_hidden()
        assert page.locator("h1").is_visible()
        # Web addresses print after their links; the phone number is its own text.
        after = page.evaluate(
            "() => getComputedStyle(document.querySelector('main aside a[href^=\"http\"]'), '::after').content"
        )
        assert "https://" in after
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        assert page.evaluate(PRINT_COLOURS_JS) == []

        page.goto(f"{site}/{language}/compare/?services={ids}")
        for selector in (".site-header", "nav.site-nav", ".actions-bar", "button", "a.button"):
            assert page.locator(selector).first.is_hidden(), f"{selector} prints on {page.url}"
        for service in services:
            name = service.name_fi if language == "fi" else service.name_sv
            assert page.get_by_text(name, exact=True).first.is_visible()
        assert page.evaluate(PRINT_COLOURS_JS) == []
    finally:
        page.emulate_media(media="screen")
