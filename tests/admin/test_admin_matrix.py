"""The authorisation matrix through the admin: every role × object × kind × action of tests/access_matrix.EXPECTED.

The admin is staff's channel: partner editors and professionals are not staff, so here every cell of theirs is a
denial (they work on the partner pages, whose runner checks their allows). For staff roles the table holds as is:

- view: the changelist lists the row and its change page opens (200), or neither (302 to the sign-in or the index,
  403, 404);
- edit: the change page's own form, posted back with a new name, saves the name or not;
- delete: the delete page's confirmation, posted, removes the row or not;
- approve: the "Approve and publish" action, run on the row made a draft, publishes it or not;
- revert: a partner editor's change of the row's name, recorded in the history, is reverted from its history record
  ("Revert this change", a POST to the record's revert page) or not.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from organisations.access import APPROVE, DELETE, EDIT, REVERT, VIEW
from organisations.history import record_change, snapshot
from services.models import ServiceClass
from tests.access_matrix import EXPECTED, KINDS, OBJECTS, ROLES, build_world

from .helpers import admin_url, change_form_data, client_for, undone

pytestmark = pytest.mark.django_db

MODELS = {
    "service": "services.Service",
    "meeting_place": "meetingplaces.MeetingPlace",
    "activity": "meetingplaces.Activity",
}
NAME_FIELD = {"service": "name_fi", "meeting_place": "name_fi", "activity": "title_fi"}
ADMIN_ACTIONS = (VIEW, EDIT, DELETE, APPROVE, REVERT)
PARTNERS_NAME = "Kumppanin muutos"
# (model label, pk) → (the history record of the partner's change, the name it changed)
REVERTIBLE = {}


def _rows(obj):
    return apps.get_model(obj._meta.label)._default_manager.filter(pk=obj.pk)


def _listed(client, model) -> set[int]:
    response = client.get(admin_url(model, "changelist"), {"all": ""})
    return {row.pk for row in response.context["cl"].result_list} if response.status_code == 200 else set()


def _views(client, obj, form_data, kind):
    """(opened, listed): both must allow for an allow, and either one allowing is an allow."""
    return client.get(admin_url(obj, "change", obj.pk)).status_code == 200, obj.pk in _listed(client, type(obj))


def _edits(client, obj, form_data, kind) -> bool:
    field = NAME_FIELD[kind]
    with undone():
        client.post(admin_url(obj, "change", obj.pk), {**form_data, field: "Muutettu nimi", "_save": "1"})
        return _rows(obj).filter(**{field: "Muutettu nimi"}).exists()


def _deletes(client, obj, form_data, kind) -> bool:
    with undone():
        client.post(admin_url(obj, "delete", obj.pk), {"post": "yes"})
        return not _rows(obj).exists()


def _approves(client, obj, form_data, kind) -> bool:
    with undone():
        _rows(obj).update(state="draft")
        client.post(admin_url(obj, "changelist"), {"action": "approve_and_publish", "_selected_action": [str(obj.pk)]})
        return _rows(obj).filter(state="published").exists()


def _reverts(client, obj, form_data, kind) -> bool:
    record, original = REVERTIBLE[obj._meta.label_lower, obj.pk]
    with undone():
        client.post(reverse("admin:organisations_changerecord_revert", args=[record.pk]))
        return _rows(obj).filter(**{NAME_FIELD[kind]: original}).exists()


def _partner_changes_the_name(world, obj, kind):
    field = NAME_FIELD[kind]
    original, before = getattr(obj, field), snapshot(obj)
    _rows(obj).update(**{field: PARTNERS_NAME})
    obj.refresh_from_db()
    REVERTIBLE[obj._meta.label_lower, obj.pk] = (
        record_change(user=world.user("editor"), obj=obj, before=before),
        original,
    )


RUNNERS = {VIEW: _views, EDIT: _edits, DELETE: _deletes, APPROVE: _approves, REVERT: _reverts}


def test_admin__answers_every_cell_of_the_matrix_as_the_table_says():
    world = build_world()
    superuser_client = client_for(world.user("superuser"))
    form_data = {}
    for obj_name in OBJECTS:
        for kind in KINDS:
            obj = world.objects[obj_name][kind]
            response = superuser_client.get(admin_url(obj, "change", obj.pk))
            assert response.status_code == 200
            form_data[obj_name, kind] = change_form_data(response)
            if kind == "service":  # the matrix's services have no class, which the service form requires
                form_data[obj_name, kind]["service_classes"] = [str(ServiceClass.objects.order_by("pk")[0].pk)]
            _partner_changes_the_name(world, obj, kind)

    cells, unexpected_allows, unexpected_denials = 0, [], []
    for role in ROLES:
        user = world.user(role)
        client = superuser_client if role == "superuser" else client_for(user)
        staff = user is not None and user.is_staff
        for obj_name in OBJECTS:
            for kind in KINDS:
                obj = world.objects[obj_name][kind]
                for action in ADMIN_ACTIONS:
                    expected = staff and action in EXPECTED[role][obj_name]
                    answers = RUNNERS[action](client, obj, form_data[obj_name, kind], kind)
                    answers = answers if isinstance(answers, tuple) else (answers,)
                    cells += 1
                    if any(answers) and not expected:
                        unexpected_allows.append((role, obj_name, kind, action))
                    elif expected and not all(answers):
                        unexpected_denials.append((role, obj_name, kind, action))

    summary = f"{cells} cells, {len(unexpected_allows)} unexpected allows, {len(unexpected_denials)} unexpected denials"
    assert cells == len(ROLES) * len(OBJECTS) * len(KINDS) * len(ADMIN_ACTIONS), summary
    assert (unexpected_allows, unexpected_denials) == ([], []), summary
    print(summary)  # noqa: T201 (the closing note quotes it; -s shows it)
