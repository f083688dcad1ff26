"""The checking rhythm: partners reminded at 6 months, coordinators told at 9, each once per entry and stage."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from meetingplaces.models import MeetingPlace
from organisations.review import mark_checked
from perhekeskus.reminders import send_review_escalations, send_review_reminders
from services.models import Service
from tests.access_matrix import build_world

pytestmark = pytest.mark.django_db

# A Monday, 07:00 Helsinki time: the start of a weekly round.
NOW = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(settings):
    settings.REVIEW_REMINDER_DAYS, settings.REVIEW_ESCALATION_DAYS = 183, 274
    settings.SITE_URL = "https://perhekeskus.example"
    with time_machine.travel(NOW - dt.timedelta(days=400), tick=False):
        built = build_world()
    built.organisations["own"].email = "toimisto@oma.example"
    built.organisations["own"].save()
    return built


def set_checked(obj, days_ago):
    obj.__class__.objects.filter(pk=obj.pk).update(reviewed_at=NOW - dt.timedelta(days=days_ago))
    obj.refresh_from_db()


def own(world, kind):
    return world.objects["own"][kind]


def test_reminder__at_six_months_mails_the_organisation_and_its_editors_about_services_and_meeting_places(
    world, mailoutbox
):
    set_checked(own(world, "service"), 190)
    set_checked(own(world, "meeting_place"), 200)
    for other in ("same_area", "other_area"):
        set_checked(world.objects[other]["service"], 10)
        set_checked(world.objects[other]["meeting_place"], 10)

    assert send_review_reminders(now=NOW) == 1

    (message,) = mailoutbox
    assert sorted(message.to) == ["toimisto@oma.example", "toimittaja@example.fi"]
    finnish, swedish = message.body.split("\n\n----------\n\n")
    assert own(world, "service").name_fi in finnish and own(world, "meeting_place").name_fi in finnish
    assert "https://perhekeskus.example/fi/partner/?due=1" in finnish
    assert "https://perhekeskus.example/sv/partner/?due=1" in swedish
    assert "kirjaudu ensin sisään" in finnish and "logga in först" in swedish
    assert Service.objects.get(pk=own(world, "service").pk).review_reminder_sent_at == NOW
    assert MeetingPlace.objects.get(pk=own(world, "meeting_place").pk).review_reminder_sent_at == NOW


def test_reminder__not_before_six_months(world, mailoutbox):
    for name in ("own", "same_area", "other_area"):
        set_checked(world.objects[name]["service"], 180)
        set_checked(world.objects[name]["meeting_place"], 180)

    assert send_review_reminders(now=NOW) == 0
    assert mailoutbox == []


def test_reminder__once_per_entry_until_it_is_checked_again(world, mailoutbox):
    service = own(world, "service")
    set_checked(service, 190)
    MeetingPlace.objects.update(reviewed_at=NOW)
    Service.objects.exclude(pk=service.pk).update(reviewed_at=NOW)

    assert send_review_reminders(now=NOW) == 1
    assert send_review_reminders(now=NOW + dt.timedelta(days=7)) == 0
    assert send_review_reminders(now=NOW + dt.timedelta(days=70)) == 0

    with time_machine.travel(NOW + dt.timedelta(days=71), tick=False):
        mark_checked(user=world.user("editor"), obj=Service.objects.get(pk=service.pk))
    assert Service.objects.get(pk=service.pk).review_reminder_sent_at is None
    assert send_review_reminders(now=NOW + dt.timedelta(days=77)) == 0
    # Six months after that check: due again, reminded again.
    assert send_review_reminders(now=NOW + dt.timedelta(days=71 + 189)) == 1
    assert len(mailoutbox) == 2


def test_escalation__at_nine_months_mails_the_areas_coordinators_the_unchecked_entries(world, mailoutbox):
    set_checked(own(world, "service"), 280)
    set_checked(own(world, "meeting_place"), 200)  # reminded, not yet escalated
    set_checked(world.objects["same_area"]["service"], 10)
    set_checked(world.objects["same_area"]["meeting_place"], 10)
    set_checked(world.objects["other_area"]["service"], 300)
    set_checked(world.objects["other_area"]["meeting_place"], 10)

    assert send_review_escalations(now=NOW) == 2

    by_recipient = {tuple(message.to): message for message in mailoutbox}
    area_a = by_recipient[("koordinaattori@example.fi",)]
    area_b = by_recipient[("koordinaattori.lappi@example.fi",)]
    finnish, swedish = area_a.body.split("\n\n----------\n\n")
    assert own(world, "service").name_fi in finnish and "Oma perheyhdistys ry" in finnish
    assert own(world, "meeting_place").name_fi not in finnish
    assert world.objects["other_area"]["service"].name_fi not in area_a.body
    assert "muistutuksesta huolimatta" in finnish and "trots påminnelse" in swedish
    with translation.override("fi"):
        assert reverse("admin:services_service_change", args=[own(world, "service").pk]) in finnish
    assert world.objects["other_area"]["service"].name_fi in area_b.body
    assert Service.objects.get(pk=own(world, "service").pk).review_escalated_at == NOW


def test_escalation__once_per_entry_and_cleared_by_a_check(world, mailoutbox):
    service = own(world, "service")
    Service.objects.update(reviewed_at=NOW)
    MeetingPlace.objects.update(reviewed_at=NOW)
    set_checked(service, 280)

    assert send_review_escalations(now=NOW) == 1
    assert send_review_escalations(now=NOW) == 0
    assert send_review_escalations(now=NOW + dt.timedelta(days=7)) == 0

    with time_machine.travel(NOW + dt.timedelta(days=8), tick=False):
        mark_checked(user=world.user("editor"), obj=Service.objects.get(pk=service.pk))
    assert Service.objects.get(pk=service.pk).review_escalated_at is None
    assert send_review_escalations(now=NOW + dt.timedelta(days=14)) == 0
    assert len(mailoutbox) == 1


def test_escalation__an_area_without_a_coordinator_address_keeps_its_entries_for_the_next_round(world, mailoutbox):
    from django.contrib.auth import get_user_model

    service = own(world, "service")
    Service.objects.update(reviewed_at=NOW)
    MeetingPlace.objects.update(reviewed_at=NOW)
    set_checked(service, 280)
    get_user_model().objects.filter(pk=world.user("coordinator").pk).update(email="")

    assert send_review_escalations(now=NOW) == 0
    assert Service.objects.get(pk=service.pk).review_escalated_at is None

    get_user_model().objects.filter(pk=world.user("coordinator").pk).update(email="koordinaattori@example.fi")
    assert send_review_escalations(now=NOW + dt.timedelta(days=7)) == 1
    assert [mail.to for mail in mailoutbox] == [["koordinaattori@example.fi"]]
    assert Service.objects.get(pk=service.pk).review_escalated_at is not None


def test_reminder_link__opens_the_due_list_after_signing_in(world, client):
    from allauth.account.models import EmailAddress

    editor = world.user("editor")
    editor.set_password("salasana-Perhe-2026")
    editor.save()
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    with translation.override("fi"):
        link = reverse("partners:home") + "?due=1"
        login = reverse("account_login")

    redirect = client.get(link)
    assert redirect.status_code == 302 and redirect["Location"].startswith(login)
    next_url = redirect["Location"].split("next=", 1)[1]

    from urllib.parse import unquote

    assert unquote(next_url) == link
    response = client.post(login, {"login": editor.email, "password": "salasana-Perhe-2026", "next": unquote(next_url)})
    assert response.status_code == 302 and response["Location"] == link
    assert "due_only" in client.get(link).context and client.get(link).context["due_only"] is True
