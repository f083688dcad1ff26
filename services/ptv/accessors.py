"""How the importer and the admin read and write the collection "fields" of imported rows.

A service's classes, life situations, municipalities, phones, e-mails and links, an organisation's areas and a
location's hours are compared and stored as canonical lists of tuples (see provenance.py). Only rows that came from
PTV (``external_id`` set) belong to the collections; rows added by hand are never read or written here. During an
import, writes are deferred until the row itself is saved, and nothing is read from the database for new rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from organisations.models import Organisation, WellbeingArea

from ..models import (
    EmailAddress,
    Location,
    LocationException,
    LocationOpeningHours,
    PhoneNumber,
    Service,
    WebLink,
)
from .provenance import Accessor


def cached(obj, attr: str, load: Callable[[], list]) -> list:
    if not hasattr(obj, attr):
        setattr(obj, attr, load())
    return getattr(obj, attr)


def _codes(manager, key: str = "code") -> list[str]:
    return sorted(getattr(item, key) for item in manager.all())


def is_new(obj) -> bool:
    """Rows the importer is creating: nothing to read from the database yet."""
    return getattr(obj, "_ptv_new", False)


def _writer(write: Callable, defer: list | None) -> Callable:
    """Write now, or (during an import) after the row itself is saved."""
    if defer is None:
        return write
    return lambda values: defer.append(lambda: write(values))


def _m2m_accessor(obj, name: str, lookup: dict[str, int] | None, defer: list | None) -> Accessor:
    field = type(obj)._meta.get_field(name)
    through, model = field.remote_field.through, field.remote_field.model
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()

    def read():
        return [] if is_new(obj) else _codes(getattr(obj, name))

    def write(codes):
        ids = [lookup[c] for c in codes if c in lookup] if lookup is not None else None
        if ids is None:
            ids = list(model.objects.filter(code__in=codes).values_list("pk", flat=True))
        if not is_new(obj):
            through.objects.filter(**{source: obj}).delete()
        through.objects.bulk_create([through(**{f"{source}_id": obj.pk, f"{target}_id": pk}) for pk in ids])
        getattr(obj, "_prefetched_objects_cache", {}).pop(name, None)

    return Accessor(read=read, write=_writer(write, defer))


def service_accessors(service: Service, *, lookups: dict | None = None, defer: list | None = None) -> dict:
    lookups = lookups or {}

    def rows(attr, model, to_tuple, from_tuple):
        def load():
            if is_new(service):
                return []
            return list(model.objects.filter(service=service, external_id__isnull=False).order_by("order", "id"))

        def write(values):
            if not is_new(service):
                model.objects.filter(service=service, external_id__isnull=False).delete()
            created = model.objects.bulk_create(
                [from_tuple(service, order, value) for order, value in enumerate(values)]
            )
            setattr(service, attr, created)

        return Accessor(read=lambda: [to_tuple(r) for r in cached(service, attr, load)], write=_writer(write, defer))

    def locations():
        if is_new(service):
            return []
        return sorted(
            str(i) for i in service.locations.filter(external_id__isnull=False).values_list("external_id", flat=True)
        )

    return {
        "service_classes": _m2m_accessor(service, "service_classes", lookups.get("service_classes"), defer),
        "life_situations": _m2m_accessor(service, "life_situations", lookups.get("life_situations"), defer),
        "municipalities": _m2m_accessor(service, "municipalities", lookups.get("municipalities"), defer),
        "phones": rows("ptv_phones", PhoneNumber, *_contact_converters("number", PhoneNumber)),
        "emails": rows("ptv_emails", EmailAddress, *_contact_converters("address", EmailAddress)),
        "links": rows("ptv_links", WebLink, _link_tuple, _link_row),
        # Which PTV locations the service has: a location removed here stays removed (Importer._record_locations).
        "locations": Accessor(read=locations),
    }


def _contact_converters(field: str, model):
    """(to_tuple, from_tuple) for a service's PTV phones or e-mails: the value in *field*, a described text."""

    def to_tuple(row):
        return (
            getattr(row, field),
            row.description_fi or "",
            row.description_sv or "",
            row.description_en or "",
            str(row.external_id),
        )

    def from_tuple(service, order, value):
        text, fi, sv, en, channel = value
        return model(
            service=service,
            description=fi,
            description_fi=fi,
            description_sv=sv or None,
            description_en=en or None,
            order=order,
            external_id=channel,
            **{field: text},
        )

    return to_tuple, from_tuple


