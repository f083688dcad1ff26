"""The partner pages' forms: one entry's own fields in sections, its rows (opening hours, dates) as formsets.

A form lists its ``SECTIONS`` as (heading, [field or translated base name]); a translated base name (``"name"``)
renders as one row with the fi/sv/en fields side by side, each sv/en field showing the Finnish text as reference.
Choices come from ``organisations.access`` for the signed-in user, so a form can never offer (or accept) another
organisation's rows.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from meetingplaces.models import Activity, ActivityDate, MeetingPlace, MeetingPlaceException, MeetingPlaceOpeningHours
from organisations import access
from organisations.models import Municipality, Organisation
from services.choices import Access, Language
from services.models import (
    EmailAddress,
    Location,
    LocationException,
    LocationOpeningHours,
    PhoneNumber,
    Service,
    WebLink,
)

LANGUAGE_CODES = [code for code, _label in settings.LANGUAGES]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def translated(*names: str) -> list[str]:
    return [f"{name}_{code}" for name in names for code in LANGUAGE_CODES]


def choice_list(choices, label) -> forms.MultipleChoiceField:
    """An ArrayField of choices as checkboxes (the model's default is a comma-separated text box)."""
    return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, required=False, label=label)


class PartnerForm(forms.ModelForm):
    """Labels translated fields "Name (Swedish)", and limits choices to what the user may edit."""

    SECTIONS: list[tuple[str, list[str]]] = []
    TRANSLATED: tuple[str, ...] = ()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        names = dict(settings.LANGUAGES)
        for base in self.TRANSLATED:
            verbose = capfirst(self._meta.model._meta.get_field(base).verbose_name)
            for code in LANGUAGE_CODES:
                field = self.fields[f"{base}_{code}"]
                field.label = _("%(field)s (%(language)s)") % {"field": verbose, "language": names[code]}
                field.widget.attrs["lang"] = code

    def sections(self):
        """[(heading, [item])]: an item is a bound field, or the fi/sv/en bound fields of a translated one."""
        return [
            (heading, [self._item(name) for name in names if name in self.fields or name in self.TRANSLATED])
            for heading, names in self.SECTIONS
        ]

    def _item(self, name):
        if name in self.TRANSLATED:
            return {"translated": [self[f"{name}_{code}"] for code in LANGUAGE_CODES], "fi": self[f"{name}_fi"]}
        return self[name]

    def limit_organisations(self):
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = organisation_choices(self.user)
            self.fields["organisation"].empty_label = None

    def limit_municipalities(self, name: str):
        current = [self.instance.municipality_id] if getattr(self.instance, "municipality_id", None) else []
        self.fields[name].queryset = municipality_choices(self.user, current)


def organisation_choices(user):
    """The organisations the user may add entries to: their own (a coordinator: their areas'; a superuser: all)."""
    return access.editable(user, Organisation).order_by("name")


def municipality_choices(user, current=()):
    """The municipalities of the user's organisations' areas (and any already chosen), not all ~300."""
    organisations = organisation_choices(user)
    areas = Organisation.areas.through.objects.filter(organisation__in=organisations).values("wellbeingarea")
    homes = organisations.exclude(municipality=None).values("municipality__area")
    return (
        Municipality.objects.filter(Q(area__in=areas) | Q(area__in=homes) | Q(pk__in=list(current)))
        .select_related("area")
        .order_by("name")
    )


