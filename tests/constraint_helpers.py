"""Helpers for asserting that a database constraint, not just form validation, rejects a row."""

import contextlib

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation


@contextlib.contextmanager
def violates(constraint_name: str):
    """Expect the database to reject the statement(s) in the block with *constraint_name*."""
    with pytest.raises(IntegrityError, match=constraint_name), transaction.atomic():
        yield


def constraint(model, name: str):
    return next(c for c in model._meta.constraints if c.name == name)


def assert_clean_reports(obj, constraint_name: str, language: str, field: str = NON_FIELD_ERRORS):
    """full_clean() under *language* reports *constraint_name*'s own message, in that language, on *field*."""
    with translation.override(language):
        expected = str(constraint(type(obj), constraint_name).violation_error_message)
        with pytest.raises(ValidationError) as excinfo:
            obj.full_clean()
        messages = excinfo.value.message_dict.get(field, [])
    assert expected in messages, excinfo.value.message_dict
