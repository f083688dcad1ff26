from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.home, name="home"),
    path("checked/<str:kind>/<int:pk>/", views.mark_checked, name="checked"),
]
