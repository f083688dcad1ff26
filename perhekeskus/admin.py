"""Shared admin bases: the admin's branding, one fi/sv/en switch for every translated field of a form (no CDN asset),
checkboxes for choice arrays, area-scoped and review filters, counts in the language's grammar, link check results;
the coordinator's scope (what organisations.access allows), the approval queue and the history of admin edits."""

import datetime as dt
import re

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.utils import unquote
from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import Q
from django.forms.models import _get_foreign_key
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from organisations import access, review
from organisations.history import deleted_with, distinct_subjects, record_change, recording_deletion, snapshot
from organisations.models import ChangeRecord, LinkCheck, Municipality

from .forms import ChoiceArrayField

admin.site.site_header = admin.site.site_title = admin.site.index_title = _("Family centre – administration")

# Staff often type "www.example.fi"; complete it with https:// (also Django 6.0's default).
URL_FIELD_OVERRIDES = {models.URLField: {"widget": widgets.AdminURLFieldWidget, "assume_scheme": "https"}}


class TranslationTabsMedia:
    js = ("admin/js/translation_tabs.js",)
    css = {"all": ("admin/css/translation_tabs.css",)}


class ChoiceArrayMixin:
    """Choice arrays (languages, ways of access) as checkboxes with translated labels, not a text box of codes."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, ArrayField) and db_field.base_field.choices:
            kwargs.setdefault("form_class", ChoiceArrayField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class TabbedTranslationAdmin(ChoiceArrayMixin, TranslationAdmin):
    Media = TranslationTabsMedia
    formfield_overrides = URL_FIELD_OVERRIDES


class TabbedTranslationStackedInline(ChoiceArrayMixin, TranslationStackedInline):
    """An inline whose translated fields stack, so the form's one language switch shows one language at a time."""

    formfield_overrides = URL_FIELD_OVERRIDES


# --- Filters ---

# The GET parameter of the list's wellbeing-area filter, whichever relation it goes through
# (organisation__areas__id__exact, municipality__area__id__exact, meeting_place__municipality__area__id__exact).
AREA_PARAMETER = re.compile(r"(^|__)areas?__id__exact$")


class AreaMunicipalityFilter(admin.RelatedOnlyFieldListFilter):
    """Municipalities of the chosen wellbeing area only (of a coordinator's own areas), not all ~300 of Finland.

    Use as ``("municipality", AreaMunicipalityFilter)``; the list's area filter (any relation) picks the area.
    """

    def field_choices(self, field, request, model_admin):
        pks = model_admin.get_queryset(request).distinct().values_list(f"{self.field_path}__pk", flat=True)
        condition = Q(pk__in=pks)
        chosen = [value for key, value in request.GET.items() if AREA_PARAMETER.search(key) and value.isdigit()]
        if chosen:
            condition &= Q(area__in=chosen)
        if not access.is_national(request.user):
            condition &= Q(area__in=access.coordinated_areas(request.user))
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=condition, ordering=ordering)


class NotCheckedFilter(admin.SimpleListFilter):
    """Entries whose information nobody has confirmed for a while (6, 9, 12 months), or ever: whom to chase."""

    title = _("information checked")
    parameter_name = "not_checked"
    days = (180, 270, 365)

    def lookups(self, request, model_admin):
        periods = [(str(days), _("Not checked in %(days)s days") % {"days": days}) for days in self.days]
        return [*periods, ("never", _("Information never checked"))]

    def queryset(self, request, queryset):
        if self.value() == "never":
            return queryset.filter(reviewed_at__isnull=True)
        if self.value() in {str(days) for days in self.days}:
            before = timezone.now() - dt.timedelta(days=int(self.value()))
            return queryset.filter(Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=before))
        return queryset


