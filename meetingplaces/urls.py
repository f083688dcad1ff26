from django.urls import path

from . import views

app_name = "meetingplaces"

urlpatterns = [
    path("meeting-places/", views.MeetingPlaceListView.as_view(), name="list"),
    path("meeting-places/<slug:slug>/", views.MeetingPlaceDetailView.as_view(), name="detail"),
    path("activities/", views.ActivityCalendarView.as_view(), name="activities"),
]
