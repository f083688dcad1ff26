"""Template helpers for family pages: fallback-language marking, ages, opening hours, the compare list."""

import datetime as dt
import functools
import re
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, ngettext

from services import hours
from services.cards import TOGGLE_MARKER
from services.choices import Access, Cost, Language

register = template.Library()

# Most services a family can compare side by side.
MAX_COMPARE = 4


def shown_language(obj, field: str, language: str | None = None) -> str | None:
    """The language whose text modeltranslation shows for *field*, or None when the field is empty.

    The active language's (or *language*'s) own column wins; otherwise the first fallback language that has text.
    """
    current = language or get_language() or settings.LANGUAGE_CODE
    if getattr(obj, f"{field}_{current}", None):
        return current
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    order = fallbacks.get(current, fallbacks.get("default", ())) if isinstance(fallbacks, dict) else fallbacks
    for code in order:
        if code != current and getattr(obj, f"{field}_{code}", None):
            return code
    return None


@register.filter
def lang_attr(obj, field: str):
    """` lang="fi"` when *field* of *obj* is shown in a fallback language, else nothing (WCAG 3.1.2).

    Use inside a start tag: ``<h1{{ service|lang_attr:"name" }}>{{ service.name }}</h1>``.
    """
    code = shown_language(obj, field)
    if code and code != get_language():
        return format_html(' lang="{}"', code)
    return ""


@register.filter
def translated(obj, field: str):
    """The text of *field*, wrapped in ``<span lang="…">`` when it comes from a fallback language."""
    value = getattr(obj, field, "") or ""
    code = shown_language(obj, field)
    if code and code != get_language():
        return format_html('<span lang="{}">{}</span>', code, value)
    return value


def names_its_town(place) -> bool:
    """True when the place's name already says its municipality as a word ("MLL:n perhekahvila, Aura" in Aura),
    so a line need not repeat it ("…, Aura, Aura"); "Perhekahvila Iiris" in Ii still gets ", Ii"."""
    return _names_town(place.municipality.name, place.name)


@functools.lru_cache(maxsize=4096)  # a calendar page asks for the same few places' names again and again
def _names_town(town: str, name: str) -> bool:
    return bool(town) and re.search(rf"\b{re.escape(town)}\b", name, re.IGNORECASE) is not None


@register.filter
def audience(obj) -> str:
    """Who a service or activity is for, in words: "Expecting parents; children aged 0–6"."""
    parts = []
    if obj.for_expecting:
        parts.append(gettext("expecting parents"))
    low, high = obj.age_min, obj.age_max
    if low is not None and high is not None:
        if low == high:
            text = ngettext("children aged %(age)s year", "children aged %(age)s years", low)
            parts.append(text % {"age": low})
        else:
            parts.append(gettext("children aged %(low)s–%(high)s") % {"low": low, "high": high})
    elif low is not None:
        parts.append(gettext("children from %(age)s years") % {"age": low})
    elif high is not None:
        parts.append(gettext("children up to %(age)s years") % {"age": high})
    if obj.for_parents:
        parts.append(gettext("parents"))
    if not parts:
        return gettext("Everyone")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


@functools.lru_cache(maxsize=64)
def _labels(choices, language: str | None) -> dict[str, str]:
    """The labels of a TextChoices class in *language*, which must be the active language (the cache key)."""
    return {value: str(label) for value, label in choices.choices}


def choice_labels(choices) -> dict[str, str]:
    """``{value: label}`` of a TextChoices class in the active language, worked out once per language."""
    return _labels(choices, get_language())


@register.filter
def language_names(codes) -> str:
    labels = choice_labels(Language)
    return ", ".join(labels.get(code, str(code)) for code in codes or [])


@register.filter
def access_names(codes) -> list[str]:
    labels = choice_labels(Access)
    return [labels.get(code, str(code)) for code in codes or []]


@register.filter
def cost_name(code) -> str:
    return choice_labels(Cost).get(code, str(code))


@register.simple_tag
def week_hours(place, days: int = 7):
    """[(date, intervals, exception, is_today)] from today on, from the place's prefetched hours."""
    today = timezone.localdate()
    return [
        (day, intervals, exception, day == today)
        for day, intervals, exception in hours.week_schedule(
            today, place.opening_hours.all(), place.exceptions.all(), days=days
        )
    ]


