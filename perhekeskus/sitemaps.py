"""sitemap.xml: every family-facing page in fi, sv and en with hreflang alternates and an x-default."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import get_language

from meetingplaces.models import MeetingPlace
from organisations.models import Organisation, WellbeingArea
from services.models import Service


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Each item appears once per language with four alternates; 2 000 items make a 6 000-URL page
    # that renders in about a second (the protocol allows 50 000).
    limit = 2_000


class StaticPagesSitemap(I18nSitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "services:search",
            "services:help-situation",
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
    """Items are loaded with only the columns the URL and lastmod need; lastmod of the index is one query.

    A page of 2 000 items needs 10 000 URLs (every language and the alternates); instead of 10 000
    ``reverse()`` calls, each language's URL pattern is reversed once and the key is put in.
    """

    date_field = "updated_at"
    url_name = ""
    url_field = "slug"
    _placeholder = "__key__"

    def location(self, item):
        patterns = self.__dict__.setdefault("_patterns", {})
        language = get_language()
        if language not in patterns:
            patterns[language] = reverse(self.url_name, kwargs={self.url_field: self._placeholder})
        return patterns[language].replace(self._placeholder, str(getattr(item, self.url_field)), 1)

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
    url_name = "services:detail"

    def get_queryset(self):
        return Service.objects.published().only("slug", "updated_at")


class OrganisationSitemap(ModelSitemap):
    changefreq = "weekly"
    url_name = "organisations:detail"

    def get_queryset(self):
        return Organisation.objects.only("slug", "updated_at")


class MeetingPlaceSitemap(ModelSitemap):
    changefreq = "weekly"
    url_name = "meetingplaces:detail"

    def get_queryset(self):
        return MeetingPlace.objects.published().only("slug", "updated_at")


class AreaSitemap(ModelSitemap):
    changefreq = "monthly"
    date_field = None

    def location(self, item):
        # 22 areas: plain reverse() (the two-digit code pattern would not accept the placeholder anyway).
        return item.get_absolute_url()

    def get_queryset(self):
        return WellbeingArea.objects.only("code")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "services": ServiceSitemap,
    "organisations": OrganisationSitemap,
    "areas": AreaSitemap,
    "meeting-places": MeetingPlaceSitemap,
}

# Crawlers fetch the sitemap rarely and it changes slowly; rendering a full page takes about a second.
SITEMAP_CACHE_SECONDS = 60 * 60
