from modeltranslation.translator import TranslationOptions, register

from .models import Activity, MeetingPlace, MeetingPlaceException


@register(MeetingPlace)
class MeetingPlaceTranslationOptions(TranslationOptions):
    fields = ("name", "description", "street_address", "directions", "accessibility_info")
    required_languages = ("fi",)


@register(MeetingPlaceException)
class MeetingPlaceExceptionTranslationOptions(TranslationOptions):
    fields = ("reason",)


@register(Activity)
class ActivityTranslationOptions(TranslationOptions):
    fields = ("title", "description", "cost_info", "registration_info")
    required_languages = ("fi",)
