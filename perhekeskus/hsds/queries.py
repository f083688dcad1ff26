"""What each feed lists: the HSDS filters as conditions on our querysets.

The words (``search``) go through the site's search core, so the feed finds what the search page
finds; "where a service is given" (``postcode``) is the rule of services/querysets.py that the search
uses too. The other filters are HSDS's own and live here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import ACos, Cos, Greatest, Least, Radians, Sin
from django.utils import timezone

from meetingplaces.models import MeetingPlace
from organisations.models import Organisation, PostalCode
from services import querysets as service_area
from services.hours import HELSINKI
from services.models import Location, LocationOpeningHours, Service
from services.search import SearchQuery, matching_services
from services.search.places import mean_position

from . import taxonomy
from .ids import parse_row_id
from .params import BadParameters, FeedParams

EARTH_RADIUS_KM = 6371.0


@dataclass
class Resolved:
    """The parameters that name rows, looked up once (a few small queries, whatever the page size)."""

    term: taxonomy.Term | None = None
    taxonomy: taxonomy.Taxonomy | None = None
    organisation_id: int | None = None
    municipality_code: str = ""
    centre: tuple[float, float] | None = None


def resolve(params: FeedParams, *, services: bool = True) -> Resolved:
    """Look up the ids and the postcode in *params*; raise BadParameters for those that name nothing.

    The parameters that did not even parse (``params.errors``) are named in the same answer.
    """
    resolved, errors = Resolved(), dict(params.errors)
    if params.taxonomy_term_id:
        resolved.term = next((t for t in taxonomy.all_terms() if t.id == params.taxonomy_term_id), None)
        if resolved.term is None:
            errors["taxonomy_term_id"] = "no taxonomy term has this id (see /taxonomy_terms)"
    if params.taxonomy_id:
        resolved.taxonomy = next((t for t in taxonomy.TAXONOMIES.values() if t.id == params.taxonomy_id), None)
        if resolved.taxonomy is None:
            errors["taxonomy_id"] = "no taxonomy has this id (see /taxonomies)"
    if params.organization_id and services:
        pk = parse_row_id("organization", params.organization_id)
        if pk is None or not Organisation.objects.filter(pk=pk).exists():
            errors["organization_id"] = "no organization has this id (see /organizations)"
        resolved.organisation_id = pk
    if params.postcode:
        postal_code = PostalCode.objects.filter(code=params.postcode).select_related("municipality").first()
        if postal_code is None:
            errors["postcode"] = "unknown Finnish postal code"
        else:
            resolved.municipality_code = postal_code.municipality.code
            if params.proximity is not None:
                resolved.centre = postcode_centre(postal_code)
                if resolved.centre is None:
                    errors["proximity"] = "no coordinates are known in or around this postcode"
    if errors:
        raise BadParameters(errors)
    return resolved


def postcode_centre(postal_code: PostalCode) -> tuple[float, float] | None:
    """The mean position of the known places (service locations, meeting places) in the postcode.

    There is no national table of postcode centroids in the project, so the places we know stand in for
    one; a postcode without any falls back to the places of its municipality.
    """
    for condition in (Q(postal_code=postal_code.code), Q(municipality_id=postal_code.municipality_id)):
        centre = mean_position(condition, models=(Location, MeetingPlace))
        if centre is not None:
            return centre
    return None


# --- Conditions ---


def _term_q(term: taxonomy.Term) -> Q:
    if term.taxonomy.code == taxonomy.PTV:
        # A broader P-code finds the services of its narrower classes too (P5 finds P5.2).
        through = Service.service_classes.through.objects.filter(service_id=OuterRef("pk")).filter(
            Q(serviceclass__ptv_code=term.code) | Q(serviceclass__ptv_code__startswith=term.code + ".")
        )
        return Q(Exists(through))
    if term.taxonomy.code == taxonomy.SERVICE_CLASS:
        return Q(
            Exists(
                Service.service_classes.through.objects.filter(service_id=OuterRef("pk"), serviceclass__code=term.code)
            )
        )
    return Q(
        Exists(Service.life_situations.through.objects.filter(service_id=OuterRef("pk"), lifesituation__code=term.code))
    )


def _taxonomy_q(tax: taxonomy.Taxonomy) -> Q:
    if tax.code == taxonomy.LIFE_SITUATION:
        return Q(Exists(Service.life_situations.through.objects.filter(service_id=OuterRef("pk"))))
    through = Service.service_classes.through.objects.filter(service_id=OuterRef("pk"))
    if tax.code == taxonomy.PTV:
        through = through.exclude(serviceclass__ptv_code="")
    return Q(Exists(through))


def _service_q(params: FeedParams, resolved: Resolved) -> Q:
    """The filters that are about the service itself (shared by /services and /service_at_locations)."""
    condition = Q()
    if resolved.term:
        condition &= _term_q(resolved.term)
    if resolved.taxonomy:
        condition &= _taxonomy_q(resolved.taxonomy)
    if resolved.organisation_id:
        condition &= Q(organisation_id=resolved.organisation_id)
    if params.modified_after:
        condition &= Q(updated_at__gte=params.modified_after)
    if resolved.municipality_code and resolved.centre is None:
        # HSDS: with a postcode alone, the services whose service area covers it.
        condition &= service_area.local_to_municipality(resolved.municipality_code) | service_area.nationwide()
    # Ages: the service must take someone of each age asked for (an open end takes everyone).
    if params.minimum_age is not None:
        condition &= Q(age_max__isnull=True) | Q(age_max__gte=params.minimum_age)
    if params.maximum_age is not None:
        condition &= Q(age_min__isnull=True) | Q(age_min__lte=params.maximum_age)
    return condition


def _open_on_q(day: int, location_field: str) -> Q:
    """Has weekly hours on *day* (ISO weekday) that have not expired; *location_field* leads to the outer row."""
    today = timezone.localdate(timezone=HELSINKI)
    rules = LocationOpeningHours.objects.filter(**{"weekday": day, location_field: OuterRef("pk")}).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    return Q(Exists(rules))


def _distance_km(lat: float, lon: float):
    """Great-circle distance from (lat, lon) to the row's own latitude/longitude (spherical law of cosines)."""
    lat_r, lon_r = Radians(Value(lat)), Radians(Value(lon))
    cosine = Sin(lat_r) * Sin(Radians(F("latitude"))) + Cos(lat_r) * Cos(Radians(F("latitude"))) * Cos(
        Radians(F("longitude")) - lon_r
    )
    # Clamped: rounding can take the cosine a hair outside [-1, 1] at the centre itself.
    return ACos(Greatest(Value(-1.0), Least(Value(1.0), cosine))) * EARTH_RADIUS_KM


