"""The admin asks organisations.access once per object and question in a request, not once per permission check; a
bulk delete asks one queryset, and that queryset is the matrix's answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetingplaces.models import MeetingPlace
from organisations import access
from organisations.history import deleted_with, diff, organisation_of, snapshot, subject_of
from organisations.models import ChangeRecord, Municipality, Organisation
from tests.access_matrix import EXPECTED, KINDS, OBJECTS, ROLES
from tests.factories import (
    ActivityFactory,
    LocationFactory,
    MeetingPlaceFactory,
    OrganisationFactory,
    PhoneNumberFactory,
    ServiceFactory,
)

from .helpers import admin_url, client_for

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# Measured on the change pages of the matrix's world (a coordinator, the service of a neighbouring organisation):
# 264 and 180 queries while every permission check asked the database again, 60 and 48 with the answers kept.
@pytest.mark.parametrize(("kind", "most"), [("service", 75), ("meeting_place", 60)])
def test_change_page__permission_answers_are_kept_for_the_request(world, coordinator, kind, most):
    obj = world.objects["same_area"][kind]

    assert _queries(coordinator, admin_url(obj, "change", obj.pk)) <= most


def test_in_scope__asks_the_database_once_per_object(world, django_assert_num_queries):
    from types import SimpleNamespace

    from perhekeskus.admin import in_scope

    request = SimpleNamespace(user=world.user("coordinator"))
    own, other = world.objects["same_area"]["service"], world.objects["other_area"]["service"]
    assert in_scope(request, own) and not in_scope(request, other)

    with django_assert_num_queries(0):
        assert [in_scope(request, own) for _ in range(20)] == [True] * 20
        assert not in_scope(request, other)


@pytest.mark.parametrize("role", ROLES)
def test_deletable__is_the_matrix_in_one_queryset(world, role):
    user = world.user(role)
    for kind in KINDS:
        model = type(world.objects["own"][kind])
        expected = {world.objects[name][kind].pk for name in OBJECTS if access.DELETE in EXPECTED[role][name]}
        rows = {world.objects[name][kind].pk for name in OBJECTS}

        assert set(access.deletable(user, model.objects.filter(pk__in=rows)).values_list("pk", flat=True)) == expected


def test_in_areas__what_belongs_to_the_areas(world):
    for kind in KINDS:
        model = type(world.objects["own"][kind])
        in_a = set(access.in_areas(model, [world.area_a]).values_list("pk", flat=True))
        in_b = set(access.in_areas(model, [world.area_b.pk]).values_list("pk", flat=True))
        assert {world.objects[name][kind].pk for name in ("own", "own_draft", "same_area")} <= in_a
        assert world.objects["other_area"][kind].pk not in in_a
        assert world.objects["other_area"][kind].pk in in_b and not in_b & {world.objects["own"][kind].pk}


def test_bulk_delete__confirmation_lists_only_what_the_coordinator_may_delete(world, coordinator):
    places = [world.objects[name]["meeting_place"] for name in OBJECTS]

    response = coordinator.post(
        admin_url(MeetingPlace, "changelist"),
        {"action": "delete_selected", "_selected_action": [place.pk for place in places]},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert world.objects["same_area"]["meeting_place"].name in html
    assert world.objects["other_area"]["meeting_place"].name not in html


def large_organisation(world, services=30, places=10):
    """An organisation of area 05 with *services* services (each with a location and a phone number) and *places*
    meeting places (each with an activity)."""
    turku = Municipality.objects.get(code="853")
    organisation = OrganisationFactory(areas=[world.area_a], name_fi="Iso perheyhdistys ry", name_sv="Stora rf")
    for _ in range(services):
        service = ServiceFactory(organisation=organisation, municipalities=[turku], published=True)
        LocationFactory(service=service, municipality=turku)
        PhoneNumberFactory(service=service)
    for _ in range(places):
        ActivityFactory(
            meeting_place=MeetingPlaceFactory(organisation=organisation, municipality=turku, published=True)
        )
    return organisation


def expected_deletion_records(organisation) -> dict:
    """What record_change(action=DELETED) records of each listing deleting *organisation* takes, one by one."""
    expected = {}
    for obj in deleted_with([organisation]):
        if subject_of(obj) is obj:
            organisation_of_obj = organisation_of(obj)
            expected[(obj._meta.label_lower, obj.pk)] = {
                "object_repr": str(obj),
                "organisation_id": organisation_of_obj.pk if organisation_of_obj else None,
                "area_ids": access.belongs_to_areas(obj),
                "changes": diff(snapshot(obj), {}),
            }
    return expected


# Measured with 30 services and 10 meeting places (51 listings with the activities and the organisation): the
# confirmation page and the deletion took 277 + 1 927 queries for a coordinator and 29 + 1 677 for a superuser (~33 a
# listing: its areas asked area by area, its snapshot, its permission, its record); now 77 + 168 and 29 + 118.
@pytest.mark.parametrize(("role", "page_most", "delete_most"), [("coordinator", 80, 180), ("superuser", 32, 125)])
def test_deleting_a_large_organisation__costs_the_same_queries_however_many_listings_and_records_each(
    world, role, page_most, delete_most, django_assert_max_num_queries
):
    organisation = large_organisation(world)
    expected = expected_deletion_records(organisation)
    assert len(expected) == 1 + 30 + 10 + 10
    client = client_for(world.user(role))
    url = admin_url(organisation, "delete", organisation.pk)

    with django_assert_max_num_queries(page_most):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(delete_most):
        assert client.post(url, {"post": "yes"}).status_code == 302

    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    records = ChangeRecord.objects.filter(action=ChangeRecord.Action.DELETED).select_related("content_type")
    recorded = {
        (record.content_type.app_label + "." + record.content_type.model, record.object_id): {
            "object_repr": record.object_repr,
            "organisation_id": record.organisation_id,
            "area_ids": record.area_ids,
            "changes": record.changes,
        }
        for record in records
    }
    # The organisation's own records lose their link to it as it goes (SET_NULL), as before.
    assert recorded == {key: {**values, "organisation_id": None} for key, values in expected.items()}
    assert {record.user_id for record in records} == {world.user(role).pk}
    assert all(values["area_ids"] == [world.area_a.pk] for values in recorded.values())


def test_deleting_an_organisation__costs_no_more_queries_per_listing(world):
    client = client_for(world.user("coordinator"))
    counts = []
    for size in (1, 8):
        organisation = large_organisation(world, services=3 * size, places=size)
        url = admin_url(organisation, "delete", organisation.pk)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
            assert client.post(url, {"post": "yes"}).status_code == 302
        assert not Organisation.objects.filter(pk=organisation.pk).exists()
        counts.append(len(captured))
    small, large = counts
    assert large - small <= 5, counts  # 41 listings deleted instead of 6
