from django.urls import path

from . import asking, views

app_name = "contact"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:public_id>/", views.question, name="question"),
    path("inbox/<uuid:public_id>/close/", views.close, name="close"),
    path("inbox/<uuid:public_id>/delete/", views.delete, name="delete"),
    path("ask/<str:kind>/<slug:slug>/", asking.ask, name="ask"),
    path("sent/", asking.sent, name="sent"),
]
