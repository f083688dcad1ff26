"""Who may see and change which listings: the one rule the partner pages, the admin and the API all ask.

Roles come from ``Membership`` rows (and ``is_superuser``):

- a **superuser** is national: every object, every action;
- an **area coordinator** (a coordinator membership naming wellbeing areas) works on what belongs to those areas:
  organisations working there, the services, meeting places and activities given there or run by those
  organisations, their memberships and the area's network records; approves partners' drafts and reverts changes;
- a **partner editor** works on their own organisation's services, meeting places and activities, and on the
  activities their organisation runs at another's meeting place; their new entries are drafts until approved;
- a **professional** edits nothing; they read and answer their organisation's contact messages (issue 11).

Every check is a queryset filter (``editable(user, Service)`` …), so a list and a single object are decided by the
same SQL; ``can(user, action, obj)`` asks it for one object. Families (anonymous visitors) only ever see published
entries, through the public pages' own ``published()`` querysets; nothing here widens those.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value

from .models import Membership, Organisation, WellbeingArea

# What can be done to a listing; the authorisation matrix (tests/access_matrix.py) covers each.
VIEW, CREATE, EDIT, DELETE, APPROVE, REVERT = "view", "create", "edit", "delete", "approve", "revert"
ACTIONS = (VIEW, CREATE, EDIT, DELETE, APPROVE, REVERT)


def _model(label: str):
    return apps.get_model(label)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_national(user) -> bool:
    return _signed_in(user) and user.is_superuser


def memberships(user, *roles: str) -> QuerySet:
    if not _signed_in(user):
        return Membership.objects.none()
    queryset = Membership.objects.filter(user=user)
    return queryset.filter(role__in=roles) if roles else queryset


def coordinated_areas(user) -> QuerySet:
    """The wellbeing areas the user coordinates (every area for a superuser)."""
    if is_national(user):
        return WellbeingArea.objects.all()
    coordinator = memberships(user, Membership.Role.COORDINATOR)
    return WellbeingArea.objects.filter(pk__in=coordinator.values("areas"))


def is_coordinator(user) -> bool:
    return is_national(user) or coordinated_areas(user).exists()


def member_organisations(user, *roles: str) -> QuerySet:
    """The organisations the user is a member of (in one of *roles*, if given)."""
    return Organisation.objects.filter(pk__in=memberships(user, *roles).values("organisation"))


def is_editor(user) -> bool:
    return memberships(user, Membership.Role.EDITOR).exists()


# --- What belongs to an area -------------------------------------------------------------------------------------
# An organisation belongs to the areas it works in (and its home municipality's area); a service to the areas of the
# municipalities it names, and to those of its organisation; a meeting place to its municipality's area and to those
# of its organisation; an activity to its meeting place's and its organiser's. Nationwide organisations (no areas, no
# municipality) and what they alone give belong to no area: only a superuser edits them.


def organisations_in(areas) -> Q:
    return Q(areas__in=areas) | Q(municipality__area__in=areas)


def _organisation_ids_in(areas) -> QuerySet:
    return Organisation.objects.filter(organisations_in(areas)).values("pk")


def services_in(areas) -> Q:
    named = _model("services.Service").municipalities.through.objects.filter(
        service_id=OuterRef("pk"), municipality__area__in=areas
    )
    return Q(Exists(named)) | Q(organisation__in=_organisation_ids_in(areas))


def meeting_places_in(areas) -> Q:
    return Q(municipality__area__in=areas) | Q(organisation__in=_organisation_ids_in(areas))


def activities_in(areas) -> Q:
    place_ids = _model("meetingplaces.MeetingPlace").objects.filter(meeting_places_in(areas)).values("pk")
    return Q(meeting_place__in=place_ids) | Q(organiser__in=_organisation_ids_in(areas))


# --- Querysets of what a user may edit ----------------------------------------------------------------------------

# For each listing model: what of it belongs to given areas, and what of it belongs to given organisations (the
# editor's own). An activity is its meeting place's organisation's, and also its organiser's.
RULES = {
    "organisations.organisation": (organisations_in, lambda own: Q(pk__in=own)),
    "services.service": (services_in, lambda own: Q(organisation__in=own)),
    "meetingplaces.meetingplace": (meeting_places_in, lambda own: Q(organisation__in=own)),
    "meetingplaces.activity": (
        activities_in,
        lambda own: Q(meeting_place__organisation__in=own) | Q(organiser__in=own),
    ),
}


def _queryset(model_or_queryset) -> QuerySet:
    if isinstance(model_or_queryset, QuerySet):
        return model_or_queryset
    if isinstance(model_or_queryset, str):
        return _model(model_or_queryset)._default_manager.all()
    return model_or_queryset._default_manager.all()


def _filtered(queryset: QuerySet, condition: Q) -> QuerySet:
    # The conditions join through many-valued relations; a subquery on the key lists each row once.
    return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))


def in_areas(model_or_queryset, areas) -> QuerySet:
    """The rows of a listing model (a model, ``"app.Model"`` or a queryset of one) that belong to *areas* (wellbeing
    areas, their ids, or a queryset of their ``pk`` values): what a coordinator of those areas works on."""
    queryset = _queryset(model_or_queryset)
    area_ids = [getattr(area, "pk", area) for area in areas] if isinstance(areas, list | tuple | set) else areas
    belongs, _of_organisations = RULES[queryset.model._meta.label_lower]
    return _filtered(queryset, belongs(area_ids))


def editable(user, model_or_queryset, *, as_member: str = Membership.Role.EDITOR) -> QuerySet:
    """The rows of a listing model (a model, ``"app.Model"`` or a queryset of one) the user may view as staff and edit.

    Coordinators: what belongs to their areas; members in the role *as_member* (partner editors): their own
    organisations' (for organisations: the organisations themselves); superusers: everything; anyone else: nothing.
    """
    queryset = _queryset(model_or_queryset)
    if is_national(user):
        return queryset
    if not _signed_in(user):
        return queryset.none()
    belongs, of_organisations = RULES[queryset.model._meta.label_lower]
    condition = of_organisations(member_organisations(user, as_member).values("pk"))
    areas = coordinated_areas(user)
    if areas.exists():
        condition |= belongs(areas.values("pk"))
    return _filtered(queryset, condition)


def approvable(user, model_or_queryset) -> QuerySet:
    """The rows the user may approve or revert: those of a coordinator's areas (everything for a superuser)."""
    queryset = _queryset(model_or_queryset)
    if is_national(user):
        return queryset
    areas = coordinated_areas(user)
    if not _signed_in(user) or not areas.exists():
        return queryset.none()
    return in_areas(queryset, areas.values("pk"))


