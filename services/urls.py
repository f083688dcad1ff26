from django.urls import path

from . import views

app_name = "services"

urlpatterns = [
    path("services/", views.ServiceSearchView.as_view(), name="search"),
    path("services/<int:pk>/", views.service_by_id, name="by-id"),
    path("services/<slug:slug>/", views.ServiceDetailView.as_view(), name="detail"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("place/forget/", views.forget_place_view, name="forget-place"),
]
