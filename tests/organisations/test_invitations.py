"""Invitations: coordinators invite in the admin, the invitee accepts once through the e-mailed link, accounts are
made only this way; partners' sessions time out like staff sessions."""

import datetime as dt
import hashlib
import re
import threading

import pytest
import time_machine
from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection

from organisations import access, invitations
from organisations.models import Invitation, Membership
from tests.access_matrix import build_world
from tests.conftest import sign_in_staff, with_authenticator_app
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kesäpäivä-ja-sadetakki-42"  # noqa: S105
T0 = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)
LINK = re.compile(r"https?://[^/\s]+(/(fi|sv|en)/accounts/invitation/([^/\s]+)/)")
INVALID_TEXT = {"fi": "Linkki ei ole voimassa tai sitä on jo käytetty", "sv": "Länken är inte giltig eller har redan"}


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Rate-limit counters live in the cache: every test gets its own, empty one."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "inv"}}
    cache.clear()
    yield
    cache.clear()


def invite(
    capture, *, organisation, role=Membership.Role.EDITOR, email="uusi@example.fi", areas=(), language="", by=None
):
    """Send an invitation as the admin does; returns (invitation, token from the e-mail's link)."""
    invitation = Invitation(organisation=organisation, role=role, email=email, language=language)
    with capture(execute=True):
        token = invitations.send_invitation(invitation=invitation, invited_by=by, base_url="https://perhekeskus.fi/")
        invitation.areas.set(areas)
    return invitation, token


def link_in(mail, language="fi"):
    return next(match[1] for match in LINK.finditer(mail.body) if match[2] == language)


def accept_new(client, token, language="fi", password=PASSWORD):
    return client.post(f"/{language}/accounts/invitation/{token}/", {"password1": password, "password2": password})


def main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def is_signed_in(client):
    return "_auth_user_id" in client.session


# --- The invitation and its e-mail ---


def test_invitation__stores_only_the_hash_of_a_128_bit_token_and_mails_the_link_in_fi_and_sv(
    django_capture_on_commit_callbacks, mailoutbox
):
    organisation = OrganisationFactory(name_fi="Oma perheyhdistys ry", name_sv="Egna familjeföreningen rf")

    invitation, token = invite(django_capture_on_commit_callbacks, organisation=organisation, email="Uusi@Example.fi")

    invitation.refresh_from_db()
    assert len(token) >= 22  # 16 bytes, URL-safe base64
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.email == "uusi@example.fi"
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        dt.timedelta(days=7), abs=dt.timedelta(seconds=5)
    )
    [mail] = mailoutbox
    assert mail.to == ["uusi@example.fi"]
    assert mail.subject == "Kutsu Perhekeskukseen / Inbjudan till Familjecentret"
    assert "organisaation Oma perheyhdistys ry käyttäjäksi roolissa Kumppanin ylläpitäjä" in mail.body
    assert "Du har bjudits in till Familjecentret" in mail.body
    assert link_in(mail, "fi") == f"/fi/accounts/invitation/{token}/"
    assert link_in(mail, "sv") == f"/sv/accounts/invitation/{token}/"


def test_invitation__in_one_chosen_language_mails_only_that_language(django_capture_on_commit_callbacks, mailoutbox):
    invite(django_capture_on_commit_callbacks, organisation=OrganisationFactory(), language="sv")

    [mail] = mailoutbox
    assert mail.subject == "Inbjudan till Familjecentret"
    assert "/sv/accounts/invitation/" in mail.body and "/fi/accounts/invitation/" not in mail.body


def test_invitation_valid_days__is_a_setting(django_capture_on_commit_callbacks, settings):
    settings.INVITATION_VALID_DAYS = 2
    with time_machine.travel(T0, tick=False):
        invitation, _token = invite(django_capture_on_commit_callbacks, organisation=OrganisationFactory())

    assert invitation.expires_at == T0 + dt.timedelta(days=2)


# --- Who may invite whom ---


