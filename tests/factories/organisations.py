import datetime as dt

import factory

from organisations.models import (
    ContactPerson,
    Membership,
    Municipality,
    Organisation,
    PartnerNetwork,
    PartnershipAgreement,
    PostalCode,
    WellbeingArea,
)
from organisations.reference_data import AREA_CODES
from organisations.validators import business_id_check_digit

from .users import UserFactory

# Every test database holds the reference data loaded by migrations, so these factories
# fetch the real rows by code (django_get_or_create) and only create rows for unknown codes.
MUNICIPALITY_CODES = ["091", "837", "905", "638", "564", "853", "049", "179"]


def valid_business_id(n: int) -> str:
    """The n-th of a series of distinct, valid Finnish business ids (2xxxxxd-c)."""
    for last in range(10):
        first_seven = f"2{n % 100_000:05d}{last}"
        check = business_id_check_digit(first_seven)
        if check is not None:
            return f"{first_seven}-{check}"
    raise AssertionError("unreachable: only one last digit can give remainder 1")


def street_postal_code(municipality) -> str:
    """A real street-address postal code of *municipality* (from the reference data)."""
    codes = municipality.postal_codes.filter(is_street_address=True).values_list("code", flat=True)
    return codes.first() or "00100"


class WellbeingAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WellbeingArea
        django_get_or_create = ("code",)

    code = factory.Iterator(AREA_CODES)
    name_fi = factory.LazyAttribute(lambda a: f"Hyvinvointialue {a.code}")
    name_sv = factory.LazyAttribute(lambda a: f"Välfärdsområde {a.code}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Iterator(MUNICIPALITY_CODES)
    name_fi = factory.Faker("city", locale="fi_FI")
    name_sv = factory.Faker("city", locale="sv_SE")
    area = factory.SubFactory(WellbeingAreaFactory)


class PostalCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostalCode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{99000 + n % 1000:05d}")
    post_office_fi = factory.Faker("city", locale="fi_FI")
    post_office_sv = factory.Faker("city", locale="sv_SE")
    municipality = factory.SubFactory(MunicipalityFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name_fi = factory.Sequence(lambda n: f"Perheyhdistys {n} ry")
    name_sv = factory.Sequence(lambda n: f"Familjeföreningen {n} rf")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.NGO
    business_id = factory.Sequence(valid_business_id)

    class Params:
        public = factory.Trait(kind=Organisation.Kind.WELLBEING_AREA)
        parish = factory.Trait(kind=Organisation.Kind.PARISH)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.EDITOR

    class Params:
        coordinator = factory.Trait(role=Membership.Role.COORDINATOR)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="fi_FI")


class PartnerNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerNetwork
        skip_postgeneration_save = True

    name_fi = factory.Sequence(lambda n: f"Järjestöfoorumi {n}")
    name_sv = factory.Sequence(lambda n: f"Organisationsforum {n}")
    area = factory.SubFactory(WellbeingAreaFactory)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)


class PartnershipAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipAgreement

    area = factory.SubFactory(WellbeingAreaFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    signed_on = dt.date(2025, 1, 15)
