"""Choice lists shared by services and meeting places (taxonomies live in services, see STYLE.md §12)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Cost(models.TextChoices):
    FREE = "free", _("Free of charge")
    FEE = "fee", _("Chargeable")


class Access(models.TextChoices):
    WALK_IN = "walk_in", _("Walk in, no appointment")
    BOOKING = "booking", _("By appointment")
    REFERRAL = "referral", _("With a referral")


class Language(models.TextChoices):
    """Languages a service is given in (ISO 639-1, or 639-3 where there is no two-letter code)."""

    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    NORTHERN_SAMI = "se", _("Northern Sámi")
    RUSSIAN = "ru", _("Russian")
    ESTONIAN = "et", _("Estonian")
    UKRAINIAN = "uk", _("Ukrainian")
    ARABIC = "ar", _("Arabic")
    SOMALI = "so", _("Somali")
    PERSIAN = "fa", _("Persian")
    FINNISH_SIGN_LANGUAGE = "fse", _("Finnish Sign Language")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered in this portal")
    PTV = "ptv", _("Imported from the national service catalogue (PTV)")


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


# Oldest age a "child's age" filter accepts; services for parents use the audience flags instead.
MAX_AGE = 29