class BrokenLinkFilter(admin.SimpleListFilter):
    """ "Broken link" in the admin's filters: rows showing an address that failed the latest link check."""

    title = _("link check")
    parameter_name = "link_check"

    def __init__(self, request, params, model, model_admin):
        self.url_fields = model_admin.link_url_fields
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [("broken", _("Broken link")), ("ok", _("No broken links"))]

    def queryset(self, request, queryset):
        if self.value() not in ("broken", "ok"):
            return queryset
        broken = LinkCheck.objects.broken().values("url")
        condition = Q()
        for field in self.url_fields:
            condition |= Q(**{f"{field}__in": broken})
        # A subquery on the primary key: a service with several broken links is listed once.
        with_broken = queryset.model._default_manager.filter(condition).values("pk")
        if self.value() == "broken":
            return queryset.filter(pk__in=with_broken)
        return queryset.exclude(pk__in=with_broken)


class LinkCheckAdminMixin:
    """The "broken link" filter and a warning on the change page, for a model whose *link_url_fields* hold addresses.

    The fields are lookups from the model (``website``, ``links__url_fi``); the addresses' results come from the
    weekly link check (``organisations.LinkCheck``).
    """

    link_url_fields: tuple[str, ...] = ()

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), BrokenLinkFilter)

    def broken_links(self, obj) -> list[LinkCheck]:
        rows = self.model._default_manager.filter(pk=obj.pk).values_list(*self.link_url_fields)
        urls = {url for row in rows for url in row if url}
        return list(LinkCheck.objects.broken().filter(url__in=urls).order_by("url"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                for check in self.broken_links(obj):
                    messages.warning(request, broken_link_message(check))
        return super().change_view(request, object_id, form_url, extra_context)


def broken_link_message(check: LinkCheck) -> str:
    return gettext(
        "The link %(url)s did not work in the link check: %(problem)s. "
        "Not working since %(since)s; last checked %(checked)s. Please correct or remove it."
    ) % {
        "url": check.url,
        "problem": check.problem,
        "since": formats.date_format(timezone.localtime(check.broken_since), "SHORT_DATE_FORMAT"),
        "checked": formats.date_format(timezone.localtime(check.checked_at), "SHORT_DATE_FORMAT"),
    }


# --- The coordinator's scope ----------------------------------------------------------------------------------------
# Superusers keep Django's own answers (they have every permission). Everyone else is asked organisations.access, never
# Django's permission rows: a coordinator needs none, and staff who coordinate nothing see nothing.


def is_national(request) -> bool:
    return access.is_national(request.user)


def is_coordinator(request) -> bool:
    """``access.is_coordinator``, asked once per request (every permission check of a page needs it)."""
    if not hasattr(request, "_admin_is_coordinator"):
        request._admin_is_coordinator = access.is_coordinator(request.user)
    return request._admin_is_coordinator


def _asked_once(request, question: str, obj, answer) -> bool:
    """*answer()* for (*question*, *obj*), asked once per request: a change page checks the same object's permissions
    some twenty times (the form, each inline, the buttons). Unsaved objects are not remembered."""
    if obj.pk is None:
        return answer()
    answers = request.__dict__.setdefault("_admin_answers", {})
    key = (question, obj._meta.label_lower, obj.pk)
    if key not in answers:
        answers[key] = answer()
    return answers[key]


def answer_deletions_at_once(request, objs) -> None:
    """Answer ``has_delete_permission`` for *objs* and every row deleting them takes along, one query per kind of row.

    Django's deletion page (and the deletion itself) asks it of each row, one by one, each time with the query of
    ``access.can`` or ``in_scope``. The answers are the same, kept for the request as ``_asked_once`` keeps them.
    """
    answers = request.__dict__.setdefault("_admin_answers", {})
    by_model: dict = {}
    for obj in deleted_with(objs):
        by_model.setdefault(obj.__class__, []).append(obj.pk)
    for model, pks in by_model.items():
        model_admin = admin.site._registry.get(model)
        if not isinstance(model_admin, ScopedAdminMixin):
            continue
        rows = model._default_manager.filter(pk__in=pks)
        if model_admin._is_listing():
            question, allowed = "delete", access.deletable(request.user, rows)
        elif is_coordinator(request):  # in_scope() asks nothing of anyone else
            question, allowed = "manage", access.manageable(request.user, rows)
        else:
            continue
        allowed_pks = set(allowed.values_list("pk", flat=True))
        for pk in pks:
            answers.setdefault((question, model._meta.label_lower, pk), pk in allowed_pks)


def in_scope(request, obj) -> bool:
    """May the (coordinator) user manage *obj* in the admin? (None: such rows in general.)"""
    if not is_coordinator(request):
        return False
    if obj is None:
        return True
    return _asked_once(
        request,
        "manage",
        obj,
        lambda: access.manageable(request.user, obj.__class__._default_manager.filter(pk=obj.pk)).exists(),
    )


class CoordinatorOnlyAdminMixin:
    """An admin that only coordinators (and superusers) open; its ``get_queryset`` scopes the rows to their areas."""

    def has_module_permission(self, request):
        return is_coordinator(request)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request)


def allowed_choices(user, model):
    """The rows of *model* a coordinator may point a foreign key or many-to-many field at (None: no limit)."""
    label = model._meta.label_lower
    if label == "organisations.wellbeingarea":
        return access.coordinated_areas(user)
    if label == "organisations.municipality":
        return Municipality.objects.filter(area__in=access.coordinated_areas(user).values("pk"))
    if label == settings.AUTH_USER_MODEL.lower():
        # People come in by invitation; a membership can name only someone already in an organisation they manage.
        return model._default_manager.filter(memberships__in=access.manageable(user, "organisations.Membership"))
    if label in access.RULES or label in access.PARTS or label in access.AREA_RECORDS:
        return access.manageable(user, model)
    return None


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited to what the coordinator may name, plus what the edited rows
    already name (editing a service that also names another area's municipality must not drop it silently)."""

    def _edited_rows(self, request):
        return getattr(request, "_admin_edited_rows", {}).get(self.model, self.model._default_manager.none())

    def _remember_edited_rows(self, request, rows):
        if not hasattr(request, "_admin_edited_rows"):
            request._admin_edited_rows = {}
        request._admin_edited_rows[self.model] = rows

    def _scoped(self, db_field, request, kwargs):
        if is_national(request) or "queryset" in kwargs:
            return kwargs
        allowed = allowed_choices(request.user, db_field.related_model)
        if allowed is not None:
            kept = self._edited_rows(request).values(db_field.name)
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                Q(pk__in=allowed.values("pk")) | Q(pk__in=kept)
            )
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped(db_field, request, kwargs))

    def get_autocomplete_fields(self, request):
        """Autocomplete only where the related admin answers this user (users: a plain, scoped list instead)."""
        fields = super().get_autocomplete_fields(request)
        if is_national(request):
            return fields
        registry = self.admin_site._registry
        return [
            name
            for name in fields
            if (related := registry.get(self.model._meta.get_field(name).related_model)) is not None
            and related.has_view_permission(request)
        ]


