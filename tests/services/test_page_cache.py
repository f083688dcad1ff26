"""Whole pages from the cache (services/pagecache.py): the service page, the comparison and the home page.

A repeat costs the data version query only; a write shows at once; the language, the minute, the address and the
visitor's remembered place keep pages apart; each visitor gets a CSRF token of their own; a visitor with a session or
flash messages gets the page rendered. The tests run in autocommit, as the site does: inside a transaction nothing is
cached.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory

from organisations.models import Membership, Municipality, Organisation, PostalCode
from services.models import EmailAddress, PhoneNumber, Service
from services.search.visit import PLACE_COOKIE, VisitPlace, remember_place
from services.views import AREA_COOKIE
from tests.factories import MembershipFactory

from .search_corpus import WEDNESDAY_MORNING

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
STARTED = re.compile(r'name="started" value="([^"]+)"')


def get(client, path, **params):
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        response = client.get(path, params)
    assert response.status_code == 200
    return response


def token_in(response) -> str:
    (token,) = TOKEN.findall(response.content.decode())
    return token


def without_token(response) -> str:
    return TOKEN.sub("", response.content.decode())


def without_fresh_values(response) -> str:
    """The page without its CSRF token and form start time, which every request gets anew."""
    return STARTED.sub("", without_token(response))


def remember(client, place):
    response = HttpResponse()
    remember_place(response, place)
    client.cookies[PLACE_COOKIE] = response.cookies[PLACE_COOKIE].value


def test_service_page__a_repeat_is_one_query_and_the_same_page(client, cached_corpus, django_assert_num_queries):
    url = cached_corpus.kallio.get_absolute_url()
    first = get(client, url)
    with django_assert_num_queries(1):  # the data version
        again = get(client, url)
    assert without_fresh_values(again) == without_fresh_values(first)
    assert "Kallion lastenneuvola" in again.content.decode()
    assert "Avoinna nyt" in again.content.decode()


def test_service_page__every_visitor_gets_a_token_and_start_time_of_their_own_that_work(cached_corpus, settings):
    settings.FAMILY_FORM_MIN_SECONDS = 3
    url = cached_corpus.kallio.get_absolute_url()
    first_visitor, second_visitor = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = get(first_visitor, url)
    with time_machine.travel(WEDNESDAY_MORNING + dt.timedelta(seconds=30), tick=False):
        second_page = second_visitor.get(url)  # from the cache
    first_token, second_token = token_in(first_page), token_in(second_page)
    first_secret = first_visitor.cookies[django_settings.CSRF_COOKIE_NAME].value
    second_secret = second_visitor.cookies[django_settings.CSRF_COOKIE_NAME].value
    assert first_secret != second_secret
    assert _unmask_cipher_token(first_token) == first_secret
    assert _unmask_cipher_token(second_token) == second_secret  # not the first visitor's
    assert first_token not in second_page.content.decode()
    assert "Cookie" in second_page["Vary"]
    assert without_token(second_page) != without_token(first_page)  # the form's start time too
    (feedback,) = re.findall(r'<form method="post" action="([^"]+)"', second_page.content.decode())
    (started,) = STARTED.findall(second_page.content.decode())
    form = {"csrfmiddlewaretoken": second_token, "found": "yes", "started": started}
    # The start time is the second visitor's: sending a second after it is too fast (the first render's was 30 s ago).
    with time_machine.travel(WEDNESDAY_MORNING + dt.timedelta(seconds=31), tick=False):
        too_fast = second_visitor.post(feedback, form)
    assert too_fast.status_code == 200
    assert "Lähetit lomakkeen hyvin nopeasti." in too_fast.content.decode()
    with time_machine.travel(WEDNESDAY_MORNING + dt.timedelta(seconds=40), tick=False):
        # The token from the cached page is accepted with the visitor's cookie, and only with it.
        assert second_visitor.post(feedback, form).status_code == 302  # thanked
        assert Client(enforce_csrf_checks=True).post(feedback, form).status_code == 403


def test_service_page__an_edit_shows_at_once(client, cached_corpus):
    url = cached_corpus.kallio.get_absolute_url()
    get(client, url)
    Service.objects.filter(pk=cached_corpus.kallio.pk).update(summary_fi="Uusi esittely neuvolasta.")
    assert "Uusi esittely neuvolasta." in get(client, url).content.decode()
    # Contact details are in the data version too (migration 0012).
    PhoneNumber.objects.create(service=cached_corpus.kallio, number="09 310 12345")
    assert "09 310 12345" in get(client, url).content.decode()
    EmailAddress.objects.create(service=cached_corpus.kallio, address="kallio@example.fi")
    assert "kallio@example.fi" in get(client, url).content.decode()
    Service.objects.filter(pk=cached_corpus.kallio.pk).update(state="draft")
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        assert client.get(url).status_code == 404


def test_service_page__languages_and_the_minute_are_kept_apart(client, cached_corpus):
    finnish_url = cached_corpus.kallio.get_absolute_url()
    for _round in range(2):  # the first round fills the cache, the second reads it
        finnish = get(client, finnish_url).content.decode()
        swedish = get(client, finnish_url.replace("/fi/", "/sv/", 1)).content.decode()
        assert "Avoinna nyt" in finnish and "Öppet nu" not in finnish
        assert "Öppet nu" in swedish and "Avoinna nyt" not in swedish
    with time_machine.travel(WEDNESDAY_MORNING.replace(hour=17), tick=False):
        evening = client.get(finnish_url).content.decode()
    assert "Kallion lastenneuvola" in evening and "Avoinna nyt" not in evening


def test_service_page__the_comparison_and_the_search_come_from_the_request(client, cached_corpus):
    url = cached_corpus.kallio.get_absolute_url()
    plain = get(client, url).content.decode()
    assert "Lisää vertailuun" in plain and "Poista vertailusta" not in plain
    chosen = get(client, url, compare=f"{cached_corpus.tikkurila.pk},{cached_corpus.kallio.pk}").content.decode()
    assert "Poista vertailusta" in chosen
    assert "Tikkurilan äitiysneuvola" in chosen  # the tray names the other one
    assert "Poista vertailusta" not in get(client, url).content.decode()
    # The breadcrumb goes back to the search the family came from, and only for that family.
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        from_search = client.get(url, headers={"referer": "http://testserver/fi/services/?q=neuvola"})
    assert 'href="/fi/services/?q=neuvola"' in from_search.content.decode()
    assert 'href="/fi/services/?q=neuvola"' not in get(client, url).content.decode()


def test_service_page__a_visitor_with_messages_or_a_session_gets_it_rendered(client, cached_corpus):
    url = cached_corpus.kallio.get_absolute_url()
    get(client, url)  # cached for everybody else
    storage = CookieStorage(RequestFactory().get("/"))
    message = Message(constants.INFO, "Viesti vain sinulle")
    client.cookies[CookieStorage.cookie_name] = storage._encode([message])
    assert "Viesti vain sinulle" in get(client, url).content.decode()
    assert "Viesti vain sinulle" not in get(Client(), url).content.decode()
    editor = MembershipFactory().user  # a partner's editor: a timed session
    signed_in = Client()
    signed_in.force_login(editor)
    html = get(signed_in, url).content.decode()
    assert "session_timeout" in html  # the signed-in layout, not the anonymous page from the cache
    assert "session_timeout" not in get(Client(), url).content.decode()


def test_service_page__unknown_parameters_are_not_kept(client, cached_corpus, django_assert_max_num_queries):
    url = cached_corpus.kallio.get_absolute_url()
    get(client, url, utm_source="x")
    with django_assert_max_num_queries(30) as captured:
        get(client, url, utm_source="x")
    assert len(captured) > 1  # rendered again


def test_compare__a_repeat_is_one_query_and_the_remembered_place_is_the_visitors(
    client, cached_corpus, django_assert_num_queries
):
    ids = f"{cached_corpus.kallio.pk},{cached_corpus.tikkurila.pk}"
    first = get(client, "/fi/compare/", services=ids).content.decode()
    assert "Kallion lastenneuvola" in first and "Etäisyys" not in first
    with django_assert_num_queries(1):
        assert get(client, "/fi/compare/", services=ids).content.decode() == first
    visitor = Client()
    remember(visitor, VisitPlace.municipality("091"))
    near = get(visitor, "/fi/compare/", services=ids).content.decode()
    assert "lähtöpaikka Helsinki" in near
    assert "lähtöpaikka Helsinki" not in get(client, "/fi/compare/", services=ids).content.decode()
    # The hours are today's and the next six days', by the date.
    with time_machine.travel(WEDNESDAY_MORNING + dt.timedelta(days=1), tick=False):
        tomorrow = client.get("/fi/compare/", {"services": ids}).content.decode()
    assert "to 12.3." in tomorrow and "ke 11.3." not in tomorrow


def test_home__a_repeat_is_one_query_and_the_remembered_place_and_area_are_the_visitors(
    client, cached_corpus, django_assert_num_queries
):
    first = get(client, "/fi/").content.decode()
    with django_assert_num_queries(1):
        assert get(client, "/fi/").content.decode() == first
    assert 'value="Helsinki"' not in first
    visitor = Client()
    remember(visitor, VisitPlace.municipality("091"))
    assert 'value="Helsinki"' in get(visitor, "/fi/").content.decode()
    assert 'value="Helsinki"' not in get(client, "/fi/").content.decode()
    # The Swedish page is its own.
    assert "Tjänster och aktiviteter" in get(client, "/sv/").content.decode()
    # A chosen area lists its activities: rendered every time (activities are not in the data version).
    chooser = Client()
    chooser.cookies[AREA_COOKIE] = "90"
    area_page = get(chooser, "/fi/").content.decode()
    assert 'value="90" selected' in area_page
    assert 'value="90" selected' not in get(client, "/fi/").content.decode()


ASK = "Kysy nimettömästi"


def test_service_page__who_receives_questions_shows_at_once(client, cached_corpus):
    """Memberships, the members' addresses and activity, and the organisation's own address advance the data version
    (organisations migration 0012), so "Ask anonymously" follows them at once."""
    url = cached_corpus.kallio.get_absolute_url()
    organisation = cached_corpus.kallio.organisation

    def asks() -> bool:
        return ASK in get(client, url).content.decode()

    assert not asks()  # no professional and no address of its own
    membership = MembershipFactory(organisation=organisation)  # an editor: questions do not go to them
    assert not asks()
    Membership.objects.filter(pk=membership.pk).update(role=Membership.Role.PROFESSIONAL)
    assert asks()
    users = get_user_model().objects.filter(pk=membership.user_id)
    users.update(is_active=False)
    assert not asks()
    users.update(is_active=True)
    assert asks()
    users.update(email="")
    assert not asks()
    users.update(email="terveydenhoitaja@example.fi")
    assert asks()
    membership.delete()
    assert not asks()
    Organisation.objects.filter(pk=organisation.pk).update(email="neuvola@example.fi")
    assert asks()
    assert "Fråga anonymt" in get(client, url.replace("/fi/", "/sv/", 1)).content.decode()
    Organisation.objects.filter(pk=organisation.pk).update(email="")
    assert not asks()


def test_home_and_compare__a_postcode_edit_shows_at_once(client, cached_corpus):
    remember(client, VisitPlace.postcode("00530"))
    ids = f"{cached_corpus.kallio.pk},{cached_corpus.tikkurila.pk}"
    assert 'value="00530 Helsinki"' in get(client, "/fi/").content.decode()
    assert "lähtöpaikka 00530 Helsinki" in get(client, "/fi/compare/", services=ids).content.decode()

    PostalCode.objects.filter(code="00530").update(municipality=Municipality.objects.get(code="049"))

    assert 'value="00530 Espoo"' in get(client, "/fi/").content.decode()
    assert "lähtöpaikka 00530 Espoo" in get(client, "/fi/compare/", services=ids).content.decode()
