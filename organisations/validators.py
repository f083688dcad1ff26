import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BUSINESS_ID_RE = re.compile(r"^\d{7}-\d$")
_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(first_seven: str) -> int | None:
    """Return the check digit of a Finnish business id (Y-tunnus), or None if no valid one exists."""
    remainder = sum(int(d) * w for d, w in zip(first_seven, _BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def validate_business_id(value: str) -> None:
    if not BUSINESS_ID_RE.match(value or ""):
        raise ValidationError(
            _("Enter a business ID in the form 1234567-8."), code="business_id_format"
        )
    if business_id_check_digit(value[:7]) != int(value[-1]):
        raise ValidationError(
            _("The business ID’s check digit does not match; check the number."),
            code="business_id_check_digit",
        )


POSTAL_CODE_RE = r"^[0-9]{5}$"
PHONE_RE = r"^\+?[0-9][0-9 ()-]{4,24}$"
