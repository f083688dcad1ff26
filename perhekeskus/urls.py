from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_page

from organisations import staff
from organisations import views as invitation_views
from perhekeskus import health, network_pages, pages
from perhekeskus.api.urls import docs_urlpatterns
from perhekeskus.dashboard import views as dashboard
from perhekeskus.sitemaps import SITEMAP_CACHE_SECONDS, SITEMAPS
from perhekeskus.views import HomeView

# Error pages (perhekeskus/errors.py); allauth renders its rate-limit page with handler429 from this module too.
handler400 = "perhekeskus.errors.bad_request"
handler403 = "perhekeskus.errors.permission_denied"
handler429 = "perhekeskus.errors.too_many_requests"
handler500 = "perhekeskus.errors.server_error"

# Staff sign in where everybody does: allauth's login, with its rate limits, lockout and second factor.
admin.site.login = secure_admin_login(admin.site.login)

page_patterns = [
    path("accessibility/", pages.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", pages.PrivacyView.as_view(), name="privacy"),
    path("about/", pages.AboutView.as_view(), name="about"),
]

organisation_patterns = [
    path("organisations/<slug:slug>/", network_pages.OrganisationDetailView.as_view(), name="detail"),
    path("areas/", network_pages.AreaListView.as_view(), name="area-list"),
    # Area codes are two digits; anything else (even a NUL byte) never reaches the database.
    re_path(r"^areas/(?P<code>[0-9]{2})/$", network_pages.AreaDetailView.as_view(), name="area-detail"),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", pages.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("perhekeskus.api.urls")),
    path("api/", include(docs_urlpatterns)),
    # Open Referral HSDS 3.0 feed (perhekeskus/hsds/PROFILE.md); one language per request via ?lang=.
    path("api/hsds/", include("perhekeskus.hsds.urls")),
]
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("admin/dashboard/", dashboard.dashboard, name="admin-dashboard"),
    path("admin/dashboard/entries/", dashboard.entries, name="admin-dashboard-entries"),
    path("admin/", admin.site.urls),
    # Accounts come by invitation only (organisations/invitations.py); the link's page sits beside allauth's.
    path("accounts/invitation/<str:token>/", invitation_views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("accounts/welcome/", invitation_views.welcome, name="invitation-welcome"),
    path("accounts/", include("allauth.urls")),
    path("staff/keep-alive/", staff.keep_alive, name="staff-keepalive"),
    path("partner/", include("perhekeskus.partners.urls")),
    path("contact/", include("perhekeskus.contact.urls")),
    path("", include("perhekeskus.voice.urls")),
    path("", include("services.urls")),
    path("", include((organisation_patterns, "organisations"))),
    path("", include("meetingplaces.urls")),
    path("", include((page_patterns, "pages"))),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
