import datetime as dt

import pytest
from django.db import transaction

from organisations.history import diff, record_change, snapshot
from organisations.models import ChangeRecord, Municipality
from tests.access_matrix import build_world
from tests.factories.meetingplaces import MeetingPlaceOpeningHoursFactory
from tests.factories.services import LocationFactory, PhoneNumberFactory, ServiceFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_record_change__stores_only_the_fields_that_differ_per_language_with_who_and_which_areas():
    world = build_world()
    service = world.objects["own"]["service"]
    editor = world.user("editor")
    before = snapshot(service)
    with transaction.atomic():
        service.summary_sv = "Ny sammanfattning"
        service.age_max = 6
        service.save()
        record = record_change(user=editor, obj=service, before=before)
    assert record.changes == {"age_max": [None, 6], "summary_sv": [before["summary_sv"], "Ny sammanfattning"]}
    assert record.user == editor and record.user_repr == "toimittaja@example.fi"
    assert record.organisation == world.organisations["own"]
    assert record.area_ids == [world.area_a.pk]
    assert record.action == ChangeRecord.Action.CHANGED


def test_record_change__sees_related_rows_and_many_to_many_fields():
    service = ServiceFactory(municipalities=[Municipality.objects.get(code="853")])
    phone = PhoneNumberFactory(service=service, number="02 123 4567")
    LocationFactory(service=service)
    before = snapshot(service)
    phone.number = "02 765 4321"
    phone.save()
    service.municipalities.add(Municipality.objects.get(code="202"))
    changes = diff(before, snapshot(service))
    assert set(changes) == {"phones", "municipalities"}
    assert changes["phones"][0][0]["number"] == "02 123 4567"
    assert changes["phones"][1][0]["number"] == "02 765 4321"
    assert "service_id" not in changes["phones"][1][0]
    assert len(changes["municipalities"][1]) == 2


def test_record_change__nothing_changed_records_nothing():
    service = ServiceFactory()
    assert record_change(user=UserFactory(), obj=service, before=snapshot(service)) is None
    assert not ChangeRecord.objects.filter(object_id=service.pk).exists()


def test_record_change__creation_and_deletion_keep_every_value_in_json():
    world = build_world()
    place = world.objects["own"]["meeting_place"]
    MeetingPlaceOpeningHoursFactory(meeting_place=place, opens=dt.time(9), closes=dt.time(12))
    created = record_change(user=world.user("editor"), obj=place, action=ChangeRecord.Action.CREATED)
    assert created.changes["name_fi"] == [None, place.name_fi]
    assert created.changes["opening_hours"][1][0]["opens"] == "09:00:00"
    deleted = record_change(user=world.user("coordinator"), obj=place, action=ChangeRecord.Action.DELETED)
    assert deleted.changes["name_fi"] == [place.name_fi, None]
    assert "name" not in deleted.changes  # the untranslated mirror column is not tracked
    assert "updated_at" not in deleted.changes


def test_snapshot__reads_the_stored_values_not_a_validated_forms_instance():
    """A ModelForm writes its cleaned values into the instance while validating: the snapshot taken after is_valid()
    and before save() must still hold the stored values, or the edit would be recorded as no change at all."""
    from django import forms

    from services.models import Service

    class Form(forms.ModelForm):
        class Meta:
            model = Service
            fields = ["summary_sv"]

    service = ServiceFactory(summary_sv="Gammal")
    form = Form({"summary_sv": "Ny"}, instance=service)
    assert form.is_valid() and service.summary_sv == "Ny"  # the instance already holds the new value
    before = snapshot(service)
    form.save()
    record = record_change(user=UserFactory(), obj=service, before=before)
    assert before["summary_sv"] == "Gammal"
    assert record.changes == {"summary_sv": ["Gammal", "Ny"]}
