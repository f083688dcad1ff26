"""What the coordinator dashboard shows for one wellbeing area, each section in a fixed number of queries.

The numbers come from the rules the rest of the site uses: where a service is given (services/querysets.py, as the
family search counts it) for the coverage matrix and the Swedish parity by municipality; what belongs to an area
(organisations/access.py, as the admin scopes it) for stale entries and broken links. No query runs per municipality,
per class or per entry, so a large area costs what a small one does.
"""

# The raw SQL below is built only from table and column names and the ORM's own compiled SQL; values are parameters.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.utils import timezone

from meetingplaces.models import Activity, MeetingPlace
from organisations.access import in_areas
from organisations.models import LinkCheck, Municipality, Organisation
from organisations.review import check_due_before
from services.models import SearchMiss, Service, ServiceClass, WebLink
from services.querysets import MUNICIPALITY_ROWS_SQL, local_to_area, nationwide
from services.templatetags.family import months_before

# "Not checked for N months": the stages the rest of the site acts on (organisations/review.py, the reminders,
# services/templatetags/family.py), so the dashboard counts what the mails and the public pages say.
STALE_MONTHS = (6, 9, 12)
SEARCH_MISS_WINDOW_DAYS = 30
TOP_SEARCH_MISSES = 20
BROKEN_LINKS_SHOWN = 50


def months_ago(months: int, now=None) -> dt.datetime:
    """The moment before which an entry's check counts as *months* old: 6 → the partner's reminder
    (REVIEW_REMINDER_DAYS), 9 → the coordinators' escalation (REVIEW_ESCALATION_DAYS), 12 → the public "may be out of
    date" notice (calendar months, as ``family.may_be_out_of_date`` counts them)."""
    now = now or timezone.now()
    if months == 6:
        return check_due_before(now)
    if months == 9:
        return check_due_before(now, settings.REVIEW_ESCALATION_DAYS)
    cutoff = months_before(timezone.localdate(now), months)
    return timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))


def _empty(field_name: str) -> Q:
    return Q(**{f"{field_name}__isnull": True}) | Q(**{field_name: ""})


def _has_text(field_name: str) -> Q:
    return Q(**{f"{field_name}__isnull": False}) & ~Q(**{field_name: ""})


# An entry lacks Swedish when its name has none, or its main text has Finnish but no Swedish.
WITHOUT_SWEDISH = {
    Service: _empty("name_sv") | _empty("summary_sv"),
    MeetingPlace: _empty("name_sv") | (_has_text("description_fi") & _empty("description_sv")),
    Activity: _empty("title_sv") | (_has_text("description_fi") & _empty("description_sv")),
}


def _place_rows_sql(area, base_queryset) -> tuple[str, list]:
    """SQL of (service_id, place_id, missing_sv) for *base_queryset*'s services in the municipalities of *area*.

    The services' municipalities come from services/querysets.py's MUNICIPALITY_ROWS_SQL, so a service that names no
    municipality counts in every municipality of its organisation's areas, as the family search counts it.
    """
    base = base_queryset.annotate(
        missing_sv=ExpressionWrapper(WITHOUT_SWEDISH[Service], output_field=BooleanField())
    ).values("id", "organisation_id", "missing_sv")
    base_sql, base_params = base.query.sql_with_params()
    rows_sql = MUNICIPALITY_ROWS_SQL.format(base="base")
    sql = f"""
        WITH base AS ({base_sql}), place_rows AS ({rows_sql})
        SELECT DISTINCT r.service_id, r.place_id, b.missing_sv
          FROM place_rows r
          JOIN base b ON b.id = r.service_id
          JOIN organisations_municipality m ON m.id = r.place_id
         WHERE m.area_id = %s"""
    return sql, [*base_params, area.pk]


def _area_services(area):
    return Service.objects.published().filter(local_to_area(area.code))


# --- (a) Coverage ---


@dataclass
class CoverageRow:
    municipality: Municipality
    counts: list[int]

    @property
    def gaps(self) -> int:
        return sum(1 for count in self.counts if not count)


@dataclass
class Coverage:
    classes: list[ServiceClass]
    rows: list[CoverageRow]
    nationwide: list[int]

    @property
    def gap_count(self) -> int:
        return sum(row.gaps for row in self.rows)

    @property
    def cell_count(self) -> int:
        return len(self.rows) * len(self.classes)

    @property
    def municipalities_without(self) -> list[int]:
        """Per class, how many municipalities have no local service of it."""
        return [sum(1 for row in self.rows if not row.counts[i]) for i in range(len(self.classes))]