@pytest.mark.parametrize(
    ("role", "organisation", "invited_role", "areas", "allowed"),
    [
        ("superuser", "other_area", "coordinator", ["b"], True),
        ("superuser", "own", "editor", [], True),
        ("coordinator", "own", "editor", [], True),
        ("coordinator", "same_area", "professional", [], True),
        ("coordinator", "own", "coordinator", ["a"], True),
        ("coordinator", "own", "coordinator", ["a", "b"], False),
        ("coordinator", "other_area", "editor", [], False),
        ("coordinator_b", "own", "editor", [], False),
        ("coordinator_b", "other_area", "coordinator", ["b"], True),
        ("editor", "own", "editor", [], False),
        ("professional", "own", "professional", [], False),
        ("anonymous", "own", "editor", [], False),
    ],
)
def test_may_invite__follows_the_coordinators_areas(role, organisation, invited_role, areas, allowed):
    world = build_world()
    area = {"a": world.area_a, "b": world.area_b}

    result = access.may_invite(
        world.user(role), world.organisations[organisation], invited_role, [area[code] for code in areas]
    )

    assert result is allowed


def coordinator_client(client, world, role="coordinator"):
    user = with_authenticator_app(world.user(role))
    return sign_in_staff(client, user)


def admin_add(client, organisation, role="editor", areas=(), email="uusi@example.fi", language=""):
    data = {"email": email, "organisation": organisation.pk, "role": role, "language": language}
    if areas:
        data["areas"] = [area.pk for area in areas]
    return client.post("/fi/admin/organisations/invitation/add/", data)


def test_admin__a_coordinator_invites_a_partner_and_the_mail_goes_out(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    world = build_world()
    coordinator_client(client, world)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_add(client, world.organisations["own"])

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.invited_by, invitation.role, invitation.organisation) == (
        world.user("coordinator"),
        "editor",
        world.organisations["own"],
    )
    assert len(mailoutbox) == 1 and "/fi/accounts/invitation/" in mailoutbox[0].body


def test_admin__offers_only_the_coordinators_organisations_and_areas(client):
    world = build_world()
    coordinator_client(client, world)

    html = client.get("/fi/admin/organisations/invitation/add/").content.decode()

    assert "Oma perheyhdistys ry" in html and "Naapuriyhdistys ry" in html
    assert "Lapin perheyhdistys ry" not in html
    assert world.area_a.name_fi in html and world.area_b.name_fi not in html


@pytest.mark.parametrize(
    ("organisation", "role", "areas"),
    [("other_area", "editor", []), ("own", "coordinator", ["b"]), ("own", "coordinator", []), ("own", "editor", ["a"])],
)
def test_admin__refuses_what_the_coordinator_may_not_invite(client, mailoutbox, organisation, role, areas):
    world = build_world()
    coordinator_client(client, world)
    area = {"a": world.area_a, "b": world.area_b}

    response = admin_add(client, world.organisations[organisation], role, [area[code] for code in areas])

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Invitation.objects.exists() and not mailoutbox


def test_admin__lists_states_scoped_to_the_coordinators_areas(client, django_capture_on_commit_callbacks):
    world = build_world()
    with time_machine.travel(T0, tick=False):
        pending, _ = invite(django_capture_on_commit_callbacks, organisation=world.organisations["own"], email="a@x.fi")
        revoked, _ = invite(django_capture_on_commit_callbacks, organisation=world.organisations["own"], email="b@x.fi")
        invite(django_capture_on_commit_callbacks, organisation=world.organisations["other_area"], email="c@x.fi")
        invitations.revoke_invitation(invitation=revoked)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        coordinator_client(client, world)
        html = client.get("/fi/admin/organisations/invitation/").content.decode()

    assert "a@x.fi" in html and "b@x.fi" in html and "c@x.fi" not in html
    assert "Odottaa" in html and "Peruttu" in html


def test_admin__editors_and_professionals_have_no_invitation_admin(client):
    world = build_world()
    for role in ("editor", "professional"):
        client.force_login(world.user(role))
        assert client.get("/fi/admin/organisations/invitation/add/").status_code == 302


