"""Search result cards, each rendered once and then served from the cache, so a page of 20 cards costs one get_many.

A card (templates/services/includes/service_card.html) shows the service, the location the search picked (nearest
to the family's position, else in the chosen municipality), that location's hours today and whether it is open now,
and the links that carry the family's comparison. Its cache key therefore holds everything its HTML depends on:

- the service's id and the search data version (services/search/caching.py), which every write to the data a card
  shows advances, so an edit shows at once;
- the language and the local date (the card shows today's hours); "open now" is kept with the HTML as the moment the
  shown location next opens or closes (hours.next_change()), and a card read at or after it is rendered again, so a
  card lives until its status changes, not for a minute;
- what picks the location: the chosen municipality or postcode, and the point distances are measured from (the
  family's position, else the chosen place's point; the distance is shown);
- the comparison ids, which the card's links carry and its toggle reads.

The one part that depends on the whole request, the toggle's link (the current page's parameters with this service
added to or removed from the comparison), is rendered as a random marker and put in after the cache, per request.
Inside a transaction (no data version) cards are rendered and not cached, like the facet counts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .hours import HELSINKI, next_change
from .search import SearchQuery, cards_in_order
from .search.caching import cache_key

CARD_TEMPLATE = "services/includes/service_card.html"
# The context variable that makes {% compare_toggle_query %} write the marker instead of the link.
TOGGLE_MARKER = "card_toggle_marker"


@dataclass
class ResultCard:
    """One result of a page: its id, the cached HTML (None: to render) and the service when it had to be loaded."""

    pk: int
    key: str | None
    html: str | None = None
    marker: str = ""
    service: object | None = None


def result_cards(
    ids: list[int],
    query: SearchQuery,
    *,
    language: str,
    version: int | None,
    compare_ids: list[int],
    locate,
) -> list[ResultCard]:
    """The cards of *ids*, in order: from the cache where rendered, else with their services loaded (one batch of
    queries for all the misses) and the location to show picked by ``locate(service, query)``."""
    now = timezone.now()
    today = timezone.localtime(now, HELSINKI).date().isoformat()
    # What picks the location and its distance: the municipality, the postcode and the point measured from (the
    # family's position, else the chosen place's point).
    place = (getattr(query.municipality, "code", query.municipality), query.postcode, query.distance_from)
    cards = [
        ResultCard(
            pk,
            None if version is None else cache_key("search-card", version, language, today, pk, place, compare_ids),
        )
        for pk in ids
    ]
    cached = cache.get_many([card.key for card in cards if card.key])
    missing = []
    for card in cards:
        hit = cached.get(card.key)
        if hit is not None and now.timestamp() < hit[2]:
            card.html, card.marker, _until = hit
        else:
            missing.append(card)
    if missing:
        services = {
            service.pk: service for service in cards_in_order(query, [card.pk for card in missing], upcoming=False)
        }
        for card in missing:
            card.service = services.get(card.pk)
            if card.service is not None:
                card.service.card_location = locate(card.service, query)
    return [card for card in cards if card.html is not None or card.service is not None]


def render_card(context, card: ResultCard, toggle_query) -> SafeString:
    """The card's HTML in the page's *context*: rendered (and cached) on a miss, and the toggle link put in."""
    if card.html is None:
        template = context.template.engine.get_template(CARD_TEMPLATE)
        marker = "card" + secrets.token_hex(16)
        with context.push(service=card.service, **{TOGGLE_MARKER: marker}):
            html = str(template.render(context))
        if card.key:
            now = timezone.now()
            location = getattr(card.service, "card_location", None)
            if location is None:
                until = next_change(now, (), ())  # the end of the day
            else:
                until = next_change(now, location.opening_hours.all(), location.exceptions.all())
            # Kept until then (at most the end of the day); any write to the search data moves the version anyway.
            seconds = int((until - now).total_seconds())
            if seconds > 0:
                cache.set(card.key, (html, marker, until.timestamp()), seconds)
        card.html, card.marker = html, marker
    return mark_safe(card.html.replace(card.marker, str(conditional_escape(toggle_query))))  # noqa: S308 - our HTML


FACET_GROUP_TEMPLATE = "services/includes/facet_group.html"
FACET_GROUP_SECONDS = 300


def render_facet_group(context, group: dict) -> SafeString:
    """A facet group of the search page (up to ~300 municipalities with their counts), rendered once per content.

    The fragment reads only the group (name, legend, widget, values with counts and selection, errors), so its key is
    that content itself: never stale, and shared by every search with the same counts (the facet counts are cached
    per search for a minute).
    """
    values = tuple((v.value, v.label, v.count, v.selected) for v in group["values"])
    errors = tuple(str(error) for error in group["errors"])
    key = cache_key(
        "search-facet-group", get_language(), group["name"], str(group["legend"]), group["widget"], values, errors
    )
    html = cache.get(key)
    if html is None:
        template = context.template.engine.get_template(FACET_GROUP_TEMPLATE)
        with context.push(group=group):
            html = str(template.render(context))
        cache.set(key, html, FACET_GROUP_SECONDS)
    return mark_safe(html)  # noqa: S308 - our template's output
