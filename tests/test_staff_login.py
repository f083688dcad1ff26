"""Staff sign in through allauth only: rate limits and lockout, compulsory second factor, idle timeout, site layout."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache

from tests.conftest import sign_in_staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105
T0 = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Rate-limit counters and used TOTP codes live in the cache: every test gets its own, empty one."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "staff"}}
    cache.clear()
    yield
    cache.clear()


def staff_user(**kwargs):
    from allauth.account.models import EmailAddress

    user = UserFactory(is_staff=True, is_superuser=True, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def current_code(secret):
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in(client, user, password=PASSWORD, language="fi", next_url=None):
    data = {"login": user.email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(f"/{language}/accounts/login/", data)


def open_activation_page(client, user):
    """Sign in, and confirm the password again as allauth asks before any two-factor change."""
    sign_in(client, user)
    response = client.get("/fi/accounts/2fa/totp/activate/")
    assert response["Location"] == "/fi/accounts/reauthenticate/?next=%2Ffi%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    client.post("/fi/accounts/reauthenticate/", {"password": PASSWORD})
    return client.get("/fi/accounts/2fa/totp/activate/").content.decode()


def is_signed_in(client):
    return "_auth_user_id" in client.session


# --- One login path ---


def test_admin_login__redirects_to_allauth_login_keeping_next(client):
    response = client.get("/fi/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/login/?next=%2Ffi%2Fadmin%2F"


def test_admin_login__a_post_with_the_right_password_does_not_sign_in(client):
    user = staff_user()

    response = client.post("/fi/admin/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/fi/accounts/login/")
    assert not is_signed_in(client)


def test_admin_login__31_wrong_passwords_from_one_client_are_refused_by_the_limit(client):
    """Following the admin's login to allauth: after 10 failures a minute, even further posts are refused."""
    users = [staff_user() for _ in range(7)]
    answers = []
    for attempt in range(31):
        login_url = client.get("/fi/admin/login/")["Location"].split("?")[0]
        user = users[attempt % len(users)]
        response = client.post(login_url, {"login": user.email, "password": "wrong password"})
        answers.append((response.status_code, response.content.decode()))

    wrong, too_many = "ei ole oikein", "Liian monta virheellistä kirjautumisyritystä"
    assert all(wrong in html for _status, html in answers[:10])
    assert all(status == 429 or too_many in html for status, html in answers[10:])
    # The right password is refused now too: the client is locked out, not only the guesses.
    response = sign_in(client, users[0])
    assert response.status_code == 429 or too_many in response.content.decode()
    assert not is_signed_in(client)


def test_locked_account__cannot_sign_in_by_any_path(client):
    user = staff_user()
    for _ in range(5):
        sign_in(client, user, password="wrong password")

    response = sign_in(client, user)
    assert "Liian monta virheellistä kirjautumisyritystä" in response.content.decode()
    response = client.post("/fi/admin/login/", {"username": user.username, "password": PASSWORD}, follow=True)
    assert not is_signed_in(client)
    assert response.request["PATH_INFO"] == "/fi/accounts/login/"


# --- Second factor ---

ADMIN_PATHS = ["/fi/admin/", "/sv/admin/", "/fi/admin/services/service/", "/fi/admin/auth/user/add/", "/en/admin/"]


def test_staff_without_totp__every_admin_page_redirects_to_activation(client):
    user = staff_user()
    sign_in(client, user)
    assert is_signed_in(client)

    for path in ADMIN_PATHS:
        response = client.get(path)
        language = path.split("/")[1]
        assert response.status_code == 302, path
        assert response["Location"] == f"/{language}/accounts/2fa/totp/activate/", path


def test_staff_without_totp__activation_page_explains_in_finnish_and_draws_the_qr_code_inline(client):
    html = open_activation_page(client, staff_user())

    assert "Henkilökunnan tunnuksilla on käytettävä kaksivaiheista tunnistusta" in html
    assert '<div class="qr-code" role="img"' in html
    assert "<svg" in html
    assert "data:image" not in html
    assert "<?xml" not in html


