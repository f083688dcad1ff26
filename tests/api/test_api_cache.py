"""The services list's caches (as the site runs: autocommit): the page's ids and count under the search data version,
and each service's JSON per version, day and site address. Inside a transaction nothing is cached, so the same
requests made there are the reference."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction

from services.models import LocationException, PhoneNumber, Service
from services.search import analyse_all_pending_words
from tests.services.search_corpus import WEDNESDAY_MORNING, build_corpus

pytestmark = pytest.mark.django_db(transaction=True)

SEARCHES = [
    {},
    {"q": "neuvola"},
    {"q": "neuvola", "municipality": "091"},
    {"age_group": "1-6", "page_size": "2", "page": "2"},
    {"q": "perhe", "lang": "sv"},
    {"municipality": "837", "lat": "61.5", "lon": "23.8"},
]


@pytest.fixture
def corpus():
    cache.clear()
    corpus = build_corpus()
    analyse_all_pending_words()
    yield corpus
    cache.clear()


def get(client, **params):
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        response = client.get("/api/v1/services/", params)
    return response.status_code, json.loads(response.content)


def reference(client, **params):
    with transaction.atomic():  # no data version: nothing cached, the uncached path answers
        return get(client, **params)


def test_cached_answers_equal_the_uncached_ones(client, corpus):
    expected = [reference(client, **params) for params in SEARCHES]
    assert all(status == 200 for status, _body in expected)
    assert len({json.dumps(body, sort_keys=True) for _status, body in expected}) == len(SEARCHES)
    for _round in range(2):  # the first round fills the caches, the second reads them
        assert [get(client, **params) for params in SEARCHES] == expected
    # A page past the end is refused as before.
    assert get(client, page="99") == reference(client, page="99")
    assert get(client, page="99")[0] == 400


def test_a_repeat_costs_one_small_query_and_a_write_shows_at_once(client, corpus, django_assert_num_queries):
    _status, first = get(client, q="neuvola")
    with django_assert_num_queries(1):  # the data version
        assert get(client, q="neuvola")[1] == first
    kallio = next(item for item in first["results"] if item["id"] == corpus.kallio.pk)
    # The phone numbers and the name: every table the JSON shows moves the data version.
    PhoneNumber.objects.create(service=corpus.kallio, number="09 310 12345")
    Service.objects.filter(pk=corpus.kallio.pk).update(name_fi="Kallion lastenneuvola ja perhekeskus")
    _status, after = get(client, q="neuvola")
    changed = next(item for item in after["results"] if item["id"] == corpus.kallio.pk)
    assert changed["name"]["fi"] == "Kallion lastenneuvola ja perhekeskus"
    assert [phone["number"] for phone in changed["phones"]] == [
        *(phone["number"] for phone in kallio["phones"]),
        "09 310 12345",
    ]


def test_exceptional_days_follow_the_day(client, corpus):
    location = corpus.kallio_location
    LocationException.objects.create(location=location, date=WEDNESDAY_MORNING.date(), closed=True)

    def kallio_exceptions(moment):
        with time_machine.travel(moment, tick=False):
            body = json.loads(client.get("/api/v1/services/", {"q": "Kallion lastenneuvola"}).content)
        item = next(item for item in body["results"] if item["id"] == corpus.kallio.pk)
        return [day["date"] for loc in item["locations"] for day in loc["exceptions"]]

    assert kallio_exceptions(WEDNESDAY_MORNING) == [WEDNESDAY_MORNING.date().isoformat()]
    # Two days later the closing is no longer "from yesterday on": a new day is a new entry.
    assert kallio_exceptions(WEDNESDAY_MORNING + dt.timedelta(days=2)) == []


def test_urls_follow_the_address_the_site_was_asked_at(client, corpus, settings):
    settings.ALLOWED_HOSTS = ["testserver", "api.example.org"]
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        here = json.loads(client.get("/api/v1/services/", {"q": "neuvola"}).content)
        there = json.loads(client.get("/api/v1/services/", {"q": "neuvola"}, HTTP_HOST="api.example.org").content)
    assert here["results"][0]["url"]["fi"].startswith("http://testserver/")
    assert there["results"][0]["url"]["fi"].startswith("http://api.example.org/")
