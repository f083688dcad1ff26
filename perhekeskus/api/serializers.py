"""Serializers of the public API. Translated text is always ``{"fi": …, "sv": …, "en": …}``, from one field class.

modeltranslation stores each language in its own column (``name_fi``, ``name_sv``, ``name_en``); the API shows the
stored value of each language and ``null`` where a language has none, so a client can choose its own fallback.
"""

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from meetingplaces.models import Activity, ActivityDate, MeetingPlace
from organisations.models import Municipality, Organisation, WellbeingArea
from services.models import (
    EmailAddress,
    LifeSituation,
    Location,
    PhoneNumber,
    Service,
    ServiceClass,
    WebLink,
)

LANGUAGE_CODES = [code for code, _label in settings.LANGUAGES]


class TranslatedTextSerializer(serializers.Serializer):
    """Only for the schema: the shape every translated field has."""

    fi = serializers.CharField(allow_null=True)
    sv = serializers.CharField(allow_null=True)
    en = serializers.CharField(allow_null=True)

    class Meta:
        ref_name = "TranslatedText"


@extend_schema_field(TranslatedTextSerializer)
class TranslatedField(serializers.Field):
    """``{"fi": …, "sv": …, "en": …}`` from the model's per-language columns of *source* (default: the field name)."""

    def __init__(self, **kwargs):
        self.base_name = kwargs.pop("source", None)
        super().__init__(source="*", read_only=True, **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.base_name = self.base_name or field_name

    def to_representation(self, instance):
        return {code: getattr(instance, f"{self.base_name}_{code}", None) or None for code in LANGUAGE_CODES}


@extend_schema_field(TranslatedTextSerializer)
class FamilyPageField(serializers.Field):
    """The object's family-facing page in each language, as absolute URLs (``get_absolute_url`` under /fi/ …)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        request = self.context.get("request")
        urls = {}
        for code in LANGUAGE_CODES:
            with translation.override(code):
                path = instance.get_absolute_url()
            urls[code] = request.build_absolute_uri(path) if request else path
        return urls


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "08:00"})
class ClockTimeField(serializers.TimeField):
    """A time of day as HH:MM, Finnish time (opening hours and activities have no seconds)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class TranslatedModelSerializer(serializers.ModelSerializer):
    """The shared base: the fields named in ``Meta.translated_fields`` become TranslatedFields."""

    def get_fields(self):
        fields = super().get_fields()
        for name in getattr(self.Meta, "translated_fields", ()):
            fields[name] = TranslatedField()
        return fields

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name in getattr(self.Meta, "translated_fields", ()):
            return TranslatedField, {}
        return super().build_field(field_name, info, model_class, nested_depth)


# --- Reference data ---


class WellbeingAreaSerializer(TranslatedModelSerializer):
    url = FamilyPageField()
    municipalities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = WellbeingArea
        fields = ["code", "name", "url", "municipalities"]
        translated_fields = ["name"]


class MunicipalitySerializer(TranslatedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Municipality
        fields = ["code", "name", "area", "language"]
        translated_fields = ["name"]


class MunicipalityRefSerializer(TranslatedModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name"]
        translated_fields = ["name"]


class ServiceClassSerializer(TranslatedModelSerializer):
    class Meta:
        model = ServiceClass
        fields = ["code", "name", "description", "ptv_code", "ptv_uri"]
        translated_fields = ["name", "description"]


class ServiceClassRefSerializer(TranslatedModelSerializer):
    class Meta:
        model = ServiceClass
        fields = ["code", "name", "ptv_code"]
        translated_fields = ["name"]


class LifeSituationSerializer(TranslatedModelSerializer):
    class Meta:
        model = LifeSituation
        fields = ["code", "name", "description", "ptv_uri"]
        translated_fields = ["name", "description"]


class LifeSituationRefSerializer(TranslatedModelSerializer):
    class Meta:
        model = LifeSituation
        fields = ["code", "name"]
        translated_fields = ["name"]


# --- Organisations ---


class OrganisationSerializer(TranslatedModelSerializer):
    url = FamilyPageField()
    areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    logo = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "description",
            "kind",
            "business_id",
            "areas",
            "municipality",
            "website",
            "email",
            "phone",
            "logo",
            "updated_at",
        ]
        translated_fields = ["name", "description"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_logo(self, organisation) -> str | None:
        if not organisation.logo:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(organisation.logo.url) if request else organisation.logo.url


class OrganisationRefSerializer(TranslatedModelSerializer):
    url = FamilyPageField()

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "url"]
        translated_fields = ["name"]


# --- Places, hours and channels ---

ACCESSIBILITY_SCHEMA = inline_serializer(
    "Accessibility",
    {name: serializers.BooleanField(allow_null=True) for name in Location.ACCESSIBILITY_FIELDS},
)


class OpeningHoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=1, max_value=7, help_text="ISO weekday: 1 = Monday … 7 = Sunday.")
    opens = ClockTimeField()
    closes = ClockTimeField()
    over_midnight = serializers.BooleanField(help_text="Closes the next day, at `closes`.")
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class ExceptionalHoursSerializer(serializers.Serializer):
    date = serializers.DateField()
    closed = serializers.BooleanField(help_text="Closed all day; otherwise open from `opens` to `closes` only.")
    opens = ClockTimeField(allow_null=True)
    closes = ClockTimeField(allow_null=True)
    reason = TranslatedField()


class PlaceFieldsMixin(serializers.Serializer):
    """Address, coordinates, accessibility and hours: shared by service locations and meeting places."""

    municipality = MunicipalityRefSerializer(read_only=True)
    accessibility = serializers.SerializerMethodField()
    opening_hours = OpeningHoursSerializer(many=True, read_only=True)
    exceptions = ExceptionalHoursSerializer(
        many=True, read_only=True, help_text="Exceptional days (holidays, closures) from yesterday on."
    )

    @extend_schema_field(ACCESSIBILITY_SCHEMA)
    def get_accessibility(self, place) -> dict:
        return {name: getattr(place, name) for name in place.ACCESSIBILITY_FIELDS}


PLACE_FIELDS = [
    "street_address",
    "postal_code",
    "municipality",
    "latitude",
    "longitude",
    "directions",
    "accessibility",
    "accessibility_info",
    "opening_hours",
    "exceptions",
]
PLACE_TRANSLATED = ["street_address", "directions", "accessibility_info"]


class LocationSerializer(PlaceFieldsMixin, TranslatedModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "name", *PLACE_FIELDS]
        translated_fields = ["name", *PLACE_TRANSLATED]


class PhoneSerializer(TranslatedModelSerializer):
    class Meta:
        model = PhoneNumber
        fields = ["number", "description"]
        translated_fields = ["description"]


class EmailSerializer(TranslatedModelSerializer):
    class Meta:
        model = EmailAddress
        fields = ["address", "description"]
        translated_fields = ["description"]


class WebLinkSerializer(TranslatedModelSerializer):
    class Meta:
        model = WebLink
        fields = ["kind", "url", "title"]
        translated_fields = ["url", "title"]


# --- Services ---


class ServiceSerializer(TranslatedModelSerializer):
    url = FamilyPageField()
    organisation = OrganisationRefSerializer(read_only=True)
    service_classes = ServiceClassRefSerializer(many=True, read_only=True)
    life_situations = LifeSituationRefSerializer(many=True, read_only=True)
    municipalities = MunicipalityRefSerializer(
        many=True,
        read_only=True,
        help_text="Where the service is given. Empty: in the wellbeing areas of the organisation, or nationwide.",
    )
    locations = LocationSerializer(many=True, read_only=True)
    phones = PhoneSerializer(many=True, read_only=True)
    emails = EmailSerializer(many=True, read_only=True)
    links = WebLinkSerializer(many=True, read_only=True, help_text="Web pages and e-services.")
    ptv_id = serializers.UUIDField(source="external_id", read_only=True, allow_null=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "summary",
            "description",
            "keywords",
            "organisation",
            "service_classes",
            "life_situations",
            "age_min",
            "age_max",
            "for_expecting",
            "for_parents",
            "languages",
            "cost",
            "cost_info",
            "access",
            "access_info",
            "municipalities",
            "locations",
            "phones",
            "emails",
            "links",
            "source",
            "ptv_id",
            "reviewed_at",
            "updated_at",
        ]
        translated_fields = ["name", "summary", "description", "keywords", "cost_info", "access_info"]


# --- Meeting places and activities ---


class MeetingPlaceRefSerializer(TranslatedModelSerializer):
    url = FamilyPageField()

    class Meta:
        model = MeetingPlace
        fields = ["id", "name", "url"]
        translated_fields = ["name"]


class MeetingPlaceSerializer(PlaceFieldsMixin, TranslatedModelSerializer):
    url = FamilyPageField()
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = MeetingPlace
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "description",
            "organisation",
            *PLACE_FIELDS,
            "phone",
            "email",
            "website",
            "reviewed_at",
            "updated_at",
        ]
        translated_fields = ["name", "description", *PLACE_TRANSLATED]


class ActivityDateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityDate
        fields = ["date", "cancelled"]


class ActivitySerializer(TranslatedModelSerializer):
    meeting_place = MeetingPlaceRefSerializer(read_only=True)
    organiser = OrganisationRefSerializer(
        source="provider", read_only=True, help_text="Who runs it: the organiser, else the meeting place's owner."
    )
    dates = ActivityDateSerializer(
        many=True, read_only=True, help_text="Listed dates; for weekly activities, the cancelled occurrences."
    )
    start_time = ClockTimeField()
    end_time = ClockTimeField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "description",
            "meeting_place",
            "organiser",
            "recurrence",
            "weekday",
            "every_nth_week",
            "valid_from",
            "valid_to",
            "start_time",
            "end_time",
            "dates",
            "age_min",
            "age_max",
            "for_expecting",
            "for_parents",
            "languages",
            "cost",
            "cost_info",
            "registration_required",
            "registration_info",
            "updated_at",
        ]
        translated_fields = ["title", "description", "cost_info", "registration_info"]
