import datetime as dt

import factory

from meetingplaces.models import (
    Activity,
    ActivityDate,
    MeetingPlace,
    MeetingPlaceException,
    MeetingPlaceOpeningHours,
)

from .organisations import MunicipalityFactory, OrganisationFactory, street_postal_code


class MeetingPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingPlace

    organisation = factory.SubFactory(OrganisationFactory)
    name_fi = factory.Sequence(lambda n: f"Perhekahvila {n}")
    name_sv = factory.Sequence(lambda n: f"Familjecafé {n}")
    slug = factory.Sequence(lambda n: f"meeting-place-{n}")
    street_address_fi = factory.Faker("street_address", locale="fi_FI")
    municipality = factory.SubFactory(MunicipalityFactory)
    postal_code = factory.LazyAttribute(lambda p: street_postal_code(p.municipality))

    class Params:
        published = factory.Trait(state="published")
        archived = factory.Trait(state="archived")


class MeetingPlaceOpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingPlaceOpeningHours

    meeting_place = factory.SubFactory(MeetingPlaceFactory)
    weekday = 1
    opens = dt.time(9, 0)
    closes = dt.time(15, 0)


class MeetingPlaceExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingPlaceException

    meeting_place = factory.SubFactory(MeetingPlaceFactory)
    date = dt.date(2026, 12, 6)
    closed = True


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    meeting_place = factory.SubFactory(MeetingPlaceFactory)
    title_fi = factory.Sequence(lambda n: f"Vauvakerho {n}")
    title_sv = factory.Sequence(lambda n: f"Babyklubb {n}")
    weekday = 2
    start_time = dt.time(10, 0)
    end_time = dt.time(11, 30)

    class Params:
        on_dates = factory.Trait(recurrence=Activity.Recurrence.DATES, weekday=None)


class ActivityDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityDate

    activity = factory.SubFactory(ActivityFactory)
    date = factory.Sequence(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
