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


def business_id_check_digit_holds(field: str):
    """A database condition: the business id in *field* is empty, malformed (another constraint says so) or
    its check digit matches.

    With the check digit c and the weighted sum s of the first seven digits, a valid id has
    (s + c) mod 11 == 0: remainder 0 needs c = 0, remainder r ≥ 2 needs c = 11 − r, and remainder 1
    would need c = 10, which no single digit is.
    """
    from django.db.models import Case, IntegerField, Q, Value, When
    from django.db.models.functions import Cast, Mod, Substr
    from django.db.models.lookups import Exact

    def digit(position):
        return Cast(Substr(field, position, 1), IntegerField())

    total = digit(9)
    for position, weight in enumerate(_BUSINESS_ID_WEIGHTS, start=1):
        total = total + digit(position) * weight
    # CASE keeps the casts away from malformed values (PostgreSQL does not short-circuit OR).
    remainder = Case(
        When(**{f"{field}__regex": BUSINESS_ID_RE.pattern}, then=Mod(total, 11, output_field=IntegerField())),
        default=Value(0),
        output_field=IntegerField(),
    )
    return Q(Exact(remainder, 0))


def validate_business_id(value: str) -> None:
    if not BUSINESS_ID_RE.match(value or ""):
        raise ValidationError(_("Enter a business ID in the form 1234567-8."), code="business_id_format")
    if business_id_check_digit(value[:7]) != int(value[-1]):
        raise ValidationError(
            _("The business ID’s check digit does not match; check the number."),
            code="business_id_check_digit",
        )


POSTAL_CODE_RE = r"^[0-9]{5}$"
PHONE_RE = r"^\+?[0-9][0-9 ()-]{4,24}$"
