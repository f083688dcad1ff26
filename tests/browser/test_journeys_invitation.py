"""Invitation journey, fi and sv: a coordinator invites a partner in the admin; the partner opens the e-mailed link,
chooses a password, sets up two-factor authentication and lands on the partner pages."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.test import Client

from tests.browser.conftest import format_violations, run_axe, watch_csp

pytestmark = pytest.mark.django_db

PASSWORD = "kesäpäivä-ja-sadetakki-42"  # noqa: S105
LINK = re.compile(r"https?://[^/\s]+(/(?:fi|sv|en)/accounts/invitation/[^/\s]+/)")
TEXT = {
    "fi": {
        "save": "Tallenna",
        "create": "Luo tili ja hyväksy",
        "totp": "Ota kaksivaiheinen tunnistus käyttöön",
        "activate": "Aktivoi",
        "continue": "Jatka",
        "home": "Omat tietosi",
    },
    "sv": {
        "save": "Spara",
        "create": "Skapa kontot och godkänn",
        "totp": "Aktivera tvåfaktorsautentisering",
        "activate": "Aktivera",
        "continue": "Fortsätt",
        "home": "Dina uppgifter",
    },
}
INVITEES = [f"kumppani.{language}@example.fi" for language in TEXT]


@pytest.fixture(scope="module")
def network(site_server, django_db_blocker):
    """A committed area coordinator (with an authenticator app) and a partner organisation in their area; afterwards
    everything the journey made (invitations, the partners' accounts) is deleted with them."""
    from django.contrib.auth import get_user_model

    from organisations.models import Invitation, Membership, WellbeingArea
    from tests.conftest import sign_in_staff, with_authenticator_app
    from tests.factories import MembershipFactory, OrganisationFactory

    with django_db_blocker.unblock():
        area = WellbeingArea.objects.get(code="05")
        body = OrganisationFactory(public=True, areas=[area], name_fi="Varsinais-Suomen hyvinvointialue")
        coordinator = MembershipFactory(
            organisation=body,
            coordinator=True,
            areas=[area],
            user__email="koordinaattori.inv@example.fi",
            user__is_staff=True,
        ).user
        with_authenticator_app(coordinator)
        partner = OrganisationFactory(areas=[area], name_fi="Kutsuperheet ry", name_sv="Inbjudna familjer rf")
        session = sign_in_staff(Client(), coordinator).cookies[settings.SESSION_COOKIE_NAME].value
    yield partner, session
    with django_db_blocker.unblock():
        Invitation.objects.filter(organisation=partner).delete()
        Membership.objects.filter(organisation__in=[partner, body]).delete()
        get_user_model().objects.filter(email__in=[*INVITEES, coordinator.email]).delete()
        partner.delete()
        body.delete()


def current_code(page):
    """The code the partner's authenticator app would show now, from the secret the activation page displays.

    A code read in the last seconds of its 30-second window may be stale when the server checks it (allauth allows
    no drift by default), so near the end of a window this waits for the next one, as a person would.
    """
    secret = page.locator("#authenticator_secret").input_value()
    left = 30 - time.time() % 30
    if left < 4:
        time.sleep(left + 0.5)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_invitation__coordinator_invites_partner_accepts_sets_password_and_totp(
    browser, site, network, mailoutbox, axe_source, language
):
    partner_organisation, coordinator_session = network
    text, email = TEXT[language], f"kumppani.{language}@example.fi"

    admin = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    admin.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": coordinator_session, "url": site}])
    page = admin.new_page()
    page.goto(f"{site}/{language}/admin/organisations/invitation/add/")
    page.fill("#id_email", email)
    page.select_option("#id_organisation", str(partner_organisation.pk))
    page.select_option("#id_role", "editor")
    page.select_option("#id_language", language)
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/organisations/invitation/$"))
    assert email in page.content()
    admin.close()

    [mail] = [mail for mail in mailoutbox if mail.to == [email]]
    link = LINK.search(mail.body)[1]
    assert link.startswith(f"/{language}/")

    invitee = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = invitee.new_page()
    try:
        page.goto(site + link)
        violations = run_axe(page, axe_source)
        assert not violations, format_violations(page.url, violations)
        page.fill("#id_password1", PASSWORD)
        page.fill("#id_password2", PASSWORD)
        page.get_by_role("button", name=text["create"]).click()
        page.wait_for_url(re.compile(r"/accounts/welcome/$"))
        violations = run_axe(page, axe_source)
        assert not violations, format_violations(page.url, violations)
        page.get_by_role("link", name=text["totp"]).click()
        page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
        page.fill("input[name=code]", current_code(page))
        page.get_by_role("button", name=text["activate"], exact=True).click()
        page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
        page.get_by_role("link", name=text["continue"]).click()
        page.wait_for_url(f"{site}/{language}/partner/")
        assert page.locator("h1").inner_text() == text["home"]
        assert page.locator("#session-timeout").count() == 1
    finally:
        invitee.close()
