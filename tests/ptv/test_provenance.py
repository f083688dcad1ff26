"""A coordinator's edit to an imported field survives re-import; the admin shows it and can return PTV's value."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from services.models import Location, Service
from services.ptv.accessors import accessors_for
from services.ptv.actions import import_ptv_files, revert_to_ptv
from services.ptv.provenance import EDITED_HERE, FROM_PTV, status

from .helpers import CH_TURKU, IMPORT_DAY, SRV_CLINIC, V12, load, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _import_day():
    with time_machine.travel(IMPORT_DAY, tick=False):
        yield


def states(obj) -> dict:
    return {name: state for name, state, _when in status(obj, accessors=accessors_for(obj))}


def changed_ptv_copy(tmp_path, **fi_changes):
    """The v12 fixtures with the clinic's Finnish texts changed in PTV."""
    for path in V12.glob("*.json"):
        data = load(path)
        for item in data["items"]:
            if item.get("contentId") == SRV_CLINIC:
                item["languageVersions"]["fi"].update(fi_changes)
        write(tmp_path / path.name, data)
    return tmp_path


def test_local_edits__survive_reimport_while_untouched_fields_follow_ptv(tmp_path):
    import_ptv_files(paths=[V12])
    clinic = Service.objects.get(external_id=SRV_CLINIC)
    clinic.name_fi = "Lastenneuvola (Turku keskusta)"
    clinic.save()
    clinic.phones.filter(number="02 266 1000").delete()
    hours = Location.objects.get(external_id=CH_TURKU).opening_hours
    hours.filter(weekday=5).update(closes="15:00")

    summary = import_ptv_files(
        paths=[changed_ptv_copy(tmp_path, name="Lastenneuvola UUSI", summary="Uusi tiivistelmä.")]
    )

    clinic.refresh_from_db()
    assert clinic.name_fi == "Lastenneuvola (Turku keskusta)"  # edited here: kept
    assert clinic.summary_fi == "Uusi tiivistelmä."  # not edited: follows PTV
    assert [p.number for p in clinic.phones.all()] == ["02 1234 567"]
    assert hours.filter(weekday=5).get().closes.hour == 15
    assert summary.kept_local == {"services.name_fi": 1, "services.phones": 1, "locations.opening_hours": 1}
    assert summary.updated["services"] == 1
    # What PTV gave last is remembered for a return.
    assert clinic.ptv_fields["name_fi"]["value"] == "Lastenneuvola UUSI"
    assert states(clinic) | {} == states(clinic)
    assert {k: v for k, v in states(clinic).items() if v == EDITED_HERE} == {
        "name_fi": EDITED_HERE,
        "phones": EDITED_HERE,
    }
    assert states(clinic)["summary_fi"] == FROM_PTV


def test_revert__returns_chosen_fields_to_ptv_and_they_follow_it_again():
    import_ptv_files(paths=[V12])
    clinic = Service.objects.get(external_id=SRV_CLINIC)
    clinic.name_fi, clinic.summary_fi = "Oma nimi", "Oma tiivistelmä"
    clinic.save()
    clinic.phones.all().delete()

    reverted = revert_to_ptv(obj=clinic, fields=["name_fi", "phones"])

    clinic = Service.objects.get(external_id=SRV_CLINIC)
    assert sorted(reverted) == ["name_fi", "phones"]
    assert (clinic.name_fi, clinic.summary_fi) == ("Lastenneuvola", "Oma tiivistelmä")
    assert [p.number for p in clinic.phones.all()] == ["02 1234 567", "02 266 1000"]
    assert states(clinic)["name_fi"] == FROM_PTV and states(clinic)["summary_fi"] == EDITED_HERE


def test_hand_added_rows__are_never_touched_by_the_import():
    import_ptv_files(paths=[V12])
    clinic = Service.objects.get(external_id=SRV_CLINIC)
    clinic.phones.create(number="040 123 4567", description="Oma numero", order=9)

    import_ptv_files(paths=[V12])

    assert sorted(p.number for p in clinic.phones.all()) == ["02 1234 567", "02 266 1000", "040 123 4567"]
    assert states(clinic)["phones"] == FROM_PTV


@pytest.mark.parametrize(
    ("language", "from_ptv", "edited", "button"),
    [
        ("fi", "PTV:stä 30.11.2026", "muokattu täällä", "Palauta PTV:n arvo"),
        ("sv", "från PTV 30.11.2026", "ändrat här", "Återställ PTV:s värde"),
    ],
)
def test_admin__shows_each_field_from_ptv_or_edited_here_and_returns_ticked_ones(
    admin_client, language, from_ptv, edited, button
):
    import_ptv_files(paths=[V12])
    clinic = Service.objects.get(external_id=SRV_CLINIC)
    clinic.name_fi = "Oma nimi"
    clinic.save()
    with translation.override(language):
        url = reverse("admin:services_service_change", args=[clinic.pk])

    page = admin_client.get(url).content.decode()

    assert from_ptv in page and edited in page and button in page
    assert page.count('name="ptv_revert"') == 1 and 'value="name_fi"' in page


