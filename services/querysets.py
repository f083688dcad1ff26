import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

# --- Where a service is given ---
# A service is given in the municipalities it names; if it names none, in the wellbeing areas of its
# organisation; if the organisation has no areas either, everywhere (nationwide). The search and the
# area pages use these same conditions, so their counts agree.


def _links():
    return apps.get_model("services", "Service").municipalities.through.objects


def _organisation_areas():
    return apps.get_model("organisations", "Organisation").areas.through.objects


def _has_municipalities():
    return Exists(_links().filter(service_id=OuterRef("pk")))


def nationwide() -> Q:
    organisation_has_areas = Exists(_organisation_areas().filter(organisation_id=OuterRef("organisation_id")))
    return ~Q(_has_municipalities()) & ~Q(organisation_has_areas)


def local_to_area(area_code: str) -> Q:
    named = Exists(_links().filter(service_id=OuterRef("pk"), municipality__area__code=area_code))
    organised = Exists(
        _organisation_areas().filter(organisation_id=OuterRef("organisation_id"), wellbeingarea__code=area_code)
    )
    return Q(named) | (~Q(_has_municipalities()) & Q(organised))


def named_municipality(code: str) -> Q:
    return Q(Exists(_links().filter(service_id=OuterRef("pk"), municipality__code=code)))


def local_to_municipality(code: str) -> Q:
    organised = Exists(
        _organisation_areas().filter(
            organisation_id=OuterRef("organisation_id"), wellbeingarea__municipalities__code=code
        )
    )
    return named_municipality(code) | (~Q(_has_municipalities()) & Q(organised))


class ServiceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state="published")

    def in_area(self, area):
        """Services families in *area* can use: given there, or nationwide (the search's area filter)."""
        return self.filter(local_to_area(area.code) | nationwide())

    def due_for_review(self, now=None):
        """Published services whose information was last checked longer ago than the review interval."""
        now = now or timezone.now()
        cutoff = now - dt.timedelta(days=settings.SERVICE_REVIEW_INTERVAL_DAYS)
        return self.published().filter(Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=cutoff))