# Committed for real: allauth announces the new authenticator after the commit, inside the request, and that
# announcement records in the session that the code was used (activating an app takes a code from it).
@pytest.mark.django_db(transaction=True)
def test_staff_without_totp__activates_totp_and_then_opens_the_admin(client):
    user = staff_user()
    page = open_activation_page(client, user)
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page).group(1)

    response = client.post("/fi/accounts/2fa/totp/activate/", {"code": current_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    response = client.get("/fi/admin/")
    assert response.status_code == 200
    assert "Kirjaudu ulos" in response.content.decode()


def test_staff_with_totp__login_asks_for_the_code_and_the_admin_opens_after_it(client):
    user = staff_user()
    secret = with_totp(user)

    response = sign_in(client, user, next_url="/fi/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/2fa/authenticate/"
    assert not is_signed_in(client)
    assert client.get("/fi/admin/").status_code == 302
    page = client.get("/fi/accounts/2fa/authenticate/").content.decode()
    assert "Kaksivaiheinen tunnistus" in page

    response = client.post("/fi/accounts/2fa/authenticate/", {"code": current_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == "/fi/admin/"
    assert is_signed_in(client)
    assert client.get("/fi/admin/").status_code == 200


def test_staff_with_totp__a_wrong_code_does_not_sign_in(client):
    user = staff_user()
    secret = with_totp(user)
    sign_in(client, user)
    wrong = f"{(int(current_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post("/fi/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert not is_signed_in(client)


def test_staff_with_totp__a_session_that_never_used_the_code_must_confirm_it_first(client):
    """A sign-in path that skips the code (one added later, or a password alone) opens no staff page."""
    user = staff_user()
    secret = with_totp(user)
    client.force_login(user)  # signed in, but this session never used the authenticator app

    response = client.get("/fi/admin/services/service/")

    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/2fa/reauthenticate/?next=%2Ffi%2Fadmin%2Fservices%2Fservice%2F"
    assert client.get("/fi/admin/").status_code == 302
    response = client.post(response["Location"], {"code": current_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/fi/admin/services/service/"
    assert client.get("/fi/admin/services/service/").status_code == 200


def test_non_staff_user__is_not_asked_to_activate_totp(client):
    from allauth.account.models import EmailAddress

    user = UserFactory()
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    sign_in(client, user)

    response = client.get("/fi/")

    assert is_signed_in(client)
    assert response.status_code == 200


def test_authenticator_admin__lets_a_superuser_delete_but_never_shows_the_secret(client):
    from allauth.mfa.utils import decrypt

    user = staff_user()
    with_totp(user)
    sign_in_staff(client, user)
    authenticator = Authenticator.objects.get(user=user)
    secret = decrypt(authenticator.data["secret"])

    html = client.get(f"/fi/admin/mfa/authenticator/{authenticator.pk}/change/").content.decode()
    changelist = client.get("/fi/admin/mfa/authenticator/").content.decode()

    assert user.username in html
    assert secret not in html
    assert secret not in changelist
    assert 'name="data"' not in html
    assert f"/fi/admin/mfa/authenticator/{authenticator.pk}/delete/" in html


# --- Idle timeout ---


def test_staff_session__ends_after_30_minutes_without_activity(client):
    user = staff_user()
    with_totp(user)
    with time_machine.travel(T0, tick=False) as traveller:
        sign_in_staff(client, user)
        assert client.get("/fi/admin/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/fi/admin/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/fi/admin/").status_code == 200

        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/fi/admin/", follow=True)

    assert not is_signed_in(client)
    assert response.request["PATH_INFO"] == "/fi/accounts/login/"
    assert "30 minuuttiin" in response.content.decode()


def test_staff_session__ends_12_hours_after_sign_in_however_active(client):
    user = staff_user()
    with_totp(user)
    with time_machine.travel(T0, tick=False) as traveller:
        sign_in_staff(client, user)
        for _ in range(24):
            assert client.get("/fi/admin/").status_code == 200
            traveller.shift(dt.timedelta(minutes=29))
        traveller.shift(dt.timedelta(minutes=20))
        response = client.get("/fi/admin/")

    assert response.status_code == 302
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("language", "title", "button"),
    [("fi", "Sinut kirjataan pian ulos", "Pysy kirjautuneena"), ("sv", "Du loggas snart ut", "Förbli inloggad")],
)
def test_admin_pages__carry_the_sign_out_warning_in_the_language(client, language, title, button):
    user = staff_user()
    with_totp(user)
    sign_in_staff(client, user)

    html = client.get(f"/{language}/admin/services/service/").content.decode()

    assert 'id="session-timeout"' in html and 'role="alertdialog"' in html
    assert 'data-idle-seconds="1800"' in html and 'data-warn-seconds="120"' in html
    assert f'data-keepalive-url="/{language}/staff/keep-alive/"' in html
    assert title in html and button in html
    assert "js/session_timeout.js" in html


def test_keep_alive__counts_as_activity_so_the_session_lasts(client):
    user = staff_user()
    with_totp(user)
    with time_machine.travel(T0, tick=False) as traveller:
        sign_in_staff(client, user)
        assert client.get("/fi/admin/").status_code == 200
        traveller.shift(dt.timedelta(minutes=28))
        assert client.post("/fi/staff/keep-alive/").status_code == 204
        traveller.shift(dt.timedelta(minutes=28))
        kept = client.get("/fi/admin/")
        traveller.shift(dt.timedelta(minutes=31))
        expired = client.post("/fi/staff/keep-alive/")

    assert kept.status_code == 200  # 56 minutes after the page was loaded, 28 after "Stay signed in"
    assert expired.status_code == 403  # too late: the session had already ended
    assert not is_signed_in(client)


def test_keep_alive__is_only_for_staff_and_only_by_post(client):
    assert client.post("/fi/staff/keep-alive/").status_code == 403
    client.force_login(UserFactory())
    assert client.post("/fi/staff/keep-alive/").status_code == 403
    assert client.get("/fi/staff/keep-alive/").status_code == 405


def test_non_staff_session__has_no_idle_timeout(client):
    user = UserFactory()
    with time_machine.travel(T0, tick=False) as traveller:
        client.force_login(user)
        client.get("/fi/")
        traveller.shift(dt.timedelta(hours=2))
        client.get("/fi/")

    assert is_signed_in(client)


# --- Layout and language ---

LOGIN_TEXT = {
    "fi": ("Kirjaudu sisään", "Salasana", "Unohditko salasanasi?", "Siirry pääsisältöön"),
    "sv": ("Logga in", "Lösenord", "Glömt lösenordet?", "Hoppa till huvudinnehållet"),
}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_login_page__uses_the_site_layout_in_the_language_without_a_sign_up_link(client, language):
    response = client.get(f"/{language}/accounts/login/")
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html
    assert 'class="site-footer"' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    for text in LOGIN_TEXT[language]:
        assert text in html, text
    assert "signup" not in html
    assert "Sign Up" not in html
    assert "Rekisteröidy" not in html
    assert "Registrera" not in html
    assert 'class="account-form"' in html
    assert "style=" not in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("path", "finnish"),
    [
        ("/fi/accounts/password/reset/", "Salasanan uusiminen"),
        ("/fi/accounts/password/reset/done/", "Salasanan uusiminen"),
        ("/fi/accounts/password/reset/key/1-bad-key/", "Virheellinen"),
        ("/fi/accounts/signup/", "Rekisteröityminen on poissa käytöstä"),
    ],
)
def test_account_pages__render_in_finnish_in_the_site_layout(client, path, finnish):
    response = client.get(path)
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="fi">' in html
    assert 'class="site-header"' in html
    assert finnish in html
    assert "Rekisteröidy" not in html
    assert "Sign Up" not in html


def test_logout_page__renders_in_swedish_with_the_account_menu(client):
    user = staff_user()
    with_totp(user)
    sign_in_staff(client, user)

    html = client.get("/sv/accounts/logout/").content.decode()

    assert '<html lang="sv">' in html
    assert 'class="account-nav"' in html
    assert 'href="/sv/admin/"' in html
    assert "Logga ut" in html


def test_password_reset__sends_a_finnish_mail_with_a_link_to_the_finnish_page(client, mailoutbox):
    user = staff_user()

    client.post("/fi/accounts/password/reset/", {"email": user.email})

    assert len(mailoutbox) == 1
    assert "/fi/accounts/password/reset/key/" in mailoutbox[0].body


# --- robots.txt ---


def test_robots__does_not_name_the_admin_or_the_sign_in_pages(client):
    text = client.get("/robots.txt").content.decode()

    assert "admin" not in text
    assert "accounts" not in text
