from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from perhekeskus.admin import (
    BrokenLinkFilter,
    CoordinatorOnlyAdminMixin,
    LinkCheckAdminMixin,
    ReferenceDataAdminMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    TabbedTranslationAdmin,
    TabbedTranslationStackedInline,
    is_coordinator,
)

from . import access, invitations
from .actions import reports_visible_to, resolve_report
from .forms import InvitationForm, OrganisationAdminForm, already_invited_message
from .history_display import readable_changes
from .models import (
    ChangeRecord,
    ContactPerson,
    Invitation,
    LinkCheck,
    Membership,
    Municipality,
    Organisation,
    PartnerNetwork,
    PartnershipAgreement,
    PostalCode,
    ProblemReport,
    WellbeingArea,
)


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    fields = ("code", "name_fi", "name_sv", "language")
    extra = 0
    show_change_link = True


@admin.register(WellbeingArea)
class WellbeingAreaAdmin(ReferenceDataAdminMixin, TabbedTranslationAdmin):
    list_display = ("code", "name", "municipality_count")
    search_fields = ("code", "name_fi", "name_sv")
    inlines = [MunicipalityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(municipality_total=Count("municipalities"))

    @admin.display(description=_("municipalities"), ordering="municipality_total")
    def municipality_count(self, obj):
        return obj.municipality_total


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdminMixin, TabbedTranslationAdmin):
    list_display = ("name", "code", "area", "language")
    list_filter = ("area", "language")
    search_fields = ("code", "name_fi", "name_sv")
    list_select_related = ("area",)


@admin.register(PostalCode)
class PostalCodeAdmin(ReferenceDataAdminMixin, TabbedTranslationAdmin):
    list_display = ("code", "post_office", "municipality", "is_street_address")
    list_filter = ("is_street_address", "municipality__area")
    search_fields = ("code", "post_office_fi", "post_office_sv", "municipality__name_fi")
    list_select_related = ("municipality",)
    autocomplete_fields = ("municipality",)


class MembershipInline(ScopedInlineMixin, admin.TabularInline):
    model = Membership
    fields = ("user", "role", "areas")
    autocomplete_fields = ("user",)
    extra = 0


class ContactPersonInline(ScopedInlineMixin, TabbedTranslationStackedInline):
    model = ContactPerson
    extra = 0


class AgreementInline(ScopedInlineMixin, admin.TabularInline):
    model = PartnershipAgreement
    extra = 0


class OrganisationAdminBase(LinkCheckAdminMixin, TabbedTranslationAdmin):
    """The organisation admin's set-up; services/admin.py registers it with the PTV panel (scoped the same way)."""

    link_url_fields = ("website",)
    list_display = ("name", "kind", "business_id", "municipality", "updated_at")
    list_filter = ("kind", "areas", "municipality__area")
    search_fields = ("name_fi", "name_sv", "business_id")
    prepopulated_fields = {"slug": ("name_fi",)}
    autocomplete_fields = ("municipality",)
    filter_horizontal = ("areas",)
    list_select_related = ("municipality",)
    inlines = [MembershipInline, ContactPersonInline, AgreementInline]
    form = OrganisationAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, OrganisationAdminBase):
    pass


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role", "organisation__kind")
    search_fields = ("user__email", "user__username", "organisation__name_fi")
    autocomplete_fields = ("user", "organisation")
    filter_horizontal = ("areas",)
    list_select_related = ("user", "organisation")


@admin.register(ContactPerson)
class ContactPersonAdmin(ScopedAdminMixin, TabbedTranslationAdmin):
    list_display = ("name", "title", "organisation", "area", "kind", "show_publicly", "updated_at")
    list_filter = ("area", "kind", "show_publicly", "organisation__kind")
    search_fields = ("name", "email", "organisation__name_fi")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation", "area")
    fields = ("organisation", "area", "kind", "name", "title", "email", "phone", "show_publicly", "notes")


@admin.register(PartnerNetwork)
class PartnerNetworkAdmin(ScopedAdminMixin, TabbedTranslationAdmin):
    list_display = ("name", "area")
    list_filter = ("area",)
    search_fields = ("name_fi", "name_sv")
    filter_horizontal = ("organisations", "contacts")
    list_select_related = ("area",)


@admin.register(PartnershipAgreement)
class PartnershipAgreementAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "area", "state", "signed_on", "valid_until")
    list_filter = ("state", "area")
    search_fields = ("organisation__name_fi",)
    autocomplete_fields = ("organisation",)
    date_hierarchy = "signed_on"
    list_select_related = ("organisation", "area")


class OpenReportFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("1", _("Open")), ("0", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.open()
        if self.value() == "0":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(ProblemReport)
class ProblemReportAdmin(CoordinatorOnlyAdminMixin, admin.ModelAdmin):
    """Families' reports about the entries of the coordinator's areas (``access.about_editable``), until resolved."""

    list_display = ("object_repr", "content_type", "organisation", "created_at", "resolved_at")
    list_filter = (OpenReportFilter, ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("object_repr", "message", "organisation__name_fi")
    date_hierarchy = "created_at"
    list_select_related = ("content_type", "organisation")
    fields = (
        "object_repr", "content_type", "object_id", "organisation", "message", "reply_email", "language",
        "created_at", "notified_at", "resolved_at", "resolved_by", "note",
    )  # fmt: skip
    readonly_fields = fields[:-1]
    actions = ["resolve"]

    def get_queryset(self, request):
        return reports_visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordinator(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return access.is_national(request.user)

    @admin.action(description=_("Mark as resolved (erases the reply e-mail)"))
    def resolve(self, request, queryset):
        reports = list(queryset.open())
        for report in reports:
            resolve_report(report=report, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d report marked as resolved.", "%(count)d reports marked as resolved.", len(reports))
            % {"count": len(reports)},
            messages.SUCCESS,
        )


# allauth's own admin shows and edits the authenticator's data: the TOTP secret in clear text. Here a
# coordinator sees who has which authenticator and can delete one (a lost phone); the secret stays hidden.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """The weekly link check's latest results (read only: the job writes them)."""

    list_display = ("url", "outcome", "reason", "status", "checked_at", "broken_since")
    list_filter = (BrokenLinkFilter, "outcome", "reason")
    link_url_fields = ("url",)
    search_fields = ("url",)
    date_hierarchy = "checked_at"
    fields = ("url", "outcome", "reason", "status", "error", "final_url", "checked_at", "broken_since")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- History ---------------------------------------------------------------------------------------------------------


class KindFilter(admin.SimpleListFilter):
    """What kind of entry changed: only the listing models (not every content type of the project)."""

    title = _("kind of entry")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [
            (str(content_type.pk), capfirst_text(content_type.model_class()._meta.verbose_name))
            for content_type in listing_content_types()
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(content_type_id=int(value))
        return queryset


def capfirst_text(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def listing_content_types() -> list[ContentType]:
    """The kinds of entry the history records (organisations.access.RULES lists them)."""
    return [ContentType.objects.get_for_model(apps.get_model(label)) for label in access.RULES]


def object_admin_url(record: ChangeRecord) -> str | None:
    """The changed entry's admin page, if the entry still exists and has one."""
    model = record.content_type.model_class()
    if model is None or not model._default_manager.filter(pk=record.object_id).exists():
        return None
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.object_id])
    except NoReverseMatch:
        return None


@admin.register(ChangeRecord)
class ChangeRecordAdmin(CoordinatorOnlyAdminMixin, admin.ModelAdmin):
    """The history of listings, read only: coordinators see their areas' records, superusers all; CHANGED records
    can be reverted (organisations/revert.py) from their page."""

    list_display = ("at", "object_repr", "kind", "action", "organisation", "user_repr")
    list_display_links = ("at", "object_repr")
    list_filter = ("action", KindFilter, ("organisation", admin.RelatedOnlyFieldListFilter), "at")
    list_select_related = ("content_type", "organisation")
    search_fields = ("object_repr", "user_repr")
    date_hierarchy = "at"
    fields = ("at", "entry", "kind", "action", "user_repr", "organisation", "reverted_record", "readable_changes")
    readonly_fields = fields
    change_form_template = "admin/organisations/changerecord/change_form.html"

    class Media:
        css = {"all": ("admin/css/history.css",)}

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("content_type", "organisation", "reverts")
        if access.is_national(request.user):
            return queryset
        area_ids = list(access.coordinated_areas(request.user).values_list("pk", flat=True))
        return queryset.filter(area_ids__overlap=area_ids) if area_ids else queryset.none()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kind of entry"), ordering="content_type")
    def kind(self, obj):
        model = obj.content_type.model_class()
        return capfirst_text(model._meta.verbose_name) if model else obj.content_type.model

    @admin.display(description=_("entry"))
    def entry(self, obj):
        url = object_admin_url(obj)
        return format_html('<a href="{}">{}</a>', url, obj.object_repr) if url else obj.object_repr

    @admin.display(description=_("reverted change"))
    def reverted_record(self, obj):
        if obj.reverts_id is None:
            return "–"
        url = reverse("admin:organisations_changerecord_change", args=[obj.reverts_id])
        return format_html('<a href="{}">{}</a>', url, str(obj.reverts))

    @admin.display(description=_("changed fields"))
    def readable_changes(self, obj):
        from django.template.loader import render_to_string

        model = obj.content_type.model_class()
        changes = readable_changes(model, obj.changes) if model else []
        return render_to_string("admin/organisations/changerecord/diff.html", {"changes": changes})

    def get_urls(self):
        return [
            path(
                "<path:object_id>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name="organisations_changerecord_revert",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "can_revert": record is not None and self._may_revert(request, record),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _may_revert(self, request, record) -> bool:
        from .revert import target

        if record.action != ChangeRecord.Action.CHANGED:
            return False
        obj = target(record)
        return obj is not None and access.can(request.user, access.REVERT, obj)

    def revert_view(self, request, object_id):
        """GET: what would be restored, what conflicts, what cannot be; POST: revert and go to the new record."""
        from .revert import RevertRefused, plan_revert, revert

        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404
        if not self._may_revert(request, record):
            raise PermissionDenied
        if request.method == "POST":
            try:
                reverted, plan = revert(user=request.user, record=record)
            except RevertRefused as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(request.path)
            messages.success(request, gettext("The change was reverted."))
            if plan.conflicts:
                messages.warning(request, gettext("Fields changed again since were left as they are."))
            return HttpResponseRedirect(reverse("admin:organisations_changerecord_change", args=[reverted.pk]))
        plan = plan_revert(record)
        model = record.content_type.model_class()
        shown = readable_changes(model, record.changes)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Revert this change"),
            "record": record,
            # Now → after reverting: the change read backwards.
            "restorable": readable_changes(
                model, {key: list(reversed(record.changes[key])) for key in plan.restorable}
            ),
            # What the change left in each conflicting field → what is there now.
            "conflicts": readable_changes(
                model, {key: [record.changes[key][1], plan.current[key]] for key in plan.conflicts}
            ),
            "unsupported": [change for change in shown if change.key in plan.unsupported],
            "plan": plan,
            "entry_url": object_admin_url(record),
        }
        return TemplateResponse(request, "admin/organisations/changerecord/revert.html", context)


@admin.register(Invitation)
class InvitationAdmin(CoordinatorOnlyAdminMixin, admin.ModelAdmin):
    """Coordinators invite people here: saving sends the e-mail. Invitations are not edited; they are resent
    (a new link) or revoked. Scoped with organisations.access: a coordinator sees and invites to their areas'
    organisations only, and coordinators only for the areas they coordinate themselves."""

    form = InvitationForm
    list_display = ("email", "organisation", "role", "state", "invited_by", "created_at", "expires_at")
    list_filter = ("role", "organisation__kind")
    search_fields = ("email", "organisation__name_fi", "organisation__name_sv")
    list_select_related = ("organisation", "invited_by")
    filter_horizontal = ("areas",)
    readonly_fields = ("state", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by", "revoked_at")
    actions = ["resend", "revoke"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class ScopedForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return ScopedForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("email", "organisation", "role", "areas", "language")
        return ("email", "organisation", "role", "areas", "language", *self.readonly_fields)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(organisation__in=access.invitable_organisations(request.user))

    def has_add_permission(self, request):
        return self.has_invite_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_invite_permission(self, request):
        return is_coordinator(request)

    @admin.display(description=_("state"))
    def state(self, obj):
        return Invitation.State(obj.state_at(timezone.now())).label

    def save_model(self, request, obj, form, change):
        try:
            invitations.send_invitation(
                invitation=obj, invited_by=request.user, base_url=request.build_absolute_uri("/")
            )
        except invitations.AlreadyInvited as error:
            # Another coordinator invited the address between the form's check and this save.
            messages.error(request, already_invited_message(error.pending))
            return
        messages.info(request, _("The invitation was sent to %(email)s.") % {"email": obj.email})

    def save_related(self, request, form, formsets, change):
        if form.instance.pk is not None:
            super().save_related(request, form, formsets, change)

    def log_addition(self, request, obj, message):
        if obj.pk is not None:
            super().log_addition(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:
            return HttpResponseRedirect(reverse("admin:organisations_invitation_changelist"))
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Send again with a new link"), permissions=["invite"])
    def resend(self, request, queryset):
        sent = 0
        for invitation in queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True):
            invitations.send_invitation(
                invitation=invitation, invited_by=request.user, base_url=request.build_absolute_uri("/")
            )
            sent += 1
        message = ngettext("%(count)d invitation sent again.", "%(count)d invitations sent again.", sent)
        self.message_user(request, message % {"count": sent})

    @admin.action(description=_("Revoke"), permissions=["invite"])
    def revoke(self, request, queryset):
        revoked = sum(invitations.revoke_invitation(invitation=invitation) for invitation in queryset)
        message = ngettext("%(count)d invitation revoked.", "%(count)d invitations revoked.", revoked)
        self.message_user(request, message % {"count": revoked})
