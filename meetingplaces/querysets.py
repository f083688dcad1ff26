import datetime as dt

from django.db import models
from django.db.models import BooleanField, DateField, Exists, ExpressionWrapper, F, Func, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Coalesce, ExtractIsoWeekDay

# Every nth week of an activity without a first date is counted from this Monday (the calendar feeds' RRULEs too).
RECURRENCE_ANCHOR = dt.date(2024, 1, 1)


class InWeeklyRhythm(Func):
    """Whether the date *day* is in the activity's every-nth-week rhythm: ``Activity.in_weekly_rhythm`` in SQL.

    Whole weeks from the rhythm's anchor, floored as Python's ``//`` does; divisible by the rhythm or not.
    """

    output_field = BooleanField()

    def __init__(self, day):
        super().__init__(day, Coalesce("valid_from", Value(RECURRENCE_ANCHOR)), F("every_nth_week"))

    def as_sql(self, compiler, connection, **extra_context):
        (day, day_params), (anchor, anchor_params), (every, every_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = f"MOD(FLOOR(({day} - {anchor})::numeric / 7)::integer, {every}) = 0"
        return sql, (*day_params, *anchor_params, *every_params)


def occurs_weekly_on(day, *, monday: dt.date | None = None) -> Q:
    """The weekly rule of ``Activity.occurrences`` for the date expression *day* (weekday and cancellations aside).

    *monday*, the Monday of *day*'s week, lets the database settle most rows by a constant comparison.
    """
    starts = Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    ends = Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    if monday is not None:
        starts = Q(valid_from__lte=monday) | starts
        ends = Q(valid_to__gte=monday + dt.timedelta(days=6)) | ends
    return Q(recurrence="weekly") & starts & ends & (Q(every_nth_week=1) | Q(InWeeklyRhythm(day)))


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

    def weekly_occurrences(self, first: dt.date, last: dt.date):
        """One row per occurrence of a weekly activity from *first* to *last* (one ISO week), its date as ``day``.

        The rule of ``Activity.occurrences`` in SQL, cancelled dates removed; ``listed_occurrences`` adds the rest.
        """
        from .models import ActivityDate

        monday = first - dt.timedelta(days=first.weekday())
        if last < first or last > monday + dt.timedelta(days=6):
            raise ValueError("first and last must be in one week, in order")
        day = ExpressionWrapper(Value(monday - dt.timedelta(days=1)) + F("weekday"), output_field=DateField())
        cancelled = ActivityDate.objects.filter(
            activity=OuterRef("pk"), cancelled=True, date__gte=first, date__lte=last, date=OuterRef("day")
        )
        return (
            self.filter(recurrence="weekly", weekday__gte=first.isoweekday(), weekday__lte=last.isoweekday())
            .annotate(day=day)
            .filter(occurs_weekly_on(F("day"), monday=monday))
            .filter(~Exists(cancelled))
        )

    def listed_occurrences(self, first: dt.date, last: dt.date):
        """One row per listed (not cancelled) date from *first* to *last* that the weekly rule does not give already.

        With ``weekly_occurrences`` of the same days: every occurrence once, as ``Activity.occurrences`` finds them.
        """
        on_weekly_rule = Q(weekday=ExtractIsoWeekDay("day")) & occurs_weekly_on(F("day"))
        return (
            self.filter(dates__date__gte=first, dates__date__lte=last, dates__cancelled=False)
            .annotate(day=F("dates__date"))
            .alias(on_weekly_rule=ExpressionWrapper(on_weekly_rule, output_field=BooleanField()))
            .filter(on_weekly_rule=False)
        )

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
