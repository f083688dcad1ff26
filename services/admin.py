from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from organisations.admin import OrganisationAdminBase
from organisations.models import Organisation
from perhekeskus.admin import (
    ApprovalAdminMixin,
    AreaMunicipalityFilter,
    LinkCheckAdminMixin,
    NotCheckedFilter,
    ReferenceDataAdminMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    TabbedTranslationAdmin,
    TabbedTranslationStackedInline,
)

from .models import (
    EmailAddress,
    LifeSituation,
    Location,
    LocationException,
    LocationOpeningHours,
    PhoneNumber,
    SearchExclusion,
    SearchSynonym,
    Service,
    ServiceClass,
    ServiceFeedback,
    WebLink,
)
from .ptv.admin import PTVProvenanceMixin


@admin.register(ServiceClass)
class ServiceClassAdmin(ReferenceDataAdminMixin, TabbedTranslationAdmin):
    list_display = ("name", "code", "ptv_code", "order")
    search_fields = ("code", "name_fi", "name_sv")


@admin.register(LifeSituation)
class LifeSituationAdmin(ReferenceDataAdminMixin, TabbedTranslationAdmin):
    list_display = ("name", "code", "order")
    search_fields = ("code", "name_fi", "name_sv")


@admin.register(SearchSynonym)
class SearchSynonymAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ("words", "note")
    search_fields = ("words", "note")


@admin.register(SearchExclusion)
class SearchExclusionAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ("word", "excluded_words")
    search_fields = ("word",)

    @admin.display(description=_("words it must not find"))
    def excluded_words(self, obj):
        return ", ".join(obj.excluded)


class LocationInline(ScopedInlineMixin, TabbedTranslationStackedInline):
    model = Location
    extra = 0
    show_change_link = True
    fields = ("name", "street_address", "postal_code", "municipality")
    autocomplete_fields = ("municipality",)


class PhoneInline(ScopedInlineMixin, TabbedTranslationStackedInline):
    model = PhoneNumber
    extra = 0


class EmailInline(ScopedInlineMixin, TabbedTranslationStackedInline):
    model = EmailAddress
    extra = 0


class WebLinkInline(ScopedInlineMixin, TabbedTranslationStackedInline):
    model = WebLink
    extra = 0


@admin.register(Service)
class ServiceAdmin(
    ApprovalAdminMixin, ScopedAdminMixin, PTVProvenanceMixin, LinkCheckAdminMixin, TabbedTranslationAdmin
):
    link_url_fields = ("links__url_fi", "links__url_sv", "links__url_en")
    list_display = ("name", "organisation", "state", "reviewed_at", "source", "updated_at")
    list_filter = (
        "state",
        ("organisation__areas", admin.RelatedOnlyFieldListFilter),
        ("municipalities", AreaMunicipalityFilter),
        NotCheckedFilter,
        "service_classes",
        "life_situations",
        "organisation__kind",
        "cost",
        "source",
    )
    search_fields = ("name_fi", "name_sv", "name_en", "organisation__name_fi", "=external_id")
    prepopulated_fields = {"slug": ("name_fi",)}
    autocomplete_fields = ("organisation", "municipalities")
    filter_horizontal = ("service_classes", "life_situations")
    list_select_related = ("organisation",)
    readonly_fields = ("created_at", "updated_at", "review_reminder_sent_at", "family_feedback")
    date_hierarchy = "updated_at"
    inlines = [LocationInline, PhoneInline, EmailInline, WebLinkInline]
    actions = ["approve_and_publish", "mark_checked", "revert_edited_fields_to_ptv"]
    fieldsets = (
        (None, {"fields": ("organisation", "name", "slug", "summary", "description", "keywords")}),
        (_("Classification"), {"fields": ("service_classes", "life_situations")}),
        (
            _("For whom"),
            {"fields": ("age_min", "age_max", "for_expecting", "for_parents", "languages", "municipalities")},
        ),
        (_("Cost and access"), {"fields": ("cost", "cost_info", "access", "access_info")}),
        (
            _("Publication"),
            {
                "fields": (
                    "state",
                    "reviewed_at",
                    "source",
                    "external_id",
                    "review_reminder_sent_at",
                    "created_at",
                    "updated_at",
                )
            },
        ),
        (_("Feedback from families"), {"fields": ("family_feedback",)}),
    )

    @admin.display(description=_("Did families find what they needed? (last 30 days)"))
    def family_feedback(self, obj):
        summary = ServiceFeedback.objects.filter(service=obj).recent().by_service().get(obj.pk) if obj.pk else None
        return render_to_string("admin/services/family_feedback.html", {"summary": summary})


class OpeningHoursInline(ScopedInlineMixin, admin.TabularInline):
    model = LocationOpeningHours
    extra = 0
    fields = ("weekday", "opens", "closes", "over_midnight", "by_appointment", "valid_from", "valid_to")


class LocationExceptionInline(ScopedInlineMixin, TabbedTranslationStackedInline):
    model = LocationException
    extra = 0


@admin.register(Location)
class LocationAdmin(ScopedAdminMixin, PTVProvenanceMixin, TabbedTranslationAdmin):
    list_display = ("name", "service", "street_address", "postal_code", "municipality")
    list_filter = (("municipality__area", admin.RelatedOnlyFieldListFilter), "step_free_access", "baby_changing")
    search_fields = ("name_fi", "name_sv", "street_address_fi", "service__name_fi", "postal_code")
    autocomplete_fields = ("service", "municipality")
    list_select_related = ("service", "municipality")
    inlines = [OpeningHoursInline, LocationExceptionInline]
    actions = ["revert_edited_fields_to_ptv"]


# Organisations get the PTV panel here, with the importer: organisations/ may not import services/.
admin.site.unregister(Organisation)


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, PTVProvenanceMixin, OrganisationAdminBase):
    actions = ["revert_edited_fields_to_ptv"]