def test_admin_actions__resend_draws_a_new_link_and_revoke_ends_it(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    world = build_world()
    invitation, old_token = invite(django_capture_on_commit_callbacks, organisation=world.organisations["own"])
    coordinator_client(client, world)
    changelist = "/fi/admin/organisations/invitation/"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "resend", "_selected_action": [invitation.pk]})
    new_token = LINK.search(mailoutbox[-1].body)[3]

    assert new_token != old_token
    assert client.get(f"/fi/accounts/invitation/{old_token}/").status_code == 404
    client.post(changelist, {"action": "revoke", "_selected_action": [invitation.pk]})
    client.logout()
    response = client.get(f"/fi/accounts/invitation/{new_token}/")
    assert response.status_code == 410
    assert "Kutsu on peruttu" in response.content.decode()


# --- One pending invitation per address and organisation ---


def test_send_invitation__refuses_a_second_pending_invitation_to_the_same_address(
    django_capture_on_commit_callbacks, mailoutbox
):
    organisation = OrganisationFactory()
    first, _token = invite(django_capture_on_commit_callbacks, organisation=organisation, email="uusi@example.fi")
    mailoutbox.clear()

    with pytest.raises(invitations.AlreadyInvited) as raised:
        invite(
            django_capture_on_commit_callbacks,
            organisation=organisation,
            email=" Uusi@Example.FI ",
            role=Membership.Role.PROFESSIONAL,
        )

    assert raised.value.pending == first
    assert list(Invitation.objects.values_list("pk", flat=True)) == [first.pk]
    assert not mailoutbox


def test_send_invitation__an_expired_revoked_or_accepted_one_or_another_organisation_does_not_block(
    django_capture_on_commit_callbacks,
):
    organisation, other = OrganisationFactory(), OrganisationFactory()
    with time_machine.travel(T0, tick=False):
        invite(django_capture_on_commit_callbacks, organisation=organisation, email="a@x.fi")
        revoked, _ = invite(django_capture_on_commit_callbacks, organisation=organisation, email="b@x.fi")
        invitations.revoke_invitation(invitation=revoked)
        invite(django_capture_on_commit_callbacks, organisation=other, email="b@x.fi")
    with time_machine.travel(T0 + dt.timedelta(days=60), tick=False):
        again, _ = invite(django_capture_on_commit_callbacks, organisation=organisation, email="a@x.fi")
        invite(django_capture_on_commit_callbacks, organisation=organisation, email="b@x.fi")

    assert again.pk is not None
    assert Invitation.objects.filter(email="a@x.fi", organisation=organisation).count() == 2
    assert Invitation.objects.filter(email="b@x.fi").count() == 3


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("fi", ("on jo voimassa oleva kutsu", "Lähetä uudelleen uudella linkillä", "Avaa voimassa oleva kutsu")),
        ("sv", ("har redan en giltig inbjudan", "Skicka igen med en ny länk", "Öppna den giltiga inbjudan")),
    ],
)
def test_admin__a_second_invitation_to_a_pending_address_is_a_form_error_naming_the_pending_one(
    client, django_capture_on_commit_callbacks, mailoutbox, language, texts
):
    world = build_world()
    organisation = world.organisations["own"]
    with time_machine.travel(T0, tick=False):
        pending, _ = invite(django_capture_on_commit_callbacks, organisation=organisation, email="uusi@example.fi")
    mailoutbox.clear()
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        coordinator_client(client, world)
        data = {"email": "UUSI@example.fi", "organisation": organisation.pk, "role": "professional", "language": ""}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/{language}/admin/organisations/invitation/add/", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert all(text in html for text in texts), html[html.find("errorlist") - 200 : html.find("errorlist") + 900]
    assert "uusi@example.fi" in html and getattr(organisation, f"name_{language}") in html
    assert f"/{language}/admin/organisations/invitation/{pending.pk}/change/" in html
    assert list(Invitation.objects.values_list("pk", flat=True)) == [pending.pk]
    assert not mailoutbox


