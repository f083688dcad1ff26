from modeltranslation.translator import TranslationOptions, register

from .models import ContactPerson, Municipality, Organisation, PartnerNetwork, PostalCode, WellbeingArea


@register(WellbeingArea)
class WellbeingAreaTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Municipality)
class MunicipalityTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(PostalCode)
class PostalCodeTranslationOptions(TranslationOptions):
    fields = ("post_office",)


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(PartnerNetwork)
class PartnerNetworkTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(ContactPerson)
class ContactPersonTranslationOptions(TranslationOptions):
    fields = ("title",)
