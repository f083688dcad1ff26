"""The Open Referral feed's routes, mounted at /api/hsds/ outside the language prefixes (the feed takes ?lang=)."""

from django.urls import path

from . import views

app_name = "hsds"

urlpatterns = [
    path("", views.root, name="root"),
    path("profile", views.profile, name="profile"),
    path("openapi.json", views.openapi_document, name="openapi"),
    path("services", views.services, name="services"),
    path("services/<str:id>", views.service_detail, name="service-detail"),
    path("service_at_locations", views.service_at_locations, name="service-at-locations"),
    path("service_at_locations/<str:id>", views.service_at_location_detail, name="service-at-location-detail"),
    path("organizations", views.organizations, name="organizations"),
    path("organizations/<str:id>", views.organization_detail, name="organization-detail"),
    path("taxonomies", views.taxonomies, name="taxonomies"),
    path("taxonomies/<str:id>", views.taxonomy_detail, name="taxonomy-detail"),
    path("taxonomy_terms", views.taxonomy_terms, name="taxonomy-terms"),
    path("taxonomy_terms/<str:id>", views.taxonomy_term_detail, name="taxonomy-term-detail"),
]
