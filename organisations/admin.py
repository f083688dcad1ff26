from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from perhekeskus.admin import (
    BrokenLinkFilter,
    LinkCheckAdminMixin,
    ReferenceDataAdminMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    TabbedTranslationAdmin,
)

from .models import (
    ContactPerson,
    LinkCheck,
    Membership,
    Municipality,
    Organisation,
    PartnerNetwork,
    PartnershipAgreement,
    PostalCode,
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


class ContactPersonInline(ScopedInlineMixin, admin.StackedInline):
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
class ContactPersonAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "title", "organisation", "email", "phone", "updated_at")
    list_filter = ("organisation__kind", "organisation__areas")
    search_fields = ("name", "email", "organisation__name_fi")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)


@admin.register(PartnerNetwork)
class PartnerNetworkAdmin(ScopedAdminMixin, TabbedTranslationAdmin):
    list_display = ("name", "area")
    list_filter = ("area",)
    search_fields = ("name_fi", "name_sv")
    filter_horizontal = ("organisations",)
    list_select_related = ("area",)


@admin.register(PartnershipAgreement)
class PartnershipAgreementAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "area", "signed_on", "valid_until")
    list_filter = ("area",)
    search_fields = ("organisation__name_fi",)
    autocomplete_fields = ("organisation",)
    date_hierarchy = "signed_on"
    list_select_related = ("organisation", "area")


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
