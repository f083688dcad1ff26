"""The network's contact persons on the public area page (only with consent), and partnership agreements' dates."""

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils import translation

from organisations.models import ContactPerson, PartnershipAgreement, WellbeingArea
from tests.factories import ContactPersonFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "kind"),
    [
        ("fi", "Perhekeskusverkoston yhteyshenkilöt", "Järjestöyhteistyö"),
        ("sv", "Familjecenternätverkets", "Organisationssamarbete"),
    ],
)
def test_area_page__lists_only_the_contact_persons_who_agreed(client, language, heading, kind):
    area = WellbeingArea.objects.get(code="05")
    shown = ContactPersonFactory(
        area=area,
        kind=ContactPerson.Kind.NGO,
        name="Maija Meikäläinen",
        title_fi="Järjestökoordinaattori",
        title_sv="Organisationskoordinator",
        email="maija@example.fi",
        phone="040 123 4567",
        show_publicly=True,
    )
    ContactPersonFactory(area=area, kind=ContactPerson.Kind.NGO, name="Salainen Sanna", show_publicly=False)
    ContactPersonFactory(area=WellbeingArea.objects.get(code="21"), name="Lapin Liisa", show_publicly=True)
    with translation.override(language):
        html = client.get(reverse("organisations:area-detail", kwargs={"code": "05"})).content.decode()
        organisation = shown.organisation.name
    assert heading in html and kind in html
    assert shown.name in html and organisation in html
    assert ("Järjestökoordinaattori" if language == "fi" else "Organisationskoordinator") in html
    assert 'href="mailto:maija@example.fi"' in html and 'href="tel:0401234567"' in html
    assert "Salainen Sanna" not in html and "Lapin Liisa" not in html


def test_area_page__without_consenting_contacts_has_no_section(client):
    ContactPersonFactory(area=WellbeingArea.objects.get(code="05"), show_publicly=False)
    html = client.get(reverse("organisations:area-detail", kwargs={"code": "05"})).content.decode()
    assert "Perhekeskusverkoston yhteyshenkilöt" not in html


def test_agreement__cannot_end_before_it_is_signed_and_has_a_known_state():
    agreement = PartnershipAgreement(
        area=WellbeingArea.objects.get(code="05"),
        organisation=OrganisationFactory(),
        signed_on=dt.date(2026, 1, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert error.value.message_dict[NON_FIELD_ERRORS] == ["Ett avtal kan inte upphöra innan det har undertecknats."]
    agreement.valid_until = dt.date(2026, 12, 31)
    agreement.state = "someday"
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "state" in error.value.message_dict
    agreement.state = PartnershipAgreement.State.IN_FORCE
    agreement.full_clean()
