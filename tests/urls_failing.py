"""A URLconf with one view that fails for a reason other than the database (tests/test_availability.py)."""

from django.urls import path


def boom(request):
    raise RuntimeError("not a database error")


urlpatterns = [path("boom/", boom)]
