"""Real gaps in the demo data, so the coordinator dashboard shows what it is for after ``make run``.

The generated data is complete where it can be; a real network is not. Per area this leaves: every
SWEDISH_GAP_EVERY-th published service of a bilingual municipality without its Swedish summary and description (the
Swedish name stays), services last checked 7, 10 and 13 months before the seed date, one broken web address in the
link check's results, and a few searches that found nothing in the past weeks. Deterministic for a seed date.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from organisations.models import LinkCheck
from services.models import SearchMiss, Service, WebLink
from services.templatetags.family import months_before

SWEDISH_GAP_EVERY = 8
STALE_MONTHS = (7, 10, 13)
# (words, language of the page, searches): what families looked for and did not find.
SEARCH_MISSES = (
    ("vauvauinti", "fi", 9),
    ("kaksosperheet", "fi", 6),
    ("perheleiri", "fi", 5),
    ("babysim", "sv", 4),
    ("adoptio", "fi", 3),
    ("tvillingfamiljer", "sv", 2),
)
BROKEN_DAYS = 9


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


def leave_gaps(*, areas, organisations, today: dt.date) -> None:
    """Leave the gaps above in the demo *organisations*' entries of each of *areas* (a few queries per area)."""
    for area in areas:
        services = Service.objects.filter(organisation__in=organisations, state="published")
        in_area = services.filter(municipalities__area=area).order_by("slug").values_list("pk", flat=True).distinct()
        bilingual = in_area.filter(municipalities__language__contains="sv")
        without_swedish = set(list(bilingual)[::SWEDISH_GAP_EVERY])
        Service.objects.filter(pk__in=without_swedish).update(summary_sv=None, description_sv=None)
        others = [pk for pk in in_area if pk not in without_swedish]
        for pk, months in zip(others[1:], STALE_MONTHS, strict=False):
            Service.objects.filter(pk=pk).update(reviewed_at=_at(months_before(today, months), 9))
        link = WebLink.objects.filter(service_id__in=others[:1]).order_by("url_fi").first()
        if link is not None:
            LinkCheck.objects.update_or_create(
                url=link.url_fi,
                defaults={
                    "outcome": LinkCheck.Outcome.BROKEN,
                    "status": 404,
                    "reason": LinkCheck.Reason.STATUS,
                    "error": "",
                    "checked_at": _at(today, 3),
                    "broken_since": _at(today - dt.timedelta(days=BROKEN_DAYS), 3),
                },
            )
        for index, (words, language, count) in enumerate(SEARCH_MISSES):
            SearchMiss.objects.update_or_create(
                day=today - dt.timedelta(days=1 + 3 * index),
                language=language,
                words=words,
                area=area,
                defaults={"count": count},
            )
