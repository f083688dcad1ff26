from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/<str:code>/", views.AreaDetailView.as_view(), name="area-detail"),
]