@register.simple_tag
def todays_hours(place):
    """The intervals and exception of today for *place* (prefetched hours)."""
    today = timezone.localdate()
    schedule = hours.week_schedule(today, place.opening_hours.all(), place.exceptions.all(), days=1)
    _day, intervals, exception = schedule[0]
    return {"intervals": intervals, "exception": exception}


@register.filter
def time_range(interval) -> str:
    """An opening range (anything with ``opens`` and ``closes``) as ``8.00–18.30`` in the page language's TIME_FORMAT,
    in one span that CSS keeps on one line: a range never wraps as ``8.00–`` / ``18.30``. A range open only by
    appointment says so after it."""
    shown = format_html(
        '<span class="time-range">{}–{}</span>',
        formats.time_format(interval.opens, "TIME_FORMAT"),
        formats.time_format(interval.closes, "TIME_FORMAT"),
    )
    if getattr(interval, "by_appointment", False):
        shown = format_html("{} ({})", shown, gettext("by appointment"))
    return shown


# Information last checked longer ago than this may be out of date, and the listing says so.
STALE_AFTER_MONTHS = 12


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month *months* earlier (the month's last day when it has no such day: 31.3. → 28.2.)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


@register.filter
def may_be_out_of_date(reviewed_at) -> bool:
    """Whether information last checked at *reviewed_at* (a datetime or date) was checked more than 12 months before
    today; today is django.utils.timezone's local date, so tests can freeze it. Never-checked listings say so
    differently and are not "out of date" here."""
    if reviewed_at is None:
        return False
    checked = timezone.localdate(reviewed_at) if isinstance(reviewed_at, dt.datetime) else reviewed_at
    return checked < months_before(timezone.localdate(), STALE_AFTER_MONTHS)


# --- The comparison list travels in the URL (?compare=1,2,3), never in a cookie. ---


def parse_ids(raw: str, limit: int | None = None) -> tuple[list[int], bool]:
    """Positive integer ids from a comma-separated string, in order and without duplicates.

    Returns (ids, had_garbage): had_garbage is True when something that is not an id was dropped.
    """
    ids: list[int] = []
    garbage = False
    for token in (raw or "").split(","):
        token = token.strip()
        if not token:
            continue
        if token.isascii() and token.isdigit() and len(token) <= 18 and int(token) > 0:
            value = int(token)
            if value not in ids:
                ids.append(value)
        else:
            garbage = True
    if limit is not None:
        ids = ids[:limit]
    return ids, garbage


@register.filter
def urlencode_params(params) -> str:
    """A dict of search parameters (lists allowed) as a query string."""
    return urlencode(params or {}, doseq=True)


def join_ids(ids) -> str:
    return ",".join(str(i) for i in ids)


@register.simple_tag(takes_context=True)
def compare_toggle_query(context, service_id):
    """The current page's query string with *service_id* added to or removed from ?compare=."""
    marker = context.get(TOGGLE_MARKER)
    if marker:  # a cached card: the link is put in per request (services/cards.py)
        return marker
    request = context["request"]
    ids = list(context.get("compare_ids", []))
    if service_id in ids:
        ids.remove(service_id)
    else:
        ids = (ids + [service_id])[-MAX_COMPARE:]
    params = request.GET.copy()
    if ids:
        params["compare"] = join_ids(ids)
    else:
        params.pop("compare", None)
    return "?" + params.urlencode() if params else "?"


@register.simple_tag(takes_context=True)
def service_card(context, card):
    """A search result card (services/cards.py: a ResultCard), from the cache or rendered and cached."""
    from services.cards import render_card

    return render_card(context, card, compare_toggle_query(context, card.pk))


@register.simple_tag(takes_context=True)
def facet_group(context, group):
    """A facet group of the search page, rendered once per content (services/cards.py)."""
    from services.cards import render_facet_group

    return render_facet_group(context, group)


@register.filter
def markdown(text):
    """A description as safe HTML: paragraphs, lists, bold and links (services/richtext.py)."""
    from services.richtext import render_markdown

    return render_markdown(text)


@register.filter
def town_suffix(place) -> str:
    """ ", Aura" to follow a place's name, or nothing when the name already says the town (`names_its_town`).

    Keeps activity lines from saying the town twice ("MLL:n perhekahvila, Aura, Aura").
    """
    return "" if names_its_town(place) else f", {place.municipality.name}"
