from django.urls import path

from . import views

app_name = "meetingplaces"

urlpatterns = [
    path("meeting-places/", views.MeetingPlaceListView.as_view(), name="list"),
    path("meeting-places/<slug:slug>/", views.MeetingPlaceDetailView.as_view(), name="detail"),
    path("meeting-places/<slug:slug>/calendar.ics", views.meeting_place_feed, name="calendar"),
    path("activities/", views.ActivityCalendarView.as_view(), name="activities"),
    path("activities/feed.ics", views.activities_feed, name="activities-feed"),
]
