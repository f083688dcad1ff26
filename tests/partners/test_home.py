import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from organisations.models import ChangeRecord
from tests.access_matrix import build_world

pytestmark = pytest.mark.django_db


def home_url(language="fi"):
    with translation.override(language):
        return reverse("partners:home")


def checked_url(kind, pk, language="fi"):
    with translation.override(language):
        return reverse("partners:checked", kwargs={"kind": kind, "pk": pk})


def test_home__lists_the_editors_own_entries_only_with_their_checked_state(client):
    world = build_world()
    client.force_login(world.user("editor"))
    response = client.get(home_url())
    html = response.content.decode()
    own, draft = world.objects["own"], world.objects["own_draft"]
    for entry in (own["service"], own["meeting_place"], draft["service"], draft["meeting_place"]):
        assert entry.name in html
    assert own["activity"].title in html
    for other in ("same_area", "other_area"):
        assert world.objects[other]["service"].name not in html
        assert world.objects[other]["meeting_place"].name not in html
    assert "Oma perheyhdistys ry" in html
    # A draft has no public page and cannot be marked as checked yet.
    assert f'href="{draft["service"].get_absolute_url()}"' not in html
    assert checked_url("service", draft["service"].pk) not in html
    assert checked_url("service", own["service"].pk) in html


def test_home__due_filter_keeps_only_entries_not_checked_for_the_interval(client, settings):
    world = build_world()
    own = world.objects["own"]
    service, place = own["service"], own["meeting_place"]
    service.reviewed_at = timezone.now() - dt.timedelta(days=settings.REVIEW_REMINDER_DAYS + 1)
    service.save()
    place.reviewed_at = timezone.now()
    place.save()
    client.force_login(world.user("editor"))
    html = client.get(home_url("sv") + "?due=1").content.decode()
    assert service.name in html and place.name not in html
    assert "ska kontrolleras" in html


def test_still_correct__records_the_check_and_returns_to_the_list(client):
    world = build_world()
    service = world.objects["own"]["service"]
    service.reviewed_at = timezone.now() - dt.timedelta(days=400)
    service.save()
    client.force_login(world.user("editor"))
    response = client.post(checked_url("service", service.pk), {"due": "1"})
    assert response.status_code == 302 and response["Location"] == home_url() + "?due=1"
    service.refresh_from_db()
    assert timezone.now() - service.reviewed_at < dt.timedelta(minutes=1)
    record = ChangeRecord.objects.get(object_id=service.pk, action=ChangeRecord.Action.CHECKED)
    assert record.user == world.user("editor") and "reviewed_at" in record.changes


@pytest.mark.parametrize("role", ["editor", "professional"])
def test_still_correct__on_another_organisations_entry_is_forbidden(client, role):
    world = build_world()
    place = world.objects["same_area"]["meeting_place"]
    client.force_login(world.user(role))
    response = client.post(checked_url("meeting-place", place.pk))
    assert response.status_code == 403
    place.refresh_from_db()
    assert place.reviewed_at is None
    assert not ChangeRecord.objects.filter(object_id=place.pk, action=ChangeRecord.Action.CHECKED).exists()


def test_still_correct__unknown_kind_is_404_and_get_is_not_allowed(client):
    world = build_world()
    client.force_login(world.user("editor"))
    assert client.post(checked_url("organisation", 1)).status_code == 404
    assert client.get(checked_url("service", world.objects["own"]["service"].pk)).status_code == 405


def test_home__anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(home_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home__a_professional_without_entries_is_told_what_to_do(client):
    world = build_world()
    client.force_login(world.user("professional"))
    html = client.get(home_url()).content.decode()
    assert "koordinaattori voi kutsua" in html
    assert world.objects["own"]["service"].name not in html


def test_sign_in_lands_a_partner_on_their_pages():
    from django.test import RequestFactory

    from organisations.adapters import InvitationOnlyAccountAdapter

    world = build_world()
    request = RequestFactory().get("/")
    with translation.override("sv"):
        request.user = world.user("editor")
        assert InvitationOnlyAccountAdapter().get_login_redirect_url(request) == "/sv/partner/"
        request.user = world.user("coordinator")
        assert InvitationOnlyAccountAdapter().get_login_redirect_url(request) == "/sv/admin/"


def test_home__a_professional_is_pointed_to_the_questions_waiting_in_the_inbox(client):
    from perhekeskus.contact.delivery import submit

    world = build_world()
    submit(organisation=world.organisations["own"], body="Kysymys", language="fi")
    submit(organisation=world.organisations["own"], body="Toinen", language="sv")
    client.force_login(world.user("professional"))
    html = client.get(home_url("sv")).content.decode()
    assert "2 anonyma frågor väntar i din organisations inkorg" in html and 'href="/sv/contact/inbox/"' in html
    client.force_login(world.user("editor"))
    assert "inkorg" not in client.get(home_url("sv")).content.decode()
