"""Shared admin bases: translated fields shown as fi/sv/en tabs without any CDN asset."""

from django.contrib.admin import widgets
from django.db import models
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

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
