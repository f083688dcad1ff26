"""Every public route of the site, as URLs a test client can fetch (for crawls: hostile headers, security headers).

The routes are read from the URLconf, so a new page is crawled without touching the tests. A route with path
parameters needs values: ``route_urls`` fills them from the objects ``make_route_objects`` creates with the factories
(or from ``GENERIC_KWARGS`` for parameters like allauth's ``key``) and raises ``UnfilledRoute`` for a route it cannot
fill, so a new parametrised route fails the crawl loudly until it is added to ``ROUTE_KWARGS``.

Usage (inside a test with the database)::

    objects = make_route_objects()
    for url in route_urls("fi", objects):
        client.get(url)
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation

# The admin is not public; its entry points are (everything else redirects to them).
PUBLIC_ADMIN_ROUTES = {"admin:index", "admin:login"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # the full pattern, for messages
    localized: bool  # under i18n_patterns (/fi/, /sv/, /en/)
    params: tuple[str, ...]


@dataclass
class RouteObjects:
    """One published row for every kind of page that shows one."""

    service: object
    organisation: object
    meeting_place: object
    area: object


class UnfilledRoute(Exception):
    pass


def make_route_objects() -> RouteObjects:
    from tests.factories import LocationFactory, MeetingPlaceFactory, ServiceFactory

    service = ServiceFactory(published=True)
    LocationFactory(service=service)
    meeting_place = MeetingPlaceFactory(published=True, organisation=service.organisation)
    return RouteObjects(
        service=service,
        organisation=service.organisation,
        meeting_place=meeting_place,
        area=meeting_place.municipality.area,
    )


def _sitemap_sections(objects: RouteObjects) -> list[dict]:
    from perhekeskus.sitemaps import SITEMAPS

    return [{"section": section} for section in SITEMAPS]


def _hsds_ids(kind: str, attribute: str):
    def kwargs(o: RouteObjects) -> list[dict]:
        from perhekeskus.hsds.ids import row_id

        row = getattr(o, attribute)
        pk = row.locations.first().pk if kind == "service_at_location" else row.pk
        return [{"id": row_id(kind, pk)}]

    return kwargs


def _hsds_taxonomy(o: RouteObjects) -> list[dict]:
    from perhekeskus.hsds import taxonomy

    return [{"id": taxonomy.TAXONOMIES[taxonomy.PTV].id}]


def _hsds_term(o: RouteObjects) -> list[dict]:
    from perhekeskus.hsds import taxonomy

    return [{"id": taxonomy.ptv_terms()["P5.2"].id}]


# The Open Referral feed's detail routes take HSDS ids (perhekeskus/hsds/ids.py).
HSDS_ROUTE_KWARGS = {
    "hsds:service-detail": _hsds_ids("service", "service"),
    "hsds:service-at-location-detail": _hsds_ids("service_at_location", "service"),
    "hsds:organization-detail": _hsds_ids("organization", "organisation"),
    "hsds:taxonomy-detail": _hsds_taxonomy,
    "hsds:taxonomy-term-detail": _hsds_term,
}

# Route name → the keyword arguments to reverse it with (one dict per URL to fetch).
ROUTE_KWARGS: dict[str, Callable[[RouteObjects], list[dict]]] = {
    "services:by-id": lambda o: [{"pk": o.service.pk}],
    "services:detail": lambda o: [{"slug": o.service.slug}],
    "voice:report": lambda o: [
        {"kind": "service", "pk": o.service.pk},
        {"kind": "meeting-place", "pk": o.meeting_place.pk},
    ],
    "voice:report-thanks": lambda o: [{"kind": "service", "pk": o.service.pk}],
    "voice:feedback": lambda o: [{"pk": o.service.pk}],
    "partners:resolve-report": lambda o: [{"pk": 0}],
    "organisations:detail": lambda o: [{"slug": o.organisation.slug}],
    "organisations:area-detail": lambda o: [{"code": o.area.code}],
    "meetingplaces:detail": lambda o: [{"slug": o.meeting_place.slug}],
    "meetingplaces:calendar": lambda o: [{"slug": o.meeting_place.slug}],
    "sitemap-section": _sitemap_sections,
    "api:service-detail": lambda o: [{"pk": o.service.pk}],
    "api:organisation-detail": lambda o: [{"pk": o.organisation.pk}],
    "api:meetingplace-detail": lambda o: [{"pk": o.meeting_place.pk}],
    "api:activity-detail": lambda o: [{"pk": 0}],  # none in the set: the 404 answer is crawled
    "api:area-detail": lambda o: [{"code": o.area.code}],
    "api:municipality-detail": lambda o: [{"code": "091"}],
    "api:serviceclass-detail": lambda o: [{"code": "family-counselling"}],
    "api:lifesituation-detail": lambda o: [{"code": "baby"}],
    "api-docs-image": lambda o: [{"index": 0}],
    # An unknown invitation link: its "cannot be used" page.
    "invitation-accept": lambda o: [{"token": "no-such-invitation"}],
    "partners:checked": lambda o: [{"kind": "service", "pk": o.service.pk}],
    "contact:question": lambda o: [{"public_id": "00000000-0000-4000-8000-000000000000"}],
    "contact:close": lambda o: [{"public_id": "00000000-0000-4000-8000-000000000000"}],
    "contact:delete": lambda o: [{"public_id": "00000000-0000-4000-8000-000000000000"}],
    # The ask page answers 404 where nobody would receive the question (the factories' organisation has no one).
    "contact:ask": lambda o: [
        {"kind": "service", "slug": o.service.slug},
        {"kind": "meeting-place", "slug": o.meeting_place.slug},
        {"kind": "organisation", "slug": o.organisation.slug},
    ],
    "partners:create": lambda o: [{"kind": "service"}, {"kind": "meeting-place"}, {"kind": "activity"}],
    "partners:edit": lambda o: [
        {"kind": "service", "pk": o.service.pk},
        {"kind": "meeting-place", "pk": o.meeting_place.pk},
    ],
    "partners:delete": lambda o: [{"kind": "service", "pk": o.service.pk}],
    "partners:location-create": lambda o: [{"service_pk": o.service.pk}],
    "partners:location-edit": lambda o: [{"service_pk": o.service.pk, "pk": o.service.locations.first().pk}],
    **HSDS_ROUTE_KWARGS,
}

# Parameters whose value does not need a row (allauth's e-mail and password-reset keys: a wrong key is a page too).
GENERIC_KWARGS = {"key": "3-abc:def", "uidb36": "1"}


def _walk(patterns, namespace: str | None, prefix: str, localized: bool) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            is_locale = isinstance(entry.pattern, LocalePrefixPattern)
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(
                entry.url_patterns, inner, prefix + ("" if is_locale else str(entry.pattern)), localized or is_locale
            )
        elif isinstance(entry, URLPattern):
            # An unnamed pattern gets its namespace and an empty name ("admin:"): it cannot be reversed or crawled.
            name = f"{namespace}:{entry.name or ''}" if namespace else (entry.name or "")
            params = tuple(entry.pattern.regex.groupindex)
            yield Route(name=name, pattern=prefix + str(entry.pattern), localized=localized, params=params)


def all_routes() -> list[Route]:
    """Every named route of the URLconf, once per name (the first pattern wins, as in reverse())."""
    seen = {}
    for route in _walk(get_resolver().url_patterns, None, "", False):
        if not route.name.endswith(":") and route.name:
            seen.setdefault(route.name, route)
    return list(seen.values())


def unnamed_routes() -> list[Route]:
    """Patterns without a name outside the admin (whose catch-all is unnamed): a crawl would silently miss them."""
    return [
        route
        for route in _walk(get_resolver().url_patterns, None, "", False)
        if (not route.name or route.name.endswith(":")) and not route.name.startswith("admin:")
    ]


def public_routes() -> list[Route]:
    return [r for r in all_routes() if not r.name.startswith("admin:") or r.name in PUBLIC_ADMIN_ROUTES]


def route_kwargs(route: Route, objects: RouteObjects) -> list[dict]:
    if not route.params:
        return [{}]
    if route.name in ROUTE_KWARGS:
        return ROUTE_KWARGS[route.name](objects)
    if all(param in GENERIC_KWARGS for param in route.params):
        return [{param: GENERIC_KWARGS[param] for param in route.params}]
    raise UnfilledRoute(
        f"{route.name} ({route.pattern}): add its parameters {route.params} to tests.routes.ROUTE_KWARGS"
    )


def route_urls(language: str, objects: RouteObjects, routes: list[Route] | None = None) -> list[tuple[Route, str]]:
    """(route, URL) for every public route; localized routes in *language*, the others as they are."""
    urls = []
    with translation.override(language):
        for route in public_routes() if routes is None else routes:
            for kwargs in route_kwargs(route, objects):
                urls.append((route, reverse(route.name, kwargs=kwargs)))
    return urls
