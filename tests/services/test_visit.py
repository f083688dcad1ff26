"""The place remembered for the visit: one signed browser-session cookie (services/search/visit.py)."""

import pytest
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory

from services.search.visit import PLACE_COOKIE, VisitPlace, forget_place, remember_place, remembered_place


def round_trip(place):
    response = HttpResponse()
    remember_place(response, place)
    request = RequestFactory().get("/")
    request.COOKIES[PLACE_COOKIE] = response.cookies[PLACE_COOKIE].value
    return remembered_place(request), response.cookies[PLACE_COOKIE]


def with_cookie(value):
    request = RequestFactory().get("/")
    request.COOKIES[PLACE_COOKIE] = value
    return request


@pytest.mark.parametrize(
    ("place", "stored"),
    [
        (VisitPlace.municipality("853"), "m:853"),
        (VisitPlace.postcode("20100"), "p:20100"),
        (VisitPlace.position(60.45183, 22.26649), "c:60.45:22.27"),
    ],
)
def test_remember_place__round_trips_a_small_signed_value(place, stored):
    read, cookie = round_trip(place)
    assert read == place
    assert cookie.value.startswith(stored + ":")
    assert signing.Signer(salt="perhekeskus.visit.place").unsign(cookie.value) == stored


def test_position__is_rounded_to_two_decimals():
    read, _cookie = round_trip(VisitPlace.position(60.45183, 22.26649))
    assert (read.latitude, read.longitude) == (60.45, 22.27)
    assert read.as_params() == {"lat": "60.45", "lon": "22.27"}


@pytest.mark.parametrize("secure", [True, False])
def test_remember_place__is_a_browser_session_cookie_httponly_lax_and_secure_as_the_others(settings, secure):
    settings.SESSION_COOKIE_SECURE = secure
    _read, cookie = round_trip(VisitPlace.municipality("091"))
    header = cookie.OutputString()
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert "Max-Age" not in header and "expires" not in header.lower()
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) is secure
    assert cookie["path"] == "/"


def test_remembered_place__ignores_a_tampered_signature():
    _read, cookie = round_trip(VisitPlace.municipality("853"))
    forged = cookie.value.replace("m:853", "m:091")
    assert forged != cookie.value
    assert remembered_place(with_cookie(forged)) is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "m:853",  # not signed
        "m:853:not-a-signature",
        signing.Signer(salt="another.salt").sign("m:853"),
        signing.Signer(salt="perhekeskus.visit.place").sign("x:853"),  # ours, but no such kind
        signing.Signer(salt="perhekeskus.visit.place").sign("m:8530"),
        signing.Signer(salt="perhekeskus.visit.place").sign("p:2010"),
        signing.Signer(salt="perhekeskus.visit.place").sign("c:48.85:2.35"),  # Paris: not in Finland
        signing.Signer(salt="perhekeskus.visit.place").sign("c:nan:nan"),
        signing.Signer(salt="perhekeskus.visit.place").sign("c:60.45"),
        "x" * 5000,
    ],
)
def test_remembered_place__ignores_what_is_not_ours_or_not_a_place(value):
    assert remembered_place(with_cookie(value)) is None


def test_remember_place__refuses_a_place_that_is_not_one():
    with pytest.raises(ValueError, match="Not a place"):
        remember_place(HttpResponse(), VisitPlace.municipality("<script>"))


def test_forget_place__deletes_the_cookie():
    response = HttpResponse()
    forget_place(response)
    cookie = response.cookies[PLACE_COOKIE]
    assert cookie.value == ""
    assert cookie["max-age"] == 0
    assert "1970" in cookie["expires"]