def _link_tuple(row):
    return (
        row.kind,
        row.url_fi or "",
        row.url_sv or "",
        row.url_en or "",
        row.title_fi or "",
        row.title_sv or "",
        row.title_en or "",
        str(row.external_id),
    )


def _link_row(service, order, value):
    kind, url_fi, url_sv, url_en, title_fi, title_sv, title_en, channel = value
    return WebLink(
        service=service,
        kind=kind,
        url=url_fi,
        url_fi=url_fi,
        url_sv=url_sv or None,
        url_en=url_en or None,
        title=title_fi,
        title_fi=title_fi,
        title_sv=title_sv or None,
        title_en=title_en or None,
        order=order,
        external_id=channel,
    )


def location_accessors(location: Location, *, defer: list | None = None) -> dict[str, Accessor]:
    def rule_tuple(r):
        return (
            r.weekday,
            f"{r.opens:%H:%M}",
            f"{r.closes:%H:%M}",
            r.over_midnight,
            r.valid_from.isoformat() if r.valid_from else None,
            r.valid_to.isoformat() if r.valid_to else None,
            r.by_appointment,
        )

    def exception_tuple(e):
        return (
            e.date.isoformat(),
            e.closed,
            f"{e.opens:%H:%M}" if e.opens else None,
            f"{e.closes:%H:%M}" if e.closes else None,
            e.reason_fi or "",
            e.reason_sv or "",
            e.reason_en or "",
        )

    def write_rules(values):
        if not is_new(location):
            location.opening_hours.all().delete()
        LocationOpeningHours.objects.bulk_create(
            LocationOpeningHours(
                location=location,
                weekday=weekday,
                opens=dt.time.fromisoformat(opens),
                closes=dt.time.fromisoformat(closes),
                over_midnight=over,
                valid_from=dt.date.fromisoformat(start) if start else None,
                valid_to=dt.date.fromisoformat(end) if end else None,
                by_appointment=booked,
            )
            for weekday, opens, closes, over, start, end, booked in values
        )

    def write_exceptions(values):
        if not is_new(location):
            location.exceptions.all().delete()
        LocationException.objects.bulk_create(
            LocationException(
                location=location,
                date=dt.date.fromisoformat(day),
                closed=closed,
                opens=dt.time.fromisoformat(opens) if opens else None,
                closes=dt.time.fromisoformat(closes) if closes else None,
                reason=fi,
                reason_fi=fi,
                reason_sv=sv or None,
                reason_en=en or None,
            )
            for day, closed, opens, closes, fi, sv, en in values
        )

    def read_rules():
        rules = [] if is_new(location) else (rule_tuple(r) for r in location.opening_hours.all())
        return sorted(rules, key=lambda r: (r[0], r[1], r[2], r[4] or "", r[5] or "", r[6]))

    def read_exceptions():
        exceptions = [] if is_new(location) else (exception_tuple(e) for e in location.exceptions.all())
        return sorted(exceptions, key=lambda e: (e[0], e[2] or ""))

    return {
        "opening_hours": Accessor(read=read_rules, write=_writer(write_rules, defer)),
        "exceptions": Accessor(read=read_exceptions, write=_writer(write_exceptions, defer)),
    }


def organisation_accessors(organisation: Organisation) -> dict[str, Accessor]:
    return {
        "areas": Accessor(
            read=lambda: _codes(organisation.areas),
            write=lambda codes: organisation.areas.set(WellbeingArea.objects.filter(code__in=codes)),
        )
    }


def accessors_for(obj) -> dict[str, Accessor]:
    if isinstance(obj, Service):
        return service_accessors(obj)
    if isinstance(obj, Location):
        return location_accessors(obj)
    if isinstance(obj, Organisation):
        return organisation_accessors(obj)
    return {}
