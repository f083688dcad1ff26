import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from organisations.validators import business_id_check_digit, validate_business_id
from tests.factories import OrganisationFactory, valid_business_id

# Check digits worked out by hand: weights 7,9,10,5,8,4,2; remainder 0 gives 0, otherwise 11 - remainder.
VALID = ["0201256-6", "1572860-0", "0112038-9", "1234567-1", "0737546-2", "0109862-8"]


@pytest.mark.parametrize("business_id", VALID)
def test_validate_business_id__accepts_valid_ids(business_id):
    validate_business_id(business_id)


@pytest.mark.parametrize("business_id", ["0201256-5", "0201256-7", "1572860-1", "1234567-0", "0737546-9"])
def test_validate_business_id__rejects_a_wrong_check_digit(business_id):
    with pytest.raises(ValidationError) as excinfo:
        validate_business_id(business_id)

    assert excinfo.value.code == "business_id_check_digit"


@pytest.mark.parametrize("business_id", [f"1000008-{digit}" for digit in range(10)])
def test_validate_business_id__rejects_every_id_whose_remainder_is_1(business_id):
    with pytest.raises(ValidationError) as excinfo:
        validate_business_id(business_id)

    assert excinfo.value.code == "business_id_check_digit"


@pytest.mark.parametrize(
    "business_id",
    [
        "",
        "02012566",
        "0201256 6",
        "201256-6",
        "00201256-6",
        "0201256-66",
        "O201256-6",
        "FI02012566",
        "0201256–6",
    ],
)
def test_validate_business_id__rejects_the_wrong_form(business_id):
    with pytest.raises(ValidationError) as excinfo:
        validate_business_id(business_id)

    assert excinfo.value.code == "business_id_format"


def test_business_id_check_digit__is_none_for_remainder_1():
    assert business_id_check_digit("1000008") is None
    assert business_id_check_digit("0201256") == 6
    assert business_id_check_digit("1572860") == 0


def test_valid_business_id_factory_helper__gives_distinct_valid_ids():
    ids = [valid_business_id(n) for n in range(500)]

    assert len(set(ids)) == 500
    for business_id in ids:
        validate_business_id(business_id)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("business_id", ["0201256-5", "1000008-0", "02012566"])
def test_organisation_full_clean__reports_a_bad_business_id_on_the_field(language, business_id):
    organisation = OrganisationFactory.build(business_id=business_id)

    with translation.override(language), pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()

    assert list(excinfo.value.message_dict) == ["business_id"]


@pytest.mark.django_db
def test_organisation_full_clean__accepts_a_valid_or_missing_business_id():
    OrganisationFactory.build(business_id="0201256-6").full_clean()
    OrganisationFactory.build(business_id="").full_clean()
