"""sitemap.xml: every family-facing page in fi, sv and en with hreflang alternates and an x-default."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from meetingplaces.models import MeetingPlace
from organisations.models import Organisation, WellbeingArea
from services.models import Service


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Each item appears once per language, so 15 000 items fill one 45 000-URL page (the limit is 50 000).
    limit = 15_000


class StaticPagesSitemap(I18nSitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "services:search",
            "meetingplaces:list",
            "meetingplaces:activities",
            "organisations:area-list",
            "pages:about",
            "pages:accessibility",
            "pages:privacy",
        ]

    def location(self, item):
        return reverse(item)


class ModelSitemap(I18nSitemap):
    """Items are loaded with only the columns the URL and lastmod need; lastmod of the index is one query."""

    date_field = "updated_at"

    def get_queryset(self):
        raise NotImplementedError

    def items(self):
        return self.get_queryset().order_by("pk")

    def lastmod(self, item):
        return getattr(item, self.date_field) if self.date_field else None

    def get_latest_lastmod(self):
        if not self.date_field:
            return None
        return self.get_queryset().aggregate(latest=Max(self.date_field))["latest"]


class ServiceSitemap(ModelSitemap):
    changefreq = "weekly"

    def get_queryset(self):
        return Service.objects.published().only("slug", "updated_at")


class OrganisationSitemap(ModelSitemap):
    changefreq = "weekly"

    def get_queryset(self):
        return Organisation.objects.only("slug", "updated_at")


class MeetingPlaceSitemap(ModelSitemap):
    changefreq = "weekly"

    def get_queryset(self):
        return MeetingPlace.objects.published().only("slug", "updated_at")


class AreaSitemap(ModelSitemap):
    changefreq = "monthly"
    date_field = None

    def get_queryset(self):
        return WellbeingArea.objects.only("code")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "services": ServiceSitemap,
    "organisations": OrganisationSitemap,
    "areas": AreaSitemap,
    "meeting-places": MeetingPlaceSitemap,
}
