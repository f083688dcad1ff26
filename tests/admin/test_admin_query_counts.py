"""The admin asks organisations.access once per object and question in a request, not once per permission check; a
bulk delete asks one queryset, and that queryset is the matrix's answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetingplaces.models import MeetingPlace
from organisations import access
from tests.access_matrix import EXPECTED, KINDS, OBJECTS, ROLES

from .helpers import admin_url

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
