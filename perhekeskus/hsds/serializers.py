"""Our rows as HSDS 3.0 objects (PROFILE.md says which field comes from where).

Plain functions from model instances to dicts: the feed has its own field names and nesting, shared
with nothing else. Translated fields are read in the active language (the view activates the feed's
``lang``), so modeltranslation's fallback to Finnish applies, as on the pages. Empty values are left
out rather than sent as "" or null (HSDS types have no null).
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from organisations.models import Organisation
from services.choices import Access, Cost, Language, Weekday
from services.models import Location, Service

from . import taxonomy
from .ids import derived_id, row_id

DAY_CODES = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
NATIONWIDE = {"fi": "Koko Suomi", "sv": "Hela Finland", "en": "All of Finland"}


def _clean(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None and value != "" and value != []}


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _datetime(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _joined(*texts: str) -> str:
    return "\n\n".join(text.strip() for text in texts if text and text.strip())


# --- Organisations ---


def organization_basic(organisation: Organisation, request) -> dict:
    # HSDS requires a description; an organisation without one sends "".
    return {
        "id": row_id("organization", organisation.pk),
        "name": organisation.name,
        "description": organisation.description or "",
    } | _clean(
        {
            "email": organisation.email,
            "website": organisation.website,
            "tax_id": organisation.business_id,
            "legal_status": str(organisation.get_kind_display()),
            "logo": _absolute(request, organisation.logo.url) if organisation.logo else None,
            "uri": _absolute(request, organisation.get_absolute_url()),
        }
    )


def organization_full(organisation: Organisation, request, services: list[Service]) -> dict:
    data = organization_basic(organisation, request)
    org_id = data["id"]
    if organisation.phone:
        data["phones"] = [
            {
                "id": derived_id("organization", organisation.pk, "phone"),
                "organization_id": org_id,
                "number": organisation.phone,
                "type": "voice",
            }
        ]
    if organisation.business_id:
        data["organization_identifiers"] = [
            {
                "id": derived_id("organization", organisation.pk, "business_id"),
                "organization_id": org_id,
                # org-id.guide's code for the Finnish Trade Register, which issues the business ID.
                "identifier_scheme": "FI-PRO",
                "identifier_type": "Y-tunnus / FO-nummer (business ID)",
                "identifier": organisation.business_id,
            }
        ]
    data["services"] = [service_basic(service, request, with_organization=False) for service in services]
    return data


# --- Services ---


def _service_url(service: Service, request) -> str:
    """The service's own web page if it has one, else its page on this site."""
    for link in service.links.all():
        if link.kind == "web_page" and link.url:
            return link.url
    return _absolute(request, service.get_absolute_url())


def _application_process(service: Service) -> str:
    ways = [str(label) for value, label in Access.choices if value in service.access]
    return _joined(", ".join(ways), service.access_info)


def service_basic(service: Service, request, *, with_organization: bool = True) -> dict:
    """The one-to-one fields of a service (the contents of /services and of nested lists)."""
    emails = list(service.emails.all())
    data = _clean(
        {
            "id": row_id("service", service.pk),
            "organization_id": row_id("organization", service.organisation_id),
            "name": service.name,
            "description": _joined(service.summary, service.description),
            "url": _service_url(service, request),
            "email": emails[0].address if emails else None,
            "status": "active",
            "application_process": _application_process(service),
            "fees_description": _joined(str(Cost(service.cost).label), service.cost_info),
            "minimum_age": service.age_min,
            "maximum_age": service.age_max,
            "assured_date": timezone.localdate(service.reviewed_at).isoformat() if service.reviewed_at else None,
            "last_modified": _datetime(service.updated_at),
        }
    )
    if with_organization:
        data["organization"] = organization_basic(service.organisation, request)
    return data


def _languages(service: Service) -> list[dict]:
    labels = dict(Language.choices)
    return [
        {
            "id": derived_id("service", service.pk, "language", code),
            "service_id": row_id("service", service.pk),
            "name": str(labels.get(code, code)),
            "code": code,
        }
        for code in service.languages
    ]


def _phones(service: Service) -> list[dict]:
    return [
        _clean(
            {
                "id": derived_id("phone", phone.pk),
                "service_id": row_id("service", service.pk),
                "number": phone.number,
                "type": "voice",
                "description": phone.description,
            }
        )
        for phone in service.phones.all()
    ]


