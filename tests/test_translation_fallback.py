"""Translated content falls back to Finnish, then Swedish (settings.MODELTRANSLATION_FALLBACK_LANGUAGES)."""

import pytest
from django.utils import translation

from services.models import Service
from tests.factories import ActivityFactory, MeetingPlaceFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def _name_in(language, service):
    with translation.override(language):
        return Service.objects.get(pk=service.pk).name


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_service_with_only_finnish__shows_finnish_in_every_language(language):
    service = ServiceFactory(name_fi="Lastenneuvola", name_sv=None, name_en=None)

    assert _name_in(language, service) == "Lastenneuvola"


@pytest.mark.parametrize("empty", [None, ""])
def test_service_with_only_finnish__empty_string_also_falls_back(empty):
    service = ServiceFactory(name_fi="Lastenneuvola", name_sv=empty, summary_fi="Neuvola lapsille.", summary_sv=empty)

    with translation.override("sv"):
        service = Service.objects.get(pk=service.pk)
        assert (service.name, service.summary) == ("Lastenneuvola", "Neuvola lapsille.")


def test_service_with_swedish__shows_swedish_under_sv_and_finnish_under_fi():
    service = ServiceFactory(name_fi="Lastenneuvola", name_sv="Barnrådgivning", name_en=None)

    assert _name_in("sv", service) == "Barnrådgivning"
    assert _name_in("fi", service) == "Lastenneuvola"


def test_english_page__prefers_finnish_over_swedish():
    service = ServiceFactory(name_fi="Lastenneuvola", name_sv="Barnrådgivning", name_en=None)

    assert _name_in("en", service) == "Lastenneuvola"


def test_english_page__falls_back_to_swedish_when_there_is_no_finnish():
    service = ServiceFactory(name_fi="", name_sv="Barnrådgivning", name_en=None)

    assert _name_in("en", service) == "Barnrådgivning"


def test_english_page__shows_english_when_there_is_english():
    service = ServiceFactory(name_fi="Lastenneuvola", name_sv="Barnrådgivning", name_en="Child health clinic")

    assert _name_in("en", service) == "Child health clinic"


def test_finnish_page__falls_back_to_swedish():
    # Swedish-only content exists in Swedish-speaking municipalities (e.g. Närpes).
    service = ServiceFactory(name_fi="", name_sv="Familjecentret i Närpes")

    assert _name_in("fi", service) == "Familjecentret i Närpes"


def test_swedish_page__does_not_show_english_before_finnish():
    service = ServiceFactory(name_fi="Perhekeskus", name_sv="", name_en="Family centre")

    assert _name_in("sv", service) == "Perhekeskus"


def test_fallback__applies_to_meeting_places_and_activities():
    place = MeetingPlaceFactory(name_fi="Perhekahvila Pisara", name_sv=None)
    activity = ActivityFactory(meeting_place=place, title_fi="Vauvakerho", title_sv=None)

    with translation.override("sv"):
        assert str(type(place).objects.get(pk=place.pk)) == "Perhekahvila Pisara"
        assert str(type(activity).objects.get(pk=activity.pk)) == "Vauvakerho"


def test_fallback__reference_data_names_follow_the_language():
    from organisations.models import Municipality

    with translation.override("sv"):
        assert Municipality.objects.get(code="905").name == "Vasa"
    with translation.override("en"):
        # No English municipality names: English pages use the Finnish name.
        assert Municipality.objects.get(code="905").name == "Vaasa"


def test_filtering_on_name__uses_the_active_language_column():
    ServiceFactory(name_fi="Äitiysneuvola", name_sv="Mödrarådgivning")

    with translation.override("sv"):
        assert Service.objects.filter(name="Mödrarådgivning").count() == 1
    with translation.override("fi"):
        assert Service.objects.filter(name="Äitiysneuvola").count() == 1