def deletable(user, model_or_queryset) -> QuerySet:
    """The rows the user may delete: those they may edit, except that a partner editor deletes only drafts (published
    entries are archived by a coordinator, so a family's bookmark never just vanishes)."""
    queryset = editable(user, model_or_queryset)
    if is_national(user):
        return queryset
    condition = Q(pk__in=approvable(user, queryset).values("pk"))
    if any(field.name == "state" for field in queryset.model._meta.concrete_fields):
        condition |= Q(state="draft")
    return queryset.filter(condition)


def belongs_to_areas(obj) -> list[int]:
    """The ids of the wellbeing areas *obj* belongs to (empty for what is nationwide only)."""
    return areas_of_rows(obj.__class__._default_manager.filter(pk=obj.pk)).get(obj.pk, [])


def areas_of_rows(queryset: QuerySet) -> dict[int, list[int]]:
    """``belongs_to_areas`` of every row of *queryset* (a listing model's), by pk; rows of no area are left out.

    Two queries however many rows: the areas, then one union of "the rows in this area" per area.
    """
    rows = queryset.order_by()
    per_area = [
        in_areas(rows, [area_id]).order_by().values_list("pk", Value(area_id, output_field=IntegerField()))
        for area_id in WellbeingArea.objects.order_by("pk").values_list("pk", flat=True)
    ]
    found: dict[int, list[int]] = {}
    if per_area:
        for pk, area_id in per_area[0].union(*per_area[1:], all=True):
            found.setdefault(pk, []).append(area_id)
    return {pk: sorted(area_ids) for pk, area_ids in found.items()}


