"""Child health clinics in Turku at known points, for the "where" tests (distances from a postcode or a centre).

The nearest clinic to postcode 20100 (the only place we know in it, so the postcode's point) matches "lastenneuvola"
only in its summary, and the clinics' names run against the distance order: an order by relevance or by name would
differ from the order by distance.
"""

from dataclasses import dataclass

from organisations.models import Municipality, Organisation, WellbeingArea
from services.views import distance_km
from tests.factories import LocationFactory, LocationOpeningHoursFactory, OrganisationFactory, ServiceFactory

POSTCODE_POINT = (60.4510, 22.2650)  # Kupittaa's clinic: the one place we know in postcode 20100
TURKU_CENTRE = (60.4528, 22.2516)  # services/demo/data/municipality_centres.csv


@dataclass
class Clinics:
    organisation: Organisation
    services: dict

    def by_distance_from(self, point):
        """Names (fi, sv) and distances in km of the located Turku clinics, nearest first."""
        rows = []
        for service in self.services.values():
            location = service.locations.first()
            if location is not None and location.municipality.code == "853":
                km = distance_km(*point, location.latitude, location.longitude)
                rows.append((km, service.name_fi, service.name_sv))
        return [(fi, sv, km) for km, fi, sv in sorted(rows)]


def _clinic(organisation, municipality, *, point=None, postal_code="", **fields):
    service = ServiceFactory(published=True, organisation=organisation, municipalities=[municipality], **fields)
    if point is not None:
        location = LocationFactory(
            service=service,
            municipality=municipality,
            postal_code=postal_code,
            latitude=point[0],
            longitude=point[1],
            name_fi=fields["name_fi"],
            name_sv=fields["name_sv"],
        )
        for weekday in range(1, 6):
            LocationOpeningHoursFactory(location=location, weekday=weekday)
    return service


def build_clinics() -> Clinics:
    turku, espoo = Municipality.objects.get(code="853"), Municipality.objects.get(code="049")
    organisation = OrganisationFactory(
        name_fi="Varsinais-Suomen hyvinvointialue",
        name_sv="Välfärdsområdet i Egentliga Finland",
        kind=Organisation.Kind.WELLBEING_AREA,
        municipality=turku,
        areas=[WellbeingArea.objects.get(code="05")],
    )
    services = {
        "kupittaa": _clinic(
            organisation,
            turku,
            point=POSTCODE_POINT,
            postal_code="20100",
            name_fi="Kupittaan perhekeskus",
            name_sv="Kuppis familjecenter",
            summary_fi="Lastenneuvola ja perheneuvola samassa talossa.",
            summary_sv="Barnrådgivning och familjerådgivning i samma hus.",
        ),
        "aurajoki": _clinic(
            organisation,
            turku,
            point=(60.4600, 22.2650),
            postal_code="20500",
            name_fi="Lastenneuvola Aurajoki",
            name_sv="Barnrådgivning Aura å",
        ),
        "asema": _clinic(
            organisation,
            turku,
            point=(60.4510, 22.3250),
            postal_code="20810",
            name_fi="Lastenneuvola Asema",
            name_sv="Barnrådgivning Stationen",
        ),
        "espoo": _clinic(
            organisation,
            espoo,
            point=(60.1750, 24.8050),
            postal_code="02100",
            name_fi="Lastenneuvola Tapiola",
            name_sv="Barnrådgivning Hagalund",
        ),
    }
    return Clinics(organisation, services)


def delete_clinics(clinics: Clinics) -> None:
    Organisation.objects.filter(pk=clinics.organisation.pk).delete()
