"""An activity's occurrence as a calendar entry. Every activity listing of the site (the activity calendar, the area
and organisation pages, a meeting place's page) shows up to about 50 of them, so an entry is put together here in
Python: a template include per entry cost about three times as much, most of a calendar page's rendering."""

import functools
from html import escape  # django.utils.html.escape without its lazy-text wrapper: the same output

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from services.templatetags.family import audience, cost_name, language_names, shown_language, town_suffix

from ..calendar import PLACE_OPENS_FOR_IT

register = template.Library()


def _shown(obj, field: str, language: str) -> tuple[str, str]:
    """*field*'s text as modeltranslation shows it, escaped, and ` lang="…"` when a fallback language's text is shown
    (services/templatetags/family.py lang_attr)."""
    code = shown_language(obj, field, language)
    text = getattr(obj, f"{field}_{code}") if code else getattr(obj, field)
    return escape(str(text or "")), f' lang="{code}"' if code and code != language else ""


@functools.lru_cache(maxsize=1024)
def _clock(value, language: str) -> str:
    """*value* (a time) in the TIME_FORMAT of *language*, which must be the active language (the cache key)."""
    return formats.time_format(value, "TIME_FORMAT")


@register.simple_tag
def occurrence_entry(occurrence, level=3, show_date=False, hide_place=False, hide_provider=False):
    """``<li class="event">`` for *occurrence* (calendar.Occurrence): when, what, where, for whom, cost, registration
    and organiser, under a heading of *level*. *show_date* puts the date before the times; *hide_place* and
    *hide_provider* leave out the meeting place and the organiser (on a page about them)."""
    # The gettext calls stay outside the f-strings: makemessages (xgettext) does not read inside them.
    language = get_language()
    activity = occurrence.activity
    place = activity.meeting_place
    day, starts = occurrence.date, activity.start_time
    when = f"{_clock(starts, language)}–{_clock(activity.end_time, language)}"
    if show_date:
        when = f"{escape(formats.date_format(day, 'D j.n.'))} {when}"
    title, title_lang = _shown(activity, "title", language)
    lines = [
        f'<li class="event{" event--cancelled" if occurrence.is_cancelled else ""}">',
        f'  <p class="event__when"><time datetime="{day.isoformat()}T{starts:%H:%M}">{when}</time></p>',
        f'  <h{level} class="event__title"{title_lang}>{title}</h{level}>',
    ]
    if occurrence.is_cancelled:
        reason, reason_lang = _shown(occurrence.closure, "reason", language)
        because = f" <span{reason_lang}>{reason}</span>" if reason else ""
        cancelled = escape(gettext("Cancelled: the meeting place is closed on this day."))
        lines.append(f'  <p class="event__status event__status--cancelled">{cancelled}{because}</p>')
    elif occurrence.place_day == PLACE_OPENS_FOR_IT:
        opens = escape(gettext("The meeting place opens for this activity."))
        lines.append(f'  <p class="event__status">{opens}</p>')
    facts = []
    if not hide_place:
        name, name_lang = _shown(place, "name", language)
        url = escape(place.get_absolute_url())
        facts.append(f'<a href="{url}"{name_lang}>{name}</a>{escape(town_suffix(place))}')
    facts.append(escape(audience(activity)))
    if activity.languages:
        label = escape(gettext("Language"))
        facts[-1] += f" · {label}: {escape(language_names(activity.languages))}"
    cost_info, cost_info_lang = _shown(activity, "cost_info", language)
    cost = escape(cost_name(activity.cost))
    facts.append(f"{cost} – {_in_lang(cost_info, cost_info_lang)}" if cost_info else cost)
    if activity.registration_required:
        info, info_lang = _shown(activity, "registration_info", language)
        needed = escape(gettext("Registration needed"))
        facts.append(f"{needed}: {_in_lang(info, info_lang)}" if info else needed)
    else:
        facts.append(escape(gettext("No registration, just come")))
    lines.append(f'  <p class="event__facts">{" · ".join(facts)}</p>')
    if not hide_provider and activity.organiser_id and activity.organiser_id != place.organisation_id:
        provider = activity.provider
        name, name_lang = _shown(provider, "name", language)
        url = escape(provider.get_absolute_url())
        by = escape(gettext("Organiser"))
        lines.append(f'  <p class="event__by">{by}: <a href="{url}"{name_lang}>{name}</a></p>')
    lines.append("</li>")
    return mark_safe("\n".join(lines))  # noqa: S308 - every text above is escaped


def _in_lang(text: str, lang: str) -> str:
    """*text* in a ``<span lang="…">`` when it is shown in a fallback language (family.py translated)."""
    return f"<span{lang}>{text}</span>" if lang else text
