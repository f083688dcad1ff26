from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:public_id>/", views.question, name="question"),
    path("inbox/<uuid:public_id>/close/", views.close, name="close"),
    path("inbox/<uuid:public_id>/delete/", views.delete, name="delete"),
]
