from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from perhekeskus.admin import (
    BrokenLinkFilter,
    LinkCheckAdminMixin,
    TabbedTranslationAdmin,
    TabbedTranslationStackedInline,
)

from . import access
from .actions import reports_visible_to, resolve_report
from .models import (
    ContactPerson,
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
class WellbeingAreaAdmin(TabbedTranslationAdmin):
    list_display = ("code", "name", "municipality_count")
    search_fields = ("code", "name_fi", "name_sv")
    inlines = [MunicipalityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(municipality_total=Count("municipalities"))

    @admin.display(description=_("municipalities"), ordering="municipality_total")
    def municipality_count(self, obj):
        return obj.municipality_total


@admin.register(Municipality)
class MunicipalityAdmin(TabbedTranslationAdmin):
    list_display = ("name", "code", "area", "language")
    list_filter = ("area", "language")
    search_fields = ("code", "name_fi", "name_sv")
    list_select_related = ("area",)


@admin.register(PostalCode)
class PostalCodeAdmin(TabbedTranslationAdmin):
    list_display = ("code", "post_office", "municipality", "is_street_address")
    list_filter = ("is_street_address", "municipality__area")
    search_fields = ("code", "post_office_fi", "post_office_sv", "municipality__name_fi")
    list_select_related = ("municipality",)
    autocomplete_fields = ("municipality",)


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "areas")
    autocomplete_fields = ("user",)
    extra = 0


class ContactPersonInline(TabbedTranslationStackedInline):
    model = ContactPerson
    extra = 0


class AgreementInline(admin.TabularInline):
    model = PartnershipAgreement
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(LinkCheckAdminMixin, TabbedTranslationAdmin):
    link_url_fields = ("website",)
    list_display = ("name", "kind", "business_id", "municipality", "updated_at")
    list_filter = ("kind", "areas", "municipality__area")
    search_fields = ("name_fi", "name_sv", "business_id")
    prepopulated_fields = {"slug": ("name_fi",)}
    autocomplete_fields = ("municipality",)
    filter_horizontal = ("areas",)
    list_select_related = ("municipality",)
    inlines = [MembershipInline, ContactPersonInline, AgreementInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role", "organisation__kind")
    search_fields = ("user__email", "user__username", "organisation__name_fi")
    autocomplete_fields = ("user", "organisation")
    filter_horizontal = ("areas",)
    list_select_related = ("user", "organisation")


@admin.register(ContactPerson)
class ContactPersonAdmin(TabbedTranslationAdmin):
    list_display = ("name", "title", "organisation", "area", "kind", "show_publicly", "updated_at")
    list_filter = ("area", "kind", "show_publicly", "organisation__kind")
    search_fields = ("name", "email", "organisation__name_fi")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation", "area")
    fields = ("organisation", "area", "kind", "name", "title", "email", "phone", "show_publicly", "notes")


@admin.register(PartnerNetwork)
class PartnerNetworkAdmin(TabbedTranslationAdmin):
    list_display = ("name", "area")
    list_filter = ("area",)
    search_fields = ("name_fi", "name_sv")
    filter_horizontal = ("organisations", "contacts")
    list_select_related = ("area",)


@admin.register(PartnershipAgreement)
class PartnershipAgreementAdmin(admin.ModelAdmin):
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
class ProblemReportAdmin(admin.ModelAdmin):
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

    def has_module_permission(self, request):
        return access.is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return access.is_coordinator(request.user)

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