def _contacts(service: Service) -> list[dict]:
    return [
        _clean(
            {
                "id": derived_id("email", email.pk),
                "service_id": row_id("service", service.pk),
                "name": email.description,
                "email": email.address,
            }
        )
        for email in service.emails.all()
    ]


def _cost_options(service: Service) -> list[dict]:
    option = _clean(
        {
            "id": derived_id("service", service.pk, "cost"),
            "service_id": row_id("service", service.pk),
            "option": str(Cost(service.cost).label),
            "amount_description": service.cost_info,
        }
    )
    if service.cost == Cost.FREE:
        option |= {"amount": 0, "currency": "EUR"}
    return [option]


def _service_areas(service: Service) -> list[dict]:
    """The municipalities it names, else its organisation's wellbeing areas, else the whole country."""
    service_id = row_id("service", service.pk)
    municipalities = sorted(service.municipalities.all(), key=lambda m: m.code)
    if municipalities:
        return [
            {
                "id": derived_id("service", service.pk, "area", "municipality", m.code),
                "service_id": service_id,
                "name": m.name,
                "extent_type": "text",
                "extent": m.name,
                "uri": f"http://uri.suomi.fi/codelist/jhs/kunta_1_20240101/code/{m.code}",
            }
            for m in municipalities
        ]
    areas = sorted(service.organisation.areas.all(), key=lambda a: a.code)
    if areas:
        return [
            {
                "id": derived_id("service", service.pk, "area", "wellbeing_area", a.code),
                "service_id": service_id,
                "name": a.name,
                "extent_type": "text",
                "extent": a.name,
            }
            for a in areas
        ]
    name = taxonomy.text(NATIONWIDE, service_language())
    return [
        {
            "id": derived_id("service", service.pk, "area", "nationwide"),
            "service_id": service_id,
            "name": name,
            "extent_type": "text",
            "extent": name,
        }
    ]


def service_language() -> str:
    language = (get_language() or "fi")[:2]
    return language if language in ("fi", "sv", "en") else "fi"


def _attributes(service: Service) -> list[dict]:
    service_id = row_id("service", service.pk)
    lang = service_language()
    return [
        {
            "id": derived_id("service", service.pk, "attribute", term.taxonomy.code, term.code),
            "link_id": service_id,
            "link_type": term.taxonomy.code,
            "link_entity": "service",
            "taxonomy_term_id": term.id,
            "taxonomy_term": taxonomy_term(term, lang),
        }
        for term in taxonomy.terms_of_service(service)
    ]


def service_full(service: Service, request) -> dict:
    """/services/{id}: the service with everything around it (prefetched by views.SERVICE_PREFETCH)."""
    data = service_basic(service, request)
    data["organization"] = organization_basic(service.organisation, request)
    data |= _clean(
        {
            "phones": _phones(service),
            "contacts": _contacts(service),
            "languages": _languages(service),
            "service_areas": _service_areas(service),
            "cost_options": _cost_options(service),
            "attributes": _attributes(service),
            "service_at_locations": [
                service_at_location_full(location, request, with_service=False) for location in service.locations.all()
            ],
        }
    )
    return data


# --- Locations ---


def _address(location: Location) -> dict:
    return {
        "id": derived_id("location", location.pk, "address"),
        "location_id": row_id("location", location.pk),
        "address_1": location.street_address,
        "city": location.municipality.name,
        # Finland has no states; the wellbeing area is the region that organises the services.
        "state_province": location.municipality.area.name,
        "postal_code": location.postal_code,
        "country": "FI",
        "address_type": "physical",
    }


def _accessibility(location: Location) -> list[dict]:
    facts = location.accessibility_facts
    if not facts and not location.accessibility_info:
        return []
    description = "; ".join(f"{label}: {gettext('Yes') if value else gettext('No')}" for label, value in facts)
    return [
        _clean(
            {
                "id": derived_id("location", location.pk, "accessibility"),
                "location_id": row_id("location", location.pk),
                "description": description or location.accessibility_info,
                "details": location.accessibility_info if description else "",
            }
        )
    ]


