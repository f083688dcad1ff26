import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import translation

from services.models import Location, LocationException, LocationOpeningHours, Service, WebLink
from tests.constraint_helpers import assert_clean_reports, violates
from tests.factories import (
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    ServiceFactory,
    WebLinkFactory,
)

pytestmark = pytest.mark.django_db


# --- Service ---


@pytest.mark.parametrize(
    ("values", "constraint_name"),
    [
        ({"age_min": 7, "age_max": 3}, "service_min_age_is_at_most_max_age"),
        ({"age_min": 30}, "service_ages_are_children_and_young_people"),
        ({"age_max": 45}, "service_ages_are_children_and_young_people"),
        ({"languages": ["fi", "xx"]}, "service_languages_are_known"),
        ({"access": ["walk_in", "teleport"]}, "service_access_is_known"),
        ({"cost": "cheap"}, "service_cost_is_known"),
        ({"state": "deleted"}, "service_state_is_known"),
        ({"source": "ptv", "external_id": None}, "service_from_ptv_has_its_ptv_id"),
    ],
)
def test_service__database_rejects_invalid_rows(values, constraint_name):
    service = ServiceFactory()
    for field, value in values.items():
        setattr(service, field, value)

    with violates(constraint_name):
        service.save()


@pytest.mark.parametrize(
    "values",
    [
        {"age_min": 0, "age_max": 0},
        {"age_min": 0, "age_max": 29},
        {"age_min": None, "age_max": 6},
        {"languages": ["fi", "sv", "se", "fse"], "access": ["walk_in", "booking", "referral"]},
        {"source": "ptv", "external_id": uuid.uuid4()},
    ],
)
def test_service__database_accepts_valid_edge_values(values):
    service = ServiceFactory(**values)

    service.refresh_from_db()
    for field, value in values.items():
        assert getattr(service, field) == value


def test_service__ptv_id_is_unique():
    ptv_id = uuid.uuid4()
    ServiceFactory(source="ptv", external_id=ptv_id)

    with violates("service_ptv_id_is_unique"):
        ServiceFactory(source="ptv", external_id=ptv_id)


def test_service__many_manual_services_without_ptv_id_are_allowed():
    ServiceFactory.create_batch(3, external_id=None)

    assert Service.objects.filter(external_id__isnull=True).count() == 3


def test_service__update_cannot_sneak_past_constraints():
    service = ServiceFactory(age_min=3, age_max=6)

    with violates("service_min_age_is_at_most_max_age"):
        Service.objects.filter(pk=service.pk).update(age_min=F("age_max") + 1)


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize(
    ("values", "constraint_name"),
    [
        ({"age_min": 7, "age_max": 3}, "service_min_age_is_at_most_max_age"),
        ({"source": "ptv", "external_id": None}, "service_from_ptv_has_its_ptv_id"),
    ],
)
def test_service_full_clean__reports_the_constraint_message(language, values, constraint_name):
    service = ServiceFactory.build(organisation=ServiceFactory().organisation, **values)

    assert_clean_reports(service, constraint_name, language)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_service_full_clean__reports_duplicate_ptv_id(language):
    existing = ServiceFactory(from_ptv=True)
    duplicate = ServiceFactory.build(organisation=existing.organisation, source="ptv", external_id=existing.external_id)

    assert_clean_reports(duplicate, "service_ptv_id_is_unique", language)


def test_service_full_clean__rejects_age_above_29_on_the_field():
    service = ServiceFactory.build(organisation=ServiceFactory().organisation, age_max=30)

    with pytest.raises(ValidationError) as excinfo:
        service.full_clean()

    assert "age_max" in excinfo.value.message_dict


# --- Location (Place) ---


@pytest.mark.parametrize(
    ("values", "constraint_name"),
    [
        ({"latitude": 60.17, "longitude": None}, "location_coordinates_are_in_finland"),
        ({"latitude": None, "longitude": 24.94}, "location_coordinates_are_in_finland"),
        ({"latitude": 59.33, "longitude": 18.07}, "location_coordinates_are_in_finland"),  # Stockholm
        ({"latitude": 24.94, "longitude": 60.17}, "location_coordinates_are_in_finland"),  # swapped
        ({"postal_code": "0010"}, "location_postal_code_is_five_digits"),
        ({"postal_code": "00l00"}, "location_postal_code_is_five_digits"),
    ],
)
def test_location__database_rejects_invalid_place(values, constraint_name):
    location = LocationFactory()
    for field, value in values.items():
        setattr(location, field, value)

    with violates(constraint_name):
        location.save()


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(60.1699, 24.9384), (69.9, 27.0), (60.1, 19.9), (None, None)],  # Helsinki, Utsjoki, Mariehamn
)
def test_location__database_accepts_coordinates_in_finland(latitude, longitude):
    location = LocationFactory(latitude=latitude, longitude=longitude)

    assert Location.objects.filter(pk=location.pk, latitude=latitude).exists() or latitude is None


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_location_full_clean__reports_coordinates_outside_finland(language):
    location = LocationFactory()
    location.latitude, location.longitude = 59.33, 18.07

    assert_clean_reports(location, "location_coordinates_are_in_finland", language)