def test_admin__saving_with_a_ticked_field_returns_it_to_ptv(admin_client):
    import_ptv_files(paths=[V12])
    location = Location.objects.get(external_id=CH_TURKU)
    location.name_fi = "Oma nimi"
    location.save()
    location.opening_hours.all().delete()
    with translation.override("fi"):
        url = reverse("admin:services_location_changelist")

    response = admin_client.post(
        url, {"action": "revert_edited_fields_to_ptv", "_selected_action": [location.pk]}, follow=True
    )

    location.refresh_from_db()
    assert response.status_code == 200
    assert location.name_fi == "Esimerkkikadun neuvola"
    assert location.opening_hours.count() == 6
    with translation.override("fi"):
        page = admin_client.get(reverse("admin:services_location_change", args=[location.pk])).content.decode()
    assert page.count("Tiedot PTV:stä") == 1 and page.count("Tuodut kentät") == 1
    assert "muokattu täällä" not in page and page.count("PTV:stä 30.11.2026") >= 10


def test_admin__the_change_form_returns_ticked_fields_on_save(admin_client):
    import_ptv_files(paths=[V12])
    clinic = Service.objects.get(external_id=SRV_CLINIC)
    clinic.name_fi = "Oma nimi"
    clinic.save()
    with translation.override("fi"):
        url = reverse("admin:services_service_change", args=[clinic.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data |= {
        "service_classes": [c.pk for c in clinic.service_classes.all()],
        "municipalities": [m.pk for m in clinic.municipalities.all()],
        "languages": clinic.languages,
        "ptv_revert": ["name_fi"],
    }
    for prefix in ("locations", "phones", "emails", "links"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}

    response = admin_client.post(url, data)

    clinic.refresh_from_db()
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert clinic.name_fi == "Lastenneuvola"


def test_organisations__keep_local_edits_and_show_the_panel(admin_client):
    from organisations.models import Organisation

    import_ptv_files(paths=[V12])
    organisation = Organisation.objects.get(ptv_id="5a1c6a2e-0d3b-4c1e-9a51-2f6a3b7c8d01")
    organisation.website = "https://www.example.org/oma"
    organisation.save()
    organisation.areas.add(*organisation.areas.model.objects.filter(code="90"))

    summary = import_ptv_files(paths=[V12])

    organisation.refresh_from_db()
    assert summary.kept_local == {"organisations.website": 1, "organisations.areas": 1}
    assert organisation.website == "https://www.example.org/oma"
    with translation.override("sv"):
        page = admin_client.get(reverse("admin:organisations_organisation_change", args=[organisation.pk]))
    assert page.content.decode().count("ändrat här") == 2
    assert revert_to_ptv(obj=organisation, fields=["website", "areas"]) == ["website", "areas"]
    organisation.refresh_from_db()
    assert organisation.website == "https://www.example.org/varha"
    assert list(organisation.areas.values_list("code", flat=True)) == ["05"]


def test_admin__returning_to_ptv_is_recorded_in_the_services_history(admin_client):
    from django.contrib.contenttypes.models import ContentType

    from organisations.models import ChangeRecord

    import_ptv_files(paths=[V12])
    clinic = Service.objects.get(external_id=SRV_CLINIC)
    location = Location.objects.get(external_id=CH_TURKU)
    location.name_fi = "Oma nimi"
    location.save()
    clinic.name_fi = "Oma palvelu"
    clinic.save()
    with translation.override("fi"):
        locations, services = (reverse(f"admin:services_{name}_changelist") for name in ("location", "service"))

    admin_client.post(locations, {"action": "revert_edited_fields_to_ptv", "_selected_action": [location.pk]})
    admin_client.post(services, {"action": "revert_edited_fields_to_ptv", "_selected_action": [clinic.pk]})

    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Service), object_id=clinic.pk
    ).order_by("pk")
    location_record, service_record = records
    (before,) = [row for row in location_record.changes["locations"][0] if row["id"] == location.pk]
    (after,) = [row for row in location_record.changes["locations"][1] if row["id"] == location.pk]
    assert (before["name_fi"], after["name_fi"]) == ("Oma nimi", "Esimerkkikadun neuvola")
    assert service_record.changes["name_fi"] == ["Oma palvelu", "Lastenneuvola"]
    assert {record.action for record in records} == {ChangeRecord.Action.CHANGED}
    assert all(record.user is not None for record in records)
