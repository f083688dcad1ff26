from django.urls import path

from . import views

app_name = "voice"

urlpatterns = [
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("report/<str:kind>/<int:pk>/thanks/", views.report_thanks, name="report-thanks"),
    path("feedback/<int:pk>/", views.feedback, name="feedback"),
]