class ScopedAdminMixin(ScopedChoicesMixin):
    """A ModelAdmin of listings or network data as ``organisations.access`` allows: rows, permissions and choices
    scoped to the coordinator's areas; every add, change and delete of a listing recorded in its history."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if is_national(request) else access.manageable(request.user, queryset)

    def has_module_permission(self, request):
        return super().has_module_permission(request) if is_national(request) else is_coordinator(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) if is_national(request) else in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) if is_national(request) else in_scope(request, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) if is_national(request) else is_coordinator(request)

    def has_delete_permission(self, request, obj=None):
        if is_national(request):
            return super().has_delete_permission(request, obj)
        if obj is not None and self._is_listing():
            return _asked_once(request, "delete", obj, lambda: access.can(request.user, access.DELETE, obj))
        return in_scope(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        rows = self.model._default_manager.filter(pk=obj.pk) if obj is not None else self.model._default_manager.none()
        self._remember_edited_rows(request, rows)
        return super().get_form(request, obj, change=change, **kwargs)

    # --- History: the state of the listings a save touches, taken before anything is saved and recorded after the
    # inlines and their fix-ups. A part saved on its own page (a location) is a change of its listing's history.

    def _is_listing(self) -> bool:
        return self.model._meta.label_lower in access.RULES

    def save_model(self, request, obj, form, change):
        stored = self.model._default_manager.filter(pk=obj.pk).first() if change else None
        # The listing as the form names it and as stored: a location moved to another service changes both.
        request._admin_history_before = [(subject, snapshot(subject)) for subject in distinct_subjects(obj, stored)]
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if self._is_listing() and not change:
            record_change(user=request.user, obj=form.instance, action=ChangeRecord.Action.CREATED)
        for subject, before in getattr(request, "_admin_history_before", []):
            record_change(user=request.user, obj=subject, before=before)

    def get_deleted_objects(self, objs, request):
        if not is_national(request):
            answer_deletions_at_once(request, objs)
        return super().get_deleted_objects(objs, request)

    def delete_model(self, request, obj):
        with recording_deletion(user=request.user, objs=[obj]):
            super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        """The bulk delete action: only the rows this user may delete, each recorded."""
        if not is_national(request) and self._is_listing():
            queryset = access.deletable(request.user, queryset)
        with recording_deletion(user=request.user, objs=queryset):
            super().delete_queryset(request, queryset)


class ScopedInlineMixin(ScopedChoicesMixin):
    """An inline answers as its parent's admin does for the parent object; rows that are themselves scoped (a
    meeting place's activities, an organisation's memberships) are listed as far as ``access.manageable`` allows."""

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_national(request) or allowed_choices(request.user, self.model) is None:
            return queryset
        return access.manageable(request.user, queryset)

    def get_formset(self, request, obj=None, **kwargs):
        fk = _get_foreign_key(self.parent_model, self.model, fk_name=self.fk_name)
        manager = self.model._default_manager
        self._remember_edited_rows(request, manager.filter(**{fk.name: obj}) if obj is not None else manager.none())
        return super().get_formset(request, obj, **kwargs)

    def has_view_permission(self, request, obj=None):
        if is_national(request):
            return super().has_view_permission(request, obj)
        return self._parent_admin().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if is_national(request):
            return super().has_change_permission(request, obj)
        return self._parent_admin().has_change_permission(request, obj)

    def has_add_permission(self, request, obj):
        if is_national(request):
            return super().has_add_permission(request, obj)
        parent = self._parent_admin()
        return parent.has_change_permission(request, obj) if obj is not None else parent.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        if is_national(request):
            return super().has_delete_permission(request, obj)
        return self._parent_admin().has_change_permission(request, obj)


class ReferenceDataAdminMixin:
    """Areas, municipalities, postal codes, taxonomies and search words: coordinators read them, superusers edit."""

    def has_module_permission(self, request):
        return super().has_module_permission(request) if is_national(request) else is_coordinator(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) if is_national(request) else is_coordinator(request)

    def has_add_permission(self, request, *args):
        return is_national(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_national(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_national(request) and super().has_delete_permission(request, obj)

    def get_search_results(self, request, queryset, search_term):
        """A coordinator's municipality autocomplete offers their own areas' municipalities only."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete" and not is_national(request):
            allowed = allowed_choices(request.user, queryset.model)
            if allowed is not None:
                queryset = queryset.filter(pk__in=allowed.values("pk"))
        return queryset, duplicates