class ServiceForm(PartnerForm):
    TRANSLATED = ("name", "summary", "description", "keywords", "access_info", "cost_info")
    SECTIONS = [
        (_("Basic information"), ["organisation", "name", "summary", "description", "keywords", "service_classes"]),
        (
            _("Who it is for"),
            ["life_situations", "age_min", "age_max", "for_expecting", "for_parents", "languages"],
        ),
        (_("How to reach it"), ["access", "access_info", "cost", "cost_info", "municipalities"]),
    ]

    languages = choice_list(Language.choices, _("languages served"))
    access = choice_list(Access.choices, _("how to access"))

    class Meta:
        model = Service
        fields = [
            "organisation",
            *translated("name", "summary", "description", "keywords"),
            "service_classes",
            "life_situations",
            "age_min",
            "age_max",
            "for_expecting",
            "for_parents",
            "languages",
            "access",
            *translated("access_info"),
            "cost",
            *translated("cost_info"),
            "municipalities",
        ]
        widgets = {
            "service_classes": forms.CheckboxSelectMultiple,
            "life_situations": forms.CheckboxSelectMultiple,
            "municipalities": forms.CheckboxSelectMultiple,
            "cost": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_organisations()
        current = list(self.instance.municipalities.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["municipalities"].queryset = municipality_choices(self.user, current)
        self.fields["municipalities"].help_text = _("The municipalities where families can use the service.")


class MeetingPlaceForm(PartnerForm):
    TRANSLATED = ("name", "description", "street_address", "directions", "accessibility_info")
    SECTIONS = [
        (_("Basic information"), ["organisation", "name", "description", "phone", "email", "website"]),
        (_("How to reach it"), ["street_address", "postal_code", "municipality", "directions"]),
        (
            _("Accessibility"),
            [
                "step_free_access",
                "lift",
                "baby_changing",
                "breastfeeding_room",
                "accessible_toilet",
                "parking",
                "accessibility_info",
            ],
        ),
    ]

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = MeetingPlace
        fields = [
            "organisation",
            *translated("name", "description"),
            "phone",
            "email",
            "website",
            *translated("street_address"),
            "postal_code",
            "municipality",
            *translated("directions"),
            *MeetingPlace.ACCESSIBILITY_FIELDS,
            *translated("accessibility_info"),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_organisations()
        self.limit_municipalities("municipality")


class ActivityForm(PartnerForm):
    TRANSLATED = ("title", "description", "cost_info", "registration_info")
    SECTIONS = [
        (_("Basic information"), ["meeting_place", "title", "description"]),
        (_("When"), ["recurrence", "weekday", "every_nth_week", "start_time", "end_time", "valid_from", "valid_to"]),
        (_("Who it is for"), ["age_min", "age_max", "for_expecting", "for_parents", "languages"]),
        (_("Cost and registration"), ["cost", "cost_info", "registration_required", "registration_info"]),
    ]

    languages = choice_list(Language.choices, _("languages"))

    class Meta:
        model = Activity
        fields = [
            "meeting_place",
            *translated("title", "description"),
            "recurrence",
            "weekday",
            "every_nth_week",
            "start_time",
            "end_time",
            "valid_from",
            "valid_to",
            "age_min",
            "age_max",
            "for_expecting",
            "for_parents",
            "languages",
            "cost",
            *translated("cost_info"),
            "registration_required",
            *translated("registration_info"),
        ]
        widgets = {
            "recurrence": forms.RadioSelect,
            "cost": forms.RadioSelect,
            "start_time": TimeInput,
            "end_time": TimeInput,
            "valid_from": DateInput,
            "valid_to": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        places = access.editable(self.user, MeetingPlace)
        if self.instance.meeting_place_id:
            places = places | MeetingPlace.objects.filter(pk=self.instance.meeting_place_id)
        self.fields["meeting_place"].queryset = places.distinct().order_by("name")
        self.fields["meeting_place"].empty_label = None
        self.fields["valid_from"].help_text = _("For a weekly activity: the first week. Leave empty if ongoing.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The activity must end after it starts."))
        if data.get("recurrence") == Activity.Recurrence.WEEKLY and not data.get("weekday"):
            self.add_error("weekday", _("A weekly activity needs a weekday."))
        first, last = data.get("valid_from"), data.get("valid_to")
        if first and last and last < first:
            self.add_error("valid_to", _("The last date cannot be before the first date."))
        return data


class LocationForm(PartnerForm):
    TRANSLATED = ("name", "street_address", "directions", "accessibility_info")
    SECTIONS = [
        (_("Basic information"), ["name"]),
        (_("How to reach it"), ["street_address", "postal_code", "municipality", "directions"]),
        (_("Accessibility"), [*Location.ACCESSIBILITY_FIELDS, "accessibility_info"]),
    ]

    class Meta:
        model = Location
        fields = [
            *translated("name", "street_address"),
            "postal_code",
            "municipality",
            *translated("directions"),
            *Location.ACCESSIBILITY_FIELDS,
            *translated("accessibility_info"),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_municipalities("municipality")


def error_summary(form, formsets) -> list[dict]:
    """Every error of the form and its formsets, each with the id of the field it belongs to (for the summary's
    links); errors of no one field point at the form itself."""
    errors = []
    for each in [form, *(row for formset in formsets for row in formset.forms)]:
        for name, messages in each.errors.items():
            anchor = each[name].auto_id if name in each.fields else "entry-form"
            label = each[name].label if name in each.fields else ""
            errors.extend({"anchor": anchor, "label": label, "message": message} for message in messages)
    for formset in formsets:
        errors.extend({"anchor": formset.prefix, "label": "", "message": m} for m in formset.non_form_errors())
    return errors


# --- Opening hours, exceptions, listed dates ---------------------------------------------------------------------


class OpeningHoursForm(forms.ModelForm):
    """A weekly rule; a closing time not after the opening time needs "closes the next day" ticked."""

    class Meta:
        fields = ["weekday", "opens", "closes", "over_midnight", "valid_from", "valid_to"]
        widgets = {"opens": TimeInput, "closes": TimeInput, "valid_from": DateInput, "valid_to": DateInput}

    def clean(self):
        data = super().clean()
        opens, closes, over = data.get("opens"), data.get("closes"), data.get("over_midnight")
        if opens and closes:
            if closes <= opens and not over:
                self.add_error(
                    "closes",
                    _("The closing time must be after the opening time, or tick “closes the next day”."),
                )
            elif over and closes > opens:
                self.add_error("closes", _("Hours that close the next day must close before the opening time."))
        first, last = data.get("valid_from"), data.get("valid_to")
        if first and last and last < first:
            self.add_error("valid_to", _("The validity cannot end before it starts."))
        return data


class ExceptionForm(forms.ModelForm):
    """A date the weekly rules do not hold: closed all day, or other hours."""

    class Meta:
        fields = ["date", "closed", "opens", "closes", "reason_fi", "reason_sv", "reason_en"]
        widgets = {"date": DateInput, "opens": TimeInput, "closes": TimeInput}

    def clean(self):
        data = super().clean()
        if data.get("closed"):
            data["opens"] = data["closes"] = None
        elif not (data.get("opens") and data.get("closes")):
            self.add_error("opens", _("Either tick “closed all day” or give the opening and closing times."))
        return data


class ActivityDateForm(forms.ModelForm):
    class Meta:
        model = ActivityDate
        fields = ["date", "cancelled"]
        widgets = {"date": DateInput}


class PhoneForm(forms.ModelForm):
    class Meta:
        model = PhoneNumber
        fields = ["number", "description_fi", "description_sv", "description_en"]


class EmailForm(forms.ModelForm):
    class Meta:
        model = EmailAddress
        fields = ["address", "description_fi", "description_sv", "description_en"]


class LinkForm(forms.ModelForm):
    url_fi = forms.URLField(max_length=500, assume_scheme="https")
    url_sv = forms.URLField(max_length=500, assume_scheme="https", required=False)
    url_en = forms.URLField(max_length=500, assume_scheme="https", required=False)

    class Meta:
        model = WebLink
        fields = ["kind", "title_fi", "title_sv", "title_en", "url_fi", "url_sv", "url_en"]


def _label_languages(form):
    """ "Description (Swedish)" for each language column of the row's translated fields."""
    names = dict(settings.LANGUAGES)
    for name, field in form.fields.items():
        base, _sep, code = name.rpartition("_")
        if code in names and base:
            verbose = capfirst(form._meta.model._meta.get_field(base).verbose_name)
            field.label = _("%(field)s (%(language)s)") % {"field": verbose, "language": names[code]}
            field.widget.attrs["lang"] = code


def _formset(parent, model, form, title, hint=""):
    """An inline formset of *model* rows with one empty row to fill, its heading and hint for the template."""

    class Form(form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            _label_languages(self)

    Form.__name__ = form.__name__
    formset = forms.inlineformset_factory(parent, model, form=Form, extra=1, can_delete=True)
    formset.title, formset.hint = title, hint
    return formset


MeetingPlaceHoursFormSet = _formset(
    MeetingPlace,
    MeetingPlaceOpeningHours,
    OpeningHoursForm,
    _("Weekly opening hours"),
    _("One row per weekday and time. If the place closes after midnight, tick “closes the next day”."),
)
MeetingPlaceExceptionFormSet = _formset(
    MeetingPlace,
    MeetingPlaceException,
    ExceptionForm,
    _("Exceptions: holidays and other dates"),
    _("A date when the weekly hours do not hold: closed all day, or other hours."),
)
LocationHoursFormSet = _formset(
    Location, LocationOpeningHours, OpeningHoursForm, MeetingPlaceHoursFormSet.title, MeetingPlaceHoursFormSet.hint
)
LocationExceptionFormSet = _formset(
    Location,
    LocationException,
    ExceptionForm,
    MeetingPlaceExceptionFormSet.title,
    MeetingPlaceExceptionFormSet.hint,
)
ActivityDateFormSet = _formset(
    Activity,
    ActivityDate,
    ActivityDateForm,
    _("Listed dates and cancellations"),
    _("For an activity on listed dates, one row per date; for a weekly one, a date when it is cancelled."),
)
ServicePhoneFormSet = _formset(Service, PhoneNumber, PhoneForm, capfirst(PhoneNumber._meta.verbose_name_plural))
ServiceEmailFormSet = _formset(Service, EmailAddress, EmailForm, capfirst(EmailAddress._meta.verbose_name_plural))
ServiceLinkFormSet = _formset(Service, WebLink, LinkForm, capfirst(WebLink._meta.verbose_name_plural))
