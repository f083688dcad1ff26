"""Helpers for the feed's tests: requests, and a small directory that fills every field the feed sends."""

import datetime as dt

from organisations.models import Municipality
from services.models import LifeSituation, ServiceClass
from tests.factories import (
    EmailAddressFactory,
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    OrganisationFactory,
    PhoneNumberFactory,
    ServiceFactory,
    WebLinkFactory,
)

BASE = "/api/hsds/"


def get(client, path: str, **params):
    response = client.get(BASE + path, params)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


def get_ok(client, path: str, **params) -> dict:
    response = get(client, path, **params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def names(page: dict) -> list[str]:
    return [item["name"] for item in page["contents"]]


def full_service(*, organisation=None, name_fi="Kallion lastenneuvola", **kwargs):
    """A published service with every related row the feed can show."""
    helsinki = Municipality.objects.get(code="091")
    organisation = organisation or OrganisationFactory(
        kind="wellbeing_area", email="info@example.fi", website="https://example.fi/", phone="+358 9 310 1000"
    )
    service = ServiceFactory(
        published=True,
        organisation=organisation,
        name_fi=name_fi,
        name_sv="Barnrådgivningen i Berghäll",
        name_en="",
        summary_fi="Lastenneuvola seuraa lapsen kasvua.",
        summary_sv="Barnrådgivningen följer barnets tillväxt.",
        description_fi="Terveydenhoitaja ja lääkäri tapaavat perhettä.",
        age_min=0,
        age_max=6,
        languages=["fi", "sv", "fse"],
        cost="fee",
        cost_info_fi="Käynnit ovat maksuttomia, peruuttamattomasta ajasta peritään maksu.",
        access=["booking", "walk_in"],
        access_info_fi="Varaa aika puhelimitse.",
        service_classes=[ServiceClass.objects.get(code="child-health-clinic")],
        life_situations=[LifeSituation.objects.get(code="baby")],
        municipalities=[helsinki],
        **kwargs,
    )
    location = LocationFactory(
        service=service,
        name_fi="Kallion perhekeskus",
        street_address_fi="Kaarlenkatu 3",
        street_address_sv="Karlsgatan 3",
        postal_code="00530",
        municipality=helsinki,
        latitude=60.1841,
        longitude=24.9497,
        directions_fi="Sisäänkäynti pihan puolelta.",
        step_free_access=True,
        lift=False,
        accessibility_info_fi="Induktiosilmukka.",
    )
    for weekday in (1, 2, 3):
        LocationOpeningHoursFactory(location=location, weekday=weekday, opens=dt.time(8), closes=dt.time(16))
    LocationOpeningHoursFactory(location=location, weekday=4, opens=dt.time(12), closes=dt.time(19))
    LocationOpeningHoursFactory(location=location, weekday=5, opens=dt.time(22), closes=dt.time(2), over_midnight=True)
    LocationExceptionFactory(location=location, date=dt.date(2026, 12, 24), closed=True, reason_fi="Jouluaatto")
    LocationExceptionFactory(
        location=location,
        date=dt.date(2026, 12, 23),
        closed=False,
        opens=dt.time(9),
        closes=dt.time(12),
        reason_fi="",
        reason_sv="",
    )
    PhoneNumberFactory(service=service, number="+358 9 310 12345", description_fi="Ajanvaraus ma–pe 8–10")
    EmailAddressFactory(service=service, address="neuvola@example.fi", description_fi="Neuvolan sähköposti")
    WebLinkFactory(service=service, url_fi="https://example.fi/neuvola", title_fi="Neuvola")
    return service