def location_basic(location: Location) -> dict:
    return _clean(
        {
            "id": row_id("location", location.pk),
            "location_type": "physical",
            "organization_id": row_id("organization", location.service.organisation_id),
            "name": location.name,
            "description": location.directions,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )


def location_full(location: Location) -> dict:
    return location_basic(location) | _clean(
        {"addresses": [_address(location)], "accessibility": _accessibility(location)}
    )


def _schedules(location: Location) -> list[dict]:
    """Weekly hours grouped by identical times (byday "MO,TU,…"), then the exceptional dates ahead."""
    sal_id = row_id("service_at_location", location.pk)
    schedules = []

    def times(rule):
        return (rule.opens, rule.closes, rule.over_midnight, rule.valid_from, rule.valid_to)

    def order(rule):
        return (
            rule.opens,
            rule.closes,
            rule.over_midnight,
            rule.valid_from or dt.date.min,
            rule.valid_to or dt.date.max,
        )

    rules = sorted(location.opening_hours.all(), key=lambda rule: (order(rule), rule.weekday))
    for (opens, closes, _over_midnight, valid_from, valid_to), group in groupby(rules, key=times):
        days = sorted({rule.weekday for rule in group})
        schedules.append(
            _clean(
                {
                    "id": derived_id(
                        "location",
                        location.pk,
                        "weekly",
                        *(DAY_CODES[d] for d in days),
                        opens,
                        closes,
                        valid_from,
                        valid_to,
                    ),
                    "service_at_location_id": sal_id,
                    "freq": "WEEKLY",
                    "wkst": "MO",
                    "byday": ",".join(DAY_CODES[d] for d in days),
                    "opens_at": f"{opens:%H:%M}",
                    "closes_at": f"{closes:%H:%M}",
                    "valid_from": valid_from.isoformat() if valid_from else None,
                    "valid_to": valid_to.isoformat() if valid_to else None,
                    "description": ", ".join(str(Weekday(d).label) for d in days) + f" {opens:%H:%M}–{closes:%H:%M}",
                }
            )
        )
    for exception in location.exceptions.all():
        day = exception.date.isoformat()
        schedules.append(
            _clean(
                {
                    "id": derived_id("location_exception", exception.pk),
                    "service_at_location_id": sal_id,
                    "valid_from": day,
                    "valid_to": day,
                    "dtstart": day,
                    "opens_at": None if exception.closed else f"{exception.opens:%H:%M}",
                    "closes_at": None if exception.closed else f"{exception.closes:%H:%M}",
                    "description": str(exception),
                    "notes": exception.reason,
                }
            )
        )
    return schedules


def service_at_location_basic(location: Location, request) -> dict:
    return {
        "id": row_id("service_at_location", location.pk),
        "service_id": row_id("service", location.service_id),
        "location_id": row_id("location", location.pk),
        "location": location_basic(location),
        "service": service_basic(location.service, request),
    }


def service_at_location_full(location: Location, request, *, with_service: bool = True) -> dict:
    data = {
        "id": row_id("service_at_location", location.pk),
        "service_id": row_id("service", location.service_id),
        "location_id": row_id("location", location.pk),
        "location": location_full(location),
    }
    data |= _clean({"schedules": _schedules(location)})
    if with_service:
        data["service"] = service_basic(location.service, request) | _clean(
            {
                "phones": _phones(location.service),
                "languages": _languages(location.service),
                "attributes": _attributes(location.service),
            }
        )
    return data


# --- Taxonomies ---


def taxonomy_object(tax: taxonomy.Taxonomy, lang: str) -> dict:
    return _clean(
        {
            "id": tax.id,
            "name": taxonomy.text(tax.name, lang),
            "description": taxonomy.text(tax.description, lang),
            "uri": tax.uri,
            "version": tax.version,
        }
    )


def taxonomy_term(term: taxonomy.Term, lang: str) -> dict:
    name = taxonomy.text(term.name, lang)
    return _clean(
        {
            "id": term.id,
            "code": term.code,
            "name": name,
            "description": taxonomy.text(term.description, lang) or name,
            "parent_id": term.parent_id,
            "taxonomy": term.taxonomy.code,
            "taxonomy_id": term.taxonomy.id,
            "taxonomy_detail": taxonomy_object(term.taxonomy, lang),
            "language": lang,
            "term_uri": term.uri,
        }
    )


def reverse_absolute(request, name: str) -> str:
    return request.build_absolute_uri(reverse(name))
