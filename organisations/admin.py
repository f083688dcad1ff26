from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from perhekeskus.admin import BrokenLinkFilter, LinkCheckAdminMixin, TabbedTranslationAdmin

from . import access, invitations
from .forms import InvitationForm
from .models import (
    ContactPerson,
    Invitation,
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


class ContactPersonInline(admin.StackedInline):
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
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "organisation", "email", "phone", "updated_at")
    list_filter = ("organisation__kind", "organisation__areas")
    search_fields = ("name", "email", "organisation__name_fi")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)


@admin.register(PartnerNetwork)
class PartnerNetworkAdmin(TabbedTranslationAdmin):
    list_display = ("name", "area")
    list_filter = ("area",)
    search_fields = ("name_fi", "name_sv")
    filter_horizontal = ("organisations",)
    list_select_related = ("area",)


@admin.register(PartnershipAgreement)
class PartnershipAgreementAdmin(admin.ModelAdmin):
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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
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

    def has_module_permission(self, request):
        return access.is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_invite_permission(request)

    def has_add_permission(self, request):
        return self.has_invite_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_invite_permission(self, request):
        return access.is_coordinator(request.user)

    @admin.display(description=_("state"))
    def state(self, obj):
        return Invitation.State(obj.state_at(timezone.now())).label

    def save_model(self, request, obj, form, change):
        invitations.send_invitation(invitation=obj, invited_by=request.user, base_url=request.build_absolute_uri("/"))
        messages.info(request, _("The invitation was sent to %(email)s.") % {"email": obj.email})

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
