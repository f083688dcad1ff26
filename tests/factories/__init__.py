"""Factories for every model; import from here: ``from tests.factories import ServiceFactory``."""

from .meetingplaces import (
    ActivityDateFactory,
    ActivityFactory,
    MeetingPlaceExceptionFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
)
from .organisations import (
    ContactPersonFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PartnerNetworkFactory,
    PartnershipAgreementFactory,
    PostalCodeFactory,
    WellbeingAreaFactory,
    valid_business_id,
)
from .services import (
    EmailAddressFactory,
    LifeSituationFactory,
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    PhoneNumberFactory,
    ServiceClassFactory,
    ServiceFactory,
    WebLinkFactory,
)
from .users import UserFactory

__all__ = [
    "ActivityDateFactory",
    "ActivityFactory",
    "ContactPersonFactory",
    "EmailAddressFactory",
    "LifeSituationFactory",
    "LocationExceptionFactory",
    "LocationFactory",
    "LocationOpeningHoursFactory",
    "MeetingPlaceExceptionFactory",
    "MeetingPlaceFactory",
    "MeetingPlaceOpeningHoursFactory",
    "MembershipFactory",
    "MunicipalityFactory",
    "OrganisationFactory",
    "PartnerNetworkFactory",
    "PartnershipAgreementFactory",
    "PhoneNumberFactory",
    "PostalCodeFactory",
    "ServiceClassFactory",
    "ServiceFactory",
    "UserFactory",
    "WebLinkFactory",
    "WellbeingAreaFactory",
    "valid_business_id",
]