def can(user, action: str, obj) -> bool:
    """May *user* do *action* to the saved listing *obj*? One query; CREATE asks whether they may add such rows at all.

    - view/edit: in ``editable``; delete: in ``deletable``;
    - approve/revert: coordinators of the object's area and superusers.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not _signed_in(user):
        return False
    if action == CREATE:
        return is_national(user) or is_coordinator(user) or is_editor(user)
    queryset = obj.__class__._default_manager.filter(pk=obj.pk)
    if action in (APPROVE, REVERT):
        return approvable(user, queryset).exists()
    if action == DELETE:
        return deletable(user, queryset).exists()
    return editable(user, queryset).exists()


def inbox_organisations(user) -> QuerySet:
    """The organisations whose anonymous questions the user may read and answer: a professional's own, a coordinator's
    area's (superusers: all). Partner editors and everyone else: none."""
    return editable(user, Organisation, as_member=Membership.Role.PROFESSIONAL)


# --- Invitations ---------------------------------------------------------------------------------------------------


def invitable_organisations(user) -> QuerySet:
    """The organisations *user* may invite people to: a superuser any, a coordinator those of their areas."""
    if not is_coordinator(user):
        return Organisation.objects.none()
    return editable(user, Organisation)


def may_invite(user, organisation, role: str, areas=()) -> bool:
    """May *user* invite someone to *organisation* in *role* (a coordinator: for *areas*, all of them their own)?"""
    if not invitable_organisations(user).filter(pk=organisation.pk).exists():
        return False
    if role != Membership.Role.COORDINATOR or is_national(user):
        return True
    area_ids = {area.pk for area in areas}
    return set(coordinated_areas(user).filter(pk__in=area_ids).values_list("pk", flat=True)) == area_ids


# --- What families said about an entry ----------------------------------------------------------------------------
# Problem reports point at their entry by content type and id; whoever may edit the entry sees them.
REPORTED = ("services.service", "meetingplaces.meetingplace")


def about_editable(user, queryset: QuerySet, labels: tuple[str, ...] = REPORTED) -> QuerySet:
    """The rows of *queryset* (with ``content_type``/``object_id``) about entries the user may edit."""
    from django.contrib.contenttypes.models import ContentType

    if is_national(user):
        return queryset
    condition = Q(pk__in=[])
    for label in labels:
        model = _model(label)
        content_type = ContentType.objects.get_for_model(model)
        condition |= Q(content_type=content_type, object_id__in=editable(user, model).values("pk"))
    return queryset.filter(condition)


# --- What a coordinator manages in the admin besides the listings -------------------------------------------------
# A listing's parts (a service's locations) and an organisation's memberships and contact persons go with what they
# belong to; an area's network records (partner networks, partnership agreements) with the area.
PARTS = {
    "services.location": ("service", "services.Service"),
    "organisations.membership": ("organisation", "organisations.Organisation"),
    "organisations.contactperson": ("organisation", "organisations.Organisation"),
}
AREA_RECORDS = {"organisations.partnernetwork": "area", "organisations.partnershipagreement": "area"}


def manageable(user, model_or_queryset) -> QuerySet:
    """The rows a coordinator may view and change in the admin: listings as ``editable``, parts with what they belong
    to, network records of their areas (superusers: all; anyone who coordinates nothing: nothing).

    A membership naming an area the user does not coordinate is left out: a coordinator never changes, or removes,
    another area's coordinator.
    """
    queryset = _queryset(model_or_queryset)
    label = queryset.model._meta.label_lower
    if is_national(user):
        return queryset
    if not is_coordinator(user):
        return queryset.none()
    if label in RULES:
        return editable(user, queryset)
    areas = coordinated_areas(user).values("pk")
    if label in AREA_RECORDS:
        return queryset.filter(**{f"{AREA_RECORDS[label]}__in": areas})
    if label not in PARTS:
        return queryset.none()
    lookup, parent = PARTS[label]
    queryset = queryset.filter(**{f"{lookup}__in": editable(user, parent).values("pk")})
    if label == "organisations.membership":
        queryset = queryset.exclude(areas__in=WellbeingArea.objects.exclude(pk__in=areas))
    return queryset