# --- Opening hours and exceptions ---


@pytest.mark.parametrize(
    ("values", "constraint_name"),
    [
        ({"opens": dt.time(16), "closes": dt.time(8)}, "location_hours_closes_after_it_opens"),
        ({"opens": dt.time(8), "closes": dt.time(8)}, "location_hours_closes_after_it_opens"),
        (
            {"opens": dt.time(8), "closes": dt.time(16), "over_midnight": True},
            "location_hours_over_midnight_closes_before_it_opens",
        ),
        ({"weekday": 0}, "location_hours_weekday_is_monday_to_sunday"),
        ({"weekday": 8}, "location_hours_weekday_is_monday_to_sunday"),
        (
            {"valid_from": dt.date(2026, 6, 1), "valid_to": dt.date(2026, 5, 31)},
            "location_hours_validity_ends_after_it_starts",
        ),
    ],
)
def test_opening_hours__database_rejects_invalid_rules(values, constraint_name):
    with violates(constraint_name):
        LocationOpeningHoursFactory(**values)


@pytest.mark.parametrize(
    ("opens", "closes", "over_midnight"),
    [
        (dt.time(8), dt.time(16), False),
        (dt.time(20), dt.time(2), True),  # helpline into the next morning
        (dt.time(18), dt.time(0), True),  # until midnight
        (dt.time(0), dt.time(0), True),  # round the clock
    ],
)
def test_opening_hours__database_accepts_valid_rules(opens, closes, over_midnight):
    rule = LocationOpeningHoursFactory(opens=opens, closes=closes, over_midnight=over_midnight)

    assert LocationOpeningHours.objects.get(pk=rule.pk).over_midnight is over_midnight


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_opening_hours_full_clean__reports_closing_before_opening(language):
    rule = LocationOpeningHoursFactory.build(location=LocationFactory(), opens=dt.time(16), closes=dt.time(8))

    assert_clean_reports(rule, "location_hours_closes_after_it_opens", language)


@pytest.mark.parametrize(
    "values",
    [
        {"closed": True, "opens": dt.time(9), "closes": dt.time(12)},
        {"closed": True, "opens": dt.time(9)},
        {"closed": False},
        {"closed": False, "opens": dt.time(9)},
    ],
)
def test_exceptional_hours__database_requires_closed_xor_times(values):
    with violates("location_exception_is_closed_or_has_hours"):
        LocationExceptionFactory(**values)


def test_exceptional_hours__database_accepts_closed_or_shorter_hours():
    closed = LocationExceptionFactory(closed=True)
    shorter = LocationExceptionFactory(
        location=closed.location,
        date=dt.date(2026, 12, 24),
        closed=False,
        opens=dt.time(9),
        closes=dt.time(12),
    )

    assert list(LocationException.objects.filter(location=closed.location)) == [closed, shorter]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_exceptional_hours_full_clean__reports_missing_times(language):
    exception = LocationExceptionFactory.build(location=LocationFactory(), closed=False)

    assert_clean_reports(exception, "location_exception_is_closed_or_has_hours", language)


# --- Web links ---


@pytest.mark.parametrize(
    "values",
    [
        {"url_fi": "javascript:alert(1)"},
        {"url_fi": "ftp://example.fi/file"},
        {"url_sv": "javascript:alert(1)"},
        {"url_en": "data:text/html,hello"},
    ],
)
def test_weblink__database_rejects_non_http_addresses_in_every_language(values):
    with violates("weblink_is_http_or_https"):
        WebLinkFactory(**values)


def test_weblink__database_accepts_http_and_https_and_missing_translations():
    link = WebLinkFactory(url_fi="https://example.fi", url_sv="http://example.fi/sv", url_en=None)

    assert WebLink.objects.get(pk=link.pk).url_sv == "http://example.fi/sv"


def test_weblink__database_rejects_unknown_kind():
    with violates("weblink_kind_is_known"):
        WebLinkFactory(kind="tiktok")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_weblink_full_clean__rejects_javascript_url_on_the_field(language):
    link = WebLinkFactory.build(service=ServiceFactory(), url_fi="javascript:alert(1)")

    with translation.override(language), pytest.raises(ValidationError) as excinfo:
        link.full_clean()

    assert "url_fi" in excinfo.value.message_dict
