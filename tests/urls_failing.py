"""A URLconf with views that fail for a reason other than the database being down (tests/test_availability.py)."""

from django.db import connection, transaction
from django.urls import path


def boom(request):
    raise RuntimeError("not a database error")


def slow_query(request):
    """A statement timeout: an OperationalError from a database that is up (a bug or load to look into)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 10")
        cursor.execute("SELECT pg_sleep(1)")


urlpatterns = [path("boom/", boom), path("slow-query/", slow_query)]
