"""The authorisation matrix through organisations.access itself (the rule the other channels ask)."""

import pytest

from organisations import access
from organisations.access import CREATE
from tests.access_matrix import EXPECTED, KINDS, MAY_CREATE, OBJECT_ACTIONS, OBJECTS, ROLES, build_world

pytestmark = pytest.mark.django_db

MODELS = {
    "service": "services.Service",
    "meeting_place": "meetingplaces.MeetingPlace",
    "activity": "meetingplaces.Activity",
}


def test_access_can__matches_the_matrix_for_every_role_object_kind_and_action():
    world = build_world()
    unexpected = []
    for role in ROLES:
        user = world.user(role)
        for obj_name in OBJECTS:
            for kind in KINDS:
                obj = world.objects[obj_name][kind]
                for action in OBJECT_ACTIONS:
                    allowed = access.can(user, action, obj)
                    if allowed != (action in EXPECTED[role][obj_name]):
                        unexpected.append((role, obj_name, kind, action, allowed))
        if access.can(user, CREATE, world.objects["own"]["service"]) != MAY_CREATE[role]:
            unexpected.append((role, "-", "-", CREATE, not MAY_CREATE[role]))
    assert unexpected == []


def test_editable_querysets__list_exactly_what_the_matrix_lets_the_role_edit():
    world = build_world()
    for role in ROLES:
        user = world.user(role)
        for kind in KINDS:
            from django.apps import apps

            model = apps.get_model(MODELS[kind])
            listed = set(access.editable(user, model).filter(pk__in=[world.objects[o][kind].pk for o in OBJECTS]))
            expected = {world.objects[o][kind] for o in OBJECTS if "edit" in EXPECTED[role][o]}
            assert listed == expected, (role, kind)


def test_editable_organisations__editor_gets_own_coordinator_gets_area_superuser_all():
    world = build_world()
    own, same, other = (world.organisations[k] for k in ("own", "same_area", "other_area"))
    assert set(access.editable(world.user("editor"), "organisations.Organisation")) == {own}
    coordinator_sees = set(access.editable(world.user("coordinator"), "organisations.Organisation"))
    assert {own, same} <= coordinator_sees and other not in coordinator_sees
    assert set(access.editable(world.user("professional"), "organisations.Organisation")) == set()
    assert set(access.editable(None, "organisations.Organisation")) == set()
    assert {own, same, other} <= set(access.editable(world.user("superuser"), "organisations.Organisation"))


def test_a_service_naming_a_municipality_of_the_area_belongs_to_the_area_whatever_its_organisation():
    world = build_world()
    from organisations.models import Municipality
    from tests.factories.services import ServiceFactory

    lapland_service_in_turku = ServiceFactory(
        organisation=world.organisations["other_area"], municipalities=[Municipality.objects.get(code="853")]
    )
    assert access.can(world.user("coordinator"), "approve", lapland_service_in_turku)
    assert access.can(world.user("coordinator_b"), "approve", lapland_service_in_turku)
    assert not access.can(world.user("editor"), "edit", lapland_service_in_turku)


def test_an_inactive_user_can_do_nothing():
    world = build_world()
    coordinator = world.user("coordinator")
    coordinator.is_active = False
    coordinator.save()
    assert not access.can(coordinator, "view", world.objects["own"]["service"])
    assert not access.editable(coordinator, apps_model("services.Service")).exists()


def apps_model(label):
    from django.apps import apps

    return apps.get_model(label)
