"""A family on a phone (375 px), in Finnish and Swedish, reports a problem with a service's information and is
thanked; the form and the thanks page have no serious or critical axe violations."""

import pytest

from organisations.models import ProblemReport
from tests.browser.conftest import ARTIFACTS, format_violations, run_axe
from tests.browser.pages import LANGUAGES

pytestmark = pytest.mark.django_db

PHONE = {"width": 375, "height": 667}
LINK = {"fi": "Ilmoita virheestä näissä tiedoissa", "sv": "Anmäl ett fel i de här uppgifterna"}
MESSAGE_LABEL = {"fi": "Mikä on väärin tai mitä puuttuu?", "sv": "Vad är fel eller vad saknas?"}
SEND = {"fi": "Lähetä ilmoitus", "sv": "Skicka anmälan"}
THANKS = {"fi": "Kiitos ilmoituksestasi", "sv": "Tack för din anmälan"}
REQUIRED = {"fi": "Tämä kenttä vaaditaan", "sv": "Det här fältet är obligatoriskt"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_a_problem__from_the_service_page_to_the_thanks(shared_page, site, demo, axe_source, language):
    page = shared_page
    page.set_viewport_size(PHONE)
    service = demo.services["child_clinic"]
    page.goto(f"{site}/{language}/services/{service.slug}/")
    page.get_by_role("link", name=LINK[language]).click()

    page.get_by_role("button", name=SEND[language]).click()  # empty: the error is tied to the field
    message = page.get_by_label(MESSAGE_LABEL[language])
    assert message.get_attribute("aria-invalid") == "true"
    assert REQUIRED[language] in page.locator(".field__error").first.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-report-form-{language}-375.png"), full_page=True)
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)
    # The honeypot is not there for people (nor for screen readers).
    assert not page.locator("input[name=website]").is_visible()

    message.fill("Puhelinnumero 09 123 456 ei ole enää käytössä.")
    page.get_by_role("button", name=SEND[language]).click()
    assert page.get_by_role("heading", level=1).inner_text() == THANKS[language]
    page.screenshot(path=str(ARTIFACTS / f"journey-report-{language}-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)

    # The server committed it; the demo's clean-up deletes it with the organisation.
    assert ProblemReport.objects.filter(object_id=service.pk, language=language, message__startswith="Puhelin").exists()


@pytest.fixture(scope="module")
def contacts(demo, django_db_blocker):
    """Two contact persons of the demo area, committed so the live server sees them: one agreed to be shown."""
    from organisations.models import ContactPerson

    with django_db_blocker.unblock():
        shown = ContactPerson.objects.create(
            organisation=demo.ngo,
            area=demo.area,
            kind=ContactPerson.Kind.NGO,
            name="Maija Meikäläinen",
            title_fi="Järjestökoordinaattori",
            title_sv="Organisationskoordinator",
            email="maija.meikalainen@example.fi",
            phone="040 123 4567",
            show_publicly=True,
        )
        hidden = ContactPerson.objects.create(
            organisation=demo.city, area=demo.area, kind=ContactPerson.Kind.FAMILY_CENTRE, name="Salainen Sanna"
        )
    yield shown
    with django_db_blocker.unblock():
        ContactPerson.objects.filter(pk__in=[shown.pk, hidden.pk]).delete()


HEADING = {"fi": "Perhekeskusverkoston yhteyshenkilöt", "sv": "Familjecenternätverkets kontaktpersoner"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_area_page__shows_the_consenting_contact_persons_on_a_phone(shared_page, site, contacts, axe_source, language):
    page = shared_page
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/{language}/areas/{contacts.area.code}/")
    assert page.get_by_role("heading", name=HEADING[language]).is_visible()
    assert page.locator("a[href='tel:0401234567']").is_visible()
    assert page.locator("a[href='mailto:maija.meikalainen@example.fi']").is_visible()
    assert "Salainen Sanna" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#contacts").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"area-contacts-{language}-375.png"))
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)
