from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import InvitationQuerySet, MembershipQuerySet, OrganisationQuerySet
from .validators import (
    BUSINESS_ID_RE,
    PHONE_RE,
    POSTAL_CODE_RE,
    business_id_check_digit_holds,
    validate_business_id,
)


class WellbeingArea(models.Model):
    """A wellbeing services county (hyvinvointialue) or the City of Helsinki: the organiser of services."""

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("Statistics Finland code, 01–21 or 90."))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("wellbeing area")
        verbose_name_plural = _("wellbeing areas")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="wellbeingarea_code_is_two_digits",
                condition=Q(code__regex=r"^[0-9]{2}$"),
                violation_error_message=_("An area code is two digits."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:area-detail", kwargs={"code": self.code})


class Municipality(models.Model):
    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")
        FINNISH_SWEDISH = "fi-sv", _("Bilingual, Finnish majority")
        SWEDISH_FINNISH = "sv-fi", _("Bilingual, Swedish majority")

    code = models.CharField(_("code"), max_length=3, unique=True, help_text=_("Statistics Finland municipality code."))
    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(
        WellbeingArea, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("wellbeing area")
    )
    language = models.CharField(
        _("official language"), max_length=5, choices=Language.choices, default=Language.FINNISH
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="municipality_code_is_three_digits",
                condition=Q(code__regex=r"^[0-9]{3}$"),
                violation_error_message=_("A municipality code is three digits."),
            ),
            models.CheckConstraint(
                name="municipality_language_is_known",
                condition=Q(language__in=["fi", "sv", "fi-sv", "sv-fi"]),
                violation_error_message=_("Unknown official language."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_bilingual(self) -> bool:
        return "-" in self.language

    @property
    def has_swedish(self) -> bool:
        return "sv" in self.language


class PostalCode(models.Model):
    code = models.CharField(_("postal code"), max_length=5, unique=True)
    post_office = models.CharField(_("post office"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="postal_codes", verbose_name=_("municipality")
    )
    is_street_address = models.BooleanField(
        _("street addresses"),
        default=True,
        help_text=_("False for PO boxes, reply mail and other special postal codes."),
    )

    class Meta:
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="postalcode_is_five_digits",
                condition=Q(code__regex=POSTAL_CODE_RE),
                violation_error_message=_("A postal code is five digits."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.post_office}"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        WELLBEING_AREA = "wellbeing_area", _("Wellbeing area")
        MUNICIPALITY = "municipality", _("Municipality")
        NGO = "ngo", _("Non-governmental organisation")
        PARISH = "parish", _("Parish")
        PRIVATE = "private", _("Private provider")
        OTHER = "other", _("Other")

    PUBLIC_KINDS = (Kind.WELLBEING_AREA, Kind.MUNICIPALITY)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Finnish business ID (Y-tunnus), e.g. 0201256-6."),
    )
    areas = models.ManyToManyField(
        WellbeingArea, related_name="organisations", verbose_name=_("areas served"), blank=True
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("home municipality"),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[RegexValidator(PHONE_RE)])
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description = models.TextField(_("description"), blank=True)
    ptv_id = models.UUIDField(_("PTV id"), null=True, blank=True, help_text=_("The organisation’s GUID in PTV."))
    ptv_fields = models.JSONField(_("PTV provenance"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                name="organisation_ptv_id_is_unique",
                fields=["ptv_id"],
                condition=Q(ptv_id__isnull=False),
                violation_error_message=_("Another organisation already has this PTV id."),
            ),
            models.UniqueConstraint(
                name="organisation_business_id_is_unique",
                fields=["business_id"],
                condition=~Q(business_id=""),
                violation_error_message=_("Another organisation already has this business ID."),
            ),
            models.CheckConstraint(
                name="organisation_business_id_has_the_right_form",
                condition=Q(business_id="") | Q(business_id__regex=BUSINESS_ID_RE.pattern),
                violation_error_message=_("Enter a business ID in the form 1234567-8."),
            ),
            models.CheckConstraint(
                name="organisation_business_id_check_digit_matches",
                condition=business_id_check_digit_holds("business_id"),
                violation_error_message=_("The business ID’s check digit does not match; check the number."),
            ),
            models.CheckConstraint(
                name="organisation_kind_is_known",
                condition=Q(kind__in=["wellbeing_area", "municipality", "ngo", "parish", "private", "other"]),
                violation_error_message=_("Unknown organisation kind."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.kind in self.PUBLIC_KINDS


class Membership(models.Model):
    """A user's role in an organisation; coordinators are further scoped to wellbeing areas."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Area coordinator")
        EDITOR = "editor", _("Partner editor")
        PROFESSIONAL = "professional", _("Professional")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    areas = models.ManyToManyField(
        WellbeingArea,
        blank=True,
        related_name="coordinator_memberships",
        verbose_name=_("coordinated areas"),
        help_text=_("Only for coordinators: the wellbeing areas whose listings they may edit."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                name="membership_is_unique_per_user_and_organisation",
                fields=["user", "organisation"],
                violation_error_message=_("This user is already a member of this organisation."),
            ),
            models.CheckConstraint(
                name="membership_role_is_known",
                condition=Q(role__in=["coordinator", "editor", "professional"]),
                violation_error_message=_("Unknown role."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class ContactPersonQuerySet(models.QuerySet):
    def shown_publicly(self):
        """Only those who agreed to be shown on the public area page."""
        return self.filter(show_publicly=True)


class ContactPerson(models.Model):
    """A named contact of the area's network, kept by coordinators; shown to families only with their consent."""

    class Kind(models.TextChoices):
        FAMILY_CENTRE = "family_centre", _("Family centre co-operation")
        NGO = "ngo", _("NGO co-operation")
        OTHER = "other", _("Other contact")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_persons", verbose_name=_("organisation")
    )
    area = models.ForeignKey(
        WellbeingArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_persons",
        verbose_name=_("wellbeing area"),
        help_text=_("The area whose network this person is a contact for."),
    )
    kind = models.CharField(_("contact for"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[RegexValidator(PHONE_RE)])
    show_publicly = models.BooleanField(
        _("shown on the public area page"),
        default=False,
        help_text=_("Only with the person’s consent: name, title, organisation, e-mail and phone become public."),
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.CheckConstraint(
                name="contactperson_kind_is_known",
                condition=Q(kind__in=["family_centre", "ngo", "other"]),
                violation_error_message=_("Unknown kind of contact."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class PartnerNetwork(models.Model):
    """A network of organisations working together in an area (e.g. a family centre's NGO forum)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        WellbeingArea, on_delete=models.CASCADE, related_name="networks", verbose_name=_("wellbeing area")
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="networks", blank=True, verbose_name=_("organisations")
    )
    contacts = models.ManyToManyField(
        ContactPerson, related_name="networks", blank=True, verbose_name=_("contact persons")
    )

    class Meta:
        verbose_name = _("partner network")
        verbose_name_plural = _("partner networks")
        ordering = ["area__code", "name"]

    def __str__(self):
        return f"{self.name} ({self.area})"


class PartnershipAgreement(models.Model):
    """A partnership agreement (kumppanuussopimus) between a wellbeing area and an organisation."""

    area = models.ForeignKey(
        WellbeingArea, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("wellbeing area")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("organisation")
    )

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_FORCE = "in_force", _("In force")
        ENDED = "ended", _("Ended")

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                name="agreement_ends_after_it_is_signed",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("signed_on")),
                violation_error_message=_("An agreement cannot end before it is signed."),
            ),
            models.CheckConstraint(
                name="agreement_state_is_known",
                condition=Q(state__in=["draft", "in_force", "ended"]),
                violation_error_message=_("Unknown agreement state."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.area} ({self.signed_on:%Y})"


class TaskRun(models.Model):
    """A background job's effect recorded under its idempotency key: at most one committed row per (task, key).

    Lives in the lowest app so every app's tasks can use it; written only through ``perhekeskus.jobs.run_once``.
    """

    task = models.CharField(_("task"), max_length=200)
    key = models.CharField(_("key"), max_length=200)
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task run")
        verbose_name_plural = _("task runs")
        constraints = [models.UniqueConstraint(fields=["task", "key"], name="taskrun_task_key_unique")]

    def __str__(self):
        return f"{self.task} {self.key}"


class LinkCheckQuerySet(models.QuerySet):
    def broken(self):
        return self.filter(broken_since__isnull=False)

    def due(self, before):
        """Addresses never checked, or last checked before *before*."""
        return self.filter(Q(checked_at__isnull=True) | Q(checked_at__lt=before))


class LinkCheck(models.Model):
    """The latest result of the weekly check of one web address shown on the site (written by the link check job).

    Keyed by the address, not by the row that shows it: many services share a page, and the admin of services,
    organisations and meeting places finds the result by the address. Lives in the lowest app for that reason.
    """

    class Outcome(models.TextChoices):
        OK = "ok", _("Works")
        BROKEN = "broken", _("Error page")
        UNREACHABLE = "unreachable", _("No answer")
        REFUSED = "refused", _("Not checked: address not allowed")

    class Reason(models.TextChoices):
        STATUS = "status", _("Error page")
        REDIRECTS = "redirects", _("Too many redirects")
        INVALID = "invalid", _("Invalid address")
        TIMEOUT = "timeout", _("No answer in time")
        NO_NAME = "no_name", _("Site name not found")
        CONNECT = "connect", _("Connection failed")
        NOT_ALLOWED = "not_allowed", _("Address not allowed")

    url = models.CharField(_("address"), max_length=500, unique=True)
    outcome = models.CharField(_("result"), max_length=12, choices=Outcome.choices, blank=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    reason = models.CharField(_("problem"), max_length=12, choices=Reason.choices, blank=True)
    error = models.CharField(_("technical detail"), max_length=300, blank=True)
    final_url = models.CharField(_("address after redirects"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    broken_since = models.DateTimeField(
        _("broken since"), null=True, blank=True, help_text=_("The first check of the current run of failures.")
    )

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                name="linkcheck_outcome_is_known",
                condition=Q(outcome__in=["", "ok", "broken", "unreachable", "refused"]),
                violation_error_message=_("Unknown link check result."),
            ),
            models.CheckConstraint(
                name="linkcheck_reason_is_known",
                condition=Q(
                    reason__in=["", "status", "redirects", "invalid", "timeout", "no_name", "connect", "not_allowed"]
                ),
                violation_error_message=_("Unknown link check problem."),
            ),
            models.CheckConstraint(
                name="linkcheck_working_link_is_not_broken",
                condition=~Q(outcome="ok") | Q(broken_since__isnull=True),
                violation_error_message=_("A working link has no broken-since time."),
            ),
        ]
        indexes = [models.Index(fields=["checked_at"], name="linkcheck_checked_at_idx")]

    def __str__(self):
        return self.url

    @property
    def is_broken(self) -> bool:
        return self.broken_since is not None

    @property
    def problem(self) -> str:
        """What went wrong, in the staff member's language (with the HTTP status where there is one)."""
        label = str(self.get_reason_display() or self.get_outcome_display())
        return f"{label} ({self.status})" if self.reason == self.Reason.STATUS and self.status else label


class ChangeRecord(models.Model):
    """One change to a listing (service, meeting place, activity, organisation): who, when, which fields, before/after.

    Written by ``organisations.history.record_change`` in the same transaction as the change itself, from the partner
    pages and the admin alike. ``changes`` maps each changed field (translated fields per language, e.g. ``name_sv``;
    related rows as ``locations``) to ``[before, after]`` in JSON form; a record of a deletion keeps the last values
    in ``before`` only. ``area_ids`` are the areas the object belonged to then, so the area's coordinators find it in
    their digest even after the object is gone.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")
        APPROVED = "approved", _("Approved")
        REVERTED = "reverted", _("Reverted")
        CHECKED = "checked", _("Marked as still correct")

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", verbose_name=_("kind of entry")
    )
    object_id = models.PositiveBigIntegerField(_("entry id"))
    object_repr = models.CharField(_("entry"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_records",
        verbose_name=_("organisation"),
    )
    area_ids = ArrayField(models.PositiveIntegerField(), default=list, blank=True, verbose_name=_("wellbeing areas"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_records",
        verbose_name=_("changed by"),
    )
    user_repr = models.CharField(_("changed by (at the time)"), max_length=254, blank=True)
    action = models.CharField(_("what was done"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    # On a REVERTED record: the change it undid.
    reverts = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reverted_by",
        verbose_name=_("reverted change"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="changerecord_object_idx")]
        constraints = [
            models.CheckConstraint(
                name="changerecord_action_is_known",
                condition=Q(action__in=["created", "changed", "deleted", "approved", "reverted", "checked"]),
                violation_error_message=_("Unknown action."),
            ),
        ]

    def __str__(self):
        return f"{self.object_repr} – {self.get_action_display()}"


class Invitation(models.Model):
    """An invitation to join an organisation in a role: the only way to get an account (there is no sign-up).

    The secret token appears only in the e-mailed link; the row keeps its SHA-256 hash, so a database leak gives no
    usable links. Accepted once (``accepted_at``), withdrawn by a coordinator (``revoked_at``) or expired
    (``expires_at``, ``INVITATION_VALID_DAYS`` after it was sent): written only through ``organisations.invitations``.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    class Language(models.TextChoices):
        BOTH = "", _("Finnish and Swedish")
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    areas = models.ManyToManyField(
        WellbeingArea,
        blank=True,
        related_name="coordinator_invitations",
        verbose_name=_("coordinated areas"),
        help_text=_("Only for coordinators: the wellbeing areas whose listings they may edit."),
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("The language of the e-mail and of the page the link opens."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="invitation_role_is_known",
                condition=Q(role__in=["coordinator", "editor", "professional"]),
                violation_error_message=_("Unknown role."),
            ),
            models.CheckConstraint(
                name="invitation_language_is_known",
                condition=Q(language__in=["", "fi", "sv", "en"]),
                violation_error_message=_("Unknown language."),
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.organisation}"

    def state_at(self, now) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.PENDING


class ProblemReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def about(self, model) -> "ProblemReportQuerySet":
        return self.filter(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name)


class ProblemReport(models.Model):
    """A family's note that a service's or meeting place's information is wrong, until its organisation resolves it.

    Stores no client address (the rate limit counts a salted hash in the cache only); the optional reply address is
    erased when the report is resolved. The open reports not yet e-mailed are the outbox of the daily summary.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", verbose_name=_("kind of entry")
    )
    object_id = models.PositiveBigIntegerField(_("entry id"))
    object_repr = models.CharField(_("entry"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="problem_reports",
        verbose_name=_("organisation"),
        help_text=_("The organisation whose entry it is: its editors get the report."),
    )
    message = models.TextField(_("what is wrong"), max_length=2000)
    reply_email = models.EmailField(_("e-mail for a reply"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField(_("e-mailed to the editors"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("resolved by"),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000, help_text=_("What was done (for the staff)."))

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="problemreport_object_idx")]
        constraints = [
            models.CheckConstraint(
                name="problemreport_resolved_has_no_reply_email",
                condition=Q(resolved_at__isnull=True) | Q(reply_email=""),
                violation_error_message=_("A resolved report keeps no e-mail address."),
            ),
        ]

    def __str__(self):
        return f"{self.object_repr} ({self.created_at:%Y-%m-%d})" if self.created_at else self.object_repr

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def target(self):
        """The service or meeting place reported on (None once it is deleted)."""
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None
