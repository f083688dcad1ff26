"""The admin as an area coordinator sees it: only their areas' rows, choices and memberships; reference data read
only; staff who coordinate nothing see nothing; partner editors and professionals never reach the admin."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from meetingplaces.models import MeetingPlace
from organisations.models import ContactPerson, Membership, Municipality, PartnerNetwork, PartnershipAgreement
from services.models import Service, ServiceClass
from tests.factories import (
    ContactPersonFactory,
    MembershipFactory,
    PartnerNetworkFactory,
    PartnershipAgreementFactory,
    UserFactory,
)

from .helpers import admin_url, change_form_data, client_for

pytestmark = pytest.mark.django_db


def _listed(client, model) -> str:
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return response.content.decode()


def _turku():
    return Municipality.objects.get(code="853")


def _rovaniemi():
    return Municipality.objects.get(code="698")


def test_changelists__list_the_coordinators_areas_only(world, coordinator):
    for kind in ("service", "meeting_place", "activity"):
        model = type(world.objects["own"][kind])
        ids = set(_result_ids(coordinator, model))
        assert {world.objects[o][kind].pk for o in ("own", "own_draft", "same_area")} <= ids
        assert world.objects["other_area"][kind].pk not in ids

    organisations = _listed(coordinator, type(world.organisations["own"]))
    assert "Oma perheyhdistys ry" in organisations and "Naapuriyhdistys ry" in organisations
    assert "Lapin perheyhdistys ry" not in organisations


def _result_ids(client, model):
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return [obj.pk for obj in response.context["cl"].result_list]


def test_network_records__listed_and_changed_for_the_coordinators_areas_only(world, coordinator):
    own, other = world.organisations["own"], world.organisations["other_area"]
    records = {
        ContactPerson: (ContactPersonFactory(organisation=own), ContactPersonFactory(organisation=other)),
        PartnerNetwork: (PartnerNetworkFactory(area=world.area_a), PartnerNetworkFactory(area=world.area_b)),
        PartnershipAgreement: (
            PartnershipAgreementFactory(area=world.area_a, organisation=own),
            PartnershipAgreementFactory(area=world.area_b, organisation=other),
        ),
    }
    for model, (mine, theirs) in records.items():
        ids = _result_ids(coordinator, model)
        assert mine.pk in ids and theirs.pk not in ids, model
        assert coordinator.get(admin_url(mine, "change", mine.pk)).status_code == 200
        assert coordinator.get(admin_url(theirs, "change", theirs.pk)).status_code == 302


def test_service_form__offers_only_the_areas_organisations_and_municipalities(world, coordinator):
    response = coordinator.get(admin_url(Service, "add"))

    form = response.context["adminform"].form
    organisations = set(form.fields["organisation"].queryset)
    assert world.organisations["own"] in organisations and world.organisations["other_area"] not in organisations
    municipalities = set(form.fields["municipalities"].queryset)
    assert _turku() in municipalities and _rovaniemi() not in municipalities


def _edit(client, obj, **changes):
    response = client.get(admin_url(obj, "change", obj.pk))
    assert response.status_code == 200
    data = change_form_data(response)
    if isinstance(obj, Service):
        data["service_classes"] = [str(ServiceClass.objects.order_by("pk")[0].pk)]
    return client.post(admin_url(obj, "change", obj.pk), {**data, **changes, "_save": "1"})


def test_service__cannot_be_moved_to_another_areas_organisation_or_municipality(world, coordinator):
    service = world.objects["own"]["service"]

    moved = _edit(coordinator, service, organisation=str(world.organisations["other_area"].pk))
    named = _edit(coordinator, service, municipalities=[str(_turku().pk), str(_rovaniemi().pk)])

    assert moved.status_code == 200 and "organisation" in moved.context["adminform"].form.errors
    assert named.status_code == 200 and "municipalities" in named.context["adminform"].form.errors
    service.refresh_from_db()
    assert service.organisation == world.organisations["own"]
    assert list(service.municipalities.all()) == [_turku()]


def test_service__keeps_what_it_already_names_in_another_area_when_edited(world, coordinator):
    service = world.objects["own"]["service"]
    service.municipalities.add(_rovaniemi())

    response = _edit(coordinator, service, name_fi="Uusi nimi")

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name_fi == "Uusi nimi"
    assert set(service.municipalities.all()) == {_turku(), _rovaniemi()}


def test_municipality_autocomplete__offers_the_coordinators_areas_only(world, coordinator):
    params = {"app_label": "services", "model_name": "service", "field_name": "municipalities"}

    def found(term):
        response = coordinator.get(reverse("admin:autocomplete"), {**params, "term": term})
        return {row["text"] for row in json.loads(response.content)["results"]}

    assert found("Turku") == {"Turku"}
    assert found("Rovaniemi") == set()


def test_memberships__coordinator_role_only_for_own_areas_and_never_another_areas_coordinator(world, coordinator):
    editor_membership = Membership.objects.get(user=world.user("editor"))
    lapland_coordinator = Membership.objects.get(user=world.user("coordinator_b"))
    helper = MembershipFactory(organisation=world.organisations["same_area"], user__email="apu@example.fi")

    ids = _result_ids(coordinator, Membership)
    response = coordinator.get(admin_url(helper, "change", helper.pk))
    areas = set(response.context["adminform"].form.fields["areas"].queryset)
    data = {"user": helper.user_id, "organisation": helper.organisation_id, "role": "coordinator"}
    refused = coordinator.post(admin_url(helper, "change", helper.pk), {**data, "areas": world.area_b.pk})
    granted = coordinator.post(admin_url(helper, "change", helper.pk), {**data, "areas": world.area_a.pk})

    assert editor_membership.pk in ids and lapland_coordinator.pk not in ids
    assert areas == {world.area_a}
    assert refused.status_code == 200 and "areas" in refused.context["adminform"].form.errors
    assert granted.status_code == 302
    helper.refresh_from_db()
    assert helper.role == "coordinator" and list(helper.areas.all()) == [world.area_a]


def test_users__are_not_the_coordinators_to_change_so_no_one_is_made_a_superuser(world, coordinator):
    User = get_user_model()

    assert coordinator.get(admin_url(User, "changelist")).status_code == 403
    editor = world.user("editor")
    coordinator.post(admin_url(User, "change", editor.pk), {"is_superuser": "on", "is_staff": "on"})
    editor.refresh_from_db()
    assert not editor.is_superuser and not editor.is_staff


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_reference_data__coordinators_read_it_superusers_edit_it(world, coordinator, language):
    turku = _turku()

    listed = coordinator.get(admin_url(Municipality, "changelist", language=language), {"q": "Turku"})
    opened = coordinator.get(admin_url(turku, "change", turku.pk, language=language))
    added = coordinator.get(admin_url(Municipality, "add", language=language))
    coordinator.post(admin_url(turku, "change", turku.pk, language=language), {"name_fi": "Åbo?", "code": "853"})

    assert listed.status_code == 200 and "Turku" in listed.content.decode()
    assert opened.status_code == 200 and 'name="_save"' not in opened.content.decode()
    assert added.status_code == 403
    turku.refresh_from_db()
    assert turku.name_fi == "Turku"


def test_staff_who_coordinate_nothing__see_nothing():
    staff = client_for(UserFactory(staff=True))

    index = staff.get(reverse("admin:index"))

    assert index.status_code == 200 and index.context["app_list"] == []
    assert staff.get(admin_url(Service, "changelist")).status_code == 403
    assert staff.get(admin_url(Municipality, "changelist")).status_code == 403


@pytest.mark.parametrize("role", ["editor", "professional"])
def test_partner_editors_and_professionals__never_reach_the_admin(world, role):
    client = client_for(world.user(role))

    for url in (reverse("admin:index"), admin_url(Service, "changelist"), admin_url(MeetingPlace, "add")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]


def test_coordinator_admin_index__shows_the_listings_and_reference_data_not_users(world, coordinator):
    with translation.override("fi"):
        index = coordinator.get(reverse("admin:index"))

    models = {model["object_name"] for app in index.context["app_list"] for model in app["models"]}
    assert {"Service", "MeetingPlace", "Activity", "Organisation", "Membership", "Municipality"} <= models
    assert "User" not in models and "Group" not in models


def test_service_inlines__a_coordinator_adds_a_phone_number(world, coordinator):
    service = world.objects["same_area"]["service"]
    data = {
        "phones-TOTAL_FORMS": "1",
        "phones-0-number": "+358 2 123 4567",
        "phones-0-service": str(service.pk),
        "phones-0-order": "0",
    }

    response = _edit(coordinator, service, **data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert service.phones.get().number == "+358 2 123 4567"


def test_a_service_of_another_area__is_not_found_for_a_coordinator(world, coordinator):
    other = world.objects["other_area"]["service"]

    assert coordinator.get(admin_url(other, "change", other.pk)).status_code == 302
    assert coordinator.get(admin_url(other, "delete", other.pk)).status_code == 302
