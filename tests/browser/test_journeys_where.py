"""Journey 1 at 375 px, in Finnish and Swedish: "what" and "where" from the home page's first screen → results sorted by
distance, with the distances shown → the place remembered for the next search → the chip forgets it.

Screenshots of each step land in test-artifacts/screenshots/journey-where-<language>-<step>-375.png.
"""

from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, watch_csp
from tests.services.turku_clinics import POSTCODE_POINT, TURKU_CENTRE

pytestmark = pytest.mark.django_db

PHONE = {"width": 375, "height": 667}
CASES = {
    # language: (what, where, the point distances are measured from, what the "where" field shows afterwards)
    "fi": ("lastenneuvola", "20100", POSTCODE_POINT, "20100 Turku"),
    "sv": ("barnrådgivning", "Åbo", TURKU_CENTRE, "Åbo"),
}
REMEMBERED = {"fi": "Muistetaan tämän käynnin ajan:", "sv": "Sparas under det här besöket:"}
ESPOO_CLINIC = {"fi": "Lastenneuvola Tapiola", "sv": "Barnrådgivning Hagalund"}

CARDS_JS = """() => [...document.querySelectorAll('.card')].map((card) => {
    const distance = card.querySelector('.card__facts').textContent.match(/\\((\\d+,\\d) km\\)/);
    return {name: card.querySelector('h3').textContent.trim(), km: distance ? distance[1] : null};
})"""


@pytest.fixture
def phone(browser):
    context = watch_csp(browser.new_context(viewport=PHONE))
    yield context.new_page()
    context.close()


def shoot(page, language, step):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-where-{language}-{step}-375.png"), full_page=True)


def in_first_screen(page, selector):
    box = page.locator(selector).bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= PHONE["width"]
        and box["y"] >= 0
        and (box["y"] + box["height"] <= PHONE["height"])
    )


def expected_cards(clinics, language, point):
    names = clinics.by_distance_from(point)
    return [{"name": fi if language == "fi" else sv, "km": f"{km:.1f}".replace(".", ",")} for fi, sv, km in names]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_what_and_where__from_the_home_page_to_results_by_distance_remembered_for_the_next_search(
    phone, site, clinics, language
):
    page = phone
    what, where, point, where_shown = CASES[language]

    # 1. The home page's first screen asks both "what" and "where" (no filters to open).
    page.goto(f"{site}/{language}/")
    for selector in ("#home-q", "#home-where", ".hero button[type=submit]"):
        assert page.locator(selector).is_visible(), selector
        assert in_first_screen(page, selector), selector
    assert page.locator(".where-row button", has_text=page.locator(".where-row").get_attribute("data-label")).count()
    shoot(page, language, "1-home")

    page.fill("#home-q", what)
    page.fill("#home-where", where)
    with page.expect_navigation():
        page.locator(".hero button[type=submit]").click()

    # 2. Results sorted by distance, the distances on the cards; the address has no empty parameters.
    address = urlsplit(page.url)
    assert address.path == f"/{language}/services/"
    assert parse_qsl(address.query, keep_blank_values=True) == [("q", what), ("where", where)]
    cards = page.evaluate(CARDS_JS)
    assert cards == expected_cards(clinics, language, point)
    assert [card["km"] for card in cards] == sorted(
        (card["km"] for card in cards), key=lambda km: float(km.replace(",", "."))
    )
    assert ESPOO_CLINIC[language] not in page.content()
    assert page.input_value("#id_where") == where_shown
    assert in_first_screen(page, "#id_where")
    shoot(page, language, "2-results")

    # 3. The next search remembers the place: the home page's "where" is filled in, and a search without a place
    # (a tile, a shared link) still searches there.
    page.goto(f"{site}/{language}/")
    assert page.input_value("#home-where") == where_shown
    assert REMEMBERED[language] in page.locator(".place-chip").inner_text()
    shoot(page, language, "3-home-remembered")
    page.goto(f"{site}/{language}/services/?q={what}")
    assert page.input_value("#id_where") == where_shown
    assert page.evaluate(CARDS_JS) == expected_cards(clinics, language, point)
    shoot(page, language, "4-next-search")

    # 4. The chip forgets it.
    with page.expect_navigation():
        page.locator(".place-chip a").click()
    assert urlsplit(page.url).query == f"q={what}" or parse_qsl(urlsplit(page.url).query) == [("q", what)]
    assert page.input_value("#id_where") == ""
    assert ESPOO_CLINIC[language] in page.content()
    assert not any(cookie["name"] == "pk_place" for cookie in page.context.cookies())


def test_without_javascript__the_where_field_works_and_the_address_comes_back_clean(browser, site, clinics):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site}/fi/services/?q=lastenneuvola")
        assert page.locator(".where-row button").count() == 0  # "use my location" needs JavaScript
        page.fill("#id_where", "Turussa")
        with page.expect_navigation():
            page.locator(".search-box button[type=submit]").click()
        # The form sent its empty fields (sort, age, ...); the server answered with the same search without them.
        assert parse_qsl(urlsplit(page.url).query, keep_blank_values=True) == [
            ("q", "lastenneuvola"),
            ("where", "Turussa"),
        ]
        assert page.input_value("#id_where") == "Turku"
        names = [name.strip() for name in page.locator(".card h3").all_inner_texts()]
        assert names == [card["name"] for card in expected_cards(clinics, "fi", TURKU_CENTRE)]
    finally:
        context.close()
