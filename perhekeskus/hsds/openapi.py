"""The feed's OpenAPI document: HSDS's own (data/hsds_openapi.json) with this profile's changes merged in.

HSDS profiles describe their API as a JSON Merge Patch (RFC 7386) over HSDS's openapi.json. The patch is
built here from params.ALLOWED, so the document lists exactly the parameters each endpoint takes: our
additions (``lang``, the UK profile's ``minimum_age``, ``maximum_age``, ``day``) and not the ones we do not
serve (``minimal``, ``full``, ``full_service``). A merge patch replaces arrays whole, which is why each
operation's parameter list is given in full.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

from services.choices import MAX_AGE

from .params import ALLOWED, MAX_PER_PAGE, MAX_PROXIMITY_METRES

HSDS_OPENAPI = Path(__file__).parent / "data" / "hsds_openapi.json"
COMPILED = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/"

# Path → the endpoint name of params.ALLOWED.
PATH_ENDPOINTS = {
    "/": "root",
    "/services": "services",
    "/services/{id}": "detail",
    "/service_at_locations": "service_at_locations",
    "/service_at_locations/{id}": "detail",
    "/organizations": "organizations",
    "/organizations/{id}": "detail",
    "/taxonomies": "taxonomies",
    "/taxonomies/{id}": "detail",
    "/taxonomy_terms": "taxonomy_terms",
    "/taxonomy_terms/{id}": "detail",
}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


PROFILE_PARAMETERS = {
    "lang": _query(
        "lang",
        "Language of the texts: fi (default), sv or en. A text missing in sv or en falls back to Finnish.",
        {"type": "string", "enum": ["fi", "sv", "en"], "default": "fi"},
    ),
    "page": _query("page", "Page number of paginated result, from 1.", {"type": "integer", "minimum": 1}),
    "per_page": _query(
        "per_page",
        f"Number of results in a page, 1–{MAX_PER_PAGE} (default 50).",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 50},
    ),
    "format": _query("format", "Only json is served.", {"type": "string", "enum": ["json"]}),
    "postcode": _query(
        "postcode",
        "Finnish postal code (five digits): services given where it is, nationwide ones included.",
        {"type": "string", "pattern": "^[0-9]{5}$"},
    ),
    "proximity": _query(
        "proximity",
        "Metres from the postcode's centre (needs postcode): only places that near, nearest first.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PROXIMITY_METRES},
    ),
    "minimum_age": _query(
        "minimum_age",
        "UK profile: services that take children of this age or older (their age range reaches it).",
        {"type": "integer", "minimum": 0, "maximum": MAX_AGE},
    ),
    "maximum_age": _query(
        "maximum_age",
        "UK profile: services that take children of this age or younger (their age range starts by it).",
        {"type": "integer", "minimum": 0, "maximum": MAX_AGE},
    ),
    "day": _query(
        "day",
        "UK profile: open on this weekday by weekly hours still valid (MO … SU, or Monday … Sunday).",
        {"type": "string"},
    ),
    "parent_id": _query("parent_id", "Terms whose parent term has this id.", {"type": "string", "format": "uuid"}),
    "top_only": _query("top_only", "Only terms without a parent (the top level).", {"type": "boolean"}),
}


def merge_patch(target, patch):
    """RFC 7386: objects merge key by key, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def profile_patch(profile_url: str) -> dict:
    """This profile's changes to HSDS's openapi.json, as a merge patch."""
    patch = {
        "info": {
            "title": "Perhekeskus – Open Referral HSDS 3.0 feed",
            "version": "0.1",
            "summary": "Family services of Finland's wellbeing areas, NGOs and parishes, in fi, sv and en.",
            "description": f"HSDS 3.0 in the Finnish profile described at {profile_url}.",
            "contact": None,
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2", "url": None},
        },
        "servers": [{"url": "/api/hsds"}],
        "components": {"parameters": PROFILE_PARAMETERS | {"minimal": None, "full": None, "full_service": None}},
        "paths": {
            # Upstream names compiled/service.json for a service_at_location; it is a service_at_location.
            "/service_at_locations/{id}": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {"application/json": {"schema": {"$ref": COMPILED + "service_at_location.json"}}}
                        }
                    }
                }
            },
        },
    }
    for path, endpoint in PATH_ENDPOINTS.items():
        parameters = [{"$ref": f"#/components/parameters/{name}"} for name in ALLOWED[endpoint]]
        operation = {"parameters": parameters}
        if endpoint != "root":
            operation["responses"] = {
                "400": {"description": "Bad parameters, each named: {error, detail, parameters}."}
            }
        if endpoint == "detail":
            operation["responses"]["404"] = {"description": "No published object has this id."}
        patch["paths"].setdefault(path, {"get": {}})
        patch["paths"][path]["get"] = merge_patch(patch["paths"][path]["get"], operation)
    return patch


@functools.cache
def _hsds() -> dict:
    return json.loads(HSDS_OPENAPI.read_text(encoding="utf-8"))


def document(profile_url: str) -> dict:
    return merge_patch(_hsds(), profile_patch(profile_url))
