from django.contrib import admin

from perhekeskus.admin import (
    ApprovalAdminMixin,
    AreaMunicipalityFilter,
    LinkCheckAdminMixin,
    NotCheckedFilter,
    ScopedAdminMixin,
    ScopedInlineMixin,
    TabbedTranslationAdmin,
    TabbedTranslationStackedInline,
)

from .models import Activity, ActivityDate, MeetingPlace, MeetingPlaceException, MeetingPlaceOpeningHours


class OpeningHoursInline(ScopedInlineMixin, admin.TabularInline):
    model = MeetingPlaceOpeningHours
    extra = 0


class ExceptionInline(ScopedInlineMixin, TabbedTranslationStackedInline):
    model = MeetingPlaceException
    extra = 0


class ActivityInline(ScopedInlineMixin, TabbedTranslationStackedInline):
    """The place's activities at a glance, each a link to its own page: an activity is a listing of its own, edited,
    approved and recorded in the history there (ActivityAdmin), never as a row of its meeting place's form."""

    model = Activity
    extra = 0
    show_change_link = True
    fields = ("title", ("recurrence", "weekday"), ("start_time", "end_time"), ("age_min", "age_max"), ("cost", "state"))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingPlace)
class MeetingPlaceAdmin(ApprovalAdminMixin, ScopedAdminMixin, LinkCheckAdminMixin, TabbedTranslationAdmin):
    link_url_fields = ("website",)
    list_display = ("name", "organisation", "municipality", "state", "reviewed_at")
    list_filter = (
        "state",
        ("municipality__area", admin.RelatedOnlyFieldListFilter),
        ("municipality", AreaMunicipalityFilter),
        NotCheckedFilter,
        "organisation__kind",
    )
    search_fields = ("name_fi", "name_sv", "organisation__name_fi", "street_address_fi")
    prepopulated_fields = {"slug": ("name_fi",)}
    autocomplete_fields = ("organisation", "municipality")
    list_select_related = ("organisation", "municipality")
    inlines = [OpeningHoursInline, ExceptionInline, ActivityInline]
    actions = ["approve_and_publish", "mark_checked"]


class ActivityDateInline(ScopedInlineMixin, admin.TabularInline):
    model = ActivityDate
    extra = 0


@admin.register(Activity)
class ActivityAdmin(ApprovalAdminMixin, ScopedAdminMixin, TabbedTranslationAdmin):
    list_display = ("title", "meeting_place", "recurrence", "weekday", "start_time", "end_time", "state")
    list_filter = (
        "state",
        "recurrence",
        "weekday",
        "cost",
        ("meeting_place__municipality__area", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title_fi", "title_sv", "meeting_place__name_fi")
    autocomplete_fields = ("meeting_place", "organiser")
    list_select_related = ("meeting_place",)
    inlines = [ActivityDateInline]
    actions = ["approve_and_publish"]
