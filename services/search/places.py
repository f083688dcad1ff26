"""Place words in the search box: "lastenneuvola turku", "turun lastenneuvola", "lastenneuvola 20100",
"barnrådgivning i Åbo" choose the place, and the rest is what the family looks for.

A municipality's name in Finnish or Swedish, in any inflected form Voikko can analyse ("Turun", "Turussa",
"Helsingissä"), a post office name that is not an ordinary word (many are villages and districts: "Nikkilä",
"Karis"), or a postal code known to
the reference data becomes the municipality (or postcode) filter, shown and removable like one chosen by hand. A
Swedish or English preposition just before the place ("i Åbo", "in Espoo") goes with it. Nothing is taken when the
family has already chosen a municipality or postcode.

The search's "where" field is read the same way (place_from_where). A chosen place also gives the point distances
are measured from (place_point): a postcode area is the mean position of the places we know in it (the reference data
has no postcode coordinates), else its municipality's; a municipality is its centre (municipality_centre).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext

from organisations.models import Municipality, PostalCode

from ..demo.facts import municipality_centres
from ..models import Location
from .caching import cached_value
from .text import MAX_QUERY_LENGTH, base_forms, fold, word_classes
from .visit import MUNICIPALITY, POSITION, POSTCODE, VisitPlace

# Prepositions that belong to a place that follows them.
PREPOSITIONS = {"i", "på", "in", "at"}
# The reference data only changes with a release; a process re-reads it after this many seconds anyway.
INDEX_SECONDS = 600
_TOKEN_RE = re.compile(r"\S+")
_WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_POSTCODE_RE = re.compile(r"^\d{5}$")
MAX_WHERE_LENGTH = 100
# A postcode's point is kept this long under the data version (places added or moved there, the postcode's
# municipality changed: a new version and a new point at once).
POINT_CACHE_SECONDS = 600


@dataclass(frozen=True)
class PlaceFromWords:
    """What was read as a place: the words as typed, the parameter it sets and the rest of the words."""

    words: str
    param: str  # "municipality" or "postcode"
    value: str
    name: str  # the municipality's name in the page's language, for the notice
    rest: str


_index: dict[str, str] = {}
_index_at = 0.0
_lock = threading.Lock()


def place_index() -> dict[str, str]:
    """Folded place name → municipality code, from municipality names (fi, sv) and unambiguous post offices."""
    global _index, _index_at
    with _lock:
        if not _index or time.monotonic() - _index_at > INDEX_SECONDS:
            index: dict[str, str] = {}
            offices: dict[str, set[str]] = {}
            for office_fi, office_sv, code in PostalCode.objects.values_list(
                "post_office_fi", "post_office_sv", "municipality__code"
            ):
                for office in (office_fi, office_sv):
                    if office:
                        offices.setdefault(_key(office), set()).add(code)
            index.update({name: codes.pop() for name, codes in offices.items() if len(codes) == 1 and _placelike(name)})
            # Municipality names win over post offices of the same name.
            for name_fi, name_sv, code in Municipality.objects.values_list("name_fi", "name_sv", "code"):
                for name in (name_fi, name_sv):
                    if name:
                        index[_key(name)] = code
            _index, _index_at = index, time.monotonic()
        return _index


def _placelike(name: str) -> bool:
    """A post office name that is not also an ordinary word ("Ole" is a verb form to Voikko, "Nikkilä" a place)."""
    if len(name) < 4:
        return False
    classes = word_classes(name)
    return not classes or "paikannimi" in classes


def _key(text: str) -> str:
    return " ".join(fold(word) for word in _WORD_RE.findall(text.lower()))


def _word_keys(token: str) -> list[str]:
    """The keys a typed word may stand for: itself, and its Finnish base forms ("turun" → "turku")."""
    word = "".join(_WORD_RE.findall(token.lower()))
    if not word:
        return []
    return [fold(word), *(fold(form) for form in base_forms(word))]


def find_place(q: str, *, language: str = "fi") -> PlaceFromWords | None:
    """The first place named in *q*, or None. Two-word names ("Koski Tl", "Pedersören kunta") are tried first."""
    tokens = _TOKEN_RE.findall(q)
    if len(tokens) > 12:
        return None
    index = None
    for size in (2, 1):
        for start in range(len(tokens) - size + 1):
            chunk = tokens[start : start + size]
            if size == 1 and _POSTCODE_RE.match(chunk[0].strip(",.;")):
                code = chunk[0].strip(",.;")
                postal_code = PostalCode.objects.filter(code=code).select_related("municipality").first()
                if postal_code is not None:
                    return _found(tokens, start, size, "postcode", code, postal_code.municipality, language)
                continue
            index = index if index is not None else place_index()
            keys = [_key(" ".join(chunk))] if size == 2 else _word_keys(chunk[0])
            code = next((index[key] for key in keys if key in index), None)
            if code is not None:
                municipality = Municipality.objects.get(code=code)
                return _found(tokens, start, size, "municipality", code, municipality, language)
    return None


def _found(tokens, start, size, param, value, municipality, language) -> PlaceFromWords:
    end = start + size
    if start > 0 and tokens[start - 1].lower() in PREPOSITIONS:
        start -= 1
    name = getattr(municipality, f"name_{language}", "") or municipality.name_fi
    return PlaceFromWords(
        words=" ".join(tokens[start:end]),
        param=param,
        value=value,
        name=name,
        rest=" ".join(tokens[:start] + tokens[end:]),
    )


def place_from_words(params, *, language: str = "fi"):
    """*params* (a QueryDict) with a place in the words turned into its filter, and what was read (or None)."""
    q = params.get("q", "")
    # Over-long words are the form's to shorten and report; reading a place from them would cut them silently.
    if not q or len(q) > MAX_QUERY_LENGTH or params.get("municipality") or params.get("postcode"):
        return params, None
    place = find_place(q, language=language)
    if place is None:
        return params, None
    rewritten = params.copy()
    rewritten["q"] = place.rest
    rewritten[place.param] = place.value
    return rewritten, place


# --- The "where" field and the point distances are measured from ---


def place_from_where(text: str, *, language: str = "fi") -> VisitPlace | None:
    """The place typed in the "where" field: a postcode, or a municipality or post office named in any form the
    search words understand ("Turku", "Turussa", "Åbo", "20100", "20100 Turku"); None when none is recognised."""
    text = " ".join(text.split())[:MAX_WHERE_LENGTH]
    found = find_place(text, language=language) if text else None
    if found is None:
        return None
    return VisitPlace.postcode(found.value) if found.param == "postcode" else VisitPlace.municipality(found.value)


def place_label(place: VisitPlace, *, language: str) -> str:
    """How the place is shown in the "where" field and its chip: "Turku", "20100 Åbo", "Your location"."""
    if place.kind == POSITION:
        return gettext("Your location")
    if place.kind == POSTCODE:
        row = PostalCode.objects.filter(code=place.code).select_related("municipality").first()
        return f"{place.code} {_name(row.municipality, language)}" if row else place.code
    municipality = Municipality.objects.filter(code=place.code).first()
    return _name(municipality, language) if municipality else place.code


def _name(municipality: Municipality, language: str) -> str:
    return getattr(municipality, f"name_{language}", "") or municipality.name_fi


def mean_position(condition: Q, models=(Location,)) -> tuple[float, float] | None:
    """The mean position of the rows of *models* (places with coordinates) that match *condition*, or None."""
    lat_sum = lon_sum = count = 0
    for model in models:
        row = model.objects.filter(condition, latitude__isnull=False, longitude__isnull=False).aggregate(
            lat=Sum("latitude"), lon=Sum("longitude"), n=Count("pk")
        )
        if row["n"]:
            lat_sum, lon_sum, count = lat_sum + row["lat"], lon_sum + row["lon"], count + row["n"]
    return (lat_sum / count, lon_sum / count) if count else None


def municipality_centre(code: str) -> tuple[float, float] | None:
    """The centre of a municipality: from the list of all municipal centres that ships with the code
    (services/demo/data/municipality_centres.csv), else the mean position of the service locations we know there."""
    centre = municipality_centres().get(code)
    if centre is not None:
        return (centre.latitude, centre.longitude)
    return mean_position(Q(municipality__code=code))


def postcode_point(code: str) -> tuple[float, float] | None:
    """The point of a postcode area: the mean position of the service locations with that postcode, else its
    municipality's centre. Cached under the data version, never inside a transaction (it may see rows others do not)."""

    def compute():
        point = mean_position(Q(postal_code=code))
        if point is None:
            municipality = PostalCode.objects.filter(code=code).values_list("municipality__code", flat=True).first()
            point = municipality_centre(municipality) if municipality else None
        return point or ()  # () is kept too: a postcode without a point is not looked up again

    found = cached_value("search-postcode-point", (code,), compute, POINT_CACHE_SECONDS, per_language=False)
    return tuple(found) or None


def place_point(place: VisitPlace) -> tuple[float, float] | None:
    """The point distances from *place* are measured from."""
    if place.kind == POSITION:
        return (place.latitude, place.longitude)
    if place.kind == POSTCODE:
        return postcode_point(place.code)
    if place.kind == MUNICIPALITY:
        return municipality_centre(place.code)
    return None