def _near_q(centre: tuple[float, float], metres: float) -> Q:
    """A bounding box around the centre (cheap), the exact distance is checked after it."""
    lat, lon = centre
    degrees_lat = metres / 111_195.0
    degrees_lon = degrees_lat / max(math.cos(math.radians(lat)), 0.01)
    return Q(
        latitude__gte=lat - degrees_lat,
        latitude__lte=lat + degrees_lat,
        longitude__gte=lon - degrees_lon,
        longitude__lte=lon + degrees_lon,
    )


# --- The lists ---


def _published(params: FeedParams) -> QuerySet[Service]:
    """Published services, those the site's search finds for ``search`` when it is given.

    The words are matched once, for their ids: the count and the page then reuse them instead of matching
    the words twice (the matching is most of a search's time).
    """
    if not params.search:
        return Service.objects.published()
    ids = list(matching_services(SearchQuery(q=params.search), language=params.lang).values_list("pk", flat=True))
    # One array parameter (id = ANY(%s)), not one placeholder per id.
    id_in = Func(
        F("pk"),
        Value(ids, output_field=ArrayField(BigIntegerField())),
        template="(%(expressions)s))",
        arg_joiner=" = ANY(",
        output_field=BooleanField(),
    )
    return Service.objects.published().filter(id_in)


def services(params: FeedParams, resolved: Resolved) -> QuerySet[Service]:
    """Published services for /services, oldest first (nearest first with a proximity).

    Lists are in id order: a client harvesting page by page is not shifted by services added meanwhile,
    and the page is read from the primary key instead of sorting the whole table by name.
    """
    qs = _published(params).filter(_service_q(params, resolved))
    if params.day:
        qs = qs.filter(_open_on_q(params.day, "location__service_id"))
    order = []
    if resolved.centre is not None:
        lat, lon = resolved.centre
        near = (
            Location.objects.filter(_near_q(resolved.centre, params.proximity))
            .annotate(km=_distance_km(lat, lon))
            .filter(km__lte=params.proximity / 1000)
        )
        # Filter by the (few) near locations first; the distance for the order is then computed for those only.
        nearest = near.filter(service_id=OuterRef("pk")).order_by("km").values("km")[:1]
        qs = qs.filter(pk__in=near.values("service_id")).annotate(
            distance_km=Subquery(nearest, output_field=FloatField())
        )
        order.append(F("distance_km").asc())
    return qs.order_by(*order, "pk")


def service_at_locations(params: FeedParams, resolved: Resolved) -> QuerySet[Location]:
    """The visiting locations of the published services for /service_at_locations."""
    service_ids = _published(params).filter(_service_q(params, resolved)).values("pk")
    qs = Location.objects.filter(service_id__in=service_ids)
    if params.day:
        qs = qs.filter(_open_on_q(params.day, "location_id"))
    order = []
    if resolved.centre is not None:
        qs = (
            qs.filter(_near_q(resolved.centre, params.proximity))
            .annotate(distance_km=_distance_km(*resolved.centre))
            .filter(distance_km__lte=params.proximity / 1000)
        )
        order.append(F("distance_km").asc())
    return qs.order_by(*order, "pk")


def organisations(params: FeedParams) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if params.search:
        words = params.search.split()
        for word in words[:8]:
            qs = qs.filter(Q(name_fi__icontains=word) | Q(name_sv__icontains=word) | Q(name_en__icontains=word))
    if params.modified_after:
        qs = qs.filter(updated_at__gte=params.modified_after)
    return qs.order_by("pk")
