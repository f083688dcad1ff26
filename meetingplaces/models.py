import datetime as dt

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organisations.validators import PHONE_RE
from services.choices import MAX_AGE, Cost, Language, PublicationState, Weekday
from services.models import LANGUAGE_CODES, ExceptionalHours, OpeningHoursRule, Place

from .querysets import RECURRENCE_ANCHOR, ActivityQuerySet, MeetingPlaceQuerySet


class MeetingPlace(Place):
    """An open, low-threshold place (kohtaamispaikka) where families drop in."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="meeting_places",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[RegexValidator(PHONE_RE)])
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    reviewed_at = models.DateTimeField(_("information checked"), null=True, blank=True)
    review_reminder_sent_at = models.DateTimeField(_("review reminder sent"), null=True, blank=True, editable=False)
    review_escalated_at = models.DateTimeField(
        _("unchecked entry reported to coordinators"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingPlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")
        ordering = ["name"]
        # The calendar joins every activity to its place for the state: read from this index, not the wide rows.
        indexes = [models.Index(fields=["state", "id"], include=["municipality"], name="meetingplace_state_idx")]
        constraints = [
            *Place.place_constraints("meetingplace"),
            models.CheckConstraint(
                name="meetingplace_state_is_known",
                condition=Q(state__in=[c for c, _l in PublicationState.choices]),
                violation_error_message=_("Unknown publication state."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetingplaces:detail", kwargs={"slug": self.slug})


class MeetingPlaceOpeningHours(OpeningHoursRule):
    meeting_place = models.ForeignKey(
        MeetingPlace, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("meeting place")
    )

    class Meta(OpeningHoursRule.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = OpeningHoursRule.rule_constraints("meetingplace_hours")


class MeetingPlaceException(ExceptionalHours):
    meeting_place = models.ForeignKey(
        MeetingPlace, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("meeting place")
    )

    class Meta(ExceptionalHours.Meta):
        verbose_name = _("exceptional opening hours")
        verbose_name_plural = _("exceptional opening hours")
        constraints = ExceptionalHours.exception_constraints("meetingplace_exception")


class Activity(models.Model):
    """Something that happens at a meeting place: weekly (e.g. every Tuesday) or on listed dates."""

    class Recurrence(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        DATES = "dates", _("On the dates listed")

    meeting_place = models.ForeignKey(
        MeetingPlace, on_delete=models.CASCADE, related_name="activities", verbose_name=_("place")
    )
    organiser = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organiser"),
        help_text=_("Leave empty if the meeting place’s own organisation runs it."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    every_nth_week = models.PositiveSmallIntegerField(
        _("every nth week"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    valid_from = models.DateField(_("first date"), null=True, blank=True)
    valid_to = models.DateField(_("last date"), null=True, blank=True)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    age_min = models.PositiveSmallIntegerField(
        _("youngest child’s age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("oldest child’s age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    for_expecting = models.BooleanField(_("for expecting parents"), default=False)
    for_parents = models.BooleanField(_("for parents themselves"), default=False)
    languages = ArrayField(
        models.CharField(max_length=3, choices=Language.choices),
        verbose_name=_("languages"),
        default=list,
        blank=True,
    )
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_info = models.CharField(_("about the cost"), max_length=300, blank=True)
    registration_required = models.BooleanField(_("registration needed"), default=False)
    registration_info = models.CharField(_("how to register"), max_length=300, blank=True)
    state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.PUBLISHED,
    )
    # For the API's modified_since (incremental consumers); services and meeting places have theirs.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["weekday", "start_time", "title"]
        indexes = [
            # The calendar's weekly occurrences in time order (a page of them read in index order) and its day
            # counts (read from the index alone, not the wide rows with their texts).
            models.Index(
                fields=["weekday", "start_time", "end_time", "id"],
                include=["meeting_place", "valid_from", "valid_to", "every_nth_week"],
                condition=Q(state="published", recurrence="weekly"),
                name="activity_weekly_calendar_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="activity_ends_after_it_starts",
                condition=Q(end_time__gt=F("start_time")),
                violation_error_message=_("The activity must end after it starts."),
            ),
            models.CheckConstraint(
                name="activity_weekly_has_a_weekday",
                condition=~Q(recurrence="weekly") | Q(weekday__isnull=False, weekday__gte=1, weekday__lte=7),
                violation_error_message=_("A weekly activity needs a weekday."),
            ),
            models.CheckConstraint(
                name="activity_recurrence_is_known",
                condition=Q(recurrence__in=["weekly", "dates"]),
                violation_error_message=_("Unknown recurrence."),
            ),
            models.CheckConstraint(
                name="activity_every_nth_week_is_1_to_4",
                condition=Q(every_nth_week__gte=1, every_nth_week__lte=4),
                violation_error_message=_("Repeat every 1 to 4 weeks."),
            ),
            models.CheckConstraint(
                name="activity_season_ends_after_it_starts",
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                violation_error_message=_("The last date cannot be before the first date."),
            ),
            models.CheckConstraint(
                name="activity_min_age_is_at_most_max_age",
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_min__lte=F("age_max")),
                violation_error_message=_("The youngest age cannot be above the oldest age."),
            ),
            models.CheckConstraint(
                name="activity_languages_are_known",
                condition=Q(languages__contained_by=LANGUAGE_CODES),
                violation_error_message=_("Unknown language."),
            ),
            models.CheckConstraint(
                name="activity_cost_is_known",
                condition=Q(cost__in=[c for c, _l in Cost.choices]),
                violation_error_message=_("Unknown cost."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def provider(self):
        return self.organiser or self.meeting_place.organisation

    @property
    def rhythm_anchor(self) -> dt.date:
        """The week every nth week is counted from: the first date, or a fixed Monday when there is none."""
        return self.valid_from or RECURRENCE_ANCHOR

    def in_weekly_rhythm(self, day: dt.date) -> bool:
        """Whether *day*, a date on the activity's weekday, is in its every-nth-week rhythm."""
        return ((day - self.rhythm_anchor).days // 7) % self.every_nth_week == 0

    def occurrences(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Dates between *start* and *end* (inclusive) when this activity takes place, cancellations removed.

        Uses ``self.dates.all()``, so prefetch ``dates`` when listing many activities.
        """
        listed = list(self.dates.all())
        cancelled = {d.date for d in listed if d.cancelled}
        first = max(d for d in (start, self.valid_from) if d is not None)
        last = min(d for d in (end, self.valid_to) if d is not None)
        found: set[dt.date] = set()
        if self.recurrence == self.Recurrence.WEEKLY and self.weekday and first <= last:
            day = first + dt.timedelta(days=(self.weekday - first.isoweekday()) % 7)
            while day <= last:
                if self.in_weekly_rhythm(day):
                    found.add(day)
                day += dt.timedelta(days=7)
        found.update(d.date for d in listed if not d.cancelled and start <= d.date <= end)
        return sorted(found - cancelled)


class ActivityDate(models.Model):
    """A listed date of an activity, or the cancellation of one occurrence of a weekly activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="dates", verbose_name=_("activity"))
    date = models.DateField(_("date"))
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("activity date")
        verbose_name_plural = _("activity dates")
        ordering = ["date"]
        # A week's listed and cancelled dates for the calendar.
        indexes = [models.Index(fields=["date"], include=["activity", "cancelled"], name="activity_date_date_idx")]
        constraints = [
            models.UniqueConstraint(
                name="activity_date_is_listed_once",
                fields=["activity", "date"],
                violation_error_message=_("This date is already listed."),
            ),
        ]

    def __str__(self):
        return f"{self.activity}: {self.date:%d.%m.%Y}"
