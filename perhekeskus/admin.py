"""Shared admin bases: the admin's branding, one fi/sv/en switch for every translated field of a form (no CDN asset),
checkboxes for choice arrays, area-scoped and review filters, counts in the language's grammar, link check results."""

import datetime as dt
import re

from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.utils import unquote
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from organisations.access import coordinated_areas, is_national
from organisations.models import LinkCheck

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


class TabbedTranslationTabularInline(ChoiceArrayMixin, TranslationTabularInline):
    """For inlines with one or two short translated fields; at 1280 px, wider ones belong in the stacked inline."""

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
        if not is_national(request.user):
            condition &= Q(area__in=coordinated_areas(request.user))
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