def coverage(area, municipalities) -> Coverage:
    """Published services given locally in each municipality of *area*, per family-centre service class (3 queries)."""
    classes = list(ServiceClass.objects.order_by("order", "code"))
    rows_sql, params = _place_rows_sql(area, _area_services(area))
    counts: dict[tuple[int, int], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH rows AS ({rows_sql})
                SELECT r.place_id, sc.serviceclass_id, count(DISTINCT r.service_id)
                  FROM rows r JOIN services_service_service_classes sc ON sc.service_id = r.service_id
                 GROUP BY 1, 2""",
            params,
        )
        for place_id, class_id, count in cursor.fetchall():
            counts[place_id, class_id] = count
    national = dict(
        Service.objects.published()
        .filter(nationwide())
        .values_list("service_classes")
        .annotate(n=Count("pk", distinct=True))
        .values_list("service_classes", "n")
    )
    rows = [CoverageRow(m, [counts.get((m.pk, c.pk), 0) for c in classes]) for m in municipalities]
    return Coverage(classes, rows, [national.get(c.pk, 0) for c in classes])


# --- (b) Swedish parity ---


@dataclass
class ParityRow:
    municipality: Municipality
    total: int = 0
    without_swedish: int = 0

    @property
    def share(self) -> float | None:
        return self.without_swedish / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.share) if self.total else None


def swedish_parity(area, municipalities) -> list[ParityRow]:
    """Per municipality: published services, meeting places and activities there, and how many lack Swedish text.

    Municipalities with Swedish as an official language first (there families are owed Swedish), then by the share
    lacking, largest first (3 queries).
    """
    rows = {m.pk: ParityRow(m) for m in municipalities}
    rows_sql, params = _place_rows_sql(area, _area_services(area))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH rows AS ({rows_sql}) SELECT place_id, count(*), count(*) FILTER (WHERE missing_sv) FROM rows "
            "GROUP BY place_id",
            params,
        )
        counted = cursor.fetchall()
    places = MeetingPlace.objects.filter(state="published", municipality__area=area)
    activities = Activity.objects.filter(
        state="published", meeting_place__state="published", meeting_place__municipality__area=area
    )
    for queryset, key, model in (
        (places, "municipality", MeetingPlace),
        (activities, "meeting_place__municipality", Activity),
    ):
        counted += queryset.values_list(key).annotate(
            total=Count("pk"), missing=Count("pk", filter=WITHOUT_SWEDISH[model])
        )
    for place_id, total, missing in counted:
        if place_id in rows:
            rows[place_id].total += total
            rows[place_id].without_swedish += missing
    return sorted(
        rows.values(),
        key=lambda row: (not row.municipality.has_swedish, -(row.share or 0), row.municipality.name),
    )


def without_swedish_entries(area, municipality=None) -> dict[str, list]:
    """The published entries of the parity table that lack Swedish, for its list page (3 queries)."""
    services = Service.objects.published().filter(WITHOUT_SWEDISH[Service])
    places = MeetingPlace.objects.filter(state="published", municipality__area=area).filter(
        WITHOUT_SWEDISH[MeetingPlace]
    )
    activities = Activity.objects.filter(
        state="published", meeting_place__state="published", meeting_place__municipality__area=area
    ).filter(WITHOUT_SWEDISH[Activity])
    if municipality is not None:
        rows_sql, params = _place_rows_sql(area, _area_services(area))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT service_id FROM ({rows_sql}) r WHERE place_id = %s", [*params, municipality.pk])
            ids = [service_id for (service_id,) in cursor.fetchall()]
        services = services.filter(pk__in=ids)
        places = places.filter(municipality=municipality)
        activities = activities.filter(meeting_place__municipality=municipality)
    else:
        services = services.filter(local_to_area(area.code))
    return {
        "services": list(services.select_related("organisation").order_by("name")),
        "meeting_places": list(places.select_related("organisation", "municipality").order_by("name")),
        "activities": list(activities.select_related("meeting_place").order_by("title")),
    }


# --- (c) Stale entries ---


@dataclass
class StaleRow:
    kind: str  # "service" or "meeting_place"
    label: str
    published: int
    never_checked: int
    not_checked_for: list[tuple[int, int]]  # (months, count) per STALE_MONTHS


CHECKED_MODELS = {"service": Service, "meeting_place": MeetingPlace}


def stale_filter(months: int, now=None) -> Q:
    """Published, and not checked for *months* (or never)."""
    return Q(state="published") & (Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=months_ago(months, now)))


def stale(area, now=None) -> list[StaleRow]:
    """Published services and meeting places of *area* not checked for 6, 9 and 12 months (one query each)."""
    result = []
    for kind, model in CHECKED_MODELS.items():
        counts = in_areas(model, [area]).aggregate(
            published=Count("pk", filter=Q(state="published")),
            never=Count("pk", filter=Q(state="published", reviewed_at__isnull=True)),
            **{f"m{months}": Count("pk", filter=stale_filter(months, now)) for months in STALE_MONTHS},
        )
        result.append(
            StaleRow(
                kind,
                model._meta.verbose_name_plural,
                counts["published"],
                counts["never"],
                [(months, counts[f"m{months}"]) for months in STALE_MONTHS],
            )
        )
    return result


def stale_entries(area, kind: str, months: int, now=None) -> list:
    model = CHECKED_MODELS[kind]
    return list(
        in_areas(model, [area])
        .filter(stale_filter(months, now))
        .select_related("organisation")
        .order_by("reviewed_at", "name")
    )


# --- (d) Broken links ---


@dataclass
class BrokenLink:
    entry: object
    kind: str
    url: str
    check: LinkCheck | None = None


@dataclass
class BrokenLinks:
    links: list[BrokenLink] = field(default_factory=list)
    total: int = 0


def broken_links(area, limit: int | None = BROKEN_LINKS_SHOWN) -> BrokenLinks:
    """The addresses shown by the area's services, meeting places and organisations that the link check found broken
    (4 queries), oldest breakage first."""
    broken = LinkCheck.objects.broken().values("url")
    found: list[BrokenLink] = []
    web_links = (
        WebLink.objects.filter(service__in=in_areas(Service, [area]).values("pk"))
        .filter(Q(url_fi__in=broken) | Q(url_sv__in=broken) | Q(url_en__in=broken))
        .select_related("service")
    )
    for link in web_links:
        for url in dict.fromkeys(u for u in (link.url_fi, link.url_sv, link.url_en) if u):
            found.append(BrokenLink(link.service, "service", url))
    for model, kind in ((MeetingPlace, "meeting_place"), (Organisation, "organisation")):
        for entry in in_areas(model, [area]).filter(website__in=broken):
            found.append(BrokenLink(entry, kind, entry.website))
    checks = {check.url: check for check in LinkCheck.objects.broken().filter(url__in={b.url for b in found})}
    found = [b for b in found if b.url in checks]  # a row's other-language address may work
    for item in found:
        item.check = checks[item.url]
    found.sort(key=lambda b: (b.check.broken_since, b.url))
    return BrokenLinks(found[:limit] if limit else found, len(found))


# --- (e) Searches that found nothing ---


def search_misses(area, today: dt.date | None = None) -> list[dict]:
    """The area's most common searches that found nothing in the last 30 days (one query)."""
    today = today or timezone.localdate()
    return list(
        SearchMiss.objects.filter(area=area, day__gt=today - dt.timedelta(days=SEARCH_MISS_WINDOW_DAYS))
        .values("words")
        .annotate(searches=Sum("count"), languages=ArrayAgg("language", distinct=True, order_by="language"))
        .order_by("-searches", "words")[:TOP_SEARCH_MISSES]
    )


# --- What families told the area ---

FAMILY_WINDOW_DAYS = 30
OPEN_REPORTS_SHOWN = 10


@dataclass
class FamilyVoice:
    open_reports: int
    reports: list  # the oldest open problem reports first, at most OPEN_REPORTS_SHOWN
    questions_sent: int  # anonymous questions sent in the last FAMILY_WINDOW_DAYS days
    questions_waiting: int  # not answered yet, whenever sent
    questions_answered: int  # answered in the last FAMILY_WINDOW_DAYS days


def family_voice(area, now=None) -> FamilyVoice:
    """Open problem reports about the area's organisations' entries, and the anonymous questions to them (3 queries)."""
    from organisations.models import ProblemReport
    from perhekeskus.contact.models import ContactRequest

    now = now or timezone.now()
    since = now - dt.timedelta(days=FAMILY_WINDOW_DAYS)
    organisations = in_areas(Organisation, [area]).values("pk")
    reports = ProblemReport.objects.open().filter(organisation__in=organisations)
    questions = ContactRequest.objects.filter(organisation__in=organisations).aggregate(
        sent=Count("pk", filter=Q(created_at__gte=since)),
        waiting=Count("pk", filter=Q(state=ContactRequest.State.OPEN)),
        answered=Count("pk", filter=Q(answered_at__gte=since)),
    )
    shown = list(reports.select_related("organisation").order_by("created_at", "pk")[:OPEN_REPORTS_SHOWN])
    return FamilyVoice(
        open_reports=reports.count(),
        reports=shown,
        questions_sent=questions["sent"],
        questions_waiting=questions["waiting"],
        questions_answered=questions["answered"],
    )


# --- The whole page ---


@dataclass
class Dashboard:
    area: object
    coverage: Coverage
    parity: list[ParityRow]
    stale: list[StaleRow]
    broken: BrokenLinks
    misses: list[dict]
    families: FamilyVoice


def dashboard(area, now=None) -> Dashboard:
    """Every section of *area*'s dashboard (about 15 queries, whatever the number of municipalities or entries)."""
    municipalities = list(Municipality.objects.filter(area=area).order_by("name"))
    return Dashboard(
        area=area,
        coverage=coverage(area, municipalities),
        parity=swedish_parity(area, municipalities),
        stale=stale(area, now),
        broken=broken_links(area),
        misses=search_misses(area, timezone.localdate(now) if now else None),
        families=family_voice(area, now),
    )
