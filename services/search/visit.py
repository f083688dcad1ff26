"""The place a family chose, remembered for the visit (until the browser closes), without a server-side session.

One cookie, ``pk_place``: a browser-session cookie (no Max-Age, no Expires), HttpOnly, SameSite=Lax, Secure in
production, holding a small signed string: ``m:853`` (a municipality code), ``p:20100`` (a postcode) or
``c:60.45:22.27`` (a position, rounded to two decimals, about a kilometre). Nothing is written on the server, so an
anonymous page stays without a session or a database write. A cookie that is not ours (bad signature, unknown form,
out of range) is ignored.

The search page and the home page read and write it; any page may read it::

    place = remembered_place(request)  # a VisitPlace or None
    params = place.as_params() if place else {}  # {"municipality": "853"}, {"postcode": ...} or {"lat", "lon"}
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

PLACE_COOKIE = "pk_place"
_SIGNER_SALT = "perhekeskus.visit.place"

MUNICIPALITY, POSTCODE, POSITION = "municipality", "postcode", "position"
_PREFIXES = {MUNICIPALITY: "m", POSTCODE: "p", POSITION: "c"}
_KINDS = {prefix: kind for kind, prefix in _PREFIXES.items()}
_CODE_RE = {MUNICIPALITY: re.compile(r"^\d{3}$"), POSTCODE: re.compile(r"^\d{5}$")}
# WGS84 bounds of Finland, as the coordinates of places are checked (services.models.Place).
LATITUDES, LONGITUDES = (59.3, 70.2), (19.0, 31.7)


@dataclass(frozen=True)
class VisitPlace:
    """Where the family is looking: a municipality (code), a postcode, or a position (rounded to 2 decimals)."""

    kind: str
    code: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @classmethod
    def municipality(cls, code: str) -> VisitPlace:
        return cls(MUNICIPALITY, code=code)

    @classmethod
    def postcode(cls, code: str) -> VisitPlace:
        return cls(POSTCODE, code=code)

    @classmethod
    def position(cls, latitude: float, longitude: float) -> VisitPlace:
        return cls(POSITION, latitude=round(latitude, 2), longitude=round(longitude, 2))

    @property
    def is_valid(self) -> bool:
        if self.kind == POSITION:
            return (
                self.latitude is not None
                and self.longitude is not None
                and LATITUDES[0] <= self.latitude <= LATITUDES[1]
                and LONGITUDES[0] <= self.longitude <= LONGITUDES[1]
            )
        pattern = _CODE_RE.get(self.kind)
        return bool(pattern and pattern.match(self.code))

    def as_params(self) -> dict[str, str]:
        """The service search's GET parameters for this place."""
        if self.kind == POSITION:
            return {"lat": f"{self.latitude:.2f}", "lon": f"{self.longitude:.2f}"}
        return {self.kind: self.code}

    def cookie_value(self) -> str:
        if self.kind == POSITION:
            return f"c:{self.latitude:.2f}:{self.longitude:.2f}"
        return f"{_PREFIXES[self.kind]}:{self.code}"

    @classmethod
    def from_cookie_value(cls, value: str) -> VisitPlace | None:
        prefix, _sep, rest = value.partition(":")
        kind = _KINDS.get(prefix)
        if kind is None:
            return None
        if kind == POSITION:
            try:
                latitude, longitude = (float(part) for part in rest.split(":"))
            except ValueError:
                return None
            place = cls(POSITION, latitude=latitude, longitude=longitude)
        else:
            place = cls(kind, code=rest)
        return place if place.is_valid else None


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SIGNER_SALT)


def remembered_place(request) -> VisitPlace | None:
    """The place remembered for this visit, or None (no cookie, or one that is not ours)."""
    raw = request.COOKIES.get(PLACE_COOKIE, "")
    if not raw or len(raw) > 200:
        return None
    try:
        value = _signer().unsign(raw)
    except signing.BadSignature:
        return None
    return VisitPlace.from_cookie_value(value)


def remember_place(response, place: VisitPlace) -> None:
    """Set the visit's place on *response* (a browser-session cookie: gone when the browser closes)."""
    if not place.is_valid:
        raise ValueError(f"Not a place to remember: {place!r}")
    response.set_cookie(
        PLACE_COOKIE,
        _signer().sign(place.cookie_value()),
        samesite="Lax",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget_place(response) -> None:
    """Delete the visit's place on *response*."""
    response.delete_cookie(PLACE_COOKIE, samesite="Lax")
