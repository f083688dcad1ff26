"""Journey: the help finder on a phone (375 px), in Finnish and Swedish, from the home page link to a suggestion."""

import pytest
from django.utils import translation

from tests.browser.conftest import format_violations, run_axe, screenshot, watch_csp
from tests.browser.test_keyboard import active, press_and_wait, tab_to

pytestmark = pytest.mark.django_db

PHONE = {"width": 375, "height": 740}


def text(language, msgid):
    with translation.override(language):
        return translation.gettext(msgid)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_help_finder__home_link_three_steps_to_suggestions_that_say_why(shared_page, site, demo, axe_source, language):
    page = shared_page
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/{language}/")

    page.get_by_role("link", name=text(language, "What do you need help with?")).click()
    assert page.url == f"{site}/{language}/help/"
    assert page.locator("h1").inner_text() == text(language, "What do you need help with?")
    screenshot_at_phone(page, f"{language}-journey-help-1-situation")
    page.get_by_label(text(language, "We have a baby")).check()
    page.get_by_role("button", name=text(language, "Next")).click()

    assert page.url == f"{site}/{language}/help/age/?life_situation=baby"
    assert page.locator("h1").inner_text() == text(language, "How old is your child?")
    # No service in the dataset is both for babies and for expecting parents: that choice is not offered.
    assert page.get_by_label(text(language, "Expecting a baby")).count() == 0
    page.get_by_label(text(language, "Child aged 1–6")).check()
    screenshot_at_phone(page, f"{language}-journey-help-2-age")
    page.get_by_role("button", name=text(language, "Next")).click()

    assert page.locator("h1").inner_text() == text(language, "Where do you live?")
    # Back keeps the answers: the age step shows the choice made.
    page.get_by_role(
        "link", name=text(language, "Back: %(question)s") % {"question": text(language, "How old is your child?")}
    ).click()
    assert page.get_by_label(text(language, "Child aged 1–6")).is_checked()
    page.get_by_role("button", name=text(language, "Next")).click()
    page.get_by_label(text(language, "Your municipality")).select_option(demo.city.municipality.code)
    screenshot_at_phone(page, f"{language}-journey-help-3-place")
    page.get_by_role("button", name=text(language, "Show suggestions")).click()

    assert page.url == (
        f"{site}/{language}/help/results/?life_situation=baby&age_group=1-6&municipality={demo.city.municipality.code}"
    )
    cards = page.locator(".help-results > li")
    child_clinic, peer_group = demo.services["child_clinic"], demo.services["peer_group"]
    names = [getattr(child_clinic, f"name_{language}"), getattr(peer_group, f"name_{language}")]
    assert cards.locator("h3").all_inner_texts() == names  # both free or walk-in, then by name
    why = cards.first.locator(".help-why").inner_text()
    assert text(language, "free of charge") in why
    assert (
        text(language, "given in your municipality (%(name)s)")
        % {"name": "Helsinki" if language == "fi" else "Helsingfors"}
    ) in why
    assert text(language, "walk in without an appointment") in cards.nth(1).locator(".help-why").inner_text()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    violations = run_axe(page, axe_source, impacts=("minor", "moderate", "serious", "critical"))
    assert not violations, format_violations(page.url, violations)
    screenshot_at_phone(page, f"{language}-journey-help-4-results")

    cards.first.locator("h3 a").click()
    assert page.locator("h1").inner_text() == names[0]


def screenshot_at_phone(page, name):
    screenshot(page, name)
    page.set_viewport_size(PHONE)


@pytest.fixture(params=[True, False], ids=["with-js", "without-js"])
def keyboard_page(request, browser):
    context = watch_csp(browser.new_context(viewport=PHONE, java_script_enabled=request.param))
    yield context.new_page()
    context.close()


def test_help_finder__by_keyboard_alone_with_and_without_javascript(keyboard_page, site, demo):
    page = keyboard_page
    page.goto(f"{site}/sv/")

    tab_to(page, "a[href='/sv/help/']")
    press_and_wait(page)
    # Tab enters the group of situations once; the arrow keys choose within it.
    tab_to(page, "input[name=life_situation]")
    page.keyboard.press("Space")
    while not active(page, "input[value=baby]"):
        page.keyboard.press("ArrowDown")
    tab_to(page, "button[type=submit]")
    press_and_wait(page)
    assert page.url == f"{site}/sv/help/age/?life_situation=baby"

    tab_to(page, "#id_age")
    page.keyboard.type("3")
    press_and_wait(page)  # Enter in the age field submits the step
    assert page.url == f"{site}/sv/help/place/?life_situation=baby&age=3"

    tab_to(page, "#id_postcode")
    page.keyboard.type("00530")
    press_and_wait(page)
    # The empty municipality is dropped from the address; the postcode chooses Helsinki.
    assert page.url == f"{site}/sv/help/results/?life_situation=baby&age=3&postcode=00530"
    assert page.locator(".help-results h3").all_inner_texts() == ["Barnrådgivning"]  # the baby group is for 0–1
    tab_to(page, ".help-results h3 a")
    press_and_wait(page)
    assert page.locator("h1").inner_text() == "Barnrådgivning"
