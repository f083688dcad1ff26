"""A visiting location edited on its own admin page is a change of its service: recorded in the service's history
(added, changed, moved, deleted), readable field by field, and revertible with its opening hours."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from organisations.history_display import readable_changes, text_lines
from organisations.models import ChangeRecord, Municipality
from services.models import Location, Service
from tests.factories.services import LocationFactory, LocationOpeningHoursFactory

from .helpers import admin_url, change_form_data

pytestmark = pytest.mark.django_db


def _service_records(service):
    content_type = ContentType.objects.get_for_model(Service)
    return ChangeRecord.objects.filter(content_type=content_type, object_id=service.pk).order_by("pk")


def _location(service, **values):
    turku = Municipality.objects.get(code="853")
    location = LocationFactory(
        service=service,
        municipality=turku,
        name_fi="Kupittaan neuvola",
        street_address_fi="Kupittaankatu 1",
        postal_code="20520",
        **values,
    )
    LocationOpeningHoursFactory(location=location, weekday=1, opens=dt.time(8), closes=dt.time(16))
    return location


def _lines(record, language="fi"):
    with translation.override(language):
        return [line for change in readable_changes(Service, record.changes) for line in text_lines(change)]


def test_change__is_recorded_on_the_service_naming_the_fields_that_changed(world, coordinator):
    service = world.objects["same_area"]["service"]
    location = _location(service)
    data = change_form_data(coordinator.get(admin_url(location, "change", location.pk)))
    data.update({"postal_code": "20500", "step_free_access": "true"})

    response = coordinator.post(admin_url(location, "change", location.pk), {**data, "_save": "1"})

    assert response.status_code == 302
    record = _service_records(service).get()
    assert (record.action, record.user) == (ChangeRecord.Action.CHANGED, world.user("coordinator"))
    assert list(record.changes) == ["locations"]
    assert world.area_a.pk in record.area_ids
    lines = "\n".join(_lines(record))
    assert "Postinumero: 20520" in lines and "Postinumero: 20500" in lines
    assert "Kupittaan neuvola, Kupittaankatu 1" in lines
    assert "Postnummer: 20500" in "\n".join(_lines(record, "sv"))


def test_add_and_delete__are_changes_of_the_service(world, coordinator):
    service = world.objects["same_area"]["service"]
    data = change_form_data(coordinator.get(admin_url(Location, "add")))
    data.update(
        {
            "service": service.pk,
            "name_fi": "Uusi neuvola",
            "street_address_fi": "Uudenmaankatu 2",
            "postal_code": "20500",
            "municipality": Municipality.objects.get(code="853").pk,
        }
    )

    added = coordinator.post(admin_url(Location, "add"), data)
    location = Location.objects.get(name_fi="Uusi neuvola")
    deleted = coordinator.post(admin_url(location, "delete", location.pk), {"post": "yes"})

    assert added.status_code == 302 and deleted.status_code == 302
    first, second = _service_records(service)
    assert first.changes["locations"][0] == [] and first.changes["locations"][1][0]["name_fi"] == "Uusi neuvola"
    assert second.changes["locations"][1] == [] and second.changes["locations"][0][0]["id"] == location.pk
    assert {first.action, second.action} == {ChangeRecord.Action.CHANGED}


def test_move__to_another_service_changes_both_histories(world, coordinator):
    old, new = world.objects["same_area"]["service"], world.objects["own"]["service"]
    location = _location(old)
    data = change_form_data(coordinator.get(admin_url(location, "change", location.pk)))

    coordinator.post(admin_url(location, "change", location.pk), {**data, "service": new.pk, "_save": "1"})

    assert _service_records(old).get().changes["locations"][1] == []
    assert _service_records(new).get().changes["locations"][1][0]["id"] == location.pk


def test_bulk_delete__records_each_service_once(world, coordinator):
    service = world.objects["same_area"]["service"]
    locations = [_location(service), _location(service)]

    coordinator.post(
        admin_url(Location, "changelist"),
        {"action": "delete_selected", "_selected_action": [loc.pk for loc in locations], "post": "yes"},
    )

    assert not Location.objects.filter(service=service).exists()
    record = _service_records(service).get()
    assert len(record.changes["locations"][0]) == 2 and record.changes["locations"][1] == []


def _revert(client, record):
    return client.post(reverse("admin:organisations_changerecord_revert", args=[record.pk]))


def test_revert__restores_the_location_and_its_opening_hours_keeping_its_ptv_provenance(world, coordinator):
    service = world.objects["same_area"]["service"]
    location = _location(service, ptv_fields={"name_fi": {"value": "Kupittaan neuvola"}})
    data = change_form_data(coordinator.get(admin_url(location, "change", location.pk)))
    data.update(
        {
            "postal_code": "20500",
            "opening_hours-0-opens": "10:00",
            "opening_hours-0-closes": "18:00",
        }
    )
    coordinator.post(admin_url(location, "change", location.pk), {**data, "_save": "1"})
    record = _service_records(service).get()

    confirmation = coordinator.get(reverse("admin:organisations_changerecord_revert", args=[record.pk]))
    response = _revert(coordinator, record)

    assert "Ei voi perua automaattisesti" not in confirmation.content.decode()
    assert "Postinumero" in confirmation.content.decode()
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.postal_code == "20520"
    assert [(h.weekday, h.opens, h.closes) for h in location.opening_hours.all()] == [(1, dt.time(8), dt.time(16))]
    assert location.ptv_fields == {"name_fi": {"value": "Kupittaan neuvola"}}
    reverted = _service_records(service).filter(action=ChangeRecord.Action.REVERTED).get()
    assert reverted.reverts == record


def test_revert__of_a_deletion_brings_the_location_back(world, coordinator):
    service = world.objects["same_area"]["service"]
    location = _location(service)
    coordinator.post(admin_url(location, "delete", location.pk), {"post": "yes"})

    _revert(coordinator, _service_records(service).get())

    restored = Location.objects.get(pk=location.pk)
    assert (restored.service, restored.name_fi, restored.postal_code) == (service, "Kupittaan neuvola", "20520")
    assert restored.opening_hours.count() == 1
