from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.home, name="home"),
    path("checked/<str:kind>/<int:pk>/", views.mark_checked, name="checked"),
    path("reports/<int:pk>/resolve/", views.resolve_report, name="resolve-report"),
]
