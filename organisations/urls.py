from django.urls import path, re_path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    # Area codes are two digits; anything else (even a NUL byte) never reaches the database.
    re_path(r"^areas/(?P<code>[0-9]{2})/$", views.AreaDetailView.as_view(), name="area-detail"),
]
