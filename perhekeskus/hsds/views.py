"""The Open Referral HSDS 3.0 feed, /api/hsds/ (PROFILE.md describes it; tests/hsds/ validate it).

Plain Django views that answer JSON: the feed's shapes are HSDS's, not our REST API's, so nothing is
shared with /api/v1/. Every list answers with HSDS's paging header; bad parameters get a 400 naming
each one, unknown ids a 404, both as JSON; queries per page do not grow with the page size.
"""

from __future__ import annotations

import math
from functools import wraps
from pathlib import Path

from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from organisations.models import Organisation
from services.hours import HELSINKI
from services.models import Location, LocationException, Service

from . import openapi, queries, serializers, taxonomy
from .ids import parse_row_id
from .params import BadParameters, FeedParams, parse

HSDS_VERSION = "3.0"
PROFILE_PATH = Path(__file__).parent / "PROFILE.md"


def _json(data, status: int = 200, lang: str = "") -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read the feed from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    if lang:
        response["Content-Language"] = lang
    return response


def _not_found(what: str) -> JsonResponse:
    return _json({"error": "not_found", "detail": f"No {what} has this id."}, status=404)


def feed_view(endpoint: str, *, resolves: bool = False):
    """Parse the endpoint's parameters (400 on any bad one) and run the view in the feed's language.

    Views that filter by ids or a postcode (*resolves*) get them looked up first, as ``params.resolved``.
    """

    def decorator(view):
        @require_safe
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                params = parse(request.GET, endpoint)
                if resolves:
                    params.resolved = queries.resolve(params, services=endpoint != "taxonomy_terms")
                elif params.errors:
                    raise BadParameters(params.errors)
                with translation.override(params.lang):
                    return view(request, params, *args, **kwargs)
            except BadParameters as error:
                return _json(
                    {
                        "error": "bad_parameters",
                        "detail": "Some query parameters are not valid.",
                        "parameters": error.errors,
                    },
                    status=400,
                )

        return wrapper

    return decorator


def _page(items_or_queryset, params: FeedParams, serialize) -> dict:
    """HSDS's page header and the serialised items of the page asked for (one count, one page query)."""
    total = len(items_or_queryset) if isinstance(items_or_queryset, list) else items_or_queryset.count()
    total_pages = max(1, math.ceil(total / params.per_page))
    start = (params.page - 1) * params.per_page
    items = list(items_or_queryset[start : start + params.per_page]) if start < total else []
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": params.page,
        "size": len(items),
        "first_page": params.page == 1,
        "last_page": params.page >= total_pages,
        "empty": total == 0,
        "contents": [serialize(item) for item in items],
    }


# --- What each response prefetches (constant query counts) ---

LIST_SERVICE_RELATED = ("organisation",)
LIST_SERVICE_PREFETCH = ("links", "emails")
# The search columns are large and never shown.
SEARCH_COLUMNS = ("search_document", "search_heading")


def _location_prefetch() -> list:
    today = timezone.localdate(timezone=HELSINKI)
    return [
        "opening_hours",
        Prefetch("exceptions", queryset=LocationException.objects.filter(date__gte=today)),
    ]


def _full_service_queryset():
    locations = Location.objects.select_related("municipality__area").prefetch_related(*_location_prefetch())
    return (
        Service.objects.published()
        .defer(*SEARCH_COLUMNS)
        .select_related("organisation")
        .prefetch_related(
            "links",
            "emails",
            "phones",
            "service_classes",
            "life_situations",
            "municipalities",
            "organisation__areas",
            Prefetch("locations", queryset=locations),
        )
    )


# --- Endpoints ---


@feed_view("root")
def root(request, params):
    return _json(
        {
            "version": HSDS_VERSION,
            "profile": request.build_absolute_uri(reverse("hsds:profile")),
            "openapi_url": request.build_absolute_uri(reverse("hsds:openapi")),
        }
    )


