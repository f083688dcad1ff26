"""The checking rhythm: partners are reminded at 6 months, their area's coordinators told at 9, families warned at 12.

One implementation for services and meeting places (``REVIEWED``), in weekly rounds that start on Monday at 07:00
Helsinki time. The tasks run hourly; a round's first run sends, later runs find nothing new, and a round lost while
the broker or worker was down is caught up by the next run.

- **Reminder** (``REVIEW_REMINDER_DAYS``, 183): each organisation with published entries not checked for that long
  gets one fi/sv mail (its own address and its editors) listing them, with a link to its partner page's "due for
  checking" list (``/<lang>/partner/?due=1``; after signing in, the login's ``next`` brings the partner back there).
- **Escalation** (``REVIEW_ESCALATION_DAYS``, 274): each area's coordinators get one fi/sv mail listing the entries of
  their area still not checked, by organisation.
- **12 months**: the public pages say the information may be out of date (``may_be_out_of_date``), no mail.

Each stage reaches an entry at most once per period it is due: ``review_reminder_sent_at``/``review_escalated_at``
record it, and checking the entry (``organisations.review.mark_checked``) clears both; a later check starts a new
period. ``run_once`` keyed by organisation (or area) and round keeps a round to one mail even if those fields are reset.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.utils import parseaddr

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from organisations import access
from organisations.models import Membership, Organisation, WellbeingArea
from organisations.review import due_for_check

from .jobs import run_once

logger = logging.getLogger(__name__)

# The kinds of entry a partner checks.
REVIEWED = ("services.Service", "meetingplaces.MeetingPlace")
# Mails to partners and coordinators go out in both national languages, Finnish first.
MAIL_LANGUAGES = ("fi", "sv")
SECTION_BREAK = "\n\n----------\n\n"
# The weekly round starts on Monday at 07:00 local (Helsinki) time.
REMINDER_WEEKDAY = 0
REMINDER_TIME = dt.time(7, 0)


def reminder_round(now: dt.datetime) -> dt.datetime:
    """The start of the weekly round that ``now`` falls in: the latest Monday 07:00 local time."""
    local = timezone.localtime(now)
    day = local.date() - dt.timedelta(days=(local.weekday() - REMINDER_WEEKDAY) % 7)
    start = timezone.make_aware(dt.datetime.combine(day, REMINDER_TIME))
    if start > now:
        start = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=7), REMINDER_TIME))
    return start


def _models():
    return [apps.get_model(label) for label in REVIEWED]


def not_yet_sent(queryset, sent_field: str, days: int, now: dt.datetime):
    """Entries due *days* after their last check that the stage (*sent_field*) has not reached in this period."""
    return due_for_check(queryset, now, days=days).filter(
        Q(**{f"{sent_field}__isnull": True})
        | Q(reviewed_at__isnull=False, **{f"{sent_field}__lt": F("reviewed_at") + dt.timedelta(days=days)})
    )


def bilingual_mail(subject, body, *, to: list[str], message_id: str) -> EmailMessage:
    """One mail with *subject()* and *body()* rendered in each MAIL_LANGUAGES, Finnish first."""
    subjects, sections = [], []
    for language in MAIL_LANGUAGES:
        with translation.override(language):
            text = subject()
            if text not in subjects:
                subjects.append(text)
            sections.append(body(language))
    return EmailMessage(
        subject=" / ".join(subjects), body=SECTION_BREAK.join(sections), to=to, headers={"Message-ID": message_id}
    )


def message_id(kind: str, key: str) -> str:
    """The same id whenever the same mail is sent again (sent, then its transaction failed)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "perhekeskus.invalid"
    return f"<{kind}.{key}@{domain}>"


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def coordinator_addresses(area: WellbeingArea) -> list[str]:
    """The e-mail addresses of the area's active coordinators."""
    return sorted(
        set(
            Membership.objects.filter(role=Membership.Role.COORDINATOR, areas=area, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _checked_text(entry) -> str:
    if entry.reviewed_at:
        return gettext("last checked %(date)s") % {
            "date": formats.date_format(timezone.localdate(entry.reviewed_at), "SHORT_DATE_FORMAT")
        }
    return gettext("never checked")


# --- 6 months: the organisation ---------------------------------------------------------------------------------


def send_review_reminders(*, now: dt.datetime | None = None) -> int:
    """E-mail each organisation with entries due as of this week's round one fi/sv reminder; the number sent."""
    now = now or timezone.now()
    round_start = reminder_round(now)
    organisation_ids = set()
    for model in _models():
        due = not_yet_sent(model.objects.all(), "review_reminder_sent_at", settings.REVIEW_REMINDER_DAYS, round_start)
        organisation_ids.update(due.order_by().values_list("organisation_id", flat=True).distinct())
    sent = 0
    for organisation in Organisation.objects.filter(pk__in=organisation_ids).order_by("pk"):
        if _send_review_reminder(organisation=organisation, round_start=round_start, now=now):
            sent += 1
    return sent


def review_reminder_recipients(organisation: Organisation) -> list[str]:
    addresses = {organisation.email} if organisation.email else set()
    addresses.update(
        Membership.objects.filter(organisation=organisation, role=Membership.Role.EDITOR, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(addresses)


def _locked_due(model, *, sent_field: str, days: int, round_start, **filters) -> list:
    # Row locks keep two overlapping runs from mailing about the same entries twice.
    return list(
        not_yet_sent(model.objects.filter(**filters), sent_field, days, round_start)
        .select_related("organisation")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("name_fi", "pk")
    )


@transaction.atomic
def _send_review_reminder(*, organisation: Organisation, round_start: dt.datetime, now: dt.datetime) -> bool:
    days = settings.REVIEW_REMINDER_DAYS
    entries = {
        model: _locked_due(
            model, sent_field="review_reminder_sent_at", days=days, round_start=round_start, organisation=organisation
        )
        for model in _models()
    }
    if not any(entries.values()):
        return False
    recipients = review_reminder_recipients(organisation)
    if not recipients:
        logger.warning("No e-mail address for organisation %s; review reminder not sent", organisation.pk)
        return False
    # One reminder per organisation and round, whatever happens to the entries' bookkeeping in between.
    with run_once("send_review_reminders", f"{organisation.pk}:{round_start.isoformat()}") as first:
        if not first:
            return False
        for model, rows in entries.items():
            model.objects.filter(pk__in=[row.pk for row in rows]).update(review_reminder_sent_at=now)
        rows = [row for model_rows in entries.values() for row in model_rows]
        bilingual_mail(
            lambda: gettext("Please check the information about your family services"),
            lambda language: _reminder_text(organisation, rows, language),
            to=recipients,
            message_id=message_id("review-reminder", f"{organisation.pk}.{_stamp(round_start)}"),
        ).send()
    return True


def _stamp(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%Y%m%dT%H%MZ}"


def _reminder_text(organisation: Organisation, entries: list, language: str) -> str:
    """The reminder in the active language; entry names come from that language's fields."""
    with translation.override(language):
        due_list = site_url(reverse("partners:home")) + "?due=1"
    lines = [
        gettext(
            "The information about these services of %(organisation)s has not been checked for a while. "
            "Families rely on it, so please check that it is still correct and mark the services as checked:"
        )
        % {"organisation": organisation.name},
        "",
        *[f"- {entry} ({_checked_text(entry)})" for entry in entries],
        "",
        gettext("Your list of entries due for checking (sign in first): %(url)s") % {"url": due_list},
    ]
    return "\n".join(lines)


# --- 9 months: the area's coordinators ---------------------------------------------------------------------------


def send_review_escalations(*, now: dt.datetime | None = None) -> int:
    """E-mail each area's coordinators the entries of their area unchecked for REVIEW_ESCALATION_DAYS as of this
    week's round, once per area and round; marks escalated only the entries a mail went out about (an area with no
    coordinator address is tried again next round). The number of mails sent."""
    now = now or timezone.now()
    round_start = reminder_round(now)
    days = settings.REVIEW_ESCALATION_DAYS
    sent = 0
    for area in WellbeingArea.objects.order_by("code"):
        with run_once("send_review_escalations", f"{area.code}:{round_start.isoformat()}") as first:
            if not first:
                continue
            entries = {
                model: _in_area(
                    _locked_due(model, sent_field="review_escalated_at", days=days, round_start=round_start), area
                )
                for model in _models()
            }
            if _send_escalation(area=area, entries=entries, round_start=round_start):
                for model, rows in entries.items():
                    model.objects.filter(pk__in=[row.pk for row in rows]).update(review_escalated_at=now)
                sent += 1
    return sent


def _in_area(rows: list, area: WellbeingArea) -> list:
    """The locked rows (kept as they are) that belong to *area*."""
    if not rows:
        return []
    model = rows[0].__class__
    locked = model.objects.filter(pk__in=[row.pk for row in rows])
    ids = set(access.in_areas(locked, [area]).values_list("pk", flat=True))
    return [row for row in rows if row.pk in ids]


def _send_escalation(*, area: WellbeingArea, entries: dict, round_start: dt.datetime) -> bool:
    rows = [row for model_rows in entries.values() for row in model_rows]
    if not rows:
        return False
    recipients = coordinator_addresses(area)
    if not recipients:
        logger.warning("No coordinator addresses for area %s; escalation not sent", area.code)
        return False
    bilingual_mail(
        lambda: gettext("Entries in your area not checked for nine months"),
        lambda language: _escalation_text(area, rows, language),
        to=recipients,
        message_id=message_id("review-escalation", f"{area.code}.{_stamp(round_start)}"),
    ).send()
    return True


def _escalation_text(area: WellbeingArea, rows: list, language: str) -> str:
    by_organisation: dict[str, list] = {}
    for row in sorted(rows, key=lambda row: (str(row.organisation), str(row))):
        by_organisation.setdefault(str(row.organisation), []).append(row)
    lines = [
        gettext(
            "The partners of %(area)s have not checked these entries although they were reminded. "
            "Please contact them, or check the entries yourself:"
        )
        % {"area": area.name},
    ]
    for organisation, organisation_rows in by_organisation.items():
        lines += ["", organisation]
        for row in organisation_rows:
            admin_url = reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])
            lines.append(f"- {row} ({_checked_text(row)}): {site_url(admin_url)}")
    return "\n".join(lines)
