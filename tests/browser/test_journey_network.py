"""Issue 10's whole journey in one go, in Finnish and in Swedish, through the pages people use:

a coordinator invites a partner in the admin → the partner accepts, chooses a password, sets up TOTP → creates an
activity in Finnish and Swedish on the partner pages (a draft: families do not see it) → the coordinator approves it
→ a family finds it in the activity calendar → the partner edits it → the coordinator's daily digest shows the diff →
the coordinator reverts the edit from the history, and the family sees the title as it was.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.browser.conftest import format_violations, run_axe, watch_csp
from tests.browser.test_journeys_invitation import PASSWORD, current_code

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
LINK = re.compile(r"https?://[^/\s]+(/(?:fi|sv|en)/accounts/invitation/[^/\s]+/)")
TEXT = {
    "fi": {
        "create": "Luo tili ja hyväksy",
        "totp": "Ota kaksivaiheinen tunnistus käyttöön",
        "activate": "Aktivoi",
        "continue": "Jatka",
        "draft": "luonnoksena",
        "revert": "Peru tämä muutos",
        "reverted": "Muutos peruttiin.",
    },
    "sv": {
        "create": "Skapa kontot och godkänn",
        "totp": "Aktivera tvåfaktorsautentisering",
        "activate": "Aktivera",
        "continue": "Fortsätt",
        "draft": "utkast",
        "revert": "Ångra den här ändringen",
        "reverted": "Ändringen ångrades.",
    },
}
WEEKDAY = 3  # Wednesday (1 = Monday)


@pytest.fixture(scope="module")
def network(site_server, django_db_blocker):
    """Committed for the server thread: area 05's coordinator (with an authenticator app and a signed-in session), a
    partner organisation with a published meeting place in Turku; everything made is deleted afterwards."""
    from django.contrib.auth import get_user_model

    from organisations.models import ChangeRecord, Invitation, Membership, Municipality, WellbeingArea
    from tests.conftest import sign_in_staff, with_authenticator_app
    from tests.factories import MeetingPlaceFactory, MembershipFactory, OrganisationFactory

    with django_db_blocker.unblock():
        area = WellbeingArea.objects.get(code="05")
        body = OrganisationFactory(public=True, areas=[area], name_fi="Varsinais-Suomen hyvinvointialue (e2e)")
        coordinator = MembershipFactory(
            organisation=body,
            coordinator=True,
            areas=[area],
            user__email="koordinaattori.e2e@example.fi",
            user__is_staff=True,
        ).user
        with_authenticator_app(coordinator)
        partner = OrganisationFactory(areas=[area], name_fi="Verkostoperheet ry", name_sv="Nätverksfamiljer rf")
        place = MeetingPlaceFactory(
            organisation=partner,
            municipality=Municipality.objects.get(code="853"),
            state="published",
            name_fi="Verkostokahvila",
            name_sv="Nätverkscaféet",
        )
        session = sign_in_staff(Client(), coordinator).cookies[settings.SESSION_COOKIE_NAME].value
    yield {"partner": partner, "place": place, "session": session, "coordinator": coordinator}
    with django_db_blocker.unblock():
        ChangeRecord.objects.filter(organisation=partner).delete()
        Invitation.objects.filter(organisation=partner).delete()
        Membership.objects.filter(organisation__in=[partner, body]).delete()
        get_user_model().objects.filter(email__endswith="e2e@example.fi").delete()
        get_user_model().objects.filter(email=coordinator.email).delete()
        partner.delete()
        body.delete()


def next_weekday(weekday: int) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.isoweekday()) % 7)


def calendar_titles(page, site, language, day) -> str:
    page.goto(f"{site}/{language}/activities/?municipality=853&day={day.isoformat()}")
    return page.locator("main").inner_text()


def assert_accessible(page, axe_source):
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_network_journey__invite_create_approve_publish_edit_digest_revert(
    browser, site, network, mailoutbox, axe_source, language
):
    from meetingplaces.models import Activity
    from perhekeskus.digest import send_change_digests

    text, email = TEXT[language], f"kumppani.{language}.e2e@example.fi"
    title_fi, title_sv = f"Verkostovauvat {language}", f"Nätverksbebisar {language}"
    day = next_weekday(WEEKDAY)

    # 1. The coordinator invites the partner.
    coordinator = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    coordinator.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": network["session"], "url": site}])
    admin = coordinator.new_page()
    admin.goto(f"{site}/{language}/admin/organisations/invitation/add/")
    admin.fill("#id_email", email)
    admin.select_option("#id_organisation", str(network["partner"].pk))
    admin.select_option("#id_role", "editor")
    admin.select_option("#id_language", language)
    admin.locator("input[name=_save]").click()
    admin.wait_for_url(re.compile(r"/admin/organisations/invitation/$"))
    [invitation] = [mail for mail in mailoutbox if mail.to == [email]]
    link = LINK.search(invitation.body)[1]

    # 2. The partner accepts: password, then an authenticator app.
    partner = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = partner.new_page()
    page.goto(site + link)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name=text["create"]).click()
    page.wait_for_url(re.compile(r"/accounts/welcome/$"))
    page.get_by_role("link", name=text["totp"]).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    page.fill("input[name=code]", current_code(page))
    page.get_by_role("button", name=text["activate"], exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    page.get_by_role("link", name=text["continue"]).click()
    page.wait_for_url(f"{site}/{language}/partner/")

    # 3. The partner creates a weekly activity in Finnish and Swedish: a draft, not in the calendar.
    page.goto(f"{site}/{language}/partner/activity/new/")
    page.locator("[name=meeting_place]").select_option(str(network["place"].pk))
    page.locator("[name=title_fi]").fill(title_fi)
    page.locator("[name=title_sv]").fill(title_sv)
    page.locator("[name=weekday]").select_option(str(WEEKDAY))
    page.locator("[name=start_time]").fill("10:00")
    page.locator("[name=end_time]").fill("11:30")
    page.locator("[name=valid_from]").fill("2026-01-07")
    assert_accessible(page, axe_source)
    page.locator("button[name=save]").click()
    assert text["draft"] in page.locator(".messages").inner_text()
    activity = Activity.objects.get(title_fi=title_fi)
    assert activity.state == "draft"
    family = watch_csp(browser.new_context(viewport={"width": 375, "height": 800}))
    family_page = family.new_page()
    shown_title = title_fi if language == "fi" else title_sv
    assert shown_title not in calendar_titles(family_page, site, language, day)

    # 4. The coordinator approves it on its admin page; the family finds it in the calendar.
    admin.goto(f"{site}/{language}/admin/meetingplaces/activity/{activity.pk}/change/")
    admin.locator("input[name=_approve]").click()
    activity.refresh_from_db()
    assert activity.state == "published"
    assert shown_title in calendar_titles(family_page, site, language, day)
    assert_accessible(family_page, axe_source)

    # 5. The partner edits the Swedish title (live at once).
    page.goto(f"{site}/{language}/partner/activity/{activity.pk}/")
    page.locator("[name=title_sv]").fill(f"{title_sv} (fel)")
    page.locator("button[name=save]").click()
    activity.refresh_from_db()
    assert activity.title_sv == f"{title_sv} (fel)"

    # 6. The next morning's digest shows the coordinator the diff, with a link to the change.
    mailoutbox.clear()
    tomorrow = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(6, 30), tzinfo=HELSINKI)
    send_change_digests(now=tomorrow)
    [digest] = [mail for mail in mailoutbox if network["coordinator"].email in mail.to]
    from organisations.models import ChangeRecord

    assert f"{title_sv} (fel)" in digest.body and title_sv in digest.body, digest.body
    edit = ChangeRecord.objects.get(object_id=activity.pk, action=ChangeRecord.Action.CHANGED)
    record_link = f"/{language}/admin/organisations/changerecord/{edit.pk}/change/"
    assert f"{settings.SITE_URL}/fi/admin/organisations/changerecord/{edit.pk}/change/" in digest.body

    # 7. The coordinator opens the change from the digest and reverts it; families see the title as it was.
    admin.goto(site + record_link)
    admin.get_by_role("link", name=text["revert"]).click()
    admin.get_by_role("button", name=text["revert"]).click()
    assert text["reverted"] in admin.locator(".messagelist").inner_text()
    activity.refresh_from_db()
    assert activity.title_sv == title_sv
    if language == "sv":
        assert f"{title_sv} (fel)" not in calendar_titles(family_page, site, language, day)
        assert title_sv in calendar_titles(family_page, site, language, day)
    for context in (coordinator, partner, family):
        context.close()
