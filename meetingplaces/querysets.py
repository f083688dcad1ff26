import datetime as dt

from django.db import models
from django.db.models import Q


class MeetingPlaceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state="published")

    def in_area(self, area):
        return self.filter(municipality__area=area)


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state="published", meeting_place__state="published")

    def between(self, start: dt.date, end: dt.date):
        """Activities that may occur between *start* and *end*; ``Activity.occurrences`` gives the dates."""
        weekly = Q(recurrence="weekly") & (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )
        dated = Q(recurrence="dates", dates__date__gte=start, dates__date__lte=end, dates__cancelled=False)
        return self.filter(weekly | dated).distinct()
