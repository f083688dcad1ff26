"""A family on a phone (375 px), in Finnish and Swedish, asks a service anonymously with the keyboard only and sees
its reply code once; the ask page (also with its error summary) and the sent page have no serious or critical axe
violations."""

import re

import pytest

from perhekeskus.contact.models import ContactRequest
from tests.browser.conftest import ARTIFACTS, format_violations, run_axe
from tests.browser.pages import LANGUAGES

pytestmark = pytest.mark.django_db

PHONE = {"width": 375, "height": 667}
ASK = {"fi": "Kysy nimettömästi", "sv": "Fråga anonymt"}
SENT = {"fi": "Kysymyksesi on lähetetty", "sv": "Din fråga har skickats"}
SEND = {"fi": "Lähetä kysymys", "sv": "Skicka frågan"}
REQUIRED = {"fi": "Kirjoita kysymyksesi.", "sv": "Skriv din fråga."}
QUESTION = {
    "fi": "Voiko neuvolaan tulla ilman ajanvarausta, jos vauva itkee paljon?",
    "sv": "Kan man komma till rådgivningen utan tidsbokning om bebisen gråter mycket?",
}
CODE_RE = re.compile(r"^[0-9A-Z]{4}(?:-[0-9A-Z]{4}){5}$")
MAX_TABS = 80


@pytest.fixture(scope="module")
def professional(demo, django_db_blocker):
    """A professional of the child clinic's organisation, so a question to it reaches someone (committed)."""
    from organisations.models import Membership
    from tests.factories import MembershipFactory

    with django_db_blocker.unblock():
        membership = MembershipFactory(
            organisation=demo.services["child_clinic"].organisation,
            role=Membership.Role.PROFESSIONAL,
            user__username="contact-ask-professional",
            user__email="contact-ask-professional@example.fi",
        )
    yield membership
    with django_db_blocker.unblock():
        membership.user.delete()


def tab_to(page, predicate: str):
    """Press Tab until the focused element satisfies the JavaScript *predicate* (of ``el``); fail after MAX_TABS."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({predicate}); }})()"):
            return
    pytest.fail(f"Tab never reached an element where {predicate}")


def check_axe(page, axe_source):
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)


@pytest.mark.parametrize("language", LANGUAGES)
def test_ask_anonymously__from_the_service_page_to_the_code_with_the_keyboard(
    shared_page, site, demo, professional, axe_source, language
):
    page = shared_page
    page.set_viewport_size(PHONE)
    service = demo.services["child_clinic"]
    page.goto(f"{site}/{language}/services/{service.slug}/")

    tab_to(page, f"el.tagName === 'A' && el.textContent.trim() === {ASK[language]!r}")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/{language}/contact/ask/service/{service.slug}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == ASK[language]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"contact-ask-{language}-375.png"), full_page=True)
    check_axe(page, axe_source)
    assert not page.locator("input[name=website]").is_visible()  # the honeypot is not there for people

    # Sent empty: the error summary takes the focus and its link leads to the field.
    tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert REQUIRED[language] in page.locator("#error-summary").inner_text()
    message = page.locator("#id_message")
    assert message.get_attribute("aria-invalid") == "true"
    assert "id_message_error" in message.get_attribute("aria-describedby")
    check_axe(page, axe_source)
    tab_to(page, "el.closest('#error-summary') && el.tagName === 'A'")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_message"

    page.keyboard.type(QUESTION[language])
    tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/{language}/contact/sent/$"))
    assert page.get_by_role("heading", level=1).inner_text() == SENT[language]
    code = page.locator("#reply-code").inner_text().strip()
    assert CODE_RE.match(code)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / f"contact-sent-{language}-375.png"), full_page=True)
    check_axe(page, axe_source)

    question = ContactRequest.objects.get(service=service, language=language)
    assert question.messages.get().body == QUESTION[language]
    # Shown once: a reload no longer shows it.
    page.reload()
    assert page.locator("#reply-code").count() == 0
    check_axe(page, axe_source)