@require_safe
def profile(request):
    """The Finnish profile, as the Markdown file kept next to this module."""
    response = HttpResponse(PROFILE_PATH.read_text(encoding="utf-8"), content_type="text/markdown; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def openapi_document(request):
    """HSDS's OpenAPI document with this profile's parameters (openapi.py)."""
    return _json(openapi.document(request.build_absolute_uri(reverse("hsds:profile"))))


@feed_view("services", resolves=True)
def services(request, params):
    qs = (
        queries.services(params, params.resolved)
        .defer(*SEARCH_COLUMNS)
        .select_related(*LIST_SERVICE_RELATED)
        .prefetch_related(*LIST_SERVICE_PREFETCH)
    )
    return _json(_page(qs, params, lambda s: serializers.service_basic(s, request)), lang=params.lang)


@feed_view("detail")
def service_detail(request, params, id):
    pk = parse_row_id("service", id)
    service = _full_service_queryset().filter(pk=pk).first() if pk else None
    if service is None:
        return _not_found("service")
    return _json(serializers.service_full(service, request), lang=params.lang)


@feed_view("service_at_locations", resolves=True)
def service_at_locations(request, params):
    qs = (
        queries.service_at_locations(params, params.resolved)
        .defer(*(f"service__{column}" for column in SEARCH_COLUMNS))
        .select_related("service__organisation")
        .prefetch_related("service__links", "service__emails")
    )
    return _json(_page(qs, params, lambda loc: serializers.service_at_location_basic(loc, request)), lang=params.lang)


@feed_view("detail")
def service_at_location_detail(request, params, id):
    pk = parse_row_id("service_at_location", id)
    location = None
    if pk:
        location = (
            Location.objects.filter(pk=pk, service__state="published")
            .select_related("service__organisation", "municipality__area")
            .prefetch_related(
                *_location_prefetch(),
                "service__links",
                "service__emails",
                "service__phones",
                "service__service_classes",
                "service__life_situations",
            )
            .first()
        )
    if location is None:
        return _not_found("service_at_location")
    return _json(serializers.service_at_location_full(location, request), lang=params.lang)


@feed_view("organizations")
def organizations(request, params):
    qs = queries.organisations(params)
    return _json(_page(qs, params, lambda o: serializers.organization_basic(o, request)), lang=params.lang)


@feed_view("detail")
def organization_detail(request, params, id):
    pk = parse_row_id("organization", id)
    organisation = Organisation.objects.filter(pk=pk).first() if pk else None
    if organisation is None:
        return _not_found("organization")
    services = list(
        Service.objects.published()
        .filter(organisation=organisation)
        .defer(*SEARCH_COLUMNS)
        .select_related("organisation")
        .prefetch_related(*LIST_SERVICE_PREFETCH)
        .order_by("name", "pk")
    )
    return _json(serializers.organization_full(organisation, request, services), lang=params.lang)


def _matches(texts: dict, search: str) -> bool:
    words = search.lower().split()
    haystack = " ".join(texts.values()).lower()
    return all(word in haystack for word in words)


@feed_view("taxonomies")
def taxonomies(request, params):
    items = [t for t in taxonomy.TAXONOMIES.values() if not params.search or _matches(t.name, params.search)]
    return _json(_page(items, params, lambda t: serializers.taxonomy_object(t, params.lang)), lang=params.lang)


@feed_view("detail")
def taxonomy_detail(request, params, id):
    found = next((t for t in taxonomy.TAXONOMIES.values() if t.id == id.lower()), None)
    if found is None:
        return _not_found("taxonomy")
    return _json(serializers.taxonomy_object(found, params.lang), lang=params.lang)


@feed_view("taxonomy_terms", resolves=True)  # a taxonomy_id that names nothing is a 400
def taxonomy_terms(request, params):
    terms = taxonomy.all_terms()
    if params.taxonomy_id:
        terms = [t for t in terms if t.taxonomy.id == params.taxonomy_id]
    if params.parent_id:
        terms = [t for t in terms if t.parent_id == params.parent_id]
    if params.top_only:
        terms = [t for t in terms if not t.parent]
    if params.search:
        terms = [t for t in terms if _matches(t.name, params.search) or params.search.lower() == t.code.lower()]
    return _json(_page(terms, params, lambda t: serializers.taxonomy_term(t, params.lang)), lang=params.lang)


@feed_view("detail")
def taxonomy_term_detail(request, params, id):
    found = next((t for t in taxonomy.all_terms() if t.id == id.lower()), None)
    if found is None:
        return _not_found("taxonomy_term")
    return _json(serializers.taxonomy_term(found, params.lang), lang=params.lang)
