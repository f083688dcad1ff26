"""Read-only viewsets of the public API: published content and the reference data, JSON only, no sessions."""

import datetime as dt
import re

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

from meetingplaces.models import Activity, MeetingPlace, MeetingPlaceException
from organisations.models import Municipality, Organisation, WellbeingArea
from services.choices import MAX_AGE, Cost, Language
from services.hours import HELSINKI
from services.models import LifeSituation, ServiceClass
from services.search import SearchQuery, cards_in_order, data_version, page_ids, ranked_services, search_services
from services.search.caching import cache_key
from services.search.misses import count_query_miss

from . import serializers
from .pagination import StrictPageNumberPagination
from .params import MODIFIED_SINCE, PAGINATION, InvalidParams, Param, choice, integer, parse_params
from .schema import PublicApiSchema
from .service_search import LANGUAGE, search_params, search_query
from .throttling import PublicApiThrottle

ID_RE = re.compile(r"^[0-9]{1,18}$")


class JsonOnly(BaseContentNegotiation):
    """Always JSON: neither ``?format=`` nor an Accept header picks another renderer (or a 404 for an unknown one)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def api_exception_handler(exc, context):
    if isinstance(exc, InvalidParams):
        return Response({"errors": exc.errors}, status=400)
    return exception_handler(exc, context)


def _english(exception_class, *args):
    """A DRF exception with its message in English: DRF translates it when the exception is made."""
    with translation.override("en"):
        return exception_class(*args)


def _reference_codes(model):
    return lambda: list(model.objects.values_list("code", flat=True))


def _yesterday() -> dt.date:
    return timezone.localdate(timezone=HELSINKI) - dt.timedelta(days=1)


class CsrfCheckedMixin:
    """Keep Django's CSRF check, which DRF switches off for its views: a cross-site POST is a 403 as everywhere on
    the site (the API changes nothing and takes no cookies, so its own reads never need a token)."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        view = super().as_view(*args, **kwargs)
        view.csrf_exempt = False
        return view


