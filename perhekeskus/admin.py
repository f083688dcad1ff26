"""Shared admin bases: translated fields shown as fi/sv/en tabs without any CDN asset."""

from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline


class TranslationTabsMedia:
    js = ("admin/js/translation_tabs.js",)
    css = {"all": ("admin/css/translation_tabs.css",)}


class TabbedTranslationAdmin(TranslationAdmin):
    Media = TranslationTabsMedia


class TabbedTranslationTabularInline(TranslationTabularInline):
    pass


class TabbedTranslationStackedInline(TranslationStackedInline):
    pass
