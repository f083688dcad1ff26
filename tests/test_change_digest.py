"""The daily digest of partners' changes to an area's coordinators: content, fi/sv, once per area and day."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from meetingplaces.models import MeetingPlace
from organisations.history import record_change, snapshot
from organisations.models import ChangeRecord, Organisation
from perhekeskus.digest import send_change_digests
from perhekeskus.tasks import send_change_digests_task
from services.models import Service
from tests.access_matrix import build_world
from tests.factories.services import ServiceFactory

pytestmark = pytest.mark.django_db

# Tuesday 10 March 2026, 10:00 Helsinki time; the digest goes out on Wednesday morning.
YESTERDAY = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
MORNING = dt.datetime(2026, 3, 11, 4, 30, tzinfo=dt.UTC)


@pytest.fixture
def world(settings):
    settings.SITE_URL = "https://perhekeskus.example"
    with time_machine.travel(YESTERDAY - dt.timedelta(days=30), tick=False):
        return build_world()


def edit(user, obj, moment=YESTERDAY, **values):
    with time_machine.travel(moment, tick=False):
        before = snapshot(obj)
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        return record_change(user=user, obj=obj, before=before)


def test_digest__lists_partners_changes_with_their_diff_and_new_drafts_in_finnish_and_swedish(world, mailoutbox):
    service = world.objects["own"]["service"]
    record = edit(world.user("editor"), service, name_sv="Familjerådgivningen i Åbo", cost="fee")
    with time_machine.travel(YESTERDAY, tick=False):
        draft = ServiceFactory(organisation=world.organisations["own"], state="draft", name_fi="Uusi vauvaryhmä")
        record_change(user=world.user("editor"), obj=draft, action=ChangeRecord.Action.CREATED)
    edit(world.user("coordinator"), world.objects["same_area"]["service"], name_fi="Koordinaattorin muutos")

    assert send_change_digests(now=MORNING) == 1

    (message,) = mailoutbox
    assert message.to == ["koordinaattori@example.fi"]
    assert message.subject.startswith("Kumppanien muutokset: Varsinais-Suomen hyvinvointialue 10.3.2026")
    finnish, swedish = message.body.split("\n\n----------\n\n")
    assert f"Palvelu: {service.name_fi} (Oma perheyhdistys ry)" in finnish
    assert "Nimi (ruotsi):" in finnish and "→ Familjerådgivningen i Åbo" in finnish
    assert "Namn (svenska):" in swedish
    assert "Koordinaattorin muutos" not in message.body
    with translation.override("fi"):
        record_url = reverse("admin:organisations_changerecord_change", args=[record.pk])
    assert f"Katso tai peru: https://perhekeskus.example{record_url}" in finnish
    assert "Uudet luonnokset odottavat hyväksyntäänne:" in finnish and "Uusi vauvaryhmä" in finnish
    assert "Nya utkast som väntar på ert godkännande:" in swedish


def test_digest__sent_once_per_area_and_day(world, mailoutbox):
    edit(world.user("editor"), world.objects["own"]["service"], name_fi="Muutettu")

    assert send_change_digests(now=MORNING) == 1
    assert send_change_digests(now=MORNING + dt.timedelta(hours=2)) == 0
    with time_machine.travel(MORNING, tick=False):
        assert send_change_digests_task() == 0
    assert len(mailoutbox) == 1


def test_digest__nothing_sent_when_nothing_happened(world, mailoutbox):
    edit(world.user("editor"), world.objects["own"]["service"], moment=YESTERDAY - dt.timedelta(days=2), name_fi="X")
    edit(world.user("superuser"), world.objects["other_area"]["service"], name_fi="Pääkäyttäjän muutos")

    assert send_change_digests(now=MORNING) == 0
    assert mailoutbox == []


def test_digest__goes_only_to_the_area_of_the_change(world, mailoutbox):
    edit(world.user("editor"), world.objects["own"]["meeting_place"], name_fi="Perhekahvila Helmi")

    send_change_digests(now=MORNING)

    assert [message.to for message in mailoutbox] == [["koordinaattori@example.fi"]]
    assert "Perhekahvila Helmi" in mailoutbox[0].body


def test_digest__shows_the_activities_that_went_with_a_deleted_draft_meeting_place(world, mailoutbox):
    from perhekeskus.partners.editing import delete_entry

    place = world.objects["own_draft"]["meeting_place"]
    activity = world.objects["own_draft"]["activity"]
    activity.title_fi = "Perhekahvila"
    activity.save()
    with time_machine.travel(YESTERDAY, tick=False):
        delete_entry(user=world.user("editor"), obj=place)

    assert send_change_digests(now=MORNING) == 1

    finnish, swedish = mailoutbox[0].body.split("\n\n----------\n\n")
    assert f"Kohtaamispaikka: {place.name_fi}" in finnish and "Toiminta: Perhekahvila" in finnish
    assert finnish.count(": Poistettu") == 2
    assert f"Aktivitet: {activity.title_sv}" in swedish and "Perhekahvila" not in swedish  # the Swedish title


def test_digest__each_half_names_entries_in_its_language_and_falls_back_to_finnish(world, mailoutbox):
    editor = world.user("editor")
    Organisation.objects.filter(pk=world.organisations["own"].pk).update(name_sv="Egna familjeföreningen rf")
    service = world.objects["own"]["service"]
    Service.objects.filter(pk=service.pk).update(name_fi="Perheneuvola", name_sv="Familjerådgivningen")
    service.refresh_from_db()
    edit(editor, service, cost="fee")  # recorded with Finnish active
    place = world.objects["own"]["meeting_place"]
    MeetingPlace.objects.filter(pk=place.pk).update(name_fi="Perhekahvila Helmi", name_sv="")
    place.refresh_from_db()
    with translation.override("sv"):  # a partner using the Swedish pages
        edit(editor, place, phone="040 123 4567")
    with time_machine.travel(YESTERDAY, tick=False):
        draft = ServiceFactory(
            organisation=world.organisations["own"], state="draft", name_fi="Uusi vauvaryhmä", name_sv="Ny babygrupp"
        )
        record_change(user=editor, obj=draft, action=ChangeRecord.Action.CREATED)
        gone = ServiceFactory(
            organisation=world.organisations["own"], name_fi="Iltaneuvola", name_sv="Kvällsrådgivning"
        )
        record_change(user=editor, obj=gone, action=ChangeRecord.Action.DELETED)
        gone.delete()

    assert send_change_digests(now=MORNING) == 1

    finnish, swedish = mailoutbox[0].body.split("\n\n----------\n\n")
    assert ": Perheneuvola (Oma perheyhdistys ry)" in finnish
    assert ": Familjerådgivningen (Egna familjeföreningen rf)" in swedish
    assert ": Perhekahvila Helmi (Oma perheyhdistys ry)" in finnish
    assert ": Perhekahvila Helmi (Egna familjeföreningen rf)" in swedish  # no Swedish name: the Finnish one
    assert ": Iltaneuvola (Oma perheyhdistys ry)" in finnish and ": Kvällsrådgivning (Egna" in swedish
    assert "Uusi vauvaryhmä (Oma perheyhdistys ry)" in finnish and "Ny babygrupp (Egna" in swedish
    for finnish_only in ("Perheneuvola", "Iltaneuvola", "Uusi vauvaryhmä", "Oma perheyhdistys"):
        assert finnish_only not in swedish
    for swedish_only in ("Familjerådgivningen", "Kvällsrådgivning", "Ny babygrupp", "Egna familjeföreningen"):
        assert swedish_only not in finnish
