"""Shared admin bases: translated fields shown as fi/sv/en tabs without any CDN asset; link check results."""

from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from organisations.models import LinkCheck

# Staff often type "www.example.fi"; complete it with https:// (also Django 6.0's default).
URL_FIELD_OVERRIDES = {models.URLField: {"widget": widgets.AdminURLFieldWidget, "assume_scheme": "https"}}


class TranslationTabsMedia:
    js = ("admin/js/translation_tabs.js",)
    css = {"all": ("admin/css/translation_tabs.css",)}


class TabbedTranslationAdmin(TranslationAdmin):
    Media = TranslationTabsMedia
    formfield_overrides = URL_FIELD_OVERRIDES


class TabbedTranslationTabularInline(TranslationTabularInline):
    formfield_overrides = URL_FIELD_OVERRIDES


class TabbedTranslationStackedInline(TranslationStackedInline):
    formfield_overrides = URL_FIELD_OVERRIDES


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
