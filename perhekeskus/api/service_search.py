"""The services list's parameters and query, taken from the search page's own core (services.search).

The API does not filter or rank services itself: it turns its (strictly checked) parameters into the search core's
query and runs ``search_services``, the same call behind the search page, so both give the same services in the same
order.
"""

from __future__ import annotations

from django import forms
from django.utils import translation

from services.forms import LenientMultipleChoiceField, SearchTextField, ServiceSearchForm
from services.search import SearchQuery

from .params import InvalidParams, Param, ParamError, boolean, choice, integer

LANGUAGE = Param(
    "lang",
    choice(("fi", "sv", "en")),
    "Language of the search words: decides which language's texts are matched first and how results are ranked "
    "(fi, sv or en; default fi). Every response carries all three languages.",
    {"type": "string", "enum": ["fi", "sv", "en"], "default": "fi"},
)


def _codes(field):
    return lambda: [str(code) for code, _label in field.choices if code != ""]


def _number(minimum, maximum):
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise ParamError(f"A decimal number from {minimum} to {maximum}.") from None
        if not minimum <= number <= maximum:  # also rejects nan and inf
            raise ParamError(f"A decimal number from {minimum} to {maximum}.")
        return number

    return parse


def _text(value: str) -> str:
    return value


def _param(name: str, field: forms.Field) -> Param:
    description = str(field.label)
    if isinstance(field, LenientMultipleChoiceField):
        codes = _codes(field)
        return Param(name, choice(codes), description, {"type": "string", "enum": codes()}, many=True)
    if isinstance(field, forms.ChoiceField):
        codes = _codes(field)
        return Param(name, choice(codes), description, {"type": "string", "enum": codes()})
    if isinstance(field, forms.IntegerField):
        return Param(
            name,
            integer(field.min_value, field.max_value),
            description,
            {"type": "integer", "minimum": field.min_value, "maximum": field.max_value},
        )
    if isinstance(field, forms.FloatField):
        return Param(
            name,
            _number(field.min_value, field.max_value),
            description,
            {"type": "number", "minimum": field.min_value, "maximum": field.max_value},
        )
    if isinstance(field, forms.BooleanField):
        return Param(name, boolean, description, {"type": "boolean"})
    if isinstance(field, forms.RegexField):
        pattern = field.regex.pattern

        def parse(value: str) -> str:
            if not field.regex.search(value):
                raise ParamError(f"Does not match {pattern}.")
            return value

        return Param(name, parse, description, {"type": "string", "pattern": pattern})
    if isinstance(field, SearchTextField):
        return Param(name, _text, f"{description}: words to find in names, descriptions and keywords.")
    raise TypeError(f"no API parameter for the search form's field {name} ({type(field).__name__})")


def search_params() -> list[Param]:
    """One Param for each of the search page's filters, with English descriptions (also for the OpenAPI schema)."""
    with translation.override("en"):
        return [_param(name, field) for name, field in ServiceSearchForm.base_fields.items()]


def search_query(query_params) -> SearchQuery:
    """The search core's query for the (strictly parsed) parameters; problems across fields raise InvalidParams."""
    data = {name: query_params.getlist(name) for name in ServiceSearchForm.base_fields if name in query_params}
    form = ServiceSearchForm(_as_querydict(data))
    if not form.is_valid():
        with translation.override("en"):
            # The form is the page's lenient one: its messages say what the page shows instead ("— showing all
            # areas"); the API shows nothing instead, so only the first half applies.
            raise InvalidParams(
                {name: [str(message).split(" — ")[0] for message in messages] for name, messages in form.errors.items()}
            )
    return form.to_query()


def _as_querydict(data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, values)
    return query