# --- The approval queue -----------------------------------------------------------------------------------------


class AwaitingApprovalFilter(admin.SimpleListFilter):
    """Partners' drafts this user may approve."""

    title = _("approval")
    parameter_name = "approval"

    def lookups(self, request, model_admin):
        return [("awaiting", _("Awaiting approval"))]

    def queryset(self, request, queryset):
        if self.value() != "awaiting":
            return queryset
        return access.approvable(request.user, queryset.filter(state="draft"))


def approve_drafts(*, user, queryset) -> int:
    """Approve and publish the drafts of *queryset* the user may approve; the number approved."""
    drafts = access.approvable(user, queryset.filter(state="draft")).order_by("pk")
    return sum(review.approve(user=user, obj=obj) for obj in drafts)


class ApprovalAdminMixin:
    """ "Awaiting approval" filter, the "Approve and publish" action and change-page button, and "checked today".

    Goes before ScopedAdminMixin: the button's approval is recorded after the edit saved with it.
    """

    def get_list_filter(self, request):
        return (AwaitingApprovalFilter, *super().get_list_filter(request))

    def has_approve_permission(self, request):
        return is_national(request) or is_coordinator(request)

    @admin.action(description=_("Approve and publish"), permissions=["approve"])
    def approve_and_publish(self, request, queryset):
        count = approve_drafts(user=request.user, queryset=queryset)
        self.message_user(request, approved_message(count, len(queryset) - count))

    @admin.action(description=_("Mark the information as checked today"))
    def mark_checked(self, request, queryset):
        rows = access.editable(request.user, queryset).order_by("pk")
        for obj in rows:
            review.mark_checked(user=request.user, obj=obj)
        self.message_user(
            request,
            ngettext("%(count)d entry marked as checked.", "%(count)d entries marked as checked.", len(rows))
            % {"count": len(rows)},
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        show = obj is not None and obj.state == "draft" and access.can(request.user, access.APPROVE, obj)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "show_approve": show})

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        wanted = change and "_approve" in request.POST and access.can(request.user, access.APPROVE, obj)
        if wanted and review.approve(user=request.user, obj=obj):
            self.message_user(request, approved_message(1, 0), messages.SUCCESS)


