"""Issue 11's whole journey, in Finnish and in Swedish, through the pages people use:

a family asks anonymously on a service page (phone, 375 px) and gets its reply code → the organisation's professional
gets the notification through a real SMTP server (tests/mailcatcher.py), follows its link, signs in with password and
authenticator code, opens the question in the inbox and answers → the family reads the answer with the code (typed
as by hand) and replies once → the professional sees the reply, and was told of it by mail.

The tasks run in the server's thread (as without a broker) even where CELERY_BROKER_URL is set, as in tests/contact/.
"""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from perhekeskus.contact.models import ContactRequest
from tests import mailcatcher
from tests.browser.conftest import ARTIFACTS, format_violations, run_axe, watch_csp
from tests.browser.test_journeys_invitation import PASSWORD

pytestmark = pytest.mark.django_db

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
ORGANISATION = {"fi": "Perheneuvola Polku", "sv": "Familjerådgivningen Stigen"}
TEXT = {
    "fi": {
        "ask": "Kysy nimettömästi",
        "send": "Lähetä kysymys",
        "answer": "Lähetä vastaus",
        "open": "Avaa kysymys",
        "reply": "Lähetä vastaus",
        "replied": "Vastauksesi lähetettiin.",
        "answered": "Vastattu",
        "you": "Sinä",
        "question": "Saako perheneuvolaan tulla ilman lähetettä?\nLapsi on viisivuotias.",
        "answer_text": "Saa. Soita ajanvaraukseen arkisin kello 9–11.\nTervetuloa!",
        "reply_text": "Kiitos, soitan huomenna.",
    },
    "sv": {
        "ask": "Fråga anonymt",
        "send": "Skicka frågan",
        "answer": "Skicka svaret",
        "open": "Öppna frågan",
        "reply": "Skicka svaret",
        "replied": "Ditt svar skickades.",
        "answered": "Besvarad",
        "you": "Du",
        "question": "Får man komma till familjerådgivningen utan remiss?\nBarnet är fem år.",
        "answer_text": "Ja. Ring tidsbokningen vardagar klockan 9–11.\nVälkommen!",
        "reply_text": "Tack, jag ringer i morgon.",
    },
}


@pytest.fixture(scope="module")
def clinic(site_server, django_db_blocker):
    """Committed for the server thread: an organisation with a published service and, per language, a professional
    with a password and an authenticator app (a code is used once, so each journey signs in as its own)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings

    from organisations.models import Membership, TaskRun
    from perhekeskus.contact.models import ContactAudit
    from tests.factories import MembershipFactory, OrganisationFactory, ServiceFactory

    with django_db_blocker.unblock():
        organisation = OrganisationFactory(name_fi=ORGANISATION["fi"], name_sv=ORGANISATION["sv"])
        service = ServiceFactory(
            organisation=organisation,
            published=True,
            name_fi="Perheneuvonta (polku)",
            name_sv="Familjerådgivning (stigen)",
        )
        professionals = {}
        for language in TEXT:
            user = MembershipFactory(
                organisation=organisation,
                role=Membership.Role.PROFESSIONAL,
                user__username=f"contact-journey-{language}",
                user__email=f"ammattilainen.{language}@example.fi",
                user__first_name="Kaisu",
                user__last_name="Kontaktinen",
            ).user
            # The tests' hasher (tests/conftest.py sets it per test, after this module's fixtures were made).
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                user.set_password(PASSWORD)
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            secret = generate_totp_secret()
            TOTP.activate(user, secret)
            professionals[language] = (user, secret)
    yield {"organisation": organisation, "service": service, "professionals": professionals}
    with django_db_blocker.unblock():
        questions = list(ContactRequest.objects.filter(organisation=organisation).values_list("pk", flat=True))
        for pk in questions:
            TaskRun.objects.filter(key__startswith=f"{pk}:").delete()
        ContactRequest.objects.filter(pk__in=questions).delete()
        ContactAudit.objects.filter(organisation=organisation).delete()
        Membership.objects.filter(organisation=organisation).delete()
        get_user_model().objects.filter(username__startswith="contact-journey-").delete()
        service.delete()
        organisation.delete()


@pytest.fixture
def mail_catcher(settings):
    yield from mailcatcher.catching(settings)


def authenticator_code(secret: str) -> str:
    """What the professional's app shows now; near the end of a 30-second window, the next one (as a person waits)."""
    left = 30 - time.time() % 30
    if left < 4:
        time.sleep(left + 0.5)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def assert_accessible(page, axe_source):
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)


