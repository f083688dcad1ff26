"""An organisation saved in the admin names a wellbeing area, and a coordinator's one of their own: otherwise it would
leave the coordinator's scope the moment it is saved."""

import pytest

from organisations.models import Organisation
from tests.factories import OrganisationFactory

from .helpers import admin_url, change_form_data, client_for

pytestmark = pytest.mark.django_db

ERRORS = {
    "fi": ("Valitse ainakin yksi omista hyvinvointialueistasi", "Valitse ainakin yksi hyvinvointialue"),
    "sv": ("Välj minst ett av dina egna välfärdsområden", "Välj minst ett välfärdsområde"),
}


def _add(client, *, areas, language="fi", slug="uusi-yhdistys"):
    data = change_form_data(client.get(admin_url(Organisation, "add", language=language)))
    data.update({"name_fi": "Uusi yhdistys ry", "slug": slug, "kind": "ngo", "areas": [area.pk for area in areas]})
    return client.post(admin_url(Organisation, "add", language=language), data)


def _errors(response) -> str:
    assert response.status_code == 200
    return " ".join(str(error) for error in response.context["adminform"].form.errors.get("areas", []))


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_coordinator_add__without_areas_is_a_form_error_naming_their_areas(world, language):
    response = _add(client_for(world.user("coordinator")), areas=[], language=language)

    errors = _errors(response)
    assert ERRORS[language][0] in errors
    assert getattr(world.area_a, f"name_{language}") in errors and world.area_b.name_fi not in errors
    assert not Organisation.objects.filter(slug="uusi-yhdistys").exists()


def test_coordinator_add__with_another_area_only_is_refused(world):
    response = _add(client_for(world.user("coordinator")), areas=[world.area_b])

    assert response.status_code == 200 and response.context["adminform"].form.errors["areas"]
    assert not Organisation.objects.filter(slug="uusi-yhdistys").exists()


def test_coordinator_add__with_an_own_area_is_saved_and_stays_in_their_list(world):
    client = client_for(world.user("coordinator"))

    response = _add(client, areas=[world.area_a])

    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="uusi-yhdistys")
    assert list(organisation.areas.all()) == [world.area_a]
    assert organisation in client.get(admin_url(Organisation, "changelist")).context["cl"].result_list


def test_coordinator_change__dropping_their_last_own_area_is_refused(world):
    organisation = world.organisations["same_area"]
    organisation.areas.add(world.area_b)
    client = client_for(world.user("coordinator"))
    data = change_form_data(client.get(admin_url(organisation, "change", organisation.pk)))

    response = client.post(
        admin_url(organisation, "change", organisation.pk), {**data, "areas": [world.area_b.pk], "_save": "1"}
    )

    assert ERRORS["fi"][0] in _errors(response)
    assert set(organisation.areas.all()) == {world.area_a, world.area_b}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_superuser_add__needs_an_area_too_but_any_area(world, language):
    client = client_for(world.user("superuser"))

    refused = _add(client, areas=[], language=language)
    saved = _add(client, areas=[world.area_b], language=language)

    assert ERRORS[language][1] in _errors(refused)
    assert saved.status_code == 302
    assert list(Organisation.objects.get(slug="uusi-yhdistys").areas.all()) == [world.area_b]


def test_superuser_change__keeps_a_nationwide_organisation_without_areas(world):
    nationwide = OrganisationFactory(name_fi="Valtakunnallinen liitto ry")
    client = client_for(world.user("superuser"))
    data = change_form_data(client.get(admin_url(nationwide, "change", nationwide.pk)))

    response = client.post(
        admin_url(nationwide, "change", nationwide.pk), {**data, "name_sv": "Riksförbundet rf", "_save": "1"}
    )

    assert response.status_code == 302
    nationwide.refresh_from_db()
    assert nationwide.name_sv == "Riksförbundet rf" and not nationwide.areas.exists()


def test_superuser_change__may_not_take_every_area_away(world):
    organisation = world.organisations["other_area"]
    client = client_for(world.user("superuser"))
    data = change_form_data(client.get(admin_url(organisation, "change", organisation.pk)))
    data.pop("areas", None)

    response = client.post(admin_url(organisation, "change", organisation.pk), {**data, "_save": "1"})

    assert ERRORS["fi"][1] in _errors(response)
    assert list(organisation.areas.all()) == [world.area_b]
