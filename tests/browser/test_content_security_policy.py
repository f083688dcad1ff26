"""The Content-Security-Policy in a real browser: the live server sends it, nothing on the site or in the admin breaks
it (the autouse ``_no_csp_violations`` fixture fails any test with a violation), and "use my location" still works."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import CSP_VIOLATIONS, watch_csp


@pytest.fixture(scope="module")
def superuser_session(site_server, django_db_blocker):
    """A committed superuser and the value of a session cookie logged in as them (the server thread must see both)."""
    from tests.conftest import sign_in_staff, with_authenticator_app
    from tests.factories import UserFactory

    with django_db_blocker.unblock():
        user = with_authenticator_app(UserFactory(is_staff=True, is_superuser=True))
        client = sign_in_staff(Client(), user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield session
    with django_db_blocker.unblock():
        user.delete()


@pytest.fixture
def admin_page(browser, site, superuser_session):
    context = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": superuser_session, "url": site}])
    yield context.new_page()
    context.close()


def test_live_server__sends_the_policy_and_the_permissions_policy(shared_page, site, demo):
    response = shared_page.goto(f"{site}/fi/services/?q=neuvola")

    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert "geolocation=(self)" in response.headers["permissions-policy"]


def test_violation_watch__catches_an_inline_style_and_an_inline_script(shared_page, site, demo):
    shared_page.goto(f"{site}/fi/about/")
    shared_page.evaluate(
        """() => {
          document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
        }"""
    )
    shared_page.wait_for_timeout(200)  # the violation events are queued as tasks
    caught, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []

    assert shared_page.evaluate("window.injected") is None
    assert any("style-src-attr" in violation for violation in caught), caught
    assert any("script-src-elem" in violation for violation in caught), caught


def test_use_my_location__sorts_by_distance_under_the_policies(browser, site, demo):
    context = watch_csp(
        browser.new_context(
            geolocation={"latitude": 60.1699, "longitude": 24.9384},
            permissions=["geolocation"],
            viewport={"width": 1280, "height": 900},
        )
    )
    page = context.new_page()
    try:
        page.goto(f"{site}/fi/services/?q=neuvola")
        with page.expect_navigation():
            page.locator("[data-geolocate] button").click()
        assert "lat=60.1699" in page.url and "lon=24.9384" in page.url
        assert "sort=" not in page.url  # nearest first is the default order with a position
    finally:
        context.close()


def admin_url(site, demo, path):
    return f"{site}/fi/admin/{path.format(service=demo.services['child_clinic'].pk)}"


@pytest.mark.parametrize(
    "path",
    [
        "",
        "services/service/",
        "services/service/?q=neuvola&state__exact=published",
        "services/service/{service}/change/",
        "services/service/add/",
        "meetingplaces/activity/add/",
        "organisations/organisation/add/",
        "services/service/{service}/delete/",
    ],
)
def test_admin_page__works_without_violations(admin_page, site, demo, path):
    response = admin_page.goto(admin_url(site, demo, path))

    assert response.status == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    # The admin's scripts ran: the theme toggle and the sidebar are wired up by external files only.
    assert admin_page.evaluate("typeof django !== 'undefined' && typeof django.jQuery === 'function'") or path == ""


def test_admin_change_form__translation_switch_inlines_and_widgets_work(admin_page, site, demo):
    admin_page.goto(admin_url(site, demo, "services/service/{service}/change/"))

    # The form's language switch: the Swedish name appears when Swedish is chosen.
    admin_page.locator(".mt-switch").get_by_role("button", name="svenska").click()
    assert admin_page.locator("#id_name_sv").is_visible()
    assert not admin_page.locator("#id_name_fi").is_visible()

    # Inlines: "add another" builds a new form from the empty one, in the language shown.
    phones = admin_page.locator("#phones-group")
    rows_before = phones.locator(".inline-related:not(.empty-form)").count()
    phones.locator(".add-row a").click()
    assert phones.locator(".inline-related:not(.empty-form)").count() == rows_before + 1
    added = phones.locator(".inline-related:not(.empty-form)").last
    assert added.locator(".mt-field-description-sv").is_visible()
    assert not added.locator(".mt-field-description-fi").is_visible()

    # filter_horizontal's two boxes and the date shortcuts are built by the admin's scripts.
    assert admin_page.locator(".selector-available").count() >= 1
    assert admin_page.locator(".datetimeshortcuts").count() >= 1
    # The autocomplete widget (select2) searches the organisations over XHR (connect-src 'self').
    admin_page.locator(".field-organisation .select2-selection").click()
    admin_page.locator(".select2-dropdown .select2-search__field").fill(demo.ngo.name_fi[:6])
    option = admin_page.locator(".select2-results__option", has_text=demo.ngo.name_fi)
    option.wait_for()
    assert option.count() == 1


def test_admin_changelist_without_actions__applies_its_nonced_style(admin_page, site, demo, monkeypatch):
    from services.admin import ServiceAdmin

    monkeypatch.setattr(ServiceAdmin, "actions_on_top", False)
    monkeypatch.setattr(ServiceAdmin, "actions_on_bottom", False)
    admin_page.goto(admin_url(site, demo, "services/service/"))

    assert admin_page.locator("style[nonce]").count() == 1
    # The nonce is hidden from the DOM once applied; the rule itself took effect.
    inline_rules = admin_page.evaluate(
        "[...document.styleSheets].filter(s => !s.href).flatMap(s => [...s.cssRules].map(r => r.selectorText))"
    )
    assert "#changelist table thead th:first-child" in inline_rules


def test_staff_sign_out_warning__appears_before_the_idle_limit_and_stay_signed_in_keeps_the_session(admin_page, site):
    page = admin_page
    page.clock.install()
    page.goto(f"{site}/fi/admin/")
    warning = page.locator("#session-timeout")
    assert warning.is_hidden()

    page.clock.fast_forward("27:50")
    assert warning.is_hidden()
    page.clock.fast_forward("00:20")  # 28:10 idle: under two minutes left

    assert warning.is_visible()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Pysy kirjautuneena"
    with page.expect_response(lambda response: "/staff/keep-alive/" in response.url) as keep_alive:
        page.keyboard.press("Enter")
    assert keep_alive.value.status == 204
    page.wait_for_function("document.getElementById('session-timeout').hidden")
