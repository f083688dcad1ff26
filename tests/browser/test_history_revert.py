"""A coordinator reads a partner's change in the admin's history and reverts it, in Finnish and in Swedish."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from organisations.models import ChangeRecord, Organisation
from tests.browser.conftest import ARTIFACTS, watch_csp

# The record to revert per admin language, and the Swedish name the revert puts back.
CASES = {"fi": ("own", "Familjerådgivningen i Åbo"), "sv": ("same_area", "Öppna förskolan i Åbo")}


@pytest.fixture(scope="module")
def history(site_server, django_db_blocker):
    """Committed for the server thread: the matrix's world, one partner edit per case, a coordinator's session."""
    from organisations.history import record_change, snapshot
    from tests.access_matrix import build_world
    from tests.conftest import sign_in_staff, with_authenticator_app

    with django_db_blocker.unblock():
        marks = {model: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for model in MODELS}
        world = build_world()
        records = {}
        for language, (name, swedish) in CASES.items():
            service = world.objects[name]["service"]
            service.name_sv = swedish
            service.save()
            before = snapshot(service)
            service.name_sv, service.cost = "Väärä nimi", "fee"
            service.save()
            records[language] = (service, record_change(user=world.user("editor"), obj=service, before=before))
        coordinator = with_authenticator_app(world.user("coordinator"))
        session = sign_in_staff(Client(), coordinator).cookies[settings.SESSION_COOKIE_NAME].value
    yield records, session
    with django_db_blocker.unblock():
        for model in MODELS:
            model.objects.filter(pk__gt=marks[model]).delete()


MODELS = (ChangeRecord, Organisation, get_user_model())


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_coordinator__reads_the_diff_and_reverts_the_change(browser, site, history, language):
    records, session = history
    service, record = records[language]
    context = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site}])
    page = context.new_page()
    labels = {
        "fi": ("Nimi (ruotsi)", "Peru tämä muutos", "Muutos peruttiin."),
        "sv": ("Namn (svenska)", "Ångra den här ändringen", "Ändringen ångrades."),
    }[language]

    page.goto(f"{site}/{language}/admin/organisations/changerecord/{record.pk}/change/")
    assert page.locator(".history-diff th", has_text=labels[0]).count() == 1
    assert page.locator(".history-diff ins", has_text="Väärä nimi").count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"history-record-{language}-1280.png"), full_page=True)

    page.get_by_role("link", name=labels[1]).click()
    page.screenshot(path=str(ARTIFACTS / f"history-revert-{language}-1280.png"), full_page=True)
    page.get_by_role("button", name=labels[1]).click()

    expect(page.locator(".messagelist .success")).to_have_text(labels[2])
    service.refresh_from_db()
    assert (service.name_sv, service.cost) == (CASES[language][1], "free")
    context.close()