class PublicReadViewSet(CsrfCheckedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and detail, anonymous, throttled per client address, with strictly checked parameters.

    ``list_params`` are the list's parameters; the detail takes none. ``filter_list`` applies the parsed values.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicApiThrottle]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnly
    pagination_class = StrictPageNumberPagination
    filter_backends = []
    schema = PublicApiSchema()
    lookup_value_regex = "[^/]+"
    lookup_value_re = ID_RE
    list_params: tuple[Param, ...] = PAGINATION
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        # The same answer whatever the client's Accept-Language: modeltranslation orders and falls back by the active
        # language, so it is the site's default one. Messages for machines are in English (see _english).
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def throttled(self, request, wait):
        raise _english(exceptions.Throttled, wait)

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise _english(exceptions.MethodNotAllowed, request.method)

    def declared_params(self) -> tuple[Param, ...]:
        return self.list_params if self.action == "list" else ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # throttling first: a bad request counts too
        self.params = parse_params(request.query_params, self.declared_params())

    def get_exception_handler(self):
        return api_exception_handler

    def get_object(self):
        if not self.lookup_value_re.match(self.kwargs[self.lookup_url_kwarg or self.lookup_field]):
            raise _english(exceptions.NotFound)
        try:
            return super().get_object()
        except Http404:
            raise _english(exceptions.NotFound) from None  # the same body whatever the reason: no model names

    def filter_queryset(self, queryset):
        if self.action == "list":
            queryset = self.filter_list(queryset, self.params)
            if "modified_since" in self.params:
                queryset = queryset.filter(updated_at__gte=self.params["modified_since"])
        return queryset

    def filter_list(self, queryset, params):
        return queryset


class CodeLookupMixin:
    """Reference data is looked up by its official, stable code (area 01–21 and 90, municipality 091 …)."""

    lookup_field = "code"
    lookup_value_re = re.compile(r"^[a-z0-9-]{1,60}$")


# --- Services ---


def _service_list_params():
    return (*search_params(), LANGUAGE, MODIFIED_SINCE, *PAGINATION)


# What the API shows beyond a search result card (the card data comes with the search core's services).
SERVICE_EXTRAS = (
    "life_situations",
    Prefetch("municipalities", queryset=Municipality.objects.order_by("name")),
    "phones",
    "emails",
    "links",
)


# A service's JSON in the cache: the data version changes its key on any write anyway.
SERVICE_JSON_SECONDS = 300


def _service_extras(queryset):
    return queryset.prefetch_related(*SERVICE_EXTRAS)


@extend_schema_view(
    list=extend_schema(
        summary="Search services",
        description="Published services, filtered and ranked exactly as on the family-facing search page "
        "(the same search core): with `q`, best match first; without, by name.",
    ),
    retrieve=extend_schema(summary="One service"),
)
class ServiceViewSet(PublicReadViewSet):
    serializer_class = serializers.ServiceSerializer

    def declared_params(self):
        return _service_list_params() if self.action == "list" else ()

    def get_queryset(self):
        return _service_extras(search_services(SearchQuery(), language="fi"))

    def list(self, request, *args, **kwargs):
        query = search_query(request.query_params)
        language = self.params.get("lang", "fi")
        version = None if "modified_since" in self.params else data_version()
        if version is not None:
            # As on the search page: the page's ids and the count cached under the data version (page_ids), and each
            # service's JSON rendered once per version and day (service_representations), so a repeat costs one small
            # query and an unseen search loads only the services no recent answer showed.
            ids, number, total = page_ids(
                query,
                language=language,
                page_number=self.params.get("page", 1),
                version=version,
                page_size=self.params.get("page_size", self.paginator.page_size),
            )
            self.paginator.paginate_counted_ids(ids, total, request, view=self)
            if not total:
                count_query_miss(query, language=language)
            return self.get_paginated_response(self.service_representations(query, ids, version))
        if not query.terms:
            # Without words the count and one page come cheaply from the name index.
            queryset = self.filter_queryset(_service_extras(search_services(query, language=language)))
            page = self.paginate_queryset(queryset)
        else:
            # With words, matching and ranking (the expensive part) run once, as on the search page: one query for
            # the page's ranked ids and the count of all, then that page of services by id.
            ranked = self.filter_queryset(ranked_services(query, language=language))
            ids = self.paginator.paginate_ranked_ids(ranked, request, view=self)
            if not self.paginator.page.paginator.count:
                count_query_miss(query, language=language)
            page = cards_in_order(query, ids)
            prefetch_related_objects(page, *SERVICE_EXTRAS)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def service_representations(self, query, ids, version: int):
        """The JSON of the services *ids*, in order: from the cache where this version, day (the exceptional days
        listed start yesterday) and site address (the URLs are absolute) rendered it, else loaded and serialized in
        one batch of queries. Every table the JSON shows moves the version (services migrations 0007, 0012)."""
        base = self.request.build_absolute_uri("/")
        keys = {pk: cache_key("api-service", version, _yesterday().isoformat(), base, pk) for pk in ids}
        found = cache.get_many(list(keys.values()))
        missing = [pk for pk in ids if keys[pk] not in found]
        if missing:
            services = cards_in_order(query, missing)
            prefetch_related_objects(services, *SERVICE_EXTRAS)
            data = self.get_serializer(services, many=True).data
            fresh = {keys[service.pk]: dict(item) for service, item in zip(services, data, strict=True)}
            cache.set_many(fresh, SERVICE_JSON_SECONDS)
            found.update(fresh)
        return [found[keys[pk]] for pk in ids if keys[pk] in found]


# --- Organisations ---


@extend_schema_view(list=extend_schema(summary="Organisations"), retrieve=extend_schema(summary="One organisation"))
class OrganisationViewSet(PublicReadViewSet):
    serializer_class = serializers.OrganisationSerializer
    queryset = Organisation.objects.select_related("municipality").prefetch_related("areas").order_by("pk")
    list_params = (
        Param(
            "kind",
            choice(Organisation.Kind.values),
            "Kind of organisation.",
            {"type": "string", "enum": Organisation.Kind.values},
            many=True,
        ),
        Param("area", choice(_reference_codes(WellbeingArea)), "Works in this wellbeing area (code).", many=True),
        MODIFIED_SINCE,
        *PAGINATION,
    )

    def filter_list(self, queryset, params):
        if "kind" in params:
            queryset = queryset.filter(kind__in=params["kind"])
        if "area" in params:
            queryset = queryset.filter(areas__code__in=params["area"]).distinct()
        return queryset


# --- Meeting places and activities ---


def _area_and_municipality():
    return (
        Param("area", choice(_reference_codes(WellbeingArea)), "In this wellbeing area (code)."),
        Param("municipality", choice(_reference_codes(Municipality)), "In this municipality (code)."),
    )


@extend_schema_view(list=extend_schema(summary="Meeting places"), retrieve=extend_schema(summary="One meeting place"))
class MeetingPlaceViewSet(PublicReadViewSet):
    serializer_class = serializers.MeetingPlaceSerializer
    list_params = (
        *_area_and_municipality(),
        Param("organisation", integer(1, 10**15), "Kept by this organisation (id).", {"type": "integer"}),
        MODIFIED_SINCE,
        *PAGINATION,
    )

    def get_queryset(self):
        exceptions = MeetingPlaceException.objects.filter(date__gte=_yesterday())
        return (
            MeetingPlace.objects.published()
            .select_related("organisation", "municipality")
            .prefetch_related("opening_hours", Prefetch("exceptions", queryset=exceptions))
            .order_by("pk")
        )

    def filter_list(self, queryset, params):
        if "area" in params:
            queryset = queryset.filter(municipality__area__code=params["area"])
        if "municipality" in params:
            queryset = queryset.filter(municipality__code=params["municipality"])
        if "organisation" in params:
            queryset = queryset.filter(organisation_id=params["organisation"])
        return queryset


@extend_schema_view(list=extend_schema(summary="Activities"), retrieve=extend_schema(summary="One activity"))
class ActivityViewSet(PublicReadViewSet):
    serializer_class = serializers.ActivitySerializer
    list_params = (
        *_area_and_municipality(),
        Param("meeting_place", integer(1, 10**15), "At this meeting place (id).", {"type": "integer"}),
        Param("organisation", integer(1, 10**15), "Run by this organisation (id).", {"type": "integer"}),
        Param(
            "age",
            integer(0, MAX_AGE),
            "Open to a child of this age (years).",
            {"type": "integer", "minimum": 0, "maximum": MAX_AGE},
        ),
        Param(
            "language",
            choice(Language.values),
            "Held in this language.",
            {"type": "string", "enum": Language.values},
        ),
        Param("cost", choice(Cost.values), "Free of charge or chargeable.", {"type": "string", "enum": Cost.values}),
        MODIFIED_SINCE,
        *PAGINATION,
    )

    def get_queryset(self):
        return (
            Activity.objects.published()
            .select_related("meeting_place", "organiser", "meeting_place__organisation")
            .prefetch_related("dates")
            .order_by("pk")
        )

    def filter_list(self, queryset, params):
        if "area" in params:
            queryset = queryset.filter(meeting_place__municipality__area__code=params["area"])
        if "municipality" in params:
            queryset = queryset.filter(meeting_place__municipality__code=params["municipality"])
        if "meeting_place" in params:
            queryset = queryset.filter(meeting_place_id=params["meeting_place"])
        if "organisation" in params:
            queryset = queryset.by_organisation(params["organisation"])
        if "age" in params:
            queryset = queryset.for_age(params["age"])
        if "language" in params:
            queryset = queryset.in_language(params["language"])
        if "cost" in params:
            queryset = queryset.filter(cost=params["cost"])
        return queryset


# --- Reference data ---


@extend_schema_view(list=extend_schema(summary="Wellbeing areas"), retrieve=extend_schema(summary="One wellbeing area"))
class WellbeingAreaViewSet(CodeLookupMixin, PublicReadViewSet):
    serializer_class = serializers.WellbeingAreaSerializer
    queryset = WellbeingArea.objects.prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("code"))
    ).order_by("code")


@extend_schema_view(list=extend_schema(summary="Municipalities"), retrieve=extend_schema(summary="One municipality"))
class MunicipalityViewSet(CodeLookupMixin, PublicReadViewSet):
    serializer_class = serializers.MunicipalitySerializer
    queryset = Municipality.objects.select_related("area").order_by("code")
    list_params = (
        Param("area", choice(_reference_codes(WellbeingArea)), "In this wellbeing area (code)."),
        *PAGINATION,
    )

    def filter_list(self, queryset, params):
        if "area" in params:
            queryset = queryset.filter(area__code=params["area"])
        return queryset


@extend_schema_view(list=extend_schema(summary="Service classes"), retrieve=extend_schema(summary="One service class"))
class ServiceClassViewSet(CodeLookupMixin, PublicReadViewSet):
    serializer_class = serializers.ServiceClassSerializer
    queryset = ServiceClass.objects.order_by("order", "code")


@extend_schema_view(list=extend_schema(summary="Life situations"), retrieve=extend_schema(summary="One life situation"))
class LifeSituationViewSet(CodeLookupMixin, PublicReadViewSet):
    serializer_class = serializers.LifeSituationSerializer
    queryset = LifeSituation.objects.order_by("order", "code")
