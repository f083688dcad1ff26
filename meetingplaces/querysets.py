import datetime as dt

from django.db import models
from django.db.models import Prefetch, Q


class MeetingPlaceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state="published")

    def in_area(self, area):
        return self.filter(municipality__area=area)

    def in_municipality(self, municipality):
        return self.filter(municipality=municipality)

    def with_opening_hours(self, since: dt.date | None = None):
        """Prefetch the weekly rules and the exceptional dates from *since* on (all of them without it)."""
        from .models import MeetingPlaceException

        exceptions = MeetingPlaceException.objects.all()
        if since is not None:
            exceptions = exceptions.filter(date__gte=since)
        return self.prefetch_related("opening_hours", Prefetch("exceptions", queryset=exceptions))

    def with_activities(self, start: dt.date, end: dt.date):
        """Prefetch the published activities with their listed dates from *start* to *end*.

        Enough for ``Activity.occurrences(start, end)`` without loading every date of the past.
        """
        from .models import Activity, ActivityDate

        activities = Activity.objects.filter(state="published").select_related("organiser")
        dates = ActivityDate.objects.filter(date__gte=start, date__lte=end)
        return self.prefetch_related(
            Prefetch("activities", queryset=activities), Prefetch("activities__dates", queryset=dates)
        )


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state="published", meeting_place__state="published")

    def between(self, start: dt.date, end: dt.date):
        """Activities that may occur between *start* and *end*; ``Activity.occurrences`` gives the dates."""
        weekly = (
            Q(recurrence="weekly")
            & (Q(valid_from__isnull=True) | Q(valid_from__lte=end))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        )
        dated = Q(recurrence="dates", dates__date__gte=start, dates__date__lte=end, dates__cancelled=False)
        return self.filter(weekly | dated).distinct()

    def in_area(self, area):
        return self.filter(meeting_place__municipality__area=area)

    def in_municipality(self, municipality):
        return self.filter(meeting_place__municipality=municipality)

    def by_organisation(self, organisation):
        """Activities the organisation runs: its own, and those at its places that nobody else organises."""
        return self.filter(
            Q(organiser=organisation) | Q(organiser__isnull=True, meeting_place__organisation=organisation)
        )

    def for_age(self, age: int):
        """Activities a child of *age* may join; those with no age limits are open to all ages."""
        return self.filter(
            (Q(age_min__isnull=True) | Q(age_min__lte=age)) & (Q(age_max__isnull=True) | Q(age_max__gte=age))
        )

    def in_language(self, language: str):
        return self.filter(languages__contains=[language])

    def free(self):
        return self.filter(cost="free")

    def for_calendar(self):
        """Load what a calendar entry shows (place, municipality, provider) and the dates for occurrences."""
        return self.select_related(
            "meeting_place__municipality", "meeting_place__organisation", "organiser"
        ).prefetch_related("dates")
