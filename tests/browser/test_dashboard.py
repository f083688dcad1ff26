"""The coordinator dashboard in a real browser at 1280 px: no horizontal scroll, no serious axe violation, fi and sv."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.browser.conftest import ARTIFACTS, format_violations, run_axe, watch_csp


@pytest.fixture(scope="module")
def coordinator_session(site_server, django_db_blocker, demo):
    """A committed coordinator of the demo's area and of Varsinais-Suomi (27 municipalities), signed in; a search that
    found nothing and a broken link, so every section has rows."""
    from organisations.models import LinkCheck, WellbeingArea
    from services.models import SearchMiss
    from tests.conftest import sign_in_staff, with_authenticator_app
    from tests.factories.organisations import MembershipFactory, OrganisationFactory

    with django_db_blocker.unblock():
        areas = [demo.area, WellbeingArea.objects.get(code="05")]
        body = OrganisationFactory(public=True, areas=areas, name_fi="Koordinaatio")
        user = MembershipFactory(
            organisation=body, coordinator=True, areas=areas, user__is_staff=True, user__email="koord@example.fi"
        ).user
        with_authenticator_app(user)
        session = sign_in_staff(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
        miss = SearchMiss.objects.create(day=timezone.localdate(), language="fi", words="vauvauinti", area=demo.area)
        url = demo.ngo.website or "https://kallio.example.fi/"
        if not demo.ngo.website:
            type(demo.ngo).objects.filter(pk=demo.ngo.pk).update(website=url)
        check = LinkCheck.objects.create(
            url=url, outcome="broken", status=404, reason="status", broken_since=timezone.now() - dt.timedelta(days=3)
        )
    yield session
    with django_db_blocker.unblock():
        check.delete()
        miss.delete()
        user.delete()
        body.delete()


@pytest.fixture
def coordinator_page(browser, site, coordinator_session):
    context = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": coordinator_session, "url": site}])
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("area", ["05", "90"])
def test_dashboard__fits_1280_px_without_serious_violations(coordinator_page, site, demo, axe_source, language, area):
    page = coordinator_page
    response = page.goto(f"{site}/{language}/admin/dashboard/?area={area}")
    assert response.status == 200
    # Coverage, Swedish text and stale entries always; broken links and searches where there are some (area 90).
    assert page.locator("table caption").count() == (5 if area == demo.area.code else 3)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow} px of horizontal scroll at 1280 px"
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(page.url, violations)
    if area == "05":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{language}-1280.png"), full_page=True)


def test_dashboard__area_chooser_and_list_links_work_without_javascript(coordinator_page, site, demo):
    page = coordinator_page
    page.goto(f"{site}/fi/admin/dashboard/?area=05")
    page.select_option("#id_area", demo.area.code)
    page.get_by_role("button", name="Näytä").click()
    assert page.url.endswith(f"?area={demo.area.code}")
    assert "vauvauinti" in page.content()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
