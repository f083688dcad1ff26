"""Build the national demo dataset with bulk inserts, one wellbeing area at a time.

Everything random comes from ``random.Random`` seeded with the --seed and a fixed key, so the same
options give the same rows. Demo organisations are recognised by their business ids (prefix
``DEMO_BUSINESS_ID_PREFIX``, a range the Finnish register has not issued) together with a website under
example.org; only those are deleted when the data is replaced.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.text import slugify

from meetingplaces.models import (
    Activity,
    ActivityDate,
    MeetingPlace,
    MeetingPlaceException,
    MeetingPlaceOpeningHours,
)
from organisations.models import LinkCheck, Municipality, Organisation, PostalCode, WellbeingArea
from organisations.validators import business_id_check_digit
from services.models import (
    EmailAddress,
    LifeSituation,
    Location,
    LocationException,
    LocationOpeningHours,
    PhoneNumber,
    Service,
    ServiceClass,
    ServiceFacetRow,
    WebLink,
)
from services.search.vocabulary import refresh_vocabulary

from . import catalogue as cat
from .facts import (
    BASE_DISTRICTS,
    BASE_DISTRICTS_OTHER_BIG,
    BASE_DISTRICTS_TOWN,
    DISTRICTS,
    REGIONS,
    SAMI_HOMELAND,
    STREETS,
    District,
    holidays,
    municipality_centres,
    synthetic_districts,
)
from .gaps import leave_gaps
from .network import add_contact_persons

DEMO_BUSINESS_ID_PREFIX = "99"
DEMO_WEB = "https://example.org/"
PTV_NAMESPACE = uuid.UUID("6f1c3c1e-3d55-4c1a-9a55-5eed0de30001")
BATCH = 2000
HOURS_COLUMNS = ["weekday", "opens", "closes", "over_midnight", "valid_from", "valid_to"]
EXCEPTION_COLUMNS = ["date", "closed", "opens", "closes", "reason", "reason_fi", "reason_sv", "reason_en"]
HELSINKI_TZ = dt.timezone(dt.timedelta(hours=2))
SERVICE_LINKS = (Service.service_classes.through, Service.life_situations.through, Service.municipalities.through)
# Every table seed_demo fills, for ANALYZE after the load.
BULK_LOADED = (
    Organisation,
    Service,
    ServiceFacetRow,  # filled by a trigger on Service
    Organisation.areas.through,
    *SERVICE_LINKS,
    PhoneNumber,
    EmailAddress,
    WebLink,
    Location,
    LocationOpeningHours,
    LocationException,
    MeetingPlace,
    MeetingPlaceOpeningHours,
    MeetingPlaceException,
    Activity,
    ActivityDate,
)


def demo_organisations():
    return Organisation.objects.filter(business_id__startswith=DEMO_BUSINESS_ID_PREFIX, website__startswith=DEMO_WEB)


def flush_demo_data() -> int:
    """Delete the demo organisations and everything hanging off them; returns how many organisations.

    Every statement reads or deletes one table by an indexed key (``= ANY`` of an id list read just
    before), never a join: on a freshly loaded database the planner's statistics may still say the
    tables are empty, and a join planned from that ran for minutes (nested loops over thousands of rows).
    The big child tables go first, so the collector of the final ``delete()`` has little left to load.
    """
    with transaction.atomic():
        org_ids = list(demo_organisations().values_list("pk", flat=True))
        if not org_ids:
            return 0
        service_ids = _ids_where(Service, "organisation", org_ids)
        location_ids = _ids_where(Location, "service", service_ids)
        place_ids = _ids_where(MeetingPlace, "organisation", org_ids)
        activity_ids = _ids_where(Activity, "meeting_place", place_ids)
        _delete_where(ActivityDate, "activity", activity_ids)
        _delete_where(Activity, "id", activity_ids)
        _delete_where(MeetingPlaceOpeningHours, "meeting_place", place_ids)
        _delete_where(MeetingPlaceException, "meeting_place", place_ids)
        _delete_where(LocationOpeningHours, "location", location_ids)
        _delete_where(LocationException, "location", location_ids)
        _delete_where(Location, "id", location_ids)
        for model in (PhoneNumber, EmailAddress, WebLink):
            _delete_where(model, "service", service_ids)
        # The services go before their link rows (foreign keys are checked at commit): the link tables' search
        # triggers then find no service left to recompute (6 of 8 s of a flush of 4 200 services).
        _delete_where(Service, "id", service_ids)
        for model in SERVICE_LINKS:
            _delete_where(model, "service", service_ids)
        Organisation.objects.filter(pk__in=org_ids).delete()
        # The link check's results for the demo's addresses (seeded broken ones included).
        LinkCheck.objects.filter(url__startswith=DEMO_WEB).delete()
    return len(org_ids)


def _ids_where(model, field: str, values: list[int]) -> list[int]:
    if not values:
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(model._meta.pk.column)} FROM {quote(model._meta.db_table)} "  # noqa: S608 (names from the models)
            f"WHERE {quote(model._meta.get_field(field).column)} = ANY(%s::bigint[])",
            [values],
        )
        return [row[0] for row in cursor.fetchall()]


def _delete_where(model, field: str, values: list[int]) -> None:
    if not values:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} "  # noqa: S608 (names from the models)
            f"WHERE {quote(model._meta.get_field(field).column)} = ANY(%s::bigint[])",
            [values],
        )


def analyze_demo_tables() -> None:
    """Refresh the planner's statistics after the bulk load (autovacuum only sees committed rows, later)."""
    quote = connection.ops.quote_name
    tables = ", ".join(quote(model._meta.db_table) for model in BULK_LOADED)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def compact_demo_tables() -> bool:
    """Rewrite the bulk-loaded tables without the old row versions the load's updates left (about two for every
    service: at 30 000 services the service table was three times its size, and a search of a common word read 18 000
    pages for 7 700 matches instead of 6 000). Only outside a transaction (VACUUM cannot run inside one): False
    there."""
    if connection.in_atomic_block:
        return False
    quote = connection.ops.quote_name
    tables = ", ".join(quote(model._meta.db_table) for model in BULK_LOADED)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (FULL) {tables}")
        # A rewrite leaves every page "not all visible": the plain pass marks them, so index-only scans work at once.
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
    return True


