from modeltranslation.translator import TranslationOptions, register

from .models import (
    EmailAddress,
    LifeSituation,
    Location,
    LocationException,
    PhoneNumber,
    Service,
    ServiceClass,
    WebLink,
)


@register(ServiceClass)
class ServiceClassTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(LifeSituation)
class LifeSituationTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Service)
class ServiceTranslationOptions(TranslationOptions):
    fields = ("name", "summary", "description", "keywords", "cost_info", "access_info")
    required_languages = ("fi",)


@register(Location)
class LocationTranslationOptions(TranslationOptions):
    fields = ("name", "street_address", "directions", "accessibility_info")


@register(LocationException)
class LocationExceptionTranslationOptions(TranslationOptions):
    fields = ("reason",)


@register(PhoneNumber)
class PhoneNumberTranslationOptions(TranslationOptions):
    fields = ("description",)


@register(EmailAddress)
class EmailAddressTranslationOptions(TranslationOptions):
    fields = ("description",)


@register(WebLink)
class WebLinkTranslationOptions(TranslationOptions):
    fields = ("title", "url")
