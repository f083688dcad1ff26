"""Apply a bundle of PTV objects to our models: idempotent upsert by PTV id, removals, mark-and-sweep.

- **Upsert by PTV id**: organisations by ``ptv_id`` (or, the first time, by business ID), services by
  ``external_id``, locations by (service, channel id). A PTV service location connected to two services becomes a
  location of each.
- **Provenance**: every imported field goes through ``provenance.reconcile``, so a coordinator's edit survives.
  A service's phones, e-mails and links from PTV (rows with ``external_id``, the channel they came from) and a
  location's hours are collection fields; rows added by hand have no ``external_id`` and are never touched.
- **Never half-done**: items are applied in batches, each batch in one transaction and each item in a savepoint: an
  item that fails is rolled back alone, logged and reported; the rest of the batch commits.
- **Removals**: ids in PTV's ``archived`` lists archive services and delete locations. A full pass also archives the
  scope's imported services that PTV no longer lists, unless that is more than ``PTV_SWEEP_MAX_SHARE`` of them: a
  half-empty answer is refused and reported, never applied.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from django.utils.text import slugify

from organisations.models import Municipality, Organisation, PostalCode
from organisations.validators import validate_business_id

from ..choices import PublicationState, Source
from ..models import (
    EmailAddress,
    LifeSituation,
    Location,
    PhoneNumber,
    Service,
    ServiceClass,
    WebLink,
)
from . import hours as ptv_hours
from . import mapping
from .accessors import (
    cached,
    is_new,
    location_accessors,
    organisation_accessors,
    service_accessors,
)
from .adapters import Bundle
from .provenance import canonical, reconcile

logger = logging.getLogger(__name__)

KINDS = ("organisations", "services", "locations")


@dataclass
class Scope:
    """What a run covers: a wellbeing area, a municipality, an organisation (PTV id) or everything."""

    kind: str = "all"
    code: str = ""

    def __str__(self):
        return f"{self.kind} {self.code}".strip()

    def services(self):
        services = Service.objects.filter(source=Source.PTV)
        if self.kind == "area":
            return services.filter(
                Q(municipalities__area__code=self.code) | Q(organisation__areas__code=self.code)
            ).distinct()
        if self.kind == "municipality":
            return services.filter(municipalities__code=self.code).distinct()
        if self.kind == "organisation":
            return services.filter(organisation__ptv_id=self.code)
        return services


@dataclass
class Summary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    archived: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    kept_local: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    sweep_refused: str = ""

    COUNTERS = ("created", "updated", "unchanged", "archived", "skipped", "kept_local")

    def counters(self) -> dict[str, Counter]:
        return {name: Counter(getattr(self, name)) for name in self.COUNTERS}

    def restore(self, counters: dict[str, Counter]) -> None:
        for name, counter in counters.items():
            setattr(self, name, counter)

    @property
    def changed_anything(self) -> bool:
        return any(sum(c.values()) for c in (self.created, self.updated, self.archived))

    @property
    def ok(self) -> bool:
        return not self.errors and not self.sweep_refused

    def lines(self) -> list[str]:
        lines = [
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged, {self.archived[kind]} archived"
            for kind in KINDS
        ]
        if self.kept_local:
            fields = ", ".join(f"{name} {count}" for name, count in sorted(self.kept_local.items()))
            lines.append(f"local edits kept: {fields}")
        lines += [f"skipped: {reason}: {count}" for reason, count in sorted(self.skipped.items())]
        if self.sweep_refused:
            lines.append(f"SWEEP REFUSED: {self.sweep_refused}")
        lines += [f"ERROR: {error}" for error in self.errors]
        return lines

    def as_dict(self) -> dict:
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "archived": dict(self.archived),
            "skipped": dict(self.skipped),
            "kept_local": dict(self.kept_local),
            "errors": list(self.errors),
            "sweep_refused": self.sweep_refused,
        }


class ItemSkipped(Exception):
    """An item that cannot be imported (the reason is counted, the run goes on)."""


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


# --- The importer ---


class Importer:
    def __init__(
        self,
        *,
        now: dt.datetime | None = None,
        batch_size: int | None = None,
        sweep_max_share: float | None = None,
        progress: Callable[[int, int], None] | None = None,
    ):
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.batch_size = batch_size or settings.PTV_BATCH_SIZE
        self.sweep_max_share = settings.PTV_SWEEP_MAX_SHARE if sweep_max_share is None else sweep_max_share
        self.progress = progress
        self.summary = Summary()

    # Reference data, loaded once per run.
    def _load_reference(self) -> None:
        self.municipalities = dict(Municipality.objects.values_list("code", "pk"))
        self.municipality_area = dict(Municipality.objects.values_list("code", "area__code"))
        self.area_municipalities: dict[str, list[str]] = {}
        for code, area in self.municipality_area.items():
            self.area_municipalities.setdefault(area, []).append(code)
        self.postal_codes = dict(PostalCode.objects.values_list("code", "municipality__code"))
        self.classes: dict[str, list[ServiceClass]] = {}
        for service_class in ServiceClass.objects.order_by("order", "code"):
            if service_class.ptv_code:
                self.classes.setdefault(service_class.ptv_code, []).append(service_class)
        self.life_events: dict[str, list[str]] = {}
        for code, uri in LifeSituation.objects.exclude(ptv_uri="").values_list("code", "ptv_uri"):
            self.life_events.setdefault(uri.rstrip("/").rsplit("/", 1)[-1], []).append(code)
        self.life_situation_codes = set(LifeSituation.objects.values_list("code", flat=True))
        self.lookups = {
            "service_classes": dict(ServiceClass.objects.values_list("code", "pk")),
            "life_situations": dict(LifeSituation.objects.values_list("code", "pk")),
            "municipalities": self.municipalities,
        }

    def run(self, bundle: Bundle, *, full: bool = False, scope: Scope | None = None, force_sweep: bool = False):
        """Apply the bundle; with *full*, archive the scope's imported services that the bundle no longer has."""
        scope = scope or Scope()
        with translation.override("fi"):
            self._load_reference()
            total = len(bundle.organisations) + len(bundle.services)
            self._done, self._total = 0, total
            self._batches(list(bundle.organisations.values()), self._organisation, "organisations")
            self.organisations = {
                str(ptv_id): pk
                for ptv_id, pk in Organisation.objects.filter(ptv_id__isnull=False).values_list("ptv_id", "pk")
            }
            self.bundle = bundle
            self._batches(list(bundle.services.values()), self._service, "services")
            if bundle.archived:
                self._archive(bundle.archived)
            if full:
                self._sweep(bundle, scope, force=force_sweep)
        return self.summary

    def _tick(self) -> None:
        self._done += 1
        if self.progress:
            self.progress(self._done, self._total)

    def _batches(self, items: list[dict], apply: Callable, kind: str) -> None:
        for start in range(0, len(items), self.batch_size):
            batch = items[start : start + self.batch_size]
            try:
                with transaction.atomic():
                    existing = self._existing(kind, batch)
                    for item in batch:
                        self._apply_one(apply, item, existing, kind)
                        self._tick()
            except DatabaseError as error:  # the whole batch rolled back (e.g. the connection broke)
                logger.exception("PTV import: %s batch from %s failed", kind, start)
                self.summary.errors.append(f"{kind} batch {start // self.batch_size + 1} rolled back: {error}")

    def _apply_one(self, apply: Callable, item: dict, existing: dict, kind: str) -> None:
        content_id = item.get("contentId")
        counts = self.summary.counters()
        try:
            with transaction.atomic():
                apply(item, existing.get(str(content_id)))
        except ItemSkipped as reason:
            self.summary.restore(counts)
            self.summary.skipped[f"{kind}: {reason}"] += 1
        except (ValidationError, DatabaseError, ValueError, KeyError, TypeError) as error:
            # The savepoint rolled the item back: its counts go too, so the summary tells what was committed.
            self.summary.restore(counts)
            logger.warning("PTV import: %s %s failed: %s", kind, content_id, error, exc_info=True)
            self.summary.errors.append(f"{kind} {content_id}: {type(error).__name__}: {error}")

    def _existing(self, kind: str, batch: list[dict]) -> dict:
        ids = [i for i in (_uuid(item.get("contentId")) for item in batch) if i]
        if kind == "organisations":
            found = Organisation.objects.filter(ptv_id__in=ids).prefetch_related("areas")
            return {str(o.ptv_id): o for o in found}
        found = Service.objects.filter(external_id__in=ids).prefetch_related(
            "service_classes",
            "life_situations",
            "municipalities",
            Prefetch("phones", PhoneNumber.objects.filter(external_id__isnull=False), to_attr="ptv_phones"),
            Prefetch("emails", EmailAddress.objects.filter(external_id__isnull=False), to_attr="ptv_emails"),
            Prefetch("links", WebLink.objects.filter(external_id__isnull=False), to_attr="ptv_links"),
            Prefetch(
                "locations",
                Location.objects.filter(external_id__isnull=False).prefetch_related("opening_hours", "exceptions"),
                to_attr="ptv_locations",
            ),
        )
        return {str(s.external_id): s for s in found}

    # --- Organisations ---

    def _organisation(self, item: dict, organisation: Organisation | None) -> None:
        ptv_id = _uuid(item.get("contentId"))
        if ptv_id is None:
            raise ItemSkipped("no valid PTV id")
        skipped = self.summary.skipped
        mapping.count_languages(item, skipped)
        fields = mapping.translated(item, "name", "name", 200, skipped, required=True)
        if not fields["name_fi"]:
            raise ItemSkipped("organisation without a name")
        fields |= mapping.translated(item, "description", "description", None, skipped)
        fields["kind"] = mapping.organisation_kind(item, fields["name_fi"])
        fields |= self._organisation_contacts(item, organisation)
        area = item.get("area") or {}
        municipality_codes = [c for c in area.get("municipalities") or [] if c in self.municipalities]
        area_codes = {c for c in area.get("wellbeingServicesCounties") or [] if c in self.area_municipalities}
        area_codes |= {self.municipality_area[c] for c in municipality_codes}
        if item.get("organizationType") == "Municipality" and municipality_codes:
            fields["municipality_id"] = self.municipalities[municipality_codes[0]]
        created = organisation is None
        if created:
            organisation = self._match_organisation(ptv_id, fields)
            created = organisation.pk is None
        scalars = {k: v for k, v in fields.items() if k not in ("name", "description")}
        outcome = reconcile(organisation, scalars, now=self.now)
        if outcome.changed or outcome.record_changed or created:
            organisation.name = organisation.name_fi
            organisation.full_clean(exclude=["slug", "logo"], validate_unique=False, validate_constraints=False)
            organisation.save()
        collections = reconcile(
            organisation, {"areas": sorted(area_codes)}, now=self.now, accessors=organisation_accessors(organisation)
        )
        if collections.record_changed:
            Organisation.objects.filter(pk=organisation.pk).update(ptv_fields=organisation.ptv_fields)
        self._count("organisations", created, outcome, collections)

    def _match_organisation(self, ptv_id: uuid.UUID, fields: dict) -> Organisation:
        """The organisation to link: one with this business ID that has no PTV id yet, else a new one."""
        if fields.get("business_id"):
            match = Organisation.objects.filter(business_id=fields["business_id"], ptv_id__isnull=True).first()
            if match:
                match.ptv_id = ptv_id
                return match
        slug = f"{slugify(fields['name_fi'])[:180]}-{str(ptv_id)[:8]}"
        return Organisation(ptv_id=ptv_id, slug=slug, name=fields["name_fi"], kind=fields["kind"])

    def _organisation_contacts(self, item: dict, organisation: Organisation | None) -> dict:
        skipped = self.summary.skipped
        business_id = (item.get("businessId") or "").strip()
        if business_id:
            try:
                validate_business_id(business_id)
            except ValidationError:
                skipped["organisations: business ID that does not validate"] += 1
                business_id = ""
        if business_id:
            taken = Organisation.objects.filter(business_id=business_id)
            if organisation is not None:
                taken = taken.exclude(pk=organisation.pk)
            if taken.filter(ptv_id__isnull=False).exists():
                skipped["organisations: business ID already used by another organisation"] += 1
                business_id = ""
        data = mapping.version(item, "fi") or mapping.version(item, "sv")
        website = next((p.get("url") for p in data.get("contactWebPages") or [] if mapping.is_http(p.get("url"))), "")
        email = next((e.get("email") for e in data.get("contactEmails") or [] if "@" in (e.get("email") or "")), "")
        phone = next((n for n in map(mapping.phone_number, data.get("contactPhoneNumbers") or []) if n), "")
        return {"business_id": business_id, "website": website[:200], "email": email[:254], "phone": phone}

    # --- Services ---

    def _service_fields(self, item: dict) -> dict:
        skipped = self.summary.skipped
        mapping.count_languages(item, skipped)
        fields = mapping.translated(item, "name", "name", 200, skipped, required=True)
        if not fields["name_fi"]:
            raise ItemSkipped("service without a name")
        fields |= mapping.translated(item, "summary", "summary", 300, skipped)
        fields |= mapping.translated(item, "description", "description", None, skipped)
        fields |= mapping.translated(item, "userInstructions", "access_info", None, skipped)
        fields |= mapping.translated(item, "chargeTypeAdditionalInformation", "cost_info", 300, skipped)
        for lang in mapping.LANGUAGES:
            words = mapping.version(item, lang).get("freelyAssignedKeywords") or []
            fields[f"keywords_{lang}"] = ", ".join(mapping.clean_text(w, 100) for w in words if w)[:500]
        cost = mapping.chargeable(item)
        if cost:
            fields["cost"] = cost
        fields["languages"] = mapping.service_languages(item, skipped)
        fields["state"] = PublicationState.PUBLISHED
        return {
            k: v for k, v in fields.items() if k not in ("name", "summary", "description", "access_info", "cost_info")
        }

    def _service_classes(self, item: dict, name_fi: str) -> list[str]:
        codes = []
        for code in item.get("serviceClasses") or []:
            candidates = next((self.classes[c] for c in mapping.parents(str(code)) if c in self.classes), None)
            if not candidates:
                self.summary.skipped[f"unknown service class {code}"] += 1
                logger.info("PTV import: unknown service class %s", code)
                continue
            # Several of our classes share a PTV class (P5.2 is every clinic): pick the one named in the service.
            name = name_fi.lower()
            chosen = next((c for c in candidates if c.name_fi and c.name_fi.split()[0].lower() in name), candidates[0])
            codes.append(chosen.code)
        return sorted(set(codes))

    def _life_situations(self, item: dict) -> list[str]:
        codes = set()
        for code in item.get("lifeEvents") or []:
            found = next((self.life_events[c] for c in mapping.parents(str(code)) if c in self.life_events), None)
            if found:
                codes.update(found)
            else:
                self.summary.skipped[f"unknown life event {code}"] += 1
        for code in item.get("targetGroups") or []:
            if code not in mapping.TARGET_GROUPS:
                self.summary.skipped[f"unmapped target group {code}"] += 1
            elif mapping.TARGET_GROUPS[code] in self.life_situation_codes:
                codes.add(mapping.TARGET_GROUPS[code])
        return sorted(codes)

    def _service_municipalities(self, item: dict) -> list[str]:
        area = item.get("area") or {}
        codes = {c for c in area.get("municipalities") or [] if c in self.municipalities}
        for county in area.get("wellbeingServicesCounties") or []:
            codes.update(self.area_municipalities.get(county, []))
        unknown = [c for c in area.get("municipalities") or [] if c not in self.municipalities]
        if unknown:
            self.summary.skipped["unknown municipality code"] += len(unknown)
        return sorted(codes)

    def _service(self, item: dict, service: Service | None) -> None:
        external_id = _uuid(item.get("contentId"))
        if external_id is None:
            raise ItemSkipped("no valid PTV id")
        organisation_id = self.organisations.get(str(item.get("organizationContentId")))
        if organisation_id is None:
            raise ItemSkipped("its organisation is not imported")
        fields = self._service_fields(item)
        created, moved = service is None, False
        if created:
            slug = f"{slugify(fields['name_fi'])[:200]}-{str(external_id)[:8]}"
            service = Service(source=Source.PTV, external_id=external_id, slug=slug, organisation_id=organisation_id)
            service._ptv_new = True
        elif service.organisation_id != organisation_id:
            service.organisation_id, moved = organisation_id, True
        fields |= {
            "service_classes": self._service_classes(item, fields["name_fi"]),
            "life_situations": self._life_situations(item),
            "municipalities": self._service_municipalities(item),
        }
        channels = self._connected_channels(item)
        locations = None
        if channels is not None:
            fields |= self._contacts(channels)
            locations = self._prepare_locations(service, channels, fields["municipalities"])
        pending: list[Callable] = []
        outcome = reconcile(
            service, fields, now=self.now, accessors=service_accessors(service, lookups=self.lookups, defer=pending)
        )
        if locations is not None:
            self._record_locations(service, locations)
        if created or moved or outcome.changed or outcome.record_changed or service.ptv_fields != outcome.before:
            service.name = service.name_fi
            service.save()
        for write in pending:
            write()
        locations_changed = self._apply_locations(service, locations) if locations is not None else False
        service._ptv_new = False
        self._count("services", created, outcome, extra_change=moved or locations_changed)

    def _connected_channels(self, item: dict) -> list[dict] | None:
        """The service's channels when PTV's whole list is known and at hand, else None (leave them as they are)."""
        channel_ids = self.bundle.channels_of(item["contentId"])
        if channel_ids is None:
            return None
        channels = [self.bundle.channels[c] for c in channel_ids if c in self.bundle.channels]
        if len(channels) < len(channel_ids):
            self.summary.skipped["services: a connected channel is missing; contacts and locations kept"] += 1
            return None
        return channels

    def _contacts(self, channels: list[dict]) -> dict:
        phones, emails, links, seen = [], [], [], set()
        for channel in channels:
            if channel.get("serviceChannelType") == "PrintableForm":
                continue
            channel_phones, channel_emails, channel_links = mapping.channel_contacts(channel, self.summary.skipped)
            for phone in channel_phones:
                if ("phone", phone[0]) not in seen:
                    seen.add(("phone", phone[0]))
                    phones.append(phone)
            for email in channel_emails:
                if ("email", email[0].lower()) not in seen:
                    seen.add(("email", email[0].lower()))
                    emails.append(email)
            for link in channel_links:
                if ("link", link[1]) not in seen:
                    seen.add(("link", link[1]))
                    links.append(link)
        return {"phones": phones, "emails": emails, "links": links}

    # --- Locations ---

    def _prepare_locations(self, service: Service, channels: list[dict], municipalities: list[str]) -> list[tuple]:
        """(channel, fields, schedule) for each service location PTV connects that we can import."""
        prepared = []
        for channel in channels:
            if channel.get("serviceChannelType") != "ServiceLocation":
                continue
            try:
                prepared.append((channel, *self._location_fields(channel, municipalities)))
            except ItemSkipped as reason:
                self.summary.skipped[f"locations: {reason}"] += 1
        return prepared

    def _existing_locations(self, service: Service) -> dict[str, Location]:
        if is_new(service):
            return {}
        found = cached(
            service,
            "ptv_locations",
            lambda: list(
                Location.objects.filter(service=service, external_id__isnull=False).prefetch_related(
                    "opening_hours", "exceptions"
                )
            ),
        )
        return {str(loc.external_id): loc for loc in found}

    def _record_locations(self, service: Service, prepared: list[tuple]) -> None:
        """The set of locations is itself a field: record PTV's set (a coordinator who removed one keeps it removed)."""
        wanted = sorted(channel["contentId"] for channel, _fields, _schedule in prepared)
        record = service.ptv_fields.get("locations")
        current = sorted(self._existing_locations(service))
        service._ptv_locations_follow = record is None or current == record["value"]
        if record is None or record["value"] != wanted:
            stamp = self.now.isoformat(timespec="seconds")
            service.ptv_fields = {**service.ptv_fields, "locations": {"value": wanted, "imported_at": stamp}}

    def _apply_locations(self, service: Service, prepared: list[tuple]) -> bool:
        """Create and update the service's PTV locations, remove those PTV dropped; True when anything changed."""
        existing = self._existing_locations(service)
        changed = False
        for channel, fields, schedule in prepared:
            changed |= self._location(service, channel, existing.get(channel["contentId"]), fields, schedule)
        if service._ptv_locations_follow:
            wanted = {channel["contentId"] for channel, _f, _s in prepared}
            for key, location in existing.items():
                if key not in wanted:
                    location.delete()
                    self.summary.archived["locations"] += 1
                    changed = True
        return changed

    def _location_fields(self, channel: dict, service_municipalities: list[str]) -> tuple[dict, ptv_hours.HoursResult]:
        skipped = self.summary.skipped
        address = next(iter((channel.get("location") or {}).get("streetAddresses") or []), None)
        if not address:
            raise ItemSkipped("service location without a street address")
        postal_code = str(address.get("postalCode") or "").strip()
        if not (len(postal_code) == 5 and postal_code.isdigit()):
            raise ItemSkipped("service location without a postal code")
        municipality = address.get("municipality") or self.postal_codes.get(postal_code)
        area = channel.get("area") or {}
        if municipality not in self.municipalities:
            candidates = [c for c in area.get("municipalities") or [] if c in self.municipalities]
            candidates = candidates or service_municipalities
            municipality = candidates[0] if len(candidates) == 1 else None
        if municipality is None:
            raise ItemSkipped("service location without a known municipality")
        fields = mapping.translated(channel, "name", "name", 200, skipped, required=True)
        street = address.get("streetName") or {}
        detail = str(address.get("addressDetail") or "").strip()
        for lang in mapping.LANGUAGES:
            name = mapping.clean_text(street.get(lang), 180)
            fields[f"street_address_{lang}"] = f"{name} {detail}".strip() if name else ""
        if not fields["street_address_fi"]:
            fields["street_address_fi"] = fields["street_address_sv"] or fields["street_address_en"]
        if not fields["street_address_fi"]:
            raise ItemSkipped("service location without a street name")
        if not fields["name_fi"]:
            fields["name_fi"] = fields["street_address_fi"]
        mapping.count_languages(channel, skipped)
        info = address.get("additionalInformation") or {}
        for lang in mapping.LANGUAGES:
            fields[f"directions_{lang}"] = mapping.clean_text(info.get(lang))
        latitude, longitude = mapping.wgs84(address.get("coordinates"), skipped)
        fields |= {
            "postal_code": postal_code,
            "municipality_id": self.municipalities[municipality],
            "latitude": latitude,
            "longitude": longitude,
        }
        del fields["name"]
        schedule = ptv_hours.convert(channel.get("serviceHours"), today=self.today)
        for reason, count in schedule.skipped.items():
            skipped[f"hours: {reason}"] += count
        return fields, schedule

    def _location(self, service, channel: dict, location: Location | None, fields: dict, schedule) -> bool:
        created = location is None
        if created:
            location = Location(service=service, external_id=_uuid(channel["contentId"]))
            location._ptv_new = True
        pending: list[Callable] = []
        outcome = reconcile(
            location,
            {**fields, "opening_hours": schedule.rules, "exceptions": schedule.exceptions},
            now=self.now,
            accessors=location_accessors(location, defer=pending),
        )
        if created or outcome.changed or outcome.record_changed:
            location.name = location.name_fi
            location.street_address = location.street_address_fi
            location.save()
        for write in pending:
            write()
        location._ptv_new = False
        self._count("locations", created, outcome)
        return created or bool(outcome.changed)

    # --- Counting, removals, sweep ---

    def _count(self, kind: str, created, *outcomes, extra_change: bool = False) -> None:
        for outcome in outcomes:
            for name in outcome.kept_local:
                self.summary.kept_local[f"{kind}.{name}"] += 1
        if created:
            self.summary.created[kind] += 1
        elif extra_change or any(o.changed or o.record_changed for o in outcomes):
            self.summary.updated[kind] += 1
        else:
            self.summary.unchanged[kind] += 1

    def _archive_services(self, services) -> int:
        count = 0
        stamp = self.now.isoformat(timespec="seconds")
        for service in services.exclude(state=PublicationState.ARCHIVED):
            service.state = PublicationState.ARCHIVED
            # Archived by PTV, not by hand: recorded as PTV's value so that a later return is applied.
            service.ptv_fields["state"] = {"value": PublicationState.ARCHIVED, "imported_at": stamp}
            service.save(update_fields=["state", "ptv_fields", "updated_at"])
            count += 1
        return count

    def _archive(self, ids: set[str]) -> None:
        uuids = [u for u in map(_uuid, ids) if u]
        with transaction.atomic():
            services = Service.objects.filter(source=Source.PTV, external_id__in=uuids)
            if count := self._archive_services(services):
                self.summary.archived["services"] += count
            locations = Location.objects.filter(external_id__in=uuids).select_related("service")
            for location in locations:
                service = location.service
                record = service.ptv_fields.get("locations")
                if record and str(location.external_id) in record["value"]:
                    record["value"] = [v for v in record["value"] if v != str(location.external_id)]
                    Service.objects.filter(pk=service.pk).update(ptv_fields=service.ptv_fields)
                location.delete()
                self.summary.archived["locations"] += 1
            self._drop_channel_contacts(uuids)

    def _drop_channel_contacts(self, uuids: list[uuid.UUID]) -> None:
        """Remove contacts that came from archived channels, and from the provenance records with them."""
        removed = {str(u) for u in uuids}
        affected = set()
        for model in (PhoneNumber, EmailAddress, WebLink):
            rows = model.objects.filter(external_id__in=uuids)
            affected.update(rows.values_list("service_id", flat=True))
            rows.delete()
        for service in Service.objects.filter(pk__in=affected):
            for name in ("phones", "emails", "links"):
                entry = service.ptv_fields.get(name)
                if entry:
                    entry["value"] = [v for v in entry["value"] if v[-1] not in removed]
            Service.objects.filter(pk=service.pk).update(ptv_fields=canonical(service.ptv_fields))

    def _sweep(self, bundle: Bundle, scope: Scope, *, force: bool) -> None:
        in_scope = scope.services().exclude(state=PublicationState.ARCHIVED)
        existing = in_scope.count()
        seen = [u for u in map(_uuid, bundle.services) if u]
        stale = in_scope.exclude(external_id__in=seen)
        count = stale.count()
        if not count:
            return
        share = count / existing
        if share > self.sweep_max_share and not force:
            self.summary.sweep_refused = (
                f"{count} of {existing} imported services in {scope} are missing from PTV's answer "
                f"({share:.0%} > {self.sweep_max_share:.0%}); nothing archived. Check the answer, or use --force-sweep."
            )
            logger.error("PTV import: %s", self.summary.sweep_refused)
            return
        with transaction.atomic():
            self.summary.archived["services"] += self._archive_services(
                Service.objects.filter(pk__in=list(stale.values_list("pk", flat=True)))
            )
