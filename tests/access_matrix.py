"""The authorisation matrix: one table of who may do what, and one world to try it in.

Every channel (``organisations.access.can``, the partner pages, the admin, the API) is tested against ``EXPECTED``
by its own runner, which turns (role, object, action) into requests and compares allow/deny with the table:
0 unexpected allows, 0 unexpected denials. A new channel adds a runner; a rule change is one edit here.

The world: area A (Varsinais-Suomi, 05) and area B (Lappi, 21). "own" is the organisation the editor and the
professional belong to, working in A; "same_area" another organisation in A; "other_area" an organisation in B.
Each has a published service, meeting place and activity; "own_draft" are the own organisation's drafts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from organisations.access import APPROVE, DELETE, EDIT, REVERT, VIEW
from organisations.models import Membership, Municipality, WellbeingArea
from tests.factories.meetingplaces import ActivityFactory, MeetingPlaceFactory
from tests.factories.organisations import MembershipFactory, OrganisationFactory
from tests.factories.services import ServiceFactory
from tests.factories.users import UserFactory

ROLES = ("anonymous", "professional", "editor", "coordinator", "coordinator_b", "superuser")
OBJECTS = ("own", "own_draft", "same_area", "other_area")
KINDS = ("service", "meeting_place", "activity")
# Actions on an existing object (CREATE is asked per role below).
OBJECT_ACTIONS = (VIEW, EDIT, DELETE, APPROVE, REVERT)

_ALL = frozenset(OBJECT_ACTIONS)
_EDITOR_PUBLISHED = frozenset({VIEW, EDIT})
_EDITOR_DRAFT = frozenset({VIEW, EDIT, DELETE})
_NONE = frozenset()

# EXPECTED[role][object] = the actions allowed (staff view, edit, delete, approve, revert), the same for each KIND.
EXPECTED: dict[str, dict[str, frozenset[str]]] = {
    "anonymous": dict.fromkeys(OBJECTS, _NONE),
    "professional": dict.fromkeys(OBJECTS, _NONE),
    "editor": {"own": _EDITOR_PUBLISHED, "own_draft": _EDITOR_DRAFT, "same_area": _NONE, "other_area": _NONE},
    "coordinator": {"own": _ALL, "own_draft": _ALL, "same_area": _ALL, "other_area": _NONE},
    "coordinator_b": {"own": _NONE, "own_draft": _NONE, "same_area": _NONE, "other_area": _ALL},
    "superuser": dict.fromkeys(OBJECTS, _ALL),
}
# May the role add new entries at all (to the organisations it edits)?
MAY_CREATE = {
    "anonymous": False,
    "professional": False,
    "editor": True,
    "coordinator": True,
    "coordinator_b": True,
    "superuser": True,
}


# Whose anonymous questions (perhekeskus/contact/) each role may read and answer: by the organisation asked.
READS_MESSAGES_OF: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "professional": frozenset({"own"}),
    "editor": frozenset(),
    "coordinator": frozenset({"own", "same_area"}),
    "coordinator_b": frozenset({"other_area"}),
    "superuser": frozenset({"own", "same_area", "other_area"}),
}


def cases():
    """(role, object, kind, action, allowed) for every cell of the matrix."""
    for role, obj, kind, action in itertools.product(ROLES, OBJECTS, KINDS, OBJECT_ACTIONS):
        yield role, obj, kind, action, action in EXPECTED[role][obj]


@dataclass
class World:
    area_a: WellbeingArea
    area_b: WellbeingArea
    users: dict[str, object] = field(default_factory=dict)
    organisations: dict[str, object] = field(default_factory=dict)
    # objects[object][kind] = the row
    objects: dict[str, dict[str, object]] = field(default_factory=dict)

    def user(self, role):
        return self.users.get(role)


def build_world() -> World:
    """The matrix's world, built with the factories (needs the database)."""
    area_a = WellbeingArea.objects.get(code="05")
    area_b = WellbeingArea.objects.get(code="21")
    turku = Municipality.objects.get(code="853")
    rovaniemi = Municipality.objects.get(code="698")
    world = World(area_a=area_a, area_b=area_b)
    world.organisations = {
        "own": OrganisationFactory(areas=[area_a], name_fi="Oma perheyhdistys ry"),
        "same_area": OrganisationFactory(areas=[area_a], name_fi="Naapuriyhdistys ry"),
        "other_area": OrganisationFactory(areas=[area_b], name_fi="Lapin perheyhdistys ry"),
    }
    home = {"own": turku, "own_draft": turku, "same_area": turku, "other_area": rovaniemi}
    for name in OBJECTS:
        organisation = world.organisations["own" if name == "own_draft" else name]
        state = "draft" if name == "own_draft" else "published"
        place = MeetingPlaceFactory(organisation=organisation, municipality=home[name], state=state)
        world.objects[name] = {
            "service": ServiceFactory(organisation=organisation, municipalities=[home[name]], state=state),
            "meeting_place": place,
            "activity": ActivityFactory(meeting_place=place, state=state),
        }
    own = world.organisations["own"]
    world.users = {"anonymous": None}
    world.users["professional"] = MembershipFactory(
        organisation=own, role=Membership.Role.PROFESSIONAL, user__email="ammattilainen@example.fi"
    ).user
    world.users["editor"] = MembershipFactory(
        organisation=own, role=Membership.Role.EDITOR, user__email="toimittaja@example.fi"
    ).user
    coordinating_body = OrganisationFactory(public=True, areas=[area_a], name_fi="Varsinais-Suomen hyvinvointialue")
    world.users["coordinator"] = MembershipFactory(
        organisation=coordinating_body,
        coordinator=True,
        areas=[area_a],
        user__email="koordinaattori@example.fi",
        user__is_staff=True,
    ).user
    lapland_body = OrganisationFactory(public=True, areas=[area_b], name_fi="Lapin hyvinvointialue")
    world.users["coordinator_b"] = MembershipFactory(
        organisation=lapland_body,
        coordinator=True,
        areas=[area_b],
        user__email="koordinaattori.lappi@example.fi",
        user__is_staff=True,
    ).user
    world.users["superuser"] = UserFactory(superuser=True, email="paakayttaja@example.fi")
    return world
