import datetime as dt
from urllib.parse import urlencode

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.validators import PHONE_RE, POSTAL_CODE_RE

from . import hours
from .choices import MAX_AGE, Access, Cost, Language, PublicationState, Source, Weekday
from .querysets import ServiceQuerySet

LANGUAGE_CODES = [code for code, _label in Language.choices]

# Google's Maps URLs (developers.google.com/maps/documentation/urls): one documented, key-free link that opens the
# phone's Google Maps app (Android, iOS) or the web map elsewhere, with the route to the destination.
MAPS_DIRECTIONS_URL = "https://www.google.com/maps/dir/"


# --- Taxonomies ---


class ServiceClass(models.Model):
    """A class of the THL family-centre service list, mapped to PTV's service class where one exists."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    ptv_code = models.CharField(_("PTV service class"), max_length=20, blank=True)
    ptv_uri = models.URLField(_("PTV service class URI"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service class")
        verbose_name_plural = _("service classes")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class LifeSituation(models.Model):
    """A family's life situation or topic (expecting a baby, separation, crisis, ...)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    ptv_uri = models.URLField(_("PTV life event URI"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


# --- Shared building blocks for services' locations and meeting places ---


class Place(models.Model):
    """Street address, coordinates and the accessibility facts families ask about."""

    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=5, validators=[RegexValidator(POSTAL_CODE_RE)])
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True, help_text=_("WGS84 decimal degrees."))
    longitude = models.FloatField(_("longitude"), null=True, blank=True, help_text=_("WGS84 decimal degrees."))
    directions = models.TextField(_("directions"), blank=True, help_text=_("How to find the entrance."))
    step_free_access = models.BooleanField(_("step-free access, also with a pram"), null=True, blank=True)
    lift = models.BooleanField(_("lift"), null=True, blank=True)
    baby_changing = models.BooleanField(_("baby-changing facilities"), null=True, blank=True)
    breastfeeding_room = models.BooleanField(_("breastfeeding room"), null=True, blank=True)
    accessible_toilet = models.BooleanField(_("accessible toilet"), null=True, blank=True)
    parking = models.BooleanField(_("parking"), null=True, blank=True)
    accessibility_info = models.TextField(_("more about accessibility"), blank=True)

    ACCESSIBILITY_FIELDS = (
        "step_free_access",
        "lift",
        "baby_changing",
        "breastfeeding_room",
        "accessible_toilet",
        "parking",
    )

    class Meta:
        abstract = True

    @classmethod
    def place_constraints(cls, prefix: str):
        return [
            models.CheckConstraint(
                name=f"{prefix}_coordinates_are_in_finland",
                # The explicit IS NOT NULLs matter: with only one coordinate the range test is NULL,
                # and PostgreSQL lets a CHECK that evaluates to NULL pass.
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__isnull=False, longitude__isnull=False)
                    & Q(latitude__gte=59.3, latitude__lte=70.2)
                    & Q(longitude__gte=19.0, longitude__lte=31.7)
                ),
                violation_error_message=_("Give both coordinates, in Finland (WGS84 decimal degrees)."),
            ),
            models.CheckConstraint(
                name=f"{prefix}_postal_code_is_five_digits",
                condition=Q(postal_code__regex=POSTAL_CODE_RE),
                violation_error_message=_("A postal code is five digits."),
            ),
        ]

    @property
    def accessibility_facts(self):
        """[(label, True/False)] for the facts that are known."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.ACCESSIBILITY_FIELDS
            if getattr(self, name) is not None
        ]

    @property
    def directions_url(self) -> str:
        """A route to this place in the family's own map app: to the coordinates when known, else to the address."""
        if self.latitude is not None and self.longitude is not None:
            destination = f"{self.latitude:.6f},{self.longitude:.6f}"
        else:
            destination = f"{self.street_address}, {self.postal_code} {self.municipality.name}"
        return MAPS_DIRECTIONS_URL + "?" + urlencode({"api": "1", "destination": destination})

    def is_open_at(self, moment):
        return hours.is_open_at(moment, self.opening_hours.all(), self.exceptions.all())

    @property
    def is_open_now(self):
        return hours.is_open_now(self.opening_hours.all(), self.exceptions.all())


