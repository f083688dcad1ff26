"""Every add, change and delete of a listing through the admin is in its history: who, what, before and after."""

import pytest
from django.contrib.contenttypes.models import ContentType

from organisations.models import ChangeRecord, Organisation
from services.models import Service, ServiceClass

from .helpers import admin_url, change_form_data, client_for

pytestmark = pytest.mark.django_db


def _records(model_or_obj, **filters):
    content_type = ContentType.objects.get_for_model(model_or_obj)
    return ChangeRecord.objects.filter(content_type=content_type, **filters).order_by("pk")


def _form(client, obj):
    data = change_form_data(client.get(admin_url(obj, "change", obj.pk)))
    if isinstance(obj, Service):
        data["service_classes"] = [str(ServiceClass.objects.order_by("pk")[0].pk)]
    return data


def test_change__records_the_fields_and_inline_rows_that_changed_with_the_coordinator(world, coordinator):
    service = world.objects["same_area"]["service"]
    data = _form(coordinator, service)
    data.update(
        {
            "name_sv": "Familjerådgivning",
            "phones-TOTAL_FORMS": "1",
            "phones-0-number": "+358 2 262 6000",
            "phones-0-order": "0",
            "phones-0-service": str(service.pk),
        }
    )

    response = coordinator.post(admin_url(service, "change", service.pk), {**data, "_save": "1"})

    assert response.status_code == 302
    record = _records(service, object_id=service.pk).get()
    assert record.action == ChangeRecord.Action.CHANGED
    assert record.user == world.user("coordinator")
    assert record.changes["name_sv"][1] == "Familjerådgivning"
    assert record.changes["service_classes"] == [[], [int(pk) for pk in data["service_classes"]]]
    assert record.changes["phones"][0] == []
    assert record.changes["phones"][1][0]["number"] == "+358 2 262 6000"
    assert world.area_a.pk in record.area_ids


def test_change__saving_without_changes_records_nothing(world, coordinator):
    place = world.objects["own"]["meeting_place"]

    response = coordinator.post(admin_url(place, "change", place.pk), {**_form(coordinator, place), "_save": "1"})

    assert response.status_code == 302
    assert not _records(place).exists()


def test_add__records_created_with_every_value(world, coordinator):
    organisation = world.organisations["own"]
    data = {
        "organisation": organisation.pk,
        "name_fi": "Kirjastokerho",
        "slug": "kirjastokerho",
        "summary_fi": "Satutuokio.",
        "service_classes": [ServiceClass.objects.order_by("pk")[0].pk],
        "municipalities": [organisation.areas.get().municipalities.order_by("pk")[0].pk],
        "cost": "free",
        "state": "draft",
        "source": "manual",
    }
    for prefix in ("locations", "phones", "emails", "links"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = coordinator.post(admin_url(Service, "add"), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    service = Service.objects.get(slug="kirjastokerho")
    record = _records(service, object_id=service.pk).get()
    assert record.action == ChangeRecord.Action.CREATED
    assert record.changes["name_fi"] == [None, "Kirjastokerho"]


def test_delete__records_deleted_before_the_row_goes(world, coordinator):
    activity = world.objects["same_area"]["activity"]

    response = coordinator.post(admin_url(activity, "delete", activity.pk), {"post": "yes"})

    assert response.status_code == 302
    record = _records(activity, object_id=activity.pk).get()
    assert record.action == ChangeRecord.Action.DELETED
    assert record.changes["title_fi"] == [activity.title_fi, None]


def test_bulk_delete__records_each_row_and_deletes_only_what_the_user_may(world):
    drafts = world.objects["own_draft"]["service"], world.objects["same_area"]["service"]
    lapland = world.objects["other_area"]["service"]
    client = client_for(world.user("coordinator"))

    client.post(
        admin_url(Service, "changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in (*drafts, lapland)], "post": "yes"},
    )

    assert not Service.objects.filter(pk__in=[d.pk for d in drafts]).exists()
    assert Service.objects.filter(pk=lapland.pk).exists()
    deleted = _records(Service, action=ChangeRecord.Action.DELETED)
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(d.pk for d in drafts)


def test_organisation_change__recorded_too(world, coordinator):
    organisation = world.organisations["same_area"]
    data = _form(coordinator, organisation)

    coordinator.post(
        admin_url(organisation, "change", organisation.pk), {**data, "name_sv": "Grannföreningen", "_save": "1"}
    )

    record = _records(Organisation, object_id=organisation.pk).get()
    assert record.changes["name_sv"][1] == "Grannföreningen"


# --- What goes with a deleted entry gets its own record ---


def _deleted(model):
    return set(_records(model, action=ChangeRecord.Action.DELETED).values_list("object_id", flat=True))


def test_delete_meeting_place__records_each_of_its_activities_too(world, coordinator):
    from meetingplaces.models import Activity, MeetingPlace
    from tests.factories.meetingplaces import ActivityFactory

    place = world.objects["same_area"]["meeting_place"]
    activity = world.objects["same_area"]["activity"]
    guest = ActivityFactory(meeting_place=place, organiser=world.organisations["own"], title_fi="Vieraileva kerho")

    response = coordinator.post(admin_url(place, "delete", place.pk), {"post": "yes"})

    assert response.status_code == 302
    assert _deleted(MeetingPlace) == {place.pk}
    assert _deleted(Activity) == {activity.pk, guest.pk}
    record = _records(Activity, object_id=guest.pk).get()
    assert record.changes["title_fi"] == ["Vieraileva kerho", None]
    assert (record.user, record.organisation) == (world.user("coordinator"), world.organisations["own"])
    assert world.area_a.pk in record.area_ids


def test_delete_organisation__records_its_services_meeting_places_and_activities(world):
    from meetingplaces.models import Activity, MeetingPlace
    from services.models import Location
    from tests.factories.services import LocationFactory

    organisation = world.organisations["same_area"]
    entries = world.objects["same_area"]
    LocationFactory(service=entries["service"])
    client = client_for(world.user("superuser"))

    response = client.post(admin_url(organisation, "delete", organisation.pk), {"post": "yes"})

    assert response.status_code == 302
    assert _deleted(Organisation) == {organisation.pk}
    assert _deleted(Service) == {entries["service"].pk}
    assert _deleted(MeetingPlace) == {entries["meeting_place"].pk}
    assert _deleted(Activity) == {entries["activity"].pk}
    # The service's locations are in the service's own record, not changes of a service that is gone.
    assert not _records(Service, action=ChangeRecord.Action.CHANGED).exists()
    assert not _records(Location).exists()
    assert len(_records(Service, action=ChangeRecord.Action.DELETED).get().changes["locations"][0]) == 1


def test_bulk_delete__records_what_goes_with_the_rows(world, coordinator):
    from meetingplaces.models import Activity, MeetingPlace

    place = world.objects["own_draft"]["meeting_place"]

    coordinator.post(
        admin_url(MeetingPlace, "changelist"),
        {"action": "delete_selected", "_selected_action": [place.pk], "post": "yes"},
    )

    assert _deleted(MeetingPlace) == {place.pk}
    assert _deleted(Activity) == {world.objects["own_draft"]["activity"].pk}
