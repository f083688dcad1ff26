"""The family's journey in one go at 375 px, in Finnish and Swedish: what and where on the home page → results nearest
first → a service page that says first how to get there → back to the results, two added to the comparison without
leaving them → the comparison with both, their distances from the same place.

The journeys' own files test each step in depth; this one proves the steps join up: the place given on the home page
still measures the distances on the comparison page three pages later.
"""

import re

import pytest

from tests.browser.conftest import format_violations, run_axe, watch_csp
from tests.services.turku_clinics import POSTCODE_POINT

pytestmark = pytest.mark.django_db

PHONE = {"width": 375, "height": 667}
TEXTS = {
    "fi": {
        "what": "lastenneuvola",
        "reach": "Yhteystiedot ja reitti",
        "route": "Reitti kartalla",
        "remove": "Poista vertailusta",
    },
    "sv": {
        "what": "barnrådgivning",
        "reach": "Kontakt och vägbeskrivning",
        "route": "Vägen på kartan",
        "remove": "Ta bort från jämförelsen",
    },
}
KM = re.compile(r"(\d+,\d) km")


@pytest.fixture
def phone(browser):
    context = watch_csp(browser.new_context(viewport=PHONE))
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_family_journey__home_to_results_to_service_to_comparison(phone, site, clinics, axe_source, language):
    page, texts = phone, TEXTS[language]
    expected = clinics.by_distance_from(POSTCODE_POINT)
    nearest, second = (row[0] if language == "fi" else row[1] for row in expected[:2])

    # Home: what and where.
    page.goto(f"{site}/{language}/")
    page.fill("#home-q", texts["what"])
    page.fill("#home-where", "20100")
    with page.expect_navigation():
        page.locator(".hero button[type=submit]").click()

    # Results, nearest first.
    names = [name.strip() for name in page.locator(".card h3").all_inner_texts()]
    assert names[:2] == [nearest, second]
    results_url = page.url

    # The nearest service's page: how to reach it comes first.
    with page.expect_navigation():
        page.locator(".card h3 a").first.click()
    assert page.locator("h1").inner_text().strip() == nearest
    reach = page.locator("section.reach")
    assert texts["reach"] in reach.locator("h2").inner_text()
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0].strip() == texts["reach"], headings
    assert reach.locator("a.reach__directions", has_text=texts["route"]).count() == 1
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)

    # Back to the same results; add the two nearest to the comparison without leaving them.
    page.go_back()
    assert page.url == results_url
    cards = page.locator(".card-list > .card")
    for index in (0, 1):
        card_id = cards.nth(index).get_attribute("id")
        page.locator(f"#{card_id} [data-compare-toggle]").click()
        page.wait_for_function(
            "([id, text]) => document.querySelector('#' + id + ' [data-compare-toggle]').textContent.includes(text)",
            arg=[card_id, texts["remove"]],
        )
    assert page.url.startswith(results_url.split("#")[0].split("&compare=")[0])

    # The comparison: both services, in the order chosen, with their distances from postcode 20100.
    with page.expect_navigation():
        page.locator("#compare-tray .compare-tray a.button").click()
    assert f"/{language}/compare/" in page.url
    assert page.locator(".compare-table thead th a:not(.button)").all_inner_texts() == [nearest, second]
    shown_km = KM.findall(page.locator(".compare-table").inner_text())
    expected_km = [f"{row[2]:.1f}".replace(".", ",") for row in expected[:2]]
    assert shown_km[:2] == expected_km, shown_km
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)