class OpeningHoursRule(models.Model):
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    over_midnight = models.BooleanField(
        _("closes the next day"), default=False, help_text=_("Tick if the closing time is after midnight.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["weekday", "opens"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @classmethod
    def rule_constraints(cls, prefix: str):
        return [
            models.CheckConstraint(
                name=f"{prefix}_closes_after_it_opens",
                condition=Q(closes__gt=F("opens")) | Q(over_midnight=True),
                violation_error_message=_(
                    "The closing time must be after the opening time, or tick “closes the next day”."
                ),
            ),
            models.CheckConstraint(
                name=f"{prefix}_over_midnight_closes_before_it_opens",
                condition=Q(over_midnight=False) | Q(closes__lte=F("opens")),
                violation_error_message=_("Hours that close the next day must close before the opening time."),
            ),
            models.CheckConstraint(
                name=f"{prefix}_weekday_is_monday_to_sunday",
                condition=Q(weekday__gte=1, weekday__lte=7),
                violation_error_message=_("The weekday must be Monday to Sunday."),
            ),
            models.CheckConstraint(
                name=f"{prefix}_validity_ends_after_it_starts",
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                violation_error_message=_("The validity cannot end before it starts."),
            ),
        ]


class ExceptionalHours(models.Model):
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True, help_text=_("E.g. Midsummer, staff training."))

    class Meta:
        abstract = True
        ordering = ["date", "opens"]

    def __str__(self):
        if self.closed:
            return f"{self.date:%d.%m.%Y} {_('closed')}"
        return f"{self.date:%d.%m.%Y} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @classmethod
    def exception_constraints(cls, prefix: str):
        return [
            models.CheckConstraint(
                name=f"{prefix}_is_closed_or_has_hours",
                condition=(Q(closed=True) & Q(opens__isnull=True) & Q(closes__isnull=True))
                | (Q(closed=False) & Q(opens__isnull=False) & Q(closes__isnull=False)),
                violation_error_message=_("Either tick “closed all day” or give the opening and closing times."),
            ),
        ]


# --- Services ---


class Service(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("provider"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for the results."))
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Other words families use, comma separated.")
    )
    service_classes = models.ManyToManyField(ServiceClass, related_name="services", verbose_name=_("service classes"))
    life_situations = models.ManyToManyField(
        LifeSituation, related_name="services", blank=True, verbose_name=_("life situations")
    )
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
        verbose_name=_("languages served"),
        default=list,
        blank=True,
    )
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_info = models.CharField(_("about the cost"), max_length=300, blank=True)
    access = ArrayField(
        models.CharField(max_length=10, choices=Access.choices),
        verbose_name=_("how to access"),
        default=list,
        blank=True,
    )
    access_info = models.TextField(_("how to get in"), blank=True)
    municipalities = models.ManyToManyField(
        "organisations.Municipality", related_name="services", blank=True, verbose_name=_("service area")
    )
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
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    external_id = models.UUIDField(_("PTV id"), null=True, blank=True, help_text=_("The service’s GUID in PTV."))
    # What PTV last gave for each imported field ({field: {"value": …, "imported_at": …}}); a field whose current
    # value differs was edited here and survives re-import (services/ptv/provenance.py).
    ptv_fields = models.JSONField(_("PTV provenance"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Kept up to date by database triggers, also for bulk writes and taxonomy renames
    # (services/migrations/0006_search_vocabulary.py); read only by services/search/.
    # Every word of the texts, all languages, plain lower case; weights: name A, keywords/classes/situations B,
    # summary C, description D.
    search_document = SearchVectorField(null=True, editable=False)
    # Only the names (A): small and inline, so ranking can test it on every match.
    search_heading = SearchVectorField(null=True, editable=False)
    # The name shown on a page of that language, as an alphabetical sort key (search_sort_key(), "C" order).
    sort_name_fi = models.TextField(default="", editable=False, db_collation="C")
    sort_name_sv = models.TextField(default="", editable=False, db_collation="C")
    sort_name_en = models.TextField(default="", editable=False, db_collation="C")

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="service_min_age_is_at_most_max_age",
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_min__lte=F("age_max")),
                violation_error_message=_("The youngest age cannot be above the oldest age."),
            ),
            models.CheckConstraint(
                name="service_ages_are_children_and_young_people",
                condition=(Q(age_min__isnull=True) | Q(age_min__lte=MAX_AGE))
                & (Q(age_max__isnull=True) | Q(age_max__lte=MAX_AGE)),
                violation_error_message=_("Ages are given in years, from 0 to 29."),
            ),
            models.CheckConstraint(
                name="service_languages_are_known",
                condition=Q(languages__contained_by=LANGUAGE_CODES),
                violation_error_message=_("Unknown language."),
            ),
            models.CheckConstraint(
                name="service_access_is_known",
                condition=Q(access__contained_by=[c for c, _l in Access.choices]),
                violation_error_message=_("Unknown way of access."),
            ),
            models.CheckConstraint(
                name="service_cost_is_known",
                condition=Q(cost__in=[c for c, _l in Cost.choices]),
                violation_error_message=_("Unknown cost."),
            ),
            models.CheckConstraint(
                name="service_state_is_known",
                condition=Q(state__in=[c for c, _l in PublicationState.choices]),
                violation_error_message=_("Unknown publication state."),
            ),
            models.CheckConstraint(
                name="service_from_ptv_has_its_ptv_id",
                condition=~Q(source=Source.PTV) | Q(external_id__isnull=False),
                violation_error_message=_("A service imported from PTV needs its PTV id."),
            ),
            models.UniqueConstraint(
                name="service_ptv_id_is_unique",
                fields=["external_id"],
                condition=Q(external_id__isnull=False),
                violation_error_message=_("Another service already has this PTV id."),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "reviewed_at"], name="service_state_reviewed_idx"),
            GinIndex(fields=["search_document"], name="service_search_document_idx"),
            models.Index(fields=["sort_name_fi"], name="service_sort_name_fi_idx"),
            models.Index(fields=["sort_name_sv"], name="service_sort_name_sv_idx"),
            models.Index(fields=["sort_name_en"], name="service_sort_name_en_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:detail", kwargs={"slug": self.slug})


