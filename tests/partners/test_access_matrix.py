"""The authorisation matrix through the partner pages: tests/access_matrix.EXPECTED, request by request.

view = the edit page (GET), edit = the form posted and saved, delete = the delete form posted, create = the new-entry
page. Approve and revert are not partner-page actions: no page here offers them, whoever signs in.
"""

import pytest

from organisations.access import APPROVE, CREATE, DELETE, EDIT, REVERT, VIEW
from services.models import ServiceClass
from tests.access_matrix import EXPECTED, KINDS, MAY_CREATE, OBJECTS, ROLES, build_world
from tests.conftest import sign_in_staff, with_authenticator_app
from tests.partners.helpers import form_data, url

pytestmark = pytest.mark.django_db

URL_KIND = {"service": "service", "meeting_place": "meeting-place", "activity": "activity"}
NAME_FIELD = {"service": "name_fi", "meeting_place": "name_fi", "activity": "title_fi"}
# Deleting a meeting place takes its activities with it: delete those first.
DELETE_ORDER = ("activity", "service", "meeting_place")


def _view(client, kind, obj, world):
    return client.get(url("edit", kind=URL_KIND[kind], pk=obj.pk)).status_code == 200


def _edit(client, kind, obj, world):
    field = NAME_FIELD[kind]
    data = form_data(URL_KIND[kind], obj, world.user("superuser"), **{field: f"Muokattu {obj.pk}"})
    response = client.post(url("edit", kind=URL_KIND[kind], pk=obj.pk), data)
    saved = obj.__class__.objects.filter(pk=obj.pk, **{field: f"Muokattu {obj.pk}"}).exists()
    return response.status_code == 302 and saved


def _delete(client, kind, obj, world):
    response = client.post(url("delete", kind=URL_KIND[kind], pk=obj.pk))
    gone = not obj.__class__.objects.filter(pk=obj.pk).exists()
    return response.status_code == 302 and gone


RUN = {VIEW: _view, EDIT: _edit, DELETE: _delete}


def sign_in(client, user):
    """Staff (coordinators, superusers) sign in with their authenticator app, as the staff login requires."""
    if user is None:
        return
    if user.is_staff or user.is_superuser:
        sign_in_staff(client, with_authenticator_app(user))
    else:
        client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_partner_pages_follow_the_authorisation_matrix(client, role):
    world = build_world()
    service_class = ServiceClass.objects.order_by("pk").first()
    for name in OBJECTS:
        world.objects[name]["service"].service_classes.add(service_class)
    sign_in(client, world.user(role))
    cells = [(obj, kind, action) for action in (VIEW, EDIT) for obj in OBJECTS for kind in KINDS]
    cells += [(obj, kind, DELETE) for kind in DELETE_ORDER for obj in OBJECTS]
    unexpected_allows, unexpected_denials = [], []
    for obj, kind, action in cells:
        expected = action in EXPECTED[role][obj]
        allowed = RUN[action](client, kind, world.objects[obj][kind], world)
        if allowed and not expected:
            unexpected_allows.append((obj, kind, action))
        elif expected and not allowed:
            unexpected_denials.append((obj, kind, action))
    for kind in KINDS:
        status = client.get(url("create", kind=URL_KIND[kind])).status_code
        allowed = status == 200
        if allowed != MAY_CREATE[role]:
            (unexpected_allows if allowed else unexpected_denials).append(("new", kind, CREATE))
    total = len(cells) + len(KINDS)
    assert not unexpected_allows and not unexpected_denials, (
        f"{role}: {total} cases, {len(unexpected_allows)} unexpected allows {unexpected_allows}, "
        f"{len(unexpected_denials)} unexpected denials {unexpected_denials}"
    )


@pytest.mark.parametrize("role", ["editor", "coordinator", "superuser"])
def test_partner_pages_offer_no_approve_or_revert(client, role):
    world = build_world()
    sign_in(client, world.user(role))
    for name in ("own", "own_draft"):
        for kind in KINDS:
            html = client.get(url("edit", kind=URL_KIND[kind], pk=world.objects[name][kind].pk)).content.decode()
            for action in (APPROVE, REVERT):
                assert f'name="{action}"' not in html and f"/{action}/" not in html
    html = client.get(url("home")).content.decode()
    assert 'name="approve"' not in html and 'name="revert"' not in html
