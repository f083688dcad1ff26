"""The authorisation matrix through the API (/api/v1/, read-only and public): whoever asks, drafts are never listed
or retrieved, published entries are, and every write method is refused — also for a signed-in superuser.

The API has no staff side, so EXPECTED's staff rights (view, edit, delete, approve) have no channel here: the table's
"anonymous" row is the API's for every role, and its published/draft split is what the public pages show families.
"""

import pytest

from tests.access_matrix import KINDS, OBJECTS, ROLES, build_world
from tests.admin.helpers import client_for

pytestmark = pytest.mark.django_db

ENDPOINTS = {"service": "services", "meeting_place": "meeting-places", "activity": "activities"}
WRITES = ("post", "put", "patch", "delete")


def _listed_ids(client, endpoint) -> set[int]:
    response = client.get(f"/api/v1/{endpoint}/", {"page_size": 100})
    assert response.status_code == 200, response.content[:300]
    return {item["id"] for item in response.json()["results"]}


def _refused(response) -> bool:
    return response.status_code in (403, 405)


def test_api__lists_and_retrieves_published_entries_only_and_refuses_writes_for_every_role():
    world = build_world()
    cells, unexpected_allows, unexpected_denials = 0, [], []

    def check(cell, allowed, expected):
        nonlocal cells
        cells += 1
        if allowed and not expected:
            unexpected_allows.append(cell)
        elif expected and not allowed:
            unexpected_denials.append(cell)

    for role in ROLES:
        client = client_for(world.user(role))
        for kind in KINDS:
            endpoint = ENDPOINTS[kind]
            listed = _listed_ids(client, endpoint)
            created = client.post(f"/api/v1/{endpoint}/", {}, content_type="application/json")
            check((role, kind, "create"), not _refused(created), False)
            for obj_name in OBJECTS:
                obj = world.objects[obj_name][kind]
                public = obj.state == "published"
                detail = f"/api/v1/{endpoint}/{obj.pk}/"
                check((role, obj_name, kind, "list"), obj.pk in listed, public)
                check((role, obj_name, kind, "retrieve"), client.get(detail).status_code == 200, public)
                for method in WRITES:
                    response = getattr(client, method)(detail, {}, content_type="application/json")
                    check((role, obj_name, kind, method), not _refused(response), False)

    summary = f"{cells} cells, {len(unexpected_allows)} unexpected allows, {len(unexpected_denials)} unexpected denials"
    assert cells == len(ROLES) * len(KINDS) * (1 + len(OBJECTS) * (2 + len(WRITES))), summary
    assert (unexpected_allows, unexpected_denials) == ([], []), summary
