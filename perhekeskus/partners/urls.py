from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.home, name="home"),
    path("checked/<str:kind>/<int:pk>/", views.mark_checked, name="checked"),
    path("reports/<int:pk>/resolve/", views.resolve_report, name="resolve-report"),
    path("service/<int:service_pk>/location/new/", views.location, name="location-create"),
    path("service/<int:service_pk>/location/<int:pk>/", views.location, name="location-edit"),
    path("<str:kind>/new/", views.create, name="create"),
    path("<str:kind>/<int:pk>/", views.edit, name="edit"),
    path("<str:kind>/<int:pk>/delete/", views.delete, name="delete"),
]