def test_admin__an_invitation_made_meanwhile_by_another_coordinator_is_not_doubled(
    client, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    world = build_world()
    organisation = world.organisations["own"]
    coordinator_client(client, world)
    real = invitations.pending_invitation
    calls = []

    def race(**kwargs):
        # The form's check finds nothing; then the other coordinator's invitation lands before the save.
        calls.append(kwargs)
        if len(calls) == 1:
            other = Invitation(organisation=organisation, role="editor", email="uusi@example.fi")
            invitations.send_invitation(invitation=other, invited_by=None, base_url="https://perhekeskus.fi/")
            return None
        return real(**kwargs)

    monkeypatch.setattr(invitations, "pending_invitation", race)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_add(client, organisation)

    assert response.status_code == 302
    assert Invitation.objects.count() == 1
    assert len(mailoutbox) == 1  # the other coordinator's; none from this save
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("on jo voimassa oleva kutsu" in message for message in messages)


# --- Accepting ---


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("fi", ("Hyväksy kutsu", "Valitse tilillesi salasana", "Salasana (uudestaan)")),
        ("sv", ("Godkänn inbjudan", "Välj ett lösenord för ditt konto", "Lösenord (igen)")),
    ],
)
def test_accept_page__asks_a_new_address_for_a_password_in_the_language(
    client, django_capture_on_commit_callbacks, language, texts
):
    _invitation, token = invite(django_capture_on_commit_callbacks, organisation=OrganisationFactory())

    response = client.get(f"/{language}/accounts/invitation/{token}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    for text in texts:
        assert text in html
    assert "uusi@example.fi" in html


def test_accept__creates_a_verified_account_with_the_membership_signs_in_and_offers_totp(
    client, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    invitation, token = invite(django_capture_on_commit_callbacks, organisation=organisation)

    response = accept_new(client, token)

    user = get_user_model().objects.get(email="uusi@example.fi")
    assert response.status_code == 302 and response["Location"] == "/fi/accounts/welcome/"
    assert user.check_password(PASSWORD) and not user.is_staff
    assert EmailAddress.objects.filter(user=user, email="uusi@example.fi", verified=True, primary=True).exists()
    assert Membership.objects.filter(user=user, organisation=organisation, role="editor").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at
    assert is_signed_in(client)
    request = client.get("/fi/accounts/welcome/").wsgi_request
    assert [record["method"] for record in get_authentication_records(request, user)] == ["password"]
    welcome = client.get("/fi/accounts/welcome/").content.decode()
    assert 'href="/fi/accounts/2fa/totp/activate/"' in welcome
    assert 'href="/fi/partner/"' in welcome and "Ohita toistaiseksi" in welcome
    # Skippable: the partner pages open without a second factor.
    assert client.get("/fi/partner/").status_code == 200
    # Offered: the activation page opens at once (the password was just given).
    assert client.get("/fi/accounts/2fa/totp/activate/").status_code == 200


@pytest.mark.parametrize(
    ("password2", "error"),
    [("something-else-entirely-9", "Salasanojen täytyy olla samat"), ("lyhyt", "")],
)
def test_accept__bad_passwords_get_a_form_error_and_no_account(
    client, django_capture_on_commit_callbacks, password2, error
):
    _invitation, token = invite(django_capture_on_commit_callbacks, organisation=OrganisationFactory())
    password1 = password2 if password2 == "lyhyt" else PASSWORD

    response = client.post(f"/fi/accounts/invitation/{token}/", {"password1": password1, "password2": password2})

    assert response.status_code == 200
    html = response.content.decode()
    assert "field--error" in html or "errorlist" in html
    assert error in html
    assert not get_user_model().objects.filter(email="uusi@example.fi").exists()


def test_accept__a_used_link_reads_like_an_unknown_one(client, django_capture_on_commit_callbacks):
    _invitation, token = invite(django_capture_on_commit_callbacks, organisation=OrganisationFactory())
    accept_new(client, token)
    client.logout()

    used = client.get(f"/fi/accounts/invitation/{token}/")
    unknown = client.get("/fi/accounts/invitation/no-such-token/")
    again = accept_new(client, token)

    assert used.status_code == unknown.status_code == again.status_code == 404
    assert main(used) == main(unknown)
    assert INVALID_TEXT["fi"] in used.content.decode()
    assert get_user_model().objects.filter(email="uusi@example.fi").count() == 1


def test_accept__one_token_gives_one_account_even_when_posted_twice(client, django_capture_on_commit_callbacks):
    _invitation, token = invite(django_capture_on_commit_callbacks, organisation=OrganisationFactory())

    invitations.accept_invitation(token=token, password=PASSWORD)
    with pytest.raises(invitations.InvitationUnavailable):
        invitations.accept_invitation(token=token, password=PASSWORD)

    assert get_user_model().objects.filter(email="uusi@example.fi").count() == 1


@pytest.mark.django_db(transaction=True)
def test_accept__two_simultaneous_acceptances_of_one_link_make_one_account():
    invitation = Invitation(organisation=OrganisationFactory(), role=Membership.Role.EDITOR, email="uusi@example.fi")
    token = invitations.send_invitation(invitation=invitation, invited_by=None, base_url="https://perhekeskus.fi/")
    start, results = threading.Barrier(2), []

    def accept():
        start.wait()
        try:
            invitations.accept_invitation(token=token, password=PASSWORD)
            results.append("accepted")
        except invitations.InvitationUnavailable:
            results.append("unavailable")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["accepted", "unavailable"]
    assert get_user_model().objects.filter(email="uusi@example.fi").count() == 1
    assert Membership.objects.filter(organisation=invitation.organisation).count() == 1


@pytest.mark.parametrize(("language", "text"), [("fi", "Kutsu on vanhentunut"), ("sv", "Inbjudan har gått ut")])
def test_accept__an_expired_link_is_gone(client, django_capture_on_commit_callbacks, language, text):
    with time_machine.travel(T0, tick=False) as traveller:
        _invitation, token = invite(django_capture_on_commit_callbacks, organisation=OrganisationFactory())
        traveller.shift(dt.timedelta(days=7, seconds=1))
        response = client.get(f"/{language}/accounts/invitation/{token}/")
        posted = accept_new(client, token, language)

    assert response.status_code == posted.status_code == 410
    assert text in response.content.decode()
    assert not get_user_model().objects.filter(email="uusi@example.fi").exists()


def test_accept__an_existing_account_signs_in_first_then_gains_the_membership(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="uusi@example.fi")
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    organisation = OrganisationFactory()
    _invitation, token = invite(django_capture_on_commit_callbacks, organisation=organisation, email="UUSI@example.fi")
    url = f"/fi/accounts/invitation/{token}/"

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/fi/accounts/login/?next={url}"
    signed_in = client.post("/fi/accounts/login/", {"login": user.email, "password": PASSWORD, "next": url})
    assert signed_in["Location"] == url
    assert "Hyväksy kutsu" in client.get(url).content.decode()
    accepted = client.post(url)

    assert accepted.status_code == 302
    assert Membership.objects.filter(user=user, organisation=organisation).exists()
    assert get_user_model().objects.filter(email__iexact="uusi@example.fi").count() == 1
    assert "staff_session_started" in client.session


def test_accept__signed_in_as_someone_else_accepts_nothing(client, django_capture_on_commit_callbacks):
    _invitation, token = invite(django_capture_on_commit_callbacks, organisation=OrganisationFactory())
    client.force_login(UserFactory(email="toinen@example.fi"))

    response = client.post(f"/fi/accounts/invitation/{token}/")

    assert "olet kirjautunut toisella tilillä" in response.content.decode()
    assert not Membership.objects.exists()


def test_accept__a_coordinator_becomes_staff_and_must_set_up_totp_at_once(client, django_capture_on_commit_callbacks):
    world = build_world()
    _invitation, token = invite(
        django_capture_on_commit_callbacks,
        organisation=world.organisations["own"],
        role=Membership.Role.COORDINATOR,
        areas=[world.area_a],
    )

    response = accept_new(client, token)

    user = get_user_model().objects.get(email="uusi@example.fi")
    assert user.is_staff and not user.is_superuser
    assert list(user.memberships.get().areas.all()) == [world.area_a]
    assert response["Location"] == "/fi/admin/"
    assert client.get("/fi/admin/")["Location"] == "/fi/accounts/2fa/totp/activate/"
    assert client.get("/fi/partner/")["Location"] == "/fi/accounts/2fa/totp/activate/"
    activation = client.get("/fi/accounts/2fa/totp/activate/")
    assert activation.status_code == 200
    assert "Henkilökunnan tunnuksilla on käytettävä kaksivaiheista tunnistusta" in activation.content.decode()


# --- Password reset for invited accounts ---


def test_password_reset__works_for_an_invited_account(client, django_capture_on_commit_callbacks, mailoutbox):
    _invitation, token = invite(django_capture_on_commit_callbacks, organisation=OrganisationFactory())
    accept_new(client, token)
    client.post("/fi/accounts/logout/")
    mailoutbox.clear()

    client.post("/fi/accounts/password/reset/", {"email": "uusi@example.fi"})
    [mail] = mailoutbox
    reset_url = re.search(r"https?://[^/\s]+(/fi/accounts/password/reset/key/\S+/)", mail.body)[1]
    form_url = client.get(reset_url)["Location"]
    new_password = "talviaamu-ja-lumikola-77"  # noqa: S105
    done = client.post(form_url, {"password1": new_password, "password2": new_password})

    assert done.status_code == 302
    assert get_user_model().objects.get(email="uusi@example.fi").check_password(new_password)
    signed_in = client.post("/fi/accounts/login/", {"login": "uusi@example.fi", "password": new_password})
    assert signed_in["Location"] == "/fi/partner/"


# --- Partner sessions ---


def partner(client):
    user = Membership.objects.create(
        user=UserFactory(), organisation=OrganisationFactory(), role=Membership.Role.EDITOR
    ).user
    client.force_login(user)
    return user


def test_partner_session__ends_after_30_minutes_without_activity(client):
    with time_machine.travel(T0, tick=False) as traveller:
        partner(client)
        assert client.get("/fi/partner/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/fi/partner/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/fi/partner/", follow=True)

    assert not is_signed_in(client)
    assert "30 minuuttiin" in response.content.decode()


def test_partner_session__ends_at_its_maximum_age_however_active(client):
    with time_machine.travel(T0, tick=False) as traveller:
        partner(client)
        for _ in range(25):
            client.get("/fi/partner/")
            traveller.shift(dt.timedelta(minutes=29))
        client.get("/fi/partner/")  # 12 h 5 min after signing in

    assert not is_signed_in(client)


def test_partner_session__is_not_asked_for_a_second_factor(client):
    partner(client)

    assert client.get("/fi/partner/").status_code == 200


@pytest.mark.parametrize(
    ("language", "title", "button"),
    [("fi", "Sinut kirjataan pian ulos", "Pysy kirjautuneena"), ("sv", "Du loggas snart ut", "Förbli inloggad")],
)
def test_public_pages__carry_the_sign_out_warning_for_partners_in_the_language(client, language, title, button):
    partner(client)

    html = client.get(f"/{language}/partner/").content.decode()

    assert 'id="session-timeout"' in html and 'data-idle-seconds="1800"' in html
    assert f'data-keepalive-url="/{language}/staff/keep-alive/"' in html
    assert title in html and button in html
    assert "js/session_timeout.js" in html and "css/session_timeout.css" in html


def test_public_pages__have_no_sign_out_warning_for_visitors(client):
    html = client.get("/fi/").content.decode()

    assert 'id="session-timeout"' not in html and "session_timeout.js" not in html


def test_keep_alive__accepts_partners(client):
    with time_machine.travel(T0, tick=False) as traveller:
        partner(client)
        traveller.shift(dt.timedelta(minutes=28))
        assert client.post("/fi/staff/keep-alive/").status_code == 204
        traveller.shift(dt.timedelta(minutes=28))
        assert client.get("/fi/partner/").status_code == 200

    assert is_signed_in(client)