class ServiceFacetRow(models.Model):
    """The columns the search's filters and facet counts read, one narrow row per service (same id).

    A service row is several kilobytes (texts, search vectors); counting facets over 30 000 of them read the whole
    table. Written only by a database trigger on services_service (services/migrations/0007_facet_rows.py), so
    every writer (admin, PTV import, seed_demo's bulk loads, raw SQL) keeps it current; read only by
    services/search/facets.py.
    """

    # Written only by the trigger, so nothing here is editable.
    id = models.BigIntegerField(primary_key=True, editable=False)  # the service's id
    state = models.CharField(max_length=10, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        editable=False,
    )
    age_min = models.PositiveSmallIntegerField(null=True, editable=False)
    age_max = models.PositiveSmallIntegerField(null=True, editable=False)
    for_expecting = models.BooleanField(editable=False)
    for_parents = models.BooleanField(editable=False)
    languages = ArrayField(models.CharField(max_length=3), editable=False)
    cost = models.CharField(max_length=10, editable=False)
    access = ArrayField(models.CharField(max_length=10), editable=False)
    # Where the service is given, as tokens of the one service-area rule (services/migrations/0008_facet_row_places.py).
    places = ArrayField(models.TextField(), default=list, editable=False)
    # The ids of its life situations and service classes (services/migrations/0014_facet_row_taxonomies.py).
    life_situations = ArrayField(models.BigIntegerField(), default=list, editable=False)
    service_classes = ArrayField(models.BigIntegerField(), default=list, editable=False)

    class Meta:
        verbose_name = _("facet row")
        verbose_name_plural = _("facet rows")
        default_permissions = ()
        # Without the pending list: a bulk load would leave it to every search to scan until the next VACUUM.
        indexes = [GinIndex(fields=["places"], name="facetrow_places_idx", fastupdate=False)]

    def __str__(self):
        return _("Facet row of service %(id)s") % {"id": self.pk}