def copy_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert plain rows with PostgreSQL COPY: far faster than building model instances for child tables."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def t3(template: tuple[str, str, str], ctx: dict) -> tuple[str, str, str]:
    return tuple(part.format(**ctx) for part in template)


@dataclass
class Stats:
    organisations: int = 0
    services: int = 0
    locations: int = 0
    meeting_places: int = 0
    activities: int = 0
    seconds: float = 0.0


@dataclass
class Place:
    """A municipality or a district of one: the unit services and meeting places are planned for."""

    municipality: Municipality
    fi: str
    genitive_fi: str
    sv: str
    lat: float
    lon: float
    main: bool = False  # the municipality's centre, or its first district

    @property
    def bilingual(self) -> bool:
        return "sv" in self.municipality.language


@dataclass
class ServicePlan:
    service: Service
    classes: tuple[str, ...]
    situations: tuple[str, ...]
    municipality_ids: list[int]
    location: dict | None
    phones: list[tuple]
    emails: list[tuple]
    links: list[tuple]


@dataclass
class AreaBatch:
    services: list[ServicePlan] = field(default_factory=list)
    places: list[tuple[MeetingPlace, dict]] = field(default_factory=list)


class DemoSeeder:
    def __init__(
        self,
        *,
        seed: int = 1,
        scale: int = 1,
        area_codes: list[str] | None = None,
        municipalities_per_area: int | None = None,
        today: dt.date | None = None,
        log: Callable[[str], None] = lambda message: None,
    ):
        self.seed = seed
        self.scale = max(1, scale)
        self.area_codes = area_codes
        self.municipalities_per_area = municipalities_per_area
        self.today = today or dt.date.today()
        self.log = log
        self.stats = Stats()
        self.business_counter = 0
        self.slugs: dict[type, set[str]] = {}
        # Holidays of this year still ahead (and the past month) and of next year.
        self.holidays = [
            h
            for h in holidays(self.today.year) + holidays(self.today.year + 1)
            if h.date >= self.today - dt.timedelta(days=30)
        ]

    # --- helpers ---

    def rng(self, *key) -> random.Random:
        return random.Random(":".join(str(k) for k in (self.seed, *key)))  # noqa: S311 (demo data, not secrets)

    def next_business_id(self) -> str:
        while True:
            self.business_counter += 1
            first = f"{DEMO_BUSINESS_ID_PREFIX}{self.business_counter:05d}"
            check = business_id_check_digit(first)
            if check is not None:
                return f"{first}-{check}"

    def unique_slug(self, model, text: str) -> str:
        if model not in self.slugs:
            self.slugs[model] = set(model.objects.values_list("slug", flat=True))
        taken = self.slugs[model]
        base = slugify(text)[:190] or "demo"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        return slug

    @staticmethod
    def mail_domain(org) -> str:
        return f"{org.website.removeprefix(DEMO_WEB).split('/')[0]}.example.org"

    def phone(self, rnd: random.Random, area_code: str) -> str:
        # Finnish subscriber numbers never start with 0, so "+358 3 0xx xxxx" cannot reach anyone.
        return f"+358 {area_code} 0{rnd.randint(10, 99)} {rnd.randint(1000, 9999)}"

    # --- run ---

    def run(self) -> Stats:
        started = time.monotonic()
        with transaction.atomic():
            removed = flush_demo_data()
            if removed:
                self.log(f"Removed {removed} earlier demo organisations.")
            self.load_reference_data()
            self.create_national_organisations()
            for index, area in enumerate(self.areas, start=1):
                self.seed_area(area)
                self.log(
                    f"[{index:2d}/{len(self.areas)}] {area.name}: {self.stats.services} services, "
                    f"{self.stats.meeting_places} meeting places so far ({time.monotonic() - started:.1f} s)"
                )
            analyze_demo_tables()  # the gaps' and contact persons' queries need statistics (minutes without at scale)
            leave_gaps(areas=self.areas, organisations=demo_organisations(), today=self.today)
            add_contact_persons(areas=self.areas, organisations=demo_organisations())
            refresh_vocabulary()
            analyze_demo_tables()
        if compact_demo_tables():
            self.log(f"Compacted the loaded tables ({time.monotonic() - started:.1f} s).")
        self.stats.seconds = time.monotonic() - started
        return self.stats

    def load_reference_data(self):
        areas = WellbeingArea.objects.filter(code__in=REGIONS.keys()).order_by("code")
        if self.area_codes:
            areas = areas.filter(code__in=self.area_codes)
        self.areas = list(areas)
        self.classes = dict(ServiceClass.objects.values_list("code", "id"))
        self.situations = dict(LifeSituation.objects.values_list("code", "id"))
        self.postal_codes: dict[int, list[str]] = defaultdict(list)
        fallback: dict[int, list[str]] = defaultdict(list)
        for code, municipality_id, street in PostalCode.objects.order_by("code").values_list(
            "code", "municipality_id", "is_street_address"
        ):
            (self.postal_codes if street else fallback)[municipality_id].append(code)
        for municipality_id, codes in fallback.items():
            self.postal_codes.setdefault(municipality_id, codes)
        self.all_municipality_ids = list(
            Municipality.objects.filter(area__in=self.areas).order_by("code").values_list("id", flat=True)
        )

    def municipalities_of(self, area) -> list[Municipality]:
        region = REGIONS[area.code]
        municipalities = sorted(area.municipalities.all(), key=lambda m: (m.name_fi != region.seat, m.code))
        if self.municipalities_per_area:
            municipalities = municipalities[: self.municipalities_per_area]
        return municipalities

    # --- organisations ---

    def organisation(self, kind, names, *, key, areas, municipality=None, description=("", "", "")):
        fi, sv, en = names
        org = Organisation.objects.create(
            name=fi,
            name_fi=fi,
            name_sv=sv or None,
            name_en=en or None,
            slug=self.unique_slug(Organisation, fi),
            kind=kind,
            business_id=self.next_business_id(),
            municipality=municipality,
            website=f"{DEMO_WEB}{key}/",
            email=f"info@{key.split('/')[0]}.example.org",
            description=description[0],
            description_fi=description[0],
            description_sv=description[1] or None,
            description_en=description[2] or None,
        )
        org.areas.set(areas)
        self.stats.organisations += 1
        return org

    def create_national_organisations(self):
        self.mll = self.organisation(
            "ngo",
            (
                "Mannerheimin Lastensuojeluliitto",
                "Mannerheims Barnskyddsförbund",
                "Mannerheim League for Child Welfare",
            ),
            key="mll",
            areas=self.areas,
            description=(
                "Valtakunnallinen lastensuojelujärjestö, jolla on paikallisyhdistyksiä lähes joka kunnassa.",
                "Riksomfattande barnskyddsorganisation med lokalföreningar i nästan varje kommun.",
                "A national child welfare organisation with local branches in almost every municipality.",
            ),
        )
        self.vaestoliitto = self.organisation(
            "ngo",
            ("Väestöliitto", "Väestöliitto", "Family Federation of Finland"),
            key="vaestoliitto",
            areas=self.areas,
        )
        self.save_the_children = self.organisation(
            "ngo",
            ("Pelastakaa Lapset ry", "Rädda Barnen rf", "Save the Children Finland"),
            key="pelastakaalapset",
            areas=self.areas,
        )
        batch = AreaBatch()
        everywhere = self.all_municipality_ids
        region_ctx = {"p": "", "pg": "", "psv": "", "pen": "", "rg": "", "rsv": "", "ren": ""}
        self.plan_service(batch, cat.PARENTS_HELPLINE, self.mll, region_ctx, everywhere, None, "9", sv=True, en=True)
        self.plan_service(batch, cat.YOUTH_CHAT, self.vaestoliitto, region_ctx, everywhere, None, "9", sv=True, en=True)
        self.write(batch)

    # --- planning ---

    def districts_of(self, municipality: Municipality) -> list[Place]:
        centre = municipality_centres()[municipality.code]
        name_fi = municipality.name_fi
        rnd = self.rng("districts", municipality.code)
        known = DISTRICTS.get(name_fi, [])
        if name_fi in BASE_DISTRICTS:
            count = BASE_DISTRICTS[name_fi]
        elif known:
            count = BASE_DISTRICTS_OTHER_BIG
        elif centre.is_town:
            count = BASE_DISTRICTS_TOWN
        else:
            count = 1
        count *= self.scale
        places = [Place(municipality, name_fi, centre.genitive_fi, municipality.name_sv or name_fi, 0, 0)]
        if known:
            places = []
        names = iter(known)
        synthetic = synthetic_districts()
        while len(places) < count:
            district: District = next(names, None) or next(synthetic)
            places.append(Place(municipality, district.fi, district.genitive_fi, district.sv, 0, 0))
        spread = 0.06 if known else 0.02
        places[0].main = True
        for index, place in enumerate(places):
            radius = 0 if index == 0 and not known else spread * math.sqrt(rnd.random())
            angle = rnd.random() * 2 * math.pi
            place.lat = min(70.0, max(59.5, centre.latitude + radius * math.sin(angle)))
            place.lon = min(31.5, max(19.2, centre.longitude + 2 * radius * math.cos(angle)))
        return places

    def context(self, place: Place | None, area, org: Organisation | None = None) -> dict:
        region = REGIONS[area.code]
        ctx = {
            "rg": region.genitive_fi,
            "rsv": region.name_sv,
            "ren": region.name_en,
            "p": place.fi if place else "",
            "pg": place.genitive_fi if place else "",
            "psv": place.sv if place else "",
            "pen": place.fi if place else "",
        }
        if org is not None:
            ctx |= {"org": org.name_fi, "org_sv": org.name_sv or org.name_fi, "org_en": org.name_en or org.name_fi}
        return ctx

    def plan_service(self, batch, tpl, org, ctx, municipality_ids, place, phone_area, *, sv, en, rnd=None):
        rnd = rnd or self.rng("service", org.slug, tpl.key, ctx.get("p"))
        name, summary, description = t3(tpl.name, ctx), t3(tpl.summary, ctx), t3(tpl.description, ctx)
        keywords, cost_info, access_info = t3(tpl.keywords, ctx), t3(tpl.cost_info, ctx), t3(tpl.access_info, ctx)
        roll = rnd.random()
        state = "draft" if roll < 0.03 else "archived" if roll < 0.05 else "published"
        if tpl in cat.DISTRICT_SERVICES and place is not None and place.main:
            state = "published"  # every municipality keeps its main clinics visible
        reviewed_at = dt.datetime.combine(
            self.today - dt.timedelta(days=rnd.randint(0, 730)), dt.time(8 + rnd.randint(0, 8), rnd.randint(0, 59))
        ).replace(tzinfo=HELSINKI_TZ)
        is_public = org.kind in ("wellbeing_area", "municipality")
        languages = ["fi"]
        if place is not None and place.bilingual:
            languages = ["sv", "fi"] if place.municipality.language.startswith("sv") else ["fi", "sv"]
        elif sv and place is None:
            languages = ["fi", "sv"]
        if place is not None and place.municipality.code in SAMI_HOMELAND and is_public:
            languages.append("se")
        if en or (is_public and rnd.random() < 0.15):
            languages.append("en")
        for extra in tpl.extra_languages:
            if extra not in languages:
                languages.append(extra)
        source, external_id = "manual", None
        if is_public and rnd.random() < 0.2:
            source = "ptv"
        slug = self.unique_slug(Service, name[0])
        if source == "ptv":
            external_id = uuid.uuid5(PTV_NAMESPACE, f"{self.seed}:{slug}")

        def pick(values, use):
            return values if use else (values[0], None, None)

        name_, summary_, description_ = pick(name, True), pick(summary, True), pick(description, True)
        fields = {}
        for field_name, values in (
            ("name", name_),
            ("summary", summary_),
            ("description", description_),
            ("keywords", keywords),
            ("cost_info", cost_info),
            ("access_info", access_info),
        ):
            fields[field_name] = values[0]
            fields[f"{field_name}_fi"] = values[0]
            fields[f"{field_name}_sv"] = (values[1] or None) if sv else None
            fields[f"{field_name}_en"] = (values[2] or None) if en else None
        service = Service(
            organisation=org,
            slug=slug,
            age_min=tpl.ages[0],
            age_max=tpl.ages[1],
            for_expecting=tpl.for_expecting,
            for_parents=tpl.for_parents,
            languages=languages,
            cost=tpl.cost,
            access=list(tpl.access),
            state=state,
            reviewed_at=None if state == "draft" and rnd.random() < 0.5 else reviewed_at,
            source=source,
            external_id=external_id,
            **fields,
        )
        location = None
        if tpl.location is not None and place is not None:
            location = self.plan_location(rnd, t3(tpl.location, ctx), place, tpl.hours, sv=sv, en=en)
        web_key = org.website.removeprefix(DEMO_WEB)
        links = [
            (
                "web_page",
                (f"{org.website}palvelut/{slug}", f"{org.website}sv/tjanster/{slug}" if sv else None),
                (
                    "Lisätietoa palvelusta",
                    "Mer information om tjänsten" if sv else None,
                    "More information" if en else None,
                ),
            )
        ]
        if tpl.e_service:
            title = t3(tpl.e_service, ctx)
            links.append(
                (
                    "e_service",
                    (
                        f"{DEMO_WEB}asiointi/{web_key}{slug}",
                        f"{DEMO_WEB}asiointi/{web_key}{slug}?lang=sv" if sv else None,
                    ),
                    (title[0], title[1] if sv else None, title[2] if en else None),
                )
            )
        phone_info = t3(tpl.phone_info, ctx)
        phones = [
            (self.phone(rnd, phone_area), (phone_info[0], phone_info[1] if sv else None, phone_info[2] if en else None))
        ]
        emails = []
        if rnd.random() < 0.4:
            local = slugify(tpl.key)[:30] or "palvelu"
            emails.append((f"{local}.{rnd.randint(1, 999)}@{web_key.split('/')[0]}.example.org",))
        batch.services.append(
            ServicePlan(service, tpl.classes, tpl.situations, list(municipality_ids), location, phones, emails, links)
        )

    def plan_location(self, rnd, names, place: Place, hours: str, *, sv, en) -> dict:
        street_fi, street_sv = rnd.choice(STREETS)
        number = f"{rnd.randint(1, 60)}{rnd.choice(['', '', '', ' A', ' B'])}"
        codes = self.postal_codes.get(place.municipality.id) or ["00100"]
        return {
            "names": names,
            "street": (f"{street_fi} {number}", f"{street_sv} {number}" if sv or place.bilingual else None),
            "postal_code": rnd.choice(codes),
            "municipality": place.municipality,
            "lat": round(place.lat + rnd.uniform(-0.004, 0.004), 6),
            "lon": round(place.lon + rnd.uniform(-0.008, 0.008), 6),
            "access": {
                "step_free_access": rnd.random() < 0.85,
                "lift": rnd.choice([True, False, None]),
                "baby_changing": rnd.random() < 0.9,
                "breastfeeding_room": rnd.choice([True, False, None]),
                "accessible_toilet": rnd.random() < 0.8,
                "parking": rnd.random() < 0.7,
            },
            "hours": self.plan_hours(rnd, hours),
            "exceptions": self.plan_exceptions(rnd, hours),
            "sv": sv or place.bilingual,
            "en": en,
        }

    def plan_hours(self, rnd, pattern: str) -> list[tuple]:
        """Weekly rules as (weekday, opens, closes, over_midnight)."""
        t = dt.time
        if pattern in ("clinic", "clinic_evening"):
            friday_close = t(15) if rnd.random() < 0.4 else t(16)
            rules = [(day, t(8), t(16), False) for day in range(1, 5)] + [(5, t(8), friday_close, False)]
            if pattern == "clinic_evening" or rnd.random() < 0.25:
                rules.append((rnd.choice([2, 4]), t(16), t(18, 30), False))
            return rules
        if pattern == "office":
            return [(day, t(9), t(15), False) for day in range(1, 6)]
        if pattern == "youth":
            rules = [(day, t(14), t(21), False) for day in (1, 2, 3, 4)]
            return rules + [(5, t(16), t(23), False), (6, t(18), t(0, 30), True)]
        if pattern == "helpline":
            rules = [(day, t(15), t(8), True) for day in range(1, 6)]
            return rules + [(6, t(0), t(0), True), (7, t(0), t(0), True)]
        if pattern == "round_the_clock":
            return [(day, t(0), t(0), True) for day in range(1, 8)]
        if pattern == "meeting_place":
            days = sorted(rnd.sample([1, 2, 3, 4, 5], 3))
            rules = [(day, t(9), t(14), False) for day in days]
            return rules + [(days[-1], t(17), t(19, 30), False)]
        return []

    def plan_exceptions(self, rnd, pattern: str) -> list[tuple]:
        """Exceptional dates as (date, closed, opens, closes, (reason fi, sv, en))."""
        if pattern in ("helpline", "round_the_clock", "none"):
            return []
        found = [(h.date, True, None, None, (h.fi, h.sv, h.en)) for h in self.holidays]
        if rnd.random() < 0.3:
            day = self.today + dt.timedelta(days=rnd.randint(7, 120))
            if day.isoweekday() < 6:
                reason = ("Henkilöstön koulutuspäivä", "Personalens utbildningsdag", "Staff training day")
                found.append((day, False, dt.time(8), dt.time(12), reason))
        return found

    # --- one area ---

    def seed_area(self, area):
        region = REGIONS[area.code]
        municipalities = self.municipalities_of(area)
        if not municipalities:
            return
        wa = self.organisation(
            "wellbeing_area",
            (area.name_fi, area.name_sv, area.name_en),
            key=region.key,
            areas=[area],
            description=(
                f"{region.genitive_fi} hyvinvointialue järjestää alueensa sosiaali- ja terveyspalvelut, "
                "myös perhekeskuksen palvelut.",
                f"Välfärdsområdet ordnar social- och hälsovårdstjänsterna i {region.name_sv}, också "
                "familjecentrets tjänster.",
                f"The wellbeing services county organises social and health services in {region.name_en}.",
            ),
        )
        rnd = self.rng("area", area.code)
        batch = AreaBatch()
        all_ids = [m.id for m in municipalities]
        districts = {m.id: self.districts_of(m) for m in municipalities}
        seat_place = districts[municipalities[0].id][0]
        seat_ctx = self.context(Place(municipalities[0], *self._town(municipalities[0]), 0, 0), area)

        # Area-wide services at the seat.
        for tpl in (cat.FAMILY_LAW, cat.SOCIAL_EMERGENCY, cat.NEUVOLA_CHAT, cat.REHABILITATION):
            self.plan_service(batch, tpl, wa, seat_ctx, all_ids, seat_place, region.phone_area, sv=True, en=True)

        # Family counselling and child mental health in the seat and some towns; others go to the nearest.
        hubs = [municipalities[0]] + [
            m for m in municipalities[1:] if municipality_centres()[m.code].is_town and rnd.random() < 0.35
        ]
        served = defaultdict(list)
        for m in municipalities:
            centre = municipality_centres()[m.code]
            nearest = min(
                hubs,
                key=lambda h: (
                    (municipality_centres()[h.code].latitude - centre.latitude) ** 2
                    + (municipality_centres()[h.code].longitude - centre.longitude) ** 2
                ),
            )
            served[nearest.id].append(m.id)
        for hub in hubs:
            hub_place = districts[hub.id][0]
            ctx = self.context(Place(hub, *self._town(hub), 0, 0), area)
            for tpl in (cat.FAMILY_COUNSELLING, cat.CHILD_MENTAL_HEALTH):
                self.plan_service(batch, tpl, wa, ctx, served[hub.id], hub_place, region.phone_area, sv=True, en=True)

        # NGOs working across the area.
        shelter = self.organisation(
            "ngo",
            (
                f"{region.genitive_fi} ensi- ja turvakoti ry",
                f"Mödra- och skyddshemmet i {region.name_sv} rf",
                f"{region.name_en} Mother and Child Home and Shelter",
            ),
            key=f"ensijaturvakoti-{region.key}",
            areas=[area],
            municipality=municipalities[0],
        )
        shelter_ctx = self.context(seat_place, area, shelter)
        self.plan_service(
            batch, cat.SHELTER, shelter, shelter_ctx, all_ids, seat_place, region.phone_area, sv=True, en=True
        )
        self.plan_service(
            batch, cat.BABY_FAMILY_WORK, shelter, shelter_ctx, all_ids, seat_place, region.phone_area, sv=True, en=False
        )
        self.plan_service(
            batch,
            cat.SUPPORT_FAMILY,
            self.save_the_children,
            seat_ctx,
            all_ids,
            None,
            region.phone_area,
            sv=True,
            en=True,
        )
        seat_centre = municipality_centres()[municipalities[0].code]
        seat_sv = "sv" in municipalities[0].language
        if seat_centre.is_town:
            settlement = self.organisation(
                "ngo",
                (
                    "Kalliolan Setlementti ry" if area.code == "90" else f"{seat_centre.genitive_fi} Setlementti ry",
                    "Kalliola settlement rf" if area.code == "90" else f"Settlementet i {municipalities[0].name_sv} rf",
                    "Kalliola Settlement" if area.code == "90" else f"{municipalities[0].name_fi} Settlement",
                ),
                key=f"setlementti-{region.key}",
                areas=[area],
                municipality=municipalities[0],
            )
            ctx = self.context(seat_place, area, settlement)
            self.plan_service(
                batch,
                cat.SETTLEMENT_FAMILY,
                settlement,
                ctx,
                all_ids[:1],
                seat_place,
                region.phone_area,
                sv=seat_sv,
                en=True,
            )
            martat = self.organisation(
                "ngo",
                (f"{seat_centre.genitive_fi} Martat ry", f"Marthorna i {municipalities[0].name_sv} rf", ""),
                key=f"martat-{region.key}",
                areas=[area],
                municipality=municipalities[0],
            )
            ctx = self.context(seat_place, area, martat)
            self.plan_service(
                batch, cat.HOME_ECONOMICS, martat, ctx, all_ids[:1], seat_place, region.phone_area, sv=seat_sv, en=False
            )
            name = cat.PRIVATE_PROVIDERS[int(area.code) % len(cat.PRIVATE_PROVIDERS)]
            private = self.organisation(
                "private", name, key=f"yksityinen-{region.key}", areas=[area], municipality=municipalities[0]
            )
            ctx = self.context(seat_place, area, private)
            self.plan_service(
                batch, cat.PRIVATE_THERAPY, private, ctx, all_ids, seat_place, region.phone_area, sv=seat_sv, en=True
            )

        for municipality in municipalities:
            self.plan_municipality(batch, area, wa, municipality, districts[municipality.id], all_ids)
        self.write(batch)

    def _town(self, municipality):
        return (
            municipality.name_fi,
            municipality_centres()[municipality.code].genitive_fi,
            municipality.name_sv or municipality.name_fi,
        )

    def plan_municipality(self, batch, area, wa, municipality, districts: list[Place], area_ids: list[int]):
        region = REGIONS[area.code]
        centre = municipality_centres()[municipality.code]
        has_sv = "sv" in municipality.language
        en = centre.is_town and len(districts) > 2
        ids = [municipality.id]
        town_place = Place(municipality, *self._town(municipality), districts[0].lat, districts[0].lon)
        town_ctx = self.context(town_place, area)
        rnd = self.rng("municipality", municipality.code)

        for district in districts:
            ctx = self.context(district, area)
            for tpl in cat.DISTRICT_SERVICES:
                self.plan_service(batch, tpl, wa, ctx, ids, district, region.phone_area, sv=True, en=en)
        for tpl in cat.MUNICIPALITY_WA_SERVICES:
            self.plan_service(batch, tpl, wa, town_ctx, ids, town_place, region.phone_area, sv=True, en=en)
        if centre.is_town:
            for tpl in cat.TOWN_WA_SERVICES:
                self.plan_service(batch, tpl, wa, town_ctx, ids, town_place, region.phone_area, sv=True, en=en)

        kind_fi, kind_sv, kind_en = (
            ("kaupunki", "stad", "City of") if centre.is_town else ("kunta", "kommun", "Municipality of")
        )
        sv_name = municipality.name_sv or municipality.name_fi
        city = self.organisation(
            "municipality",
            (f"{centre.genitive_fi} {kind_fi}", f"{sv_name} {kind_sv}", f"{kind_en} {municipality.name_fi}"),
            key=f"kunta-{slugify(municipality.name_fi)}",
            areas=[area],
            municipality=municipality,
        )
        youth_name = "kaupungin" if centre.is_town else "kunnan"
        for tpl in cat.MUNICIPAL_OWN_SERVICES:
            self.plan_service(batch, tpl, city, town_ctx, ids, town_place, region.phone_area, sv=has_sv, en=en)
        for district in districts[: max(1, len(districts) // 2)]:
            ctx = self.context(district, area)
            youth = cat.YOUTH_SERVICES
            youth = cat.ServiceTemplate(
                **{
                    **youth.__dict__,
                    "name": (
                        f"{centre.genitive_fi} {youth_name} nuorisopalvelut – {{pg}} nuorisotila",
                        f"Ungdomstjänsterna i {sv_name} – ungdomsgården i {{psv}}",
                        f"{municipality.name_fi} youth services – {{pen}} youth centre",
                    ),
                }
            )
            self.plan_service(batch, youth, city, ctx, ids, district, region.phone_area, sv=has_sv, en=en)

        # Parishes: Finnish and/or Swedish ones by the municipality's languages.
        parishes = []
        if municipality.language != "sv":
            suffix = (" suomalainen seurakunta", " finska församling") if has_sv else (" seurakunta", " församling")
            parishes.append(((f"{centre.genitive_fi}{suffix[0]}", f"{sv_name}{suffix[1]}", ""), False))
        if has_sv:
            parishes.append(
                ((f"{centre.genitive_fi} ruotsalainen seurakunta", f"{sv_name} svenska församling", ""), True)
            )
        if municipality.language == "sv":
            parishes = [((f"{centre.genitive_fi} seurakunta", f"{sv_name} församling", ""), True)]
        for names, swedish in parishes:
            parish = self.organisation(
                "parish", names, key=f"srk-{slugify(names[0])}", areas=[area], municipality=municipality
            )
            ctx = self.context(town_place, area, parish)
            self.plan_service(
                batch,
                cat.PARISH_FAMILY_WORK,
                parish,
                ctx,
                ids,
                town_place,
                region.phone_area,
                sv=swedish or has_sv,
                en=False,
            )
            if municipality.name_fi == region.seat and not swedish:
                self.plan_service(
                    batch,
                    cat.CHURCH_FAMILY_COUNSELLING,
                    parish,
                    town_ctx,
                    area_ids,
                    town_place,
                    region.phone_area,
                    sv=has_sv,
                    en=en,
                )
            # Where a Finnish and a Swedish parish share the municipality, each hall has its own name.
            hall = (
                (
                    "{pg} ruotsalaisen seurakunnan seurakuntatalo",
                    "Svenska församlingshemmet i {psv}",
                    "{pen} Swedish parish hall",
                )
                if swedish and len(parishes) > 1
                else ("{pg} seurakuntatalo", "Församlingshemmet i {psv}", "{pen} parish hall")
            )
            self.plan_meeting_place(
                batch,
                parish,
                hall,
                town_place,
                area,
                ["perhekerho", "vauvaryhma", "eroryhma"],
                sv=swedish or has_sv,
                rnd=rnd,
            )

        mll_local = self.organisation(
            "ngo",
            (
                f"Mannerheimin Lastensuojeluliiton {centre.genitive_fi} paikallisyhdistys",
                f"Mannerheims Barnskyddsförbunds lokalförening i {sv_name}",
                "",
            ),
            key=f"mll-{slugify(municipality.name_fi)}",
            areas=[area],
            municipality=municipality,
        )
        self.plan_service(
            batch, cat.MLL_CHILDCARE, mll_local, town_ctx, ids, town_place, region.phone_area, sv=has_sv, en=False
        )
        if has_sv:
            folkhalsan = self.organisation(
                "ngo",
                (f"Folkhälsan i {sv_name} ry", f"Folkhälsan i {sv_name} rf", ""),
                key=f"folkhalsan-{slugify(sv_name)}",
                areas=[area],
                municipality=municipality,
            )
            self.plan_service(
                batch,
                cat.FOLKHALSAN_FAMILY,
                folkhalsan,
                town_ctx,
                ids,
                town_place,
                region.phone_area,
                sv=True,
                en=False,
            )
            self.plan_meeting_place(
                batch,
                folkhalsan,
                ("Folkhälsanin perhekahvila, {p}", "Folkhälsans familjecafé i {psv}", "Folkhälsan family café, {pen}"),
                town_place,
                area,
                ["perhekahvila", "babyrytmik", "perheliikunta"],
                sv=True,
                rnd=rnd,
            )

        # Meeting places: the family centre's own in the centre, MLL family cafés and open day care in districts.
        self.plan_meeting_place(
            batch,
            wa,
            (
                "{pg} perhekeskuksen kohtaamispaikka",
                "Familjecentrets mötesplats i {psv}",
                "{pen} family centre meeting place",
            ),
            town_place,
            area,
            ["perhekahvila", "odottavat", "vauvahieronta", "isa-lapsi", "monikko"],
            sv=True,
            rnd=rnd,
            en=en,
        )
        for district in districts:
            self.plan_meeting_place(
                batch,
                mll_local,
                ("MLL:n perhekahvila, {p}", "MLL:s familjecafé, {psv}", "MLL family café, {pen}"),
                district,
                area,
                ["perhekahvila", "vauvaryhma"],
                sv=has_sv,
                rnd=rnd,
            )
            if centre.is_town:
                self.plan_meeting_place(
                    batch,
                    city,
                    ("{pg} avoin päiväkoti", "Öppna daghemmet i {psv}", "{pen} open day care"),
                    district,
                    area,
                    ["perhekerho", "muskari", "kielikahvila", "perheliikunta"],
                    sv=has_sv,
                    rnd=rnd,
                    en=en,
                )

    def plan_meeting_place(self, batch, org, names, place: Place, area, activity_keys, *, sv, rnd, en=False):
        ctx = self.context(place, area, org)
        name = t3(names, ctx)
        region = REGIONS[area.code]
        location = self.plan_location(rnd, name, place, "meeting_place", sv=sv, en=en)
        roll = rnd.random()
        state = "draft" if roll < 0.02 else "archived" if roll < 0.03 else "published"
        mp = MeetingPlace(
            organisation=org,
            slug=self.unique_slug(MeetingPlace, name[0]),
            phone=self.phone(rnd, region.phone_area),
            email=f"kohtaamispaikka.{rnd.randint(1, 9999)}@{self.mail_domain(org)}",
            website=f"{org.website}kohtaamispaikat/{slugify(name[0])}",
            state=state,
            reviewed_at=dt.datetime.combine(self.today - dt.timedelta(days=rnd.randint(0, 700)), dt.time(10)).replace(
                tzinfo=HELSINKI_TZ
            ),
            **self.place_fields(location),
        )
        for field_name, values in (
            ("name", name),
            (
                "description",
                (
                    "Avoin ja maksuton kohtaamispaikka lapsiperheille. Tule tutustumaan muihin perheisiin ja "
                    "kysymään ohjaajalta perheen arjesta.",
                    "En öppen och avgiftsfri mötesplats för barnfamiljer. Kom och träffa andra familjer och fråga "
                    "ledaren om familjens vardag.",
                    "An open, free meeting place for families with children.",
                ),
            ),
        ):
            setattr(mp, field_name, values[0])
            setattr(mp, f"{field_name}_fi", values[0])
            setattr(mp, f"{field_name}_sv", values[1] if sv else None)
            setattr(mp, f"{field_name}_en", values[2] if en else None)
        activities = []
        for key in activity_keys:
            tpl = cat.ACTIVITIES[key]
            if tpl.swedish_only and not sv:
                continue
            if rnd.random() < 0.25 and key not in ("perhekahvila", "perhekerho", "babyrytmik"):
                continue
            activities.append(self.plan_activity(rnd, tpl, sv=sv, en=en, bilingual=place.bilingual))
        batch.places.append((mp, {"location": location, "activities": activities}))

    def plan_activity(self, rnd, tpl: cat.ActivityTemplate, *, sv, en, bilingual) -> dict:
        hour, minute = map(int, tpl.start.split(":"))
        start = dt.datetime.combine(self.today, dt.time(hour, minute))
        end = (start + dt.timedelta(minutes=tpl.minutes)).time()
        languages = list(tpl.languages) or (["fi", "sv"] if bilingual else ["fi"])
        season_start = self.today - dt.timedelta(days=rnd.randint(20, 60))
        season_end = self.today + dt.timedelta(days=rnd.randint(90, 200))
        fields = {
            "recurrence": "dates" if tpl.single_dates else "weekly",
            "weekday": None if tpl.single_dates else rnd.choice(tpl.weekdays),
            "every_nth_week": tpl.every_nth_week,
            "valid_from": None if tpl.single_dates else season_start,
            "valid_to": None if tpl.single_dates else season_end,
            "start_time": start.time(),
            "end_time": end,
            "age_min": tpl.ages[0],
            "age_max": tpl.ages[1],
            "for_expecting": tpl.for_expecting,
            "for_parents": tpl.for_parents,
            "languages": languages,
            "cost": tpl.cost,
            "registration_required": tpl.registration is not None,
            "state": "published",
        }
        texts = {
            "title": tpl.title,
            "description": tpl.description,
            "cost_info": tpl.cost_info,
            "registration_info": tpl.registration or ("", "", ""),
        }
        for field_name, values in texts.items():
            fields[field_name] = values[0]
            fields[f"{field_name}_fi"] = values[0]
            fields[f"{field_name}_sv"] = (values[1] or None) if sv else None
            fields[f"{field_name}_en"] = (values[2] or None) if en else None
        dates = []
        if tpl.single_dates:
            first = self.today + dt.timedelta(days=rnd.randint(-14, 60))
            dates = [(first + dt.timedelta(weeks=n), False) for n in range(tpl.single_dates)]
            if rnd.random() < 0.2:
                dates[-1] = (dates[-1][0], True)
        else:
            holiday_dates = {h.date for h in self.holidays}
            day = season_start + dt.timedelta(days=(fields["weekday"] - season_start.isoweekday()) % 7)
            while day <= season_end:
                if day in holiday_dates:
                    dates.append((day, True))
                day += dt.timedelta(days=7)
            if rnd.random() < 0.3:
                extra = self.today + dt.timedelta(days=7 * rnd.randint(1, 8))
                extra += dt.timedelta(days=(fields["weekday"] - extra.isoweekday()) % 7)
                if extra <= season_end and extra not in {d for d, _c in dates}:
                    dates.append((extra, True))
        return {"fields": fields, "dates": dates}

    @staticmethod
    def place_fields(location: dict) -> dict:
        street_fi, street_sv = location["street"]
        return {
            "street_address": street_fi,
            "street_address_fi": street_fi,
            "street_address_sv": street_sv,
            "postal_code": location["postal_code"],
            "municipality": location["municipality"],
            "latitude": location["lat"],
            "longitude": location["lon"],
            **location["access"],
        }

    # --- writing ---

    def write(self, batch: AreaBatch):
        if batch.services:
            self.write_services(batch.services)
        if batch.places:
            self.write_meeting_places(batch.places)

    def write_services(self, plans: list[ServicePlan]):
        services = Service.objects.bulk_create([p.service for p in plans], batch_size=BATCH)
        self.stats.services += len(services)
        class_links, situation_links, area_links = [], [], []
        ClassLink = Service.service_classes.through
        SituationLink = Service.life_situations.through
        AreaLink = Service.municipalities.through
        locations, location_plans, phones, emails, links = [], [], [], [], []
        for service, plan in zip(services, plans, strict=True):
            class_links += [(service.id, self.classes[c]) for c in plan.classes]
            situation_links += [(service.id, self.situations[s]) for s in plan.situations]
            area_links += [(service.id, m) for m in plan.municipality_ids]
            if plan.location:
                loc = plan.location
                names = loc["names"]
                locations.append(
                    Location(
                        service_id=service.id,
                        name=names[0],
                        name_fi=names[0],
                        name_sv=names[1] if loc["sv"] else None,
                        name_en=names[2] if loc["en"] else None,
                        **self.place_fields(loc),
                    )
                )
                location_plans.append(loc)
            for order, (number, (desc_fi, desc_sv, desc_en)) in enumerate(plan.phones):
                phones.append(
                    PhoneNumber(
                        service_id=service.id,
                        number=number,
                        order=order,
                        description=desc_fi,
                        description_fi=desc_fi,
                        description_sv=desc_sv,
                        description_en=desc_en,
                    )
                )
            for order, (address,) in enumerate(plan.emails):
                emails.append(EmailAddress(service_id=service.id, address=address, order=order))
            for order, (kind, (url_fi, url_sv), (title_fi, title_sv, title_en)) in enumerate(plan.links):
                links.append(
                    WebLink(
                        service_id=service.id,
                        kind=kind,
                        url=url_fi,
                        url_fi=url_fi,
                        url_sv=url_sv,
                        title=title_fi,
                        title_fi=title_fi,
                        title_sv=title_sv,
                        title_en=title_en,
                        order=order,
                    )
                )
        # One statement per link table, so the search triggers refresh each service once per table.
        copy_rows(ClassLink, ["service", "serviceclass"], class_links)
        copy_rows(SituationLink, ["service", "lifesituation"], situation_links)
        copy_rows(AreaLink, ["service", "municipality"], area_links)
        PhoneNumber.objects.bulk_create(phones, batch_size=BATCH)
        EmailAddress.objects.bulk_create(emails, batch_size=BATCH)
        WebLink.objects.bulk_create(links, batch_size=BATCH)
        locations = Location.objects.bulk_create(locations, batch_size=BATCH)
        self.stats.locations += len(locations)
        hours, exceptions = [], []
        for location, loc in zip(locations, location_plans, strict=True):
            hours += [(location.id, *rule, None, None) for rule in loc["hours"]]
            exceptions += [(location.id, *self.exception_row(loc, e)) for e in loc["exceptions"]]
        copy_rows(LocationOpeningHours, ["location", *HOURS_COLUMNS], hours)
        copy_rows(LocationException, ["location", *EXCEPTION_COLUMNS], exceptions)

    def write_meeting_places(self, places):
        created = MeetingPlace.objects.bulk_create([mp for mp, _plan in places], batch_size=BATCH)
        self.stats.meeting_places += len(created)
        hours, exceptions, activities, activity_plans = [], [], [], []
        for mp, (_unused, plan) in zip(created, places, strict=True):
            loc = plan["location"]
            hours += [(mp.id, *rule, None, None) for rule in loc["hours"]]
            exceptions += [(mp.id, *self.exception_row(loc, e)) for e in loc["exceptions"]]
            for activity in plan["activities"]:
                activities.append(Activity(meeting_place_id=mp.id, **activity["fields"]))
                activity_plans.append(activity)
        copy_rows(MeetingPlaceOpeningHours, ["meeting_place", *HOURS_COLUMNS], hours)
        copy_rows(MeetingPlaceException, ["meeting_place", *EXCEPTION_COLUMNS], exceptions)
        activities = Activity.objects.bulk_create(activities, batch_size=BATCH)
        self.stats.activities += len(activities)
        dates = [
            (activity.id, date, cancelled)
            for activity, plan in zip(activities, activity_plans, strict=True)
            for date, cancelled in plan["dates"]
        ]
        copy_rows(ActivityDate, ["activity", "date", "cancelled"], dates)

    @staticmethod
    def exception_row(loc: dict, exception: tuple) -> tuple:
        date, closed, opens, closes, reason = exception
        return (
            date,
            closed,
            opens,
            closes,
            reason[0],
            reason[0],
            reason[1] if loc["sv"] else None,
            reason[2] if loc["en"] else None,
        )
