import datetime as dt
import uuid

import factory

from services.choices import PublicationState, Source
from services.models import (
    EmailAddress,
    LifeSituation,
    Location,
    LocationException,
    LocationOpeningHours,
    PhoneNumber,
    Service,
    ServiceClass,
    WebLink,
)
from services.taxonomies import LIFE_SITUATIONS, SERVICE_CLASSES

from .organisations import MunicipalityFactory, OrganisationFactory, street_postal_code


class ServiceClassFactory(factory.django.DjangoModelFactory):
    """Returns the service classes loaded by migrations (cycling through them) unless given a new code."""

    class Meta:
        model = ServiceClass
        django_get_or_create = ("code",)

    code = factory.Iterator([row[0] for row in SERVICE_CLASSES])
    name_fi = factory.LazyAttribute(lambda c: f"Palveluluokka {c.code}")


class LifeSituationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeSituation
        django_get_or_create = ("code",)

    code = factory.Iterator([row[0] for row in LIFE_SITUATIONS])
    name_fi = factory.LazyAttribute(lambda c: f"Elämäntilanne {c.code}")


def _set_m2m(field):
    def hook(self, create, extracted, **kwargs):
        if create and extracted:
            getattr(self, field).set(extracted)

    return factory.PostGeneration(hook)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name_fi = factory.Sequence(lambda n: f"Perhepalvelu {n}")
    name_sv = factory.Sequence(lambda n: f"Familjetjänst {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    summary_fi = factory.Faker("sentence", locale="fi_FI")
    summary_sv = factory.Faker("sentence", locale="sv_SE")

    class Params:
        draft = factory.Trait(state=PublicationState.DRAFT)
        published = factory.Trait(
            state=PublicationState.PUBLISHED,
            reviewed_at=factory.LazyFunction(lambda: dt.datetime.now(dt.UTC)),
        )
        archived = factory.Trait(state=PublicationState.ARCHIVED)
        from_ptv = factory.Trait(
            source=Source.PTV,
            external_id=factory.Sequence(lambda n: uuid.UUID(int=n + 1)),
        )

    service_classes = _set_m2m("service_classes")
    life_situations = _set_m2m("life_situations")
    municipalities = _set_m2m("municipalities")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    service = factory.SubFactory(ServiceFactory)
    name_fi = factory.Sequence(lambda n: f"Perhekeskus {n}")
    street_address_fi = factory.Faker("street_address", locale="fi_FI")
    municipality = factory.SubFactory(MunicipalityFactory)
    postal_code = factory.LazyAttribute(lambda loc: street_postal_code(loc.municipality))


class LocationOpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocationOpeningHours

    location = factory.SubFactory(LocationFactory)
    weekday = 1
    opens = dt.time(8, 0)
    closes = dt.time(16, 0)


class LocationExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocationException

    location = factory.SubFactory(LocationFactory)
    date = dt.date(2026, 12, 6)
    closed = True
    reason_fi = "Itsenäisyyspäivä"
    reason_sv = "Självständighetsdagen"


class PhoneNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhoneNumber

    service = factory.SubFactory(ServiceFactory)
    number = factory.Sequence(lambda n: f"+358 9 310 {10000 + n % 90000}")


class EmailAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailAddress

    service = factory.SubFactory(ServiceFactory)
    address = factory.Sequence(lambda n: f"neuvola{n}@example.fi")


class WebLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebLink

    service = factory.SubFactory(ServiceFactory)
    url_fi = factory.Sequence(lambda n: f"https://example.fi/palvelu/{n}")
    title_fi = factory.Sequence(lambda n: f"Lisätietoa {n}")
    title_sv = factory.Sequence(lambda n: f"Mer information {n}")
