"""The daily digest: each morning an area's coordinators read what partners changed in their area yesterday.

Partners' edits to published entries go live at once (the issue's rule); the digest is how the coordinators still see
every one of them, with its diff and a link to the record's admin page, where "Revert this change" undoes it. It
lists:

- yesterday's (Helsinki time) changes, new entries and deletions recorded by anyone who is not a coordinator of the
  area (nor a superuser): the partners' own edits, grouped by entry;
- the new drafts created yesterday that still wait for a coordinator's approval.

One mail per area and day (``run_once`` keyed by area and date), in Finnish and Swedish (the coordinators' language
is not known), and none when nothing happened.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from organisations.history_display import readable_changes, row_text, text_lines
from organisations.models import ChangeRecord, Membership, WellbeingArea

from .jobs import run_once
from .reminders import bilingual_mail, coordinator_addresses, message_id, site_url

# What a partner's day in the history can hold that a coordinator should see.
DIGESTED = (ChangeRecord.Action.CHANGED, ChangeRecord.Action.CREATED, ChangeRecord.Action.DELETED)


def send_change_digests(*, now: dt.datetime | None = None) -> int:
    """Send each area's digest of the previous day (local time); the number of mails sent."""
    now = now or timezone.now()
    day = timezone.localdate(now) - dt.timedelta(days=1)
    sent = 0
    for area in WellbeingArea.objects.order_by("code"):
        if send_area_digest(area=area, day=day):
            sent += 1
    return sent


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def partner_records(area: WellbeingArea, day: dt.date):
    """The area's records of *day* made by partners: not by its coordinators, superusers or the system."""
    start, end = day_bounds(day)
    coordinators = Membership.objects.filter(role=Membership.Role.COORDINATOR, areas=area).values("user")
    staff = get_user_model().objects.filter(Q(pk__in=coordinators) | Q(is_superuser=True)).values("pk")
    return (
        ChangeRecord.objects.filter(at__gte=start, at__lt=end, area_ids__contains=[area.pk], action__in=DIGESTED)
        .exclude(user=None)
        .exclude(user__in=staff)
        .select_related("content_type", "organisation")
        .order_by("at", "pk")
    )


def _entries(records: list[ChangeRecord]) -> dict[tuple[int, int], Model]:
    """The entries of *records* that still exist, by (content type id, object id): one query per kind of entry."""
    by_type: dict = {}
    for record in records:
        by_type.setdefault(record.content_type, set()).add(record.object_id)
    found = {}
    for content_type, ids in by_type.items():
        model = content_type.model_class()
        if model is not None:
            found |= {(content_type.pk, entry.pk): entry for entry in model._default_manager.filter(pk__in=ids)}
    return found


def _entry_name(records: list[ChangeRecord], entries: dict) -> str:
    """The entry's name in the active language, Finnish where it has none (modeltranslation's fallback, as on the
    site): the entry as it is now or, when it is gone, as it was deleted. ``object_repr`` is in the language of whoever
    made the change, so it is the last resort."""
    first = records[-1]
    entry = entries.get((first.content_type_id, first.object_id))
    if entry is not None:
        return str(entry)
    model = first.content_type.model_class()
    deletion = next((r for r in reversed(records) if r.action == ChangeRecord.Action.DELETED), None)
    if model is not None and deletion is not None:
        return row_text(model, {key: values[0] for key, values in deletion.changes.items()})
    return first.object_repr


def send_area_digest(*, area: WellbeingArea, day: dt.date) -> bool:
    """The area's digest of *day*, once; False when there was nothing to tell, nobody to tell or it was sent."""
    records = list(partner_records(area, day))
    if not records:
        return False
    entries = _entries(records)
    created = [r for r in records if r.action == ChangeRecord.Action.CREATED]
    still_drafts = {
        r.pk for r in created if getattr(entries.get((r.content_type_id, r.object_id)), "state", "") == "draft"
    }
    drafts = [r for r in created if r.pk in still_drafts]
    changes = [r for r in records if r.pk not in still_drafts]
    recipients = coordinator_addresses(area)
    if not recipients:
        return False
    with run_once("send_change_digests", f"{area.pk}:{day.isoformat()}") as first:
        if not first:
            return False
        bilingual_mail(
            lambda: (
                gettext("Changes by partners in %(area)s on %(date)s")
                % {"area": area.name, "date": formats.date_format(day, "SHORT_DATE_FORMAT")}
            ),
            lambda language: digest_text(area, changes, drafts, entries),
            to=recipients,
            message_id=message_id("change-digest", f"{area.code}.{day:%Y%m%d}"),
        ).send()
    return True


def digest_text(area: WellbeingArea, changes: list[ChangeRecord], drafts: list[ChangeRecord], entries: dict) -> str:
    """The digest in the active language; *entries*: ``_entries()`` of the records, for their names."""
    lines: list[str] = []
    if changes:
        lines += [gettext("Partners changed these entries. Open a change to see it in full or to revert it."), ""]
        for records in _by_entry(changes).values():
            lines += _entry_lines(records, entries)
    if drafts:
        lines += [gettext("New drafts waiting for your approval:"), ""]
        for record in drafts:
            name = _entry_name([record], entries)
            lines.append(f"- {_kind(record)}: {name} ({record.organisation or '–'}), {record.user_repr}")
            lines.append(f"  {_admin_url(record)}")
        lines.append("")
    return "\n".join(lines).rstrip()


def _by_entry(records: list[ChangeRecord]) -> dict:
    grouped: dict[tuple, list[ChangeRecord]] = defaultdict(list)
    for record in records:
        grouped[(record.content_type_id, record.object_id)].append(record)
    return grouped


def _kind(record: ChangeRecord) -> str:
    model = record.content_type.model_class()
    name = str(model._meta.verbose_name) if model else record.content_type.model
    return name[:1].upper() + name[1:]


def _entry_lines(records: list[ChangeRecord], entries: dict) -> list[str]:
    first = records[-1]
    lines = [f"{_kind(first)}: {_entry_name(records, entries)} ({first.organisation or '–'})"]
    for record in records:
        when = formats.date_format(timezone.localtime(record.at), "SHORT_DATETIME_FORMAT")
        lines.append(f"  {when} {record.user_repr}: {record.get_action_display()}")
        if record.action == ChangeRecord.Action.CHANGED:
            model = record.content_type.model_class()
            for change in readable_changes(model, record.changes) if model else []:
                lines += [f"    {line}" for line in text_lines(change)]
        lines.append("  " + gettext("See or revert: %(url)s") % {"url": _record_url(record)})
    lines.append("")
    return lines


def _record_url(record: ChangeRecord) -> str:
    return site_url(reverse("admin:organisations_changerecord_change", args=[record.pk]))


def _admin_url(record: ChangeRecord) -> str:
    model = record.content_type.model_class()
    return site_url(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.object_id]))
