import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from organisations.models import Organisation
from tests.constraint_helpers import assert_clean_reports, violates
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PartnershipAgreementFactory,
    PostalCodeFactory,
    WellbeingAreaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("business_id", ["02012566", "0201256-", "ABCDEFG-H", "02012-566"])
def test_organisation__database_rejects_a_malformed_business_id(business_id):
    with violates("organisation_business_id_has_the_right_form"):
        OrganisationFactory(business_id=business_id)


@pytest.mark.parametrize("business_id", ["0201256-5", "1234567-0", "0000001-1"])
def test_organisation__database_rejects_a_wrong_check_digit(business_id):
    with violates("organisation_business_id_check_digit_matches"):
        OrganisationFactory(business_id=business_id)


def test_organisation__database_check_digit_agrees_with_the_validator():
    """Every first-seven-digits prefix tried gets exactly the check digit the Python validator accepts."""
    from organisations.validators import business_id_check_digit

    for n in range(0, 10_000_000, 99_991):
        prefix = f"{n:07d}"
        expected = business_id_check_digit(prefix)
        for digit in range(10):
            business_id = f"{prefix}-{digit}"
            if digit == expected:
                Organisation.objects.filter(business_id=business_id).delete()
                OrganisationFactory(business_id=business_id)
            else:
                with violates("organisation_business_id_check_digit_matches"):
                    OrganisationFactory(business_id=business_id)


def test_organisation__database_rejects_a_duplicate_business_id():
    OrganisationFactory(business_id="0201256-6")

    with violates("organisation_business_id_is_unique"):
        OrganisationFactory(business_id="0201256-6")


def test_organisation__many_organisations_may_lack_a_business_id():
    OrganisationFactory.create_batch(3, business_id="")

    assert Organisation.objects.filter(business_id="").count() == 3


def test_organisation__database_rejects_an_unknown_kind():
    with violates("organisation_kind_is_known"):
        OrganisationFactory(kind="company")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_organisation_full_clean__reports_a_duplicate_business_id(language):
    OrganisationFactory(business_id="0201256-6")

    assert_clean_reports(
        OrganisationFactory.build(business_id="0201256-6"), "organisation_business_id_is_unique", language
    )


def test_agreement__database_rejects_ending_before_signing():
    with violates("agreement_ends_after_it_is_signed"):
        PartnershipAgreementFactory(signed_on=dt.date(2026, 1, 1), valid_until=dt.date(2025, 12, 31))


@pytest.mark.parametrize("valid_until", [None, dt.date(2026, 1, 1), dt.date(2029, 12, 31)])
def test_agreement__database_accepts_open_ended_or_later_end(valid_until):
    agreement = PartnershipAgreementFactory(signed_on=dt.date(2026, 1, 1), valid_until=valid_until)

    assert agreement.pk is not None


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_agreement_full_clean__reports_ending_before_signing(language):
    agreement = PartnershipAgreementFactory.build(
        area=WellbeingAreaFactory(),
        organisation=OrganisationFactory(),
        signed_on=dt.date(2026, 1, 1),
        valid_until=dt.date(2025, 1, 1),
    )

    assert_clean_reports(agreement, "agreement_ends_after_it_is_signed", language)


@pytest.mark.parametrize("code", ["1", "1A", "AB"])
def test_wellbeing_area__database_requires_a_two_digit_code(code):
    with violates("wellbeingarea_code_is_two_digits"):
        WellbeingAreaFactory(code=code)


@pytest.mark.parametrize("code", ["91", "9 1", "X91"])
def test_municipality__database_requires_a_three_digit_code(code):
    with violates("municipality_code_is_three_digits"):
        MunicipalityFactory(code=code)


def test_municipality__database_rejects_an_unknown_language():
    with violates("municipality_language_is_known"):
        MunicipalityFactory(code="998", language="de")


@pytest.mark.parametrize("code", ["0010", "0010A", "00 10"])
def test_postal_code__database_requires_five_digits(code):
    with violates("postalcode_is_five_digits"):
        PostalCodeFactory(code=code)


def test_membership__database_allows_one_membership_per_user_and_organisation():
    membership = MembershipFactory()

    with violates("membership_is_unique_per_user_and_organisation"):
        MembershipFactory(user=membership.user, organisation=membership.organisation, role="coordinator")


def test_membership__database_rejects_an_unknown_role():
    with violates("membership_role_is_known"):
        MembershipFactory(role="owner")


def test_organisation_is_public__only_for_wellbeing_areas_and_municipalities():
    assert OrganisationFactory(kind="wellbeing_area").is_public
    assert OrganisationFactory(kind="municipality").is_public
    assert not OrganisationFactory(kind="ngo").is_public
    assert not OrganisationFactory(kind="parish").is_public


def test_every_constraint__has_its_own_message_not_djangos_default():
    from django.apps import apps

    default = "Constraint “%(name)s” is violated."
    missing = [
        f"{model.__name__}.{c.name}"
        for app in ("organisations", "services", "meetingplaces")
        for model in apps.get_app_config(app).get_models()
        for c in model._meta.constraints
        if c.violation_error_message in (None, default) or str(c.violation_error_message) == default
    ]

    assert missing == []


def test_full_clean__puts_check_constraint_errors_in_non_field_errors():
    agreement = PartnershipAgreementFactory.build(
        area=WellbeingAreaFactory(),
        organisation=OrganisationFactory(),
        signed_on=dt.date(2026, 1, 1),
        valid_until=dt.date(2025, 1, 1),
    )

    with pytest.raises(ValidationError) as excinfo:
        agreement.full_clean()

    assert list(excinfo.value.message_dict) == [NON_FIELD_ERRORS]
