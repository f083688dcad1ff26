"""A partner keeps their own entries true in the browser, in Finnish and Swedish, on a phone and a wide screen.

The partner (an organisation's editor) creates an activity in fi and sv with a weekly rule, previews it as a family
will see it and saves it as a draft; then adds over-midnight opening hours to a published meeting place, which go
live at once with a history record. The partner pages have no serious or critical axe violations.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from meetingplaces.models import Activity
from organisations.models import ChangeRecord, Organisation
from tests.browser.conftest import format_violations, run_axe, screenshot, watch_csp

TEXT = {
    "fi": {
        "add_activity": "Lisää toiminta",
        "preview": "Esikatselu",
        "draft": "luonnoksena",
        "live": "näkyy perheille",
    },
    "sv": {"add_activity": "Lägg till en verksamhet", "preview": "Förhandsvisning", "draft": "utkast", "live": "visas"},
}


@pytest.fixture(scope="module")
def partner(site_server, django_db_blocker):
    """The matrix's world, committed for the module (the server thread must see it), and the editor's session."""
    from tests.access_matrix import build_world

    with django_db_blocker.unblock():
        last_organisation = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_user = get_user_model().objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        world = build_world()
        client = Client()
        client.force_login(world.user("editor"))
        world.session = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield world
    with django_db_blocker.unblock():
        ChangeRecord.objects.filter(user__pk__gt=last_user).delete()
        Organisation.objects.filter(pk__gt=last_organisation).delete()
        get_user_model().objects.filter(pk__gt=last_user).delete()


@pytest.fixture
def partner_page(browser, site, partner):
    context = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": partner.session, "url": site}])
    yield context.new_page()
    context.close()


def assert_accessible(page, axe_source, skip=()):
    # As a page opens: from the top, the pointer away from the links (axe's target-size check takes a hovered
    # header link, or one scrolled far out of the viewport, for an obscured one).
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    violations = [v for v in run_axe(page, axe_source) if v["id"] not in skip]
    assert not violations, format_violations(page.url, violations)


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("width", [1280, 375])
def test_partner_creates_an_activity_and_edits_opening_hours(partner_page, site, partner, axe_source, language, width):
    page, text = partner_page, TEXT[language]
    page.set_viewport_size({"width": width, "height": 900})
    place = partner.objects["own"]["meeting_place"]
    title = f"Vauvaryhmä {language} {width}"

    page.goto(f"{site}/{language}/partner/")
    assert_accessible(page, axe_source)
    add_activity = page.get_by_role("link", name=text["add_activity"])
    page.goto(site + add_activity.get_attribute("href"))
    page.locator("[name=meeting_place]").select_option(str(place.pk))
    page.locator("[name=title_fi]").fill(title)
    page.locator("[name=title_sv]").fill(f"Babygrupp {language} {width}")
    # The Finnish text stays in view next to the Swedish field while writing.
    assert title in page.locator("[data-fi-source=id_title_fi]").first.inner_text()
    page.locator("[name=weekday]").select_option("3")
    page.locator("[name=start_time]").fill("10:00")
    page.locator("[name=end_time]").fill("11:30")
    page.locator("[name=valid_from]").fill("2026-01-07")
    page.locator("[name=languages][value=sv]").check()
    assert_accessible(page, axe_source)

    page.locator("button[name=preview]").click()
    preview = page.locator("#preview")
    assert text["preview"] in preview.inner_text()
    assert place.name_fi in preview.inner_text() or place.name_sv in preview.inner_text()
    assert not Activity.objects.filter(title_fi=title).exists()
    # On a phone the preview page (the form plus the whole public page) is ~9 000 px tall, and there axe reports the
    # header's second row of links as "partially obscured" though nothing covers them (document.elementsFromPoint
    # finds only the links); the same header passes on every other page, so only that rule is left out here.
    assert_accessible(page, axe_source, skip=("target-size",) if width < 400 else ())

    page.locator("button[name=save]").click()
    assert text["draft"] in page.locator(".messages").inner_text()
    activity = Activity.objects.get(title_fi=title)
    assert activity.state == "draft" and activity.weekday == 3 and activity.languages == ["sv"]
    assert activity.title_sv == f"Babygrupp {language} {width}"

    page.goto(f"{site}/{language}/partner/meeting-place/{place.pk}/")
    assert_accessible(page, axe_source)
    hours = page.locator("[data-formset=hours]")
    rows_before = hours.locator(".formset__row").count()
    hours.locator("button[name=add_row]").click()  # added by the script, no round trip
    assert hours.locator(".formset__row").count() == rows_before + 1
    new_row = hours.locator("[data-formset-rows] .formset__row").last
    new_row.locator("select[name$=weekday]").select_option("5")
    new_row.locator("input[name$=opens]").fill("20:00")
    new_row.locator("input[name$=closes]").fill("02:00")
    new_row.locator("input[name$=over_midnight]").check()
    page.locator("button[name=save]").click()
    assert text["live"] in page.locator(".messages").inner_text()
    assert place.opening_hours.filter(weekday=5, opens=dt.time(20), closes=dt.time(2), over_midnight=True).exists()
    record = ChangeRecord.objects.filter(object_id=place.pk, action=ChangeRecord.Action.CHANGED).latest("pk")
    assert "opening_hours" in record.changes and record.user == partner.user("editor")


def test_service_form_screenshot(partner_page, site, partner, axe_source):
    page = partner_page
    page.goto(f"{site}/fi/partner/service/{partner.objects['own']['service'].pk}/")
    assert_accessible(page, axe_source)
    # The form fits the wide screen: fi, sv and en side by side, nothing wider than the window.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "partner-service-form")
    page.set_viewport_size({"width": 375, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
