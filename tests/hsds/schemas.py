"""The official HSDS 3.0 schemas (tests/hsds/schema/, see PROVENANCE.md), compiled strict for the tests.

Each schema is compiled with compiletojsonschema and additionalProperties false everywhere, as upstream's
own example check does, and checked with jsonschema's Draft 2020-12 validator with formats on (uuid, email,
date, date-time and uri are checked, so an id that is not a UUID fails).
"""

import datetime as dt
import functools
import json
import lzma
from pathlib import Path
from urllib.parse import urlsplit

from compiletojsonschema.compiletojsonschema import CompileToJsonSchema
from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_DIR = Path(__file__).parent / "schema"
PAGE_FIELDS = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")

format_checker = FormatChecker()


@format_checker.checks("date-time", raises=ValueError)
def _is_datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("an RFC 3339 date-time has an offset")
    return True


@format_checker.checks("uri", raises=ValueError)
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError("not an absolute http(s) URI")
    return True


def _load(name: str) -> dict:
    compressed = SCHEMA_DIR / f"{name}.json.xz"
    if compressed.exists():
        return json.loads(lzma.decompress(compressed.read_bytes()))
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@functools.cache
def compiled(name: str) -> dict:
    """The schema *name* (service, service_list, ..., taxonomy_term) compiled strict."""
    plain = SCHEMA_DIR / f"{name}.json"
    if plain.exists():
        # Relative $refs (taxonomy_term.json → taxonomy.json, metadata.json) resolve next to the file.
        compiler = CompileToJsonSchema(input_filename=str(plain), set_additional_properties_false_everywhere=True)
    else:
        compiler = CompileToJsonSchema(input_schema=_load(name), set_additional_properties_false_everywhere=True)
    return json.loads(compiler.get_as_string())


@functools.cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(compiled(name), format_checker=format_checker)


@functools.cache
def page_validator(item_schema: str) -> Draft202012Validator:
    """HSDS's Page (from the official openapi.json) with every field required and *item_schema* contents."""
    page = json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))["components"]["schemas"]["Page"]
    schema = {
        "type": "object",
        "properties": {**page["properties"], "contents": {"type": "array", "items": compiled(item_schema)}},
        "required": [*PAGE_FIELDS, "contents"],
        "additionalProperties": False,
    }
    return Draft202012Validator(schema, format_checker=format_checker)


def _errors(checker: Draft202012Validator, instance) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message[:300]}"
        for error in sorted(checker.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    ]


def assert_valid(schema: str, instance) -> None:
    errors = _errors(validator(schema), instance)
    assert not errors, f"not a valid HSDS {schema}:\n" + "\n".join(errors[:20])


def assert_valid_page(item_schema: str, instance) -> None:
    errors = _errors(page_validator(item_schema), instance)
    assert not errors, f"not a valid HSDS page of {item_schema}:\n" + "\n".join(errors[:20])
