"""The history in the admin: scoped to the coordinator's areas, readable diffs in fi and sv, and revert."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from organisations.history import record_change, snapshot
from organisations.models import ChangeRecord, Municipality
from tests.access_matrix import build_world
from tests.conftest import sign_in_staff, with_authenticator_app
from tests.factories.services import PhoneNumberFactory

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def world():
    with time_machine.travel(MOMENT, tick=False):
        built = build_world()
    for role in ("coordinator", "coordinator_b", "superuser"):
        user = built.user(role)
        user.is_staff = True
        user.save()
        with_authenticator_app(user)
    return built


def edit(user, obj, **values):
    """Change *obj* as a partner would and record it, as the partner pages do."""
    before = snapshot(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return record_change(user=user, obj=obj, before=before)


def admin_url(name, *args, language="fi"):
    with translation.override(language):
        return reverse(f"admin:organisations_changerecord_{name}", args=args)


def test_changelist__a_coordinator_sees_only_records_of_their_areas(client, world):
    mine = edit(world.user("editor"), world.objects["own"]["service"], name_fi="Perhevalmennus Turku")
    theirs = edit(world.user("superuser"), world.objects["other_area"]["service"], name_fi="Lapin perheneuvola")

    html = sign_in_staff(client, world.user("coordinator")).get(admin_url("changelist")).content.decode()
    assert "Perhevalmennus Turku" in html
    assert "Lapin perheneuvola" not in html
    assert client.get(admin_url("change", theirs.pk)).status_code in (302, 404)
    assert client.get(admin_url("change", mine.pk)).status_code == 200


def test_changelist__coordinator_of_area_b_cannot_open_area_a_records(client, world):
    record = edit(world.user("editor"), world.objects["own"]["service"], name_fi="Perhevalmennus Turku")

    sign_in_staff(client, world.user("coordinator_b"))
    assert "Perhevalmennus Turku" not in client.get(admin_url("changelist")).content.decode()
    assert client.get(admin_url("revert", record.pk)).status_code in (302, 404)
    assert client.post(admin_url("revert", record.pk)).status_code in (302, 404)
    assert not ChangeRecord.objects.filter(action=ChangeRecord.Action.REVERTED).exists()


def test_changelist__filters_by_action_and_kind(client, world):
    service = world.objects["own"]["service"]
    edit(world.user("editor"), service, name_fi="Muutettu nimi")
    record_change(user=world.user("editor"), obj=world.objects["own"]["meeting_place"], action="created")
    sign_in_staff(client, world.user("superuser"))

    changed = client.get(admin_url("changelist"), {"action__exact": "changed"}).content.decode()
    assert "Muutettu nimi" in changed and world.objects["own"]["meeting_place"].name not in changed
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(world.objects["own"]["meeting_place"]).pk
    places = client.get(admin_url("changelist"), {"kind": str(kind)}).content.decode()
    assert world.objects["own"]["meeting_place"].name in places and "Muutettu nimi" not in places


def test_change_page__not_for_partner_editors(client, world):
    record = edit(world.user("editor"), world.objects["own"]["service"], name_fi="Perhevalmennus Turku")
    editor = with_authenticator_app(world.user("editor"))
    editor.is_staff = True
    editor.save()

    response = sign_in_staff(client, editor).get(admin_url("change", record.pk))
    assert response.status_code in (302, 403, 404)


@pytest.mark.parametrize(
    ("language", "label", "words"),
    [
        ("fi", "Nimi (ruotsi)", "Kuvaus (suomi)"),
        ("sv", "Namn (svenska)", "Beskrivning (finska)"),
    ],
)
def test_change_page__shows_a_readable_diff_in_the_admins_language(client, world, language, label, words):
    service = world.objects["own"]["service"]
    service.description_fi = "Neuvola palvelee lapsiperheitä arkisin kello yhdeksästä neljään."
    service.save()
    before = snapshot(service)
    service.name_sv = "Rådgivningen i Åbo"
    service.description_fi = "Neuvola palvelee lapsiperheitä arkisin kello kahdeksasta neljään."
    service.save()
    service.municipalities.add(Municipality.objects.get(code="202"))  # Kaarina
    PhoneNumberFactory(service=service, number="+358 2 123 4567")
    record = record_change(user=world.user("editor"), obj=service, before=before)

    html = sign_in_staff(client, world.user("coordinator")).get(admin_url("change", record.pk, language=language))
    html = html.content.decode()
    assert label in html and words in html
    assert "<del>yhdeksästä </del><ins>kahdeksasta </ins>" in html
    assert "Rådgivningen i Åbo</ins>" in html
    assert "<ins>Kaarina" in html or "<ins>S:t Karins" in html
    assert "<ins>+358 2 123 4567</ins>" in html
    assert reverse("admin:services_service_change", args=[service.pk]) in html


# --- Revert ---


def revert(client, record):
    return client.post(admin_url("revert", record.pk))


def test_revert__restores_a_simple_and_a_translated_field_and_records_it(client, world):
    service = world.objects["own"]["service"]
    service.name_fi, service.name_sv, service.cost = "Perheneuvola", "Familjerådgivning", "free"
    service.save()
    record = edit(world.user("editor"), service, name_sv="Fel namn", cost="fee")
    sign_in_staff(client, world.user("coordinator"))

    confirmation = client.get(admin_url("revert", record.pk)).content.decode()
    assert "Nimi (ruotsi)" in confirmation and 'name="csrfmiddlewaretoken"' in confirmation
    response = revert(client, record)

    service.refresh_from_db()
    assert (service.name_sv, service.cost) == ("Familjerådgivning", "free")
    reverted = ChangeRecord.objects.get(action=ChangeRecord.Action.REVERTED)
    assert reverted.reverts == record and reverted.user == world.user("coordinator")
    assert reverted.changes["name_sv"] == ["Fel namn", "Familjerådgivning"]
    assert response["Location"] == admin_url("change", reverted.pk)


def test_revert__restores_many_to_many_and_related_rows(client, world):
    service = world.objects["own"]["service"]
    phone = PhoneNumberFactory(service=service, number="+358 2 111 1111")
    before = snapshot(service)
    service.municipalities.set([Municipality.objects.get(code="202")])
    phone.delete()
    PhoneNumberFactory(service=service, number="+358 2 999 9999")
    record = record_change(user=world.user("editor"), obj=service, before=before)

    revert(sign_in_staff(client, world.user("coordinator")), record)

    assert list(service.municipalities.values_list("code", flat=True)) == ["853"]
    assert list(service.phones.values_list("number", flat=True)) == ["+358 2 111 1111"]


def test_revert__keeps_a_later_edit_and_says_so(client, world):
    service = world.objects["own"]["service"]
    service.name_fi, service.summary_fi = "Perheneuvola", "Apua arkeen"
    service.save()
    record = edit(world.user("editor"), service, name_fi="Väärä nimi", summary_fi="Väärä tiivistelmä")
    edit(world.user("editor"), service, name_fi="Perheneuvola Turku")  # a later edit of one of the fields
    sign_in_staff(client, world.user("coordinator"))

    confirmation = client.get(admin_url("revert", record.pk)).content.decode()
    assert "Muutettu uudelleen sen jälkeen" in confirmation
    conflicts = confirmation.split("Muutettu uudelleen sen jälkeen")[1]
    assert "<del>Väärä nimi</del>" in conflicts and "<ins>Perheneuvola Turku</ins>" in conflicts
    revert(client, record)

    service.refresh_from_db()
    assert service.name_fi == "Perheneuvola Turku"
    assert service.summary_fi == "Apua arkeen"


def test_revert__refused_when_everything_changed_again(client, world):
    service = world.objects["own"]["service"]
    record = edit(world.user("editor"), service, name_fi="Väärä nimi")
    edit(world.user("editor"), service, name_fi="Oikea nimi")

    revert(sign_in_staff(client, world.user("coordinator")), record)

    service.refresh_from_db()
    assert service.name_fi == "Oikea nimi"
    assert not ChangeRecord.objects.filter(action=ChangeRecord.Action.REVERTED).exists()


def test_revert__refused_for_the_editor_who_cannot_revert(client, world):
    service = world.objects["own"]["service"]
    record = edit(world.user("editor"), service, name_fi="Väärä nimi")
    editor = with_authenticator_app(world.user("editor"))
    editor.is_staff = True
    editor.save()

    response = revert(sign_in_staff(client, editor), record)

    assert response.status_code in (302, 403, 404)
    service.refresh_from_db()
    assert service.name_fi == "Väärä nimi"


def test_revert__get_changes_nothing(client, world):
    service = world.objects["own"]["service"]
    record = edit(world.user("editor"), service, name_fi="Väärä nimi")

    sign_in_staff(client, world.user("superuser")).get(admin_url("revert", record.pk))

    service.refresh_from_db()
    assert service.name_fi == "Väärä nimi"
