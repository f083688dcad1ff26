"""The comparison page's rows: what a family weighs between services, with the rows where they differ marked.

Each row holds one cell per chosen service, in the order of the address. A row *differs* when the text of its cells
is not the same for every service; the page marks those rows (in words as well as colour) and can show only them.
Cells are built here, not in the template, because whether a row differs depends on the text the family reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import formats
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from services import hours
from services.models import Place

from .templatetags.family import (
    access_names,
    audience,
    cost_name,
    language_names,
    may_be_out_of_date,
    time_range,
    translated,
)


@dataclass
class Row:
    label: str
    cells: list
    # A second line under the label, e.g. "today" under a weekday.
    note: str = ""
    # (service, cell) pairs, for the narrow layout that names the service in each cell.
    columns: list = field(default_factory=list)

    @cached_property  # read up to four times a row (count, group, row, label): the cells' text is parsed once
    def differs(self) -> bool:
        texts = {" ".join(strip_tags(str(cell)).split()) for cell in self.cells}
        return len(self.cells) > 1 and len(texts) > 1


@dataclass
class Group:
    heading: str
    slug: str
    rows: list[Row] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return any(row.differs for row in self.rows)


def day_cell(intervals, exception) -> SafeString:
    if intervals:
        cell = format_html_join(", ", "{}", ((time_range(interval),) for interval in intervals))
    else:
        cell = gettext("Closed")
    if exception is not None:
        reason = format_html(": {}", translated(exception, "reason")) if exception.reason else ""
        cell = format_html('{}<br><span class="muted">{}{}</span>', cell, gettext("Exceptional hours"), reason)
    return format_html("{}", cell)


def yes_no(value) -> SafeString:
    if value is None:
        return format_html('<span class="muted">{}</span>', gettext("Not known"))
    if value:
        return format_html('<span class="fact-yes"><span aria-hidden="true">✓ </span>{}</span>', gettext("Yes"))
    return format_html('<span class="fact-no"><span aria-hidden="true">✗ </span>{}</span>', gettext("No"))


def lines(items) -> SafeString:
    """Cell lines, one under another."""
    return format_html_join(mark_safe("<br>"), "{}", ((item,) for item in items))


def service_rows(services) -> list[Row]:
    return [
        Row(
            _("Provider"),
            [
                format_html(
                    '{}<br><span class="muted">{}</span>',
                    translated(s.organisation, "name"),
                    s.organisation.get_kind_display(),
                )
                for s in services
            ],
        ),
        Row(
            _("Type of service"),
            [lines(translated(c, "name") for c in s.service_classes.all()) or "–" for s in services],
        ),
        Row(_("For whom"), [audience(s) for s in services]),
        Row(_("Languages served"), [language_names(s.languages) or gettext("Not stated") for s in services]),
        Row(
            _("Cost"),
            [
                format_html("{}<br>{}", cost_name(s.cost), translated(s, "cost_info"))
                if s.cost_info
                else cost_name(s.cost)
                for s in services
            ],
        ),
        Row(_("How to get in"), [lines(access_names(s.access)) or gettext("Ask the service") for s in services]),
        Row(
            _("Online booking and e-services"),
            [
                lines(
                    format_html('<a href="{}">{}</a>', link.url, translated(link, "title"))
                    for link in s.links.all()
                    if link.kind == "e_service"
                )
                or gettext("None")
                for s in services
            ],
        ),
    ]


def where_rows(services, locations, origin_given: bool, origin_label: str = "") -> list[Row]:
    def address(service, location):
        if location is None:
            return gettext("No visiting address")
        count = len(service.locations.all())
        cell = format_html(
            "{}<br>{}, {} {}",
            translated(location, "name"),
            translated(location, "street_address"),
            location.postal_code,
            translated(location.municipality, "name"),
        )
        if count > 1:
            if getattr(location, "distance_km", None) is not None:
                more = gettext("The nearest of %(count)s locations") % {"count": count}
            else:
                more = gettext("One of %(count)s locations") % {"count": count}
            cell = format_html('{}<br><span class="muted">{}</span>', cell, more)
        return cell

    rows = [Row(_("Visiting address"), [address(s, loc) for s, loc in zip(services, locations, strict=True)])]
    if origin_given:
        rows.append(
            Row(
                _("Distance"),
                [
                    gettext("%(km)s km") % {"km": formats.number_format(loc.distance_km, 1)}
                    if loc is not None and getattr(loc, "distance_km", None) is not None
                    else "–"
                    for loc in locations
                ],
                note=gettext("from %(place)s") % {"place": origin_label} if origin_label else "",
            )
        )
    return rows


def hours_rows(locations, today: dt.date) -> list[Row]:
    schedules = [
        hours.week_schedule(today, loc.opening_hours.all(), loc.exceptions.all()) if loc is not None else None
        for loc in locations
    ]
    rows = []
    for offset in range(7):
        day = today + dt.timedelta(days=offset)
        cells = [day_cell(*schedule[offset][1:]) if schedule is not None else "–" for schedule in schedules]
        rows.append(Row(formats.date_format(day, "D j.n."), cells, note=gettext("today") if offset == 0 else ""))
    return rows


def accessibility_rows(locations) -> list[Row]:
    rows = []
    for name in Place.ACCESSIBILITY_FIELDS:
        values = [getattr(loc, name) if loc is not None else None for loc in locations]
        if all(value is None for value in values):
            continue  # Nothing known about it for any chosen service: no row of "not known"s.
        label = Place._meta.get_field(name).verbose_name
        rows.append(Row(label[:1].upper() + label[1:], [yes_no(value) for value in values]))
    return rows


def contact_rows(services) -> list[Row]:
    phones = [
        [
            format_html('<a href="tel:{}">{}</a>', phone.number.replace(" ", ""), phone.number)
            for phone in s.phones.all()
        ]
        for s in services
    ]
    emails = [
        [format_html('<a href="mailto:{0}">{0}</a>', email.address) for email in s.emails.all()] for s in services
    ]
    web = [
        [
            format_html('<a href="{}">{}</a>', link.url, translated(link, "title"))
            for link in s.links.all()
            if link.kind != "e_service"
        ]
        for s in services
    ]
    rows = [
        Row(label, [lines(items) or "–" for items in per_service])
        for label, per_service in ((_("Phone"), phones), (_("E-mail"), emails), (_("Online"), web))
        if any(per_service)
    ]

    def checked(service):
        if not service.reviewed_at:
            return gettext("Not yet confirmed")
        date = formats.date_format(service.reviewed_at, "SHORT_DATE_FORMAT")
        if may_be_out_of_date(service.reviewed_at):
            return format_html('{}<br><strong class="out-of-date">{}</strong>', date, gettext("May be out of date"))
        return date

    return [*rows, Row(_("Information checked"), [checked(s) for s in services])]


def compare_groups(services, locations, *, origin_given: bool, today: dt.date, origin_label: str = "") -> list[Group]:
    """The comparison's row groups for *services* and the location shown of each (None when it has none).

    With *origin_given* (the family gave a position) the locations are the nearest ones, with their distance_km;
    *origin_label* names the place they are measured from when the family did not give it on this page.
    """
    groups = [
        Group(_("The service"), "service", service_rows(services)),
        Group(_("Where"), "where", where_rows(services, locations, origin_given, origin_label)),
        Group(_("Opening hours for the next 7 days"), "hours", hours_rows(locations, today)),
        Group(_("Accessibility"), "accessibility", accessibility_rows(locations)),
        Group(_("Contact"), "contact", contact_rows(services)),
    ]
    for group in groups:
        for row in group.rows:
            row.columns = list(zip(services, row.cells, strict=True))
    return [group for group in groups if group.rows]
