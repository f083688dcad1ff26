import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


class ServiceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state="published")

    def in_area(self, area):
        """Services given in any municipality of *area*, or with no service area listed by an organisation of it."""
        links = self.model.municipalities.through.objects
        serves_area = Exists(links.filter(service=OuterRef("pk"), municipality__area=area))
        lists_municipalities = Exists(links.filter(service=OuterRef("pk")))
        organisation_in_area = Exists(
            self.model.organisation.field.related_model.areas.through.objects.filter(
                organisation=OuterRef("organisation"), wellbeingarea=area
            )
        )
        return self.filter(serves_area | (~lists_municipalities & organisation_in_area))

    def in_municipality(self, municipality):
        return self.filter(municipalities=municipality)

    def for_age(self, age: int):
        return self.filter(
            (Q(age_min__isnull=True) | Q(age_min__lte=age)) & (Q(age_max__isnull=True) | Q(age_max__gte=age)),
            Q(age_min__isnull=False) | Q(age_max__isnull=False),
        )

    def due_for_review(self, now=None):
        """Published services whose information was last checked longer ago than the review interval."""
        now = now or timezone.now()
        cutoff = now - dt.timedelta(days=settings.SERVICE_REVIEW_INTERVAL_DAYS)
        return self.published().filter(Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=cutoff))