def fits(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_contact_journey__ask_notify_sign_in_answer_read_with_the_code_reply_once(
    browser, site, clinic, mail_catcher, tasks_at_once, axe_source, language
):
    text = TEXT[language]
    service, (professional, secret) = clinic["service"], clinic["professionals"][language]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    # 1. The family asks on the service page, on a phone.
    family = watch_csp(browser.new_context(viewport=PHONE))
    staff = watch_csp(browser.new_context(viewport=DESKTOP))
    try:
        page = family.new_page()
        page.goto(f"{site}/{language}/services/{service.slug}/")
        page.get_by_role("link", name=text["ask"]).click()
        page.wait_for_url(re.compile(rf"/{language}/contact/ask/service/{service.slug}/$"))
        assert_accessible(page, axe_source)
        page.fill("#id_message", text["question"])
        page.get_by_role("button", name=text["send"]).click()
        page.wait_for_url(re.compile(rf"/{language}/contact/sent/$"))
        code = page.locator("#reply-code").inner_text().strip()
        assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){5}", code)
        assert_accessible(page, axe_source)
        question = ContactRequest.objects.get(organisation=clinic["organisation"], language=language)

        # 2. The professional is told by mail (through SMTP), without the question, with a link to the inbox.
        notice = mail_catcher.wait_for(lambda mail: professional.email in mail.recipients)
        assert clinic["organisation"].name_fi in notice.subject
        assert "viisivuotias" not in notice.body and "fem år" not in notice.body
        inbox_path = re.search(rf"https?://[^/\s]+(/{language}/contact/inbox/)", notice.body)[1]

        # 3. ... follows it, signs in with password and authenticator code, opens the question and answers.
        desk = staff.new_page()
        desk.goto(site + inbox_path)
        desk.wait_for_url(re.compile(rf"/{language}/accounts/login/"))
        desk.fill("input[name=login]", professional.email)
        desk.fill("input[name=password]", PASSWORD)
        desk.press("input[name=password]", "Enter")
        desk.wait_for_url(re.compile(rf"/{language}/accounts/2fa/authenticate/$"))
        desk.fill("input[name=code]", authenticator_code(secret))
        desk.press("input[name=code]", "Enter")
        desk.wait_for_url(site + inbox_path)
        desk.locator(f"a[href$='/contact/inbox/{question.public_id}/']").click()
        desk.wait_for_url(re.compile(rf"/contact/inbox/{question.public_id}/$"))
        assert text["question"].split("\n")[1] in desk.locator("main").inner_text()
        desk.fill("#id_body", text["answer_text"])
        desk.get_by_role("button", name=text["answer"]).click()
        desk.wait_for_selector(".notice--success")
        assert text["answer_text"].split("\n")[1] in desk.locator(".thread").inner_text()
        desk.screenshot(path=str(ARTIFACTS / f"contact-inbox-answer-{language}-1280.png"), full_page=True)

        # 4. The family reads the answer with its code, typed as by hand (small letters, spaces for the dashes).
        page.goto(f"{site}/{language}/contact/reply/")
        assert_accessible(page, axe_source)
        page.fill("#id_code", code.lower().replace("-", " "))
        page.get_by_role("button", name=text["open"]).click()
        page.wait_for_url(f"{site}/{language}/contact/reply/")
        assert code not in page.url and code.lower() not in page.url
        thread = page.locator(".thread").inner_text()
        assert text["answer_text"].split("\n")[0] in thread and text["question"].split("\n")[0] in thread
        metas = page.locator(".thread__meta").all_inner_texts()
        assert metas[0].startswith(text["you"]) and metas[1].startswith(ORGANISATION[language])
        assert "Kontaktinen" not in page.content() and professional.email not in page.content()
        assert page.locator("#question-state").inner_text() == text["answered"]
        fits(page, PHONE)
        assert_accessible(page, axe_source)

        # ... and replies once: the form is gone after it.
        page.fill("#id_message", text["reply_text"])
        page.get_by_role("button", name=text["reply"]).click()
        page.wait_for_selector(".notice--success")
        assert text["replied"] in page.locator(".messages").inner_text()
        assert page.locator("#id_message").count() == 0
        assert page.locator(".thread__message").count() == 3
        fits(page, PHONE)
        page.screenshot(path=str(ARTIFACTS / f"contact-reply-{language}-375.png"), full_page=True)
        assert_accessible(page, axe_source)

        # 5. The professional is told of the reply and reads it in the inbox.
        mail_catcher.wait_for(lambda mail: professional.email in mail.recipients and mail is not notice)
        desk.reload()
        assert text["reply_text"] in desk.locator(".thread").inner_text()
        question.refresh_from_db()
        assert question.state == ContactRequest.State.OPEN and question.messages.count() == 3
    finally:
        family.close()
        staff.close()
