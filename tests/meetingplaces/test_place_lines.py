"""An activity's or a place's line names the town once: "MLL:n perhekahvila, Aura", not "…, Aura, Aura"."""

import datetime as dt

import pytest
from django.utils import timezone

from organisations.models import Municipality
from tests.factories import ActivityFactory, MeetingPlaceFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    aura, ii = Municipality.objects.get(code="019"), Municipality.objects.get(code="139")
    organisation = OrganisationFactory(name_fi="MLL:n yhdistys", slug="mll-yhdistys", municipality=aura)
    named = MeetingPlaceFactory(
        published=True, organisation=organisation, name_fi="MLL:n perhekahvila, Aura", municipality=aura
    )
    unnamed = MeetingPlaceFactory(
        published=True, organisation=organisation, name_fi="Perhekahvila Iiris", municipality=ii
    )
    today = timezone.localdate()
    for place in (named, unnamed):
        ActivityFactory(
            meeting_place=place,
            title_fi=f"Vauvakerho ({place.name_fi})",
            weekday=today.isoweekday(),
            valid_from=today - dt.timedelta(days=7),
            valid_to=today + dt.timedelta(days=7),
        )
    return organisation


def test_activity_lines__name_the_town_once(client, places):
    html = client.get("/fi/activities/?municipality=019").content.decode()
    html += client.get("/fi/activities/?municipality=139").content.decode()

    assert "MLL:n perhekahvila, Aura</a> · " in html
    assert "Aura</a>, Aura" not in html
    assert "Perhekahvila Iiris</a>, Ii · " in html


def test_organisation_place_list__names_the_town_once(client, places):
    html = client.get(places.get_absolute_url()).content.decode()

    assert "MLL:n perhekahvila, Aura</a></li>" in html
    assert "Perhekahvila Iiris</a>, Ii</li>" in html
