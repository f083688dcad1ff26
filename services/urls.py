from django.urls import path

from . import helpfinder, views

app_name = "services"

urlpatterns = [
    path("services/", views.ServiceSearchView.as_view(), name="search"),
    path("services/<int:pk>/", views.service_by_id, name="by-id"),
    path("services/<slug:slug>/", views.ServiceDetailView.as_view(), name="detail"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("place/forget/", views.forget_place_view, name="forget-place"),
    # The help finder: three steps and the suggestions, the answers only in the URL (helpfinder.py).
    path("help/", helpfinder.HelpStepView.as_view(step="situation"), name="help-situation"),
    path("help/age/", helpfinder.HelpStepView.as_view(step="age"), name="help-age"),
    path("help/place/", helpfinder.HelpStepView.as_view(step="place"), name="help-place"),
    path("help/results/", helpfinder.HelpStepView.as_view(step="results"), name="help-results"),
]