def approved_message(approved: int, skipped: int) -> str:
    text = ngettext(
        "%(count)d entry approved and published.", "%(count)d entries approved and published.", approved
    ) % {"count": approved}
    if skipped:
        text += " " + ngettext(
            "%(count)d selected entry was not a draft you may approve.",
            "%(count)d selected entries were not drafts you may approve.",
            skipped,
        ) % {"count": skipped}
    return text


# --- Counts ---

# "409 palvelua", "409 tjänster": a Finnish count takes the partitive, which no verbose name holds, so every model
# has its own plural-aware text; a model without one reads "Palvelut: 409", right in any language.
RESULT_COUNTS = {
    "services.service": lambda n: ngettext("%(count)s service", "%(count)s services", n),
    "services.location": lambda n: ngettext("%(count)s visiting location", "%(count)s visiting locations", n),
    "services.serviceclass": lambda n: ngettext("%(count)s service class", "%(count)s service classes", n),
    "services.lifesituation": lambda n: ngettext("%(count)s life situation", "%(count)s life situations", n),
    "services.searchsynonym": lambda n: ngettext("%(count)s search synonym", "%(count)s search synonyms", n),
    "services.searchexclusion": lambda n: ngettext("%(count)s search exclusion", "%(count)s search exclusions", n),
    "meetingplaces.meetingplace": lambda n: ngettext("%(count)s meeting place", "%(count)s meeting places", n),
    "meetingplaces.activity": lambda n: ngettext("%(count)s activity", "%(count)s activities", n),
    "organisations.organisation": lambda n: ngettext("%(count)s organisation", "%(count)s organisations", n),
    "organisations.wellbeingarea": lambda n: ngettext("%(count)s wellbeing area", "%(count)s wellbeing areas", n),
    "organisations.municipality": lambda n: ngettext("%(count)s municipality", "%(count)s municipalities", n),
    "organisations.postalcode": lambda n: ngettext("%(count)s postal code", "%(count)s postal codes", n),
    "organisations.membership": lambda n: ngettext("%(count)s membership", "%(count)s memberships", n),
    "organisations.contactperson": lambda n: ngettext("%(count)s contact person", "%(count)s contact persons", n),
    "organisations.partnernetwork": lambda n: ngettext("%(count)s partner network", "%(count)s partner networks", n),
    "organisations.partnershipagreement": lambda n: ngettext(
        "%(count)s partnership agreement", "%(count)s partnership agreements", n
    ),
    "organisations.linkcheck": lambda n: ngettext("%(count)s link check", "%(count)s link checks", n),
}


def result_count_text(opts, count: int) -> str:
    """The change list's "409 services" for the model *opts* describes, in the active language's grammar."""
    number = formats.number_format(count, force_grouping=True)
    text = RESULT_COUNTS.get(opts.label_lower)
    if text:
        return text(count) % {"count": number}
    return gettext("%(name)s: %(count)s") % {"name": capfirst(opts.verbose_name_plural), "count": number}