class Location(Place):
    """A visiting address where a service is given (PTV: service location channel)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="locations", verbose_name=_("service"))
    name = models.CharField(_("name"), max_length=200, help_text=_("E.g. Kalliolan lastenneuvola."))
    external_id = models.UUIDField(
        _("PTV id"), null=True, blank=True, help_text=_("The GUID of the service location channel in PTV.")
    )
    ptv_fields = models.JSONField(_("PTV provenance"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("visiting location")
        verbose_name_plural = _("visiting locations")
        ordering = ["service", "name"]
        constraints = [
            *Place.place_constraints("location"),
            # A PTV service location connected to several services becomes one location per service.
            models.UniqueConstraint(
                name="location_ptv_id_is_unique_per_service",
                fields=["service", "external_id"],
                condition=Q(external_id__isnull=False),
                violation_error_message=_("This service already has a location with this PTV id."),
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.street_address}"


class LocationOpeningHours(OpeningHoursRule):
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("location")
    )
    by_appointment = models.BooleanField(
        _("by appointment only"),
        default=False,
        db_default=False,  # rows copied in bulk (seed_demo) without this column
        help_text=_("Open only for visits booked in advance."),
    )

    class Meta(OpeningHoursRule.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = OpeningHoursRule.rule_constraints("location_hours")
        # "Open now" reads one weekday's rules (services/search/filters.py open_now_q).
        indexes = [models.Index(fields=["weekday", "opens"], name="location_hours_weekday_idx")]


class LocationException(ExceptionalHours):
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("location")
    )

    class Meta(ExceptionalHours.Meta):
        verbose_name = _("exceptional opening hours")
        verbose_name_plural = _("exceptional opening hours")
        constraints = ExceptionalHours.exception_constraints("location_exception")
        # "Open now" reads today's and yesterday's exceptions (services/search/filters.py open_now_q).
        indexes = [models.Index(fields=["date", "location"], name="location_exception_date_idx")]


class PhoneNumber(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones", verbose_name=_("service"))
    number = models.CharField(_("number"), max_length=30, validators=[RegexValidator(PHONE_RE)])
    description = models.CharField(
        _("description"), max_length=200, blank=True, help_text=_("E.g. Appointments Mon–Fri 8–10.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    external_id = models.UUIDField(_("PTV channel"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                name="phone_number_looks_like_one",
                condition=Q(number__regex=PHONE_RE),
                violation_error_message=_("Enter a phone number, e.g. +358 9 310 12345."),
            ),
        ]

    def __str__(self):
        return self.number


class EmailAddress(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="emails", verbose_name=_("service"))
    address = models.EmailField(_("e-mail address"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    external_id = models.UUIDField(_("PTV channel"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("e-mail address")
        verbose_name_plural = _("e-mail addresses")
        ordering = ["order", "id"]

    def __str__(self):
        return self.address


def _is_http_url(field: str, optional: bool = False) -> Q:
    condition = Q(**{f"{field}__startswith": "https://"}) | Q(**{f"{field}__startswith": "http://"})
    if optional:
        condition |= Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
    return condition


class WebLink(models.Model):
    class Kind(models.TextChoices):
        WEB_PAGE = "web_page", _("Web page")
        E_SERVICE = "e_service", _("E-service")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="links", verbose_name=_("service"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WEB_PAGE)
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    external_id = models.UUIDField(_("PTV channel"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("web link")
        verbose_name_plural = _("web links")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                name="weblink_is_http_or_https",
                # url_fi/url_sv/url_en are modeltranslation's columns; each must be checked, not just url.
                condition=_is_http_url("url")
                & _is_http_url("url_fi", optional=True)
                & _is_http_url("url_sv", optional=True)
                & _is_http_url("url_en", optional=True),
                violation_error_message=_("A web address starts with https:// or http://."),
            ),
            models.CheckConstraint(
                name="weblink_kind_is_known",
                condition=Q(kind__in=["web_page", "e_service"]),
                violation_error_message=_("Unknown link kind."),
            ),
        ]

    def __str__(self):
        return self.title


class SearchWord(models.Model):
    """A distinct word of the service texts with its base forms and compound parts (services/search/vocabulary.py).

    Rows are added by the search-document trigger and analysed in Python (Voikko for Finnish, rules for Swedish).
    """

    word = models.TextField(_("word"), primary_key=True, db_collation="C")
    folded = models.TextField(_("without accents"))
    lemmas = ArrayField(models.TextField(), verbose_name=_("base forms"), default=list, blank=True)
    heads = ArrayField(models.TextField(), verbose_name=_("last compound part"), default=list, blank=True)
    parts = ArrayField(models.TextField(), verbose_name=_("compound parts"), default=list, blank=True)
    inflected = models.BooleanField(_("inflected"), default=False)
    analysed_at = models.DateTimeField(_("analysed"), null=True, blank=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [
            GinIndex(OpClass(F("folded"), name="gin_trgm_ops"), name="searchword_folded_trgm_idx"),
            GinIndex(fields=["lemmas"], name="searchword_lemmas_idx"),
            GinIndex(fields=["heads"], name="searchword_heads_idx"),
            GinIndex(fields=["parts"], name="searchword_parts_idx"),
            models.Index(fields=["word"], name="searchword_pending_idx", condition=Q(analysed_at__isnull=True)),
        ]

    def __str__(self):
        return self.word


class SearchSynonym(models.Model):
    """Words and phrases a family may use for the same thing; searching for one finds the others."""

    words = models.TextField(
        _("words"),
        help_text=_(
            "Two or more words or phrases meaning the same thing, separated by commas, e.g. "
            "“perheneuvola, kasvatus- ja perheneuvonta”. A search for one of the single words also finds the others."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["words"]

    def __str__(self):
        return self.words

    def clean(self):
        from .search.text import search_terms

        members = [m for m in self.words.replace(";", ",").split(",") if search_terms(m)]
        if len(members) < 2:
            raise ValidationError({"words": _("Give at least two words or phrases, separated by commas.")})


class SearchExclusion(models.Model):
    """Words a search word must not find, though they contain it or look like it (e.g. “ero” ↛ “erotuomari”)."""

    word = models.CharField(_("search word"), max_length=60, unique=True)
    excluded = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("words it must not find"),
        help_text=_("Separate the words with commas."),
    )

    class Meta:
        verbose_name = _("search exclusion")
        verbose_name_plural = _("search exclusions")
        ordering = ["word"]

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):

        self.word = self.word.strip().lower()
        self.excluded = [w.strip().lower() for w in self.excluded if w.strip()]
        super().save(*args, **kwargs)


class SearchMiss(models.Model):
    """How often families searched for these words on one day and found nothing: what the area's network lacks.

    Anonymous by construction: one counter per (day, language, words, area), the words stripped of anything that could
    identify a person (services/search/misses.py), no time of day, no address, no session. Kept SEARCH_MISS_DAYS.
    """

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=2)
    words = models.CharField(_("search words"), max_length=100)
    area = models.ForeignKey(
        "organisations.WellbeingArea",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # searchmiss_area_day_idx starts with the area
        verbose_name=_("wellbeing area"),
        help_text=_("The area the family searched in, if they chose one."),
    )
    count = models.PositiveIntegerField(_("searches"), default=1)

    class Meta:
        verbose_name = _("search that found nothing")
        verbose_name_plural = _("searches that found nothing")
        ordering = ["-day", "-count"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language", "words", "area"],
                nulls_distinct=False,
                name="searchmiss_one_counter_per_day_language_words_area",
                violation_error_message=_("These words are already counted for this day, language and area."),
            ),
        ]
        indexes = [models.Index(fields=["area", "day"], name="searchmiss_area_day_idx")]

    def __str__(self):
        return f"{self.day} {self.language}: {self.words} ({self.count})"


class ServiceFeedbackQuerySet(models.QuerySet):
    # Owners and coordinators see the counts of this many days, and this many of the latest comments per service.
    RECENT_DAYS = 30
    LATEST_COMMENTS = 5

    def recent(self):
        return self.filter(created_at__gte=timezone.now() - dt.timedelta(days=self.RECENT_DAYS))

    def by_service(self) -> dict[int, dict]:
        """Per service id: ``{"yes": n, "no": m, "comments": [latest feedback with text, …]}`` (two queries)."""
        summary: dict[int, dict] = {}
        for service_id, found, count in (
            self.order_by().values_list("service_id", "found").annotate(n=models.Count("*"))
        ):
            entry = summary.setdefault(service_id, {"yes": 0, "no": 0, "comments": []})
            entry["yes" if found else "no"] = count
        for feedback in self.exclude(text="").order_by("service_id", "-created_at", "-pk"):
            comments = summary[feedback.service_id]["comments"]
            if len(comments) < self.LATEST_COMMENTS:
                comments.append(feedback)
        return summary


class ServiceFeedback(models.Model):
    """One family's answer to “Did you find what you needed?” on a service page, counted per service and day.

    Anonymous: no client address or other identifier is stored; the free text is plain text shown to the service's
    organisation and the area's coordinators.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("service"))
    found = models.BooleanField(_("found what they needed"))
    text = models.TextField(_("comment"), blank=True, max_length=500)
    language = models.CharField(_("language"), max_length=5, blank=True)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    objects = ServiceFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("service feedback")
        verbose_name_plural = _("service feedback")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["service", "created_at"], name="servicefeedback_service_idx")]

    def __str__(self):
        return f"{self.service} – {self.created_at:%Y-%m-%d}" if self.created_at else str(self.service)
