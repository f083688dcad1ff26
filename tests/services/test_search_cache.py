"""The search page's caches: result pages (ids and count) and rendered result cards.

Both are keyed by the search data version (services/search/caching.py), so any write shows at once; a page of cards
is one get_many; the parts of a card that depend on the request (the comparison toggle) are put in per request.
The tests run in autocommit, as the site does: inside a transaction nothing is cached.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from services.models import LocationException, SearchSynonym, Service
from services.search import (
    SearchQuery,
    analyse_all_pending_words,
    data_version,
    expand,
    facet_counts,
    page_ids,
    run_search,
)
from services.views import PAGE_FACETS

from .search_corpus import WEDNESDAY_MORNING, municipality, published_service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def corpus(cached_corpus):
    return cached_corpus


def card_names(response):
    """The names in the result cards, as shown."""
    html = response.content.decode()
    return re.findall(r'<li class="card"[^>]*>\s*<h3[^>]*><a [^>]*>([^<]*)</a>', html)


def search(client, lang="fi", **params):
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        response = client.get(f"/{lang}/services/", params)
    assert response.status_code == 200
    return response


def test_warm_search_page__one_query_no_card_rendered(client, corpus, django_assert_num_queries):
    first = search(client, q="neuvola")
    assert [card.service is not None for card in first.context["results"]] == [True] * len(card_names(first))
    with django_assert_num_queries(1):  # the data version; results, facets and cards come from the cache
        again = search(client, q="neuvola")
    assert again.content == first.content
    assert all(card.service is None for card in again.context["results"])  # no service loaded
    assert "Kallion lastenneuvola" in card_names(again)


def test_edit_shows_at_once_in_the_card_and_the_results(client, corpus):
    before = search(client, q="neuvola")
    assert "Kallion lastenneuvola" in card_names(before)
    Service.objects.filter(pk=corpus.kallio.pk).update(name_fi="Kallion lastenneuvola ja perhekeskus")
    after = search(client, q="neuvola")
    assert "Kallion lastenneuvola ja perhekeskus" in card_names(after)
    # A new published service appears, and is counted.
    count = after.context["result_count"]
    published_service(name_fi="Uusi lastenneuvola", municipalities=[municipality("091")])
    newer = search(client, q="neuvola")
    assert newer.context["result_count"] == count + 1
    assert "Uusi lastenneuvola" in card_names(newer)
    # An exceptional closing today changes the card's hours.
    LocationException.objects.create(location=corpus.kallio_location, date=WEDNESDAY_MORNING.date(), closed=True)
    closed = search(client, q="Kallion lastenneuvola").content.decode()
    assert "Open now" not in closed and "Avoinna nyt" not in closed


def test_open_now_follows_the_minute(client, corpus):
    at_ten = search(client, q="Kallion lastenneuvola").content.decode()
    assert "Avoinna nyt" in at_ten
    with time_machine.travel(WEDNESDAY_MORNING.replace(hour=17), tick=False):
        evening = client.get("/fi/services/", {"q": "Kallion lastenneuvola"}).content.decode()
    assert "Kallion lastenneuvola" in evening and "Avoinna nyt" not in evening


def kallio_card(client, moment):
    """The Kallio clinic's result card (rendered or from the cache: card.service tells) and its HTML at *moment*."""
    with time_machine.travel(moment, tick=False):
        response = client.get("/fi/services/", {"q": "Kallion lastenneuvola"})
    card = next(card for card in response.context["results"] if "Kallion lastenneuvola" in card.html)
    return card, card.html


def test_a_card_lives_until_its_location_opens_or_closes(client, corpus):
    # Kallio is open 8-16 on weekdays: the card rendered at 10 serves the afternoon, not only its minute.
    first, html = kallio_card(client, WEDNESDAY_MORNING)
    assert first.service is not None and "Avoinna nyt" in html
    later, again = kallio_card(client, WEDNESDAY_MORNING.replace(hour=15, minute=59))
    assert later.service is None and again == html  # from the cache, no service loaded
    # At 16.00 it closes: rendered again, without "open now", and that card is kept in turn.
    closing, closed = kallio_card(client, WEDNESDAY_MORNING.replace(hour=16))
    assert closing.service is not None and "Avoinna nyt" not in closed and "Kallion lastenneuvola" in closed
    evening, kept = kallio_card(client, WEDNESDAY_MORNING.replace(hour=23, minute=59))
    assert evening.service is None and kept == closed
    # A new day shows the next day's hours: rendered again.
    thursday, _html = kallio_card(client, WEDNESDAY_MORNING + dt.timedelta(days=1))
    assert thursday.service is not None


def test_cards_and_results_are_kept_apart_by_language_page_and_query(client, corpus):
    for _round in range(2):  # the first round fills the caches, the second reads them
        finnish, swedish = search(client, q="neuvola"), search(client, "sv", q="neuvola")
        assert "Kallion lastenneuvola" in card_names(finnish)
        assert "Berghälls barnrådgivning" in card_names(swedish)
        assert "Kallion lastenneuvola" not in card_names(swedish)
        assert card_names(search(client, q="perhekahvila")) != card_names(finnish)
    for number in range(15):  # a second page of everything
        published_service(name_fi=f"Perhekerho {number:02}", municipalities=[municipality("091")])
    for _round in range(2):
        first, second = search(client), search(client, page="2")
        assert first.context["result_count"] == second.context["result_count"] > 20
        assert len(card_names(first)) == 20 and card_names(second)
        assert set(card_names(first)).isdisjoint(card_names(second))
        assert second.context["page_obj"].number == 2


def test_comparison_links_follow_the_request_not_the_cached_card(client, corpus):
    search(client, q="neuvola")  # caches the cards without a comparison
    kallio = corpus.kallio.pk
    html = search(client, q="neuvola", age_group="1-6").content.decode()
    assert f'href="?q=neuvola&amp;age_group=1-6&amp;compare={kallio}#service-{kallio}"' in html
    chosen = search(client, q="neuvola", compare=str(kallio)).content.decode()
    assert f'href="?q=neuvola#service-{kallio}"' in chosen  # the toggle removes it again
    assert f"{corpus.kallio.get_absolute_url()}?compare={kallio}" in chosen
    assert "Poista vertailusta" in chosen


def test_result_cache_never_gives_another_searchs_page(corpus):
    queries = [
        SearchQuery(q="neuvola"),
        SearchQuery(q="neuvola", area="04"),
        SearchQuery(q="neuvola", municipality="837"),
        SearchQuery(q="neuvola", sort="name"),
        SearchQuery(q="neuvola", sort="distance", lat=61.5, lon=23.8),
        SearchQuery(q="neuvola", sort="distance", lat=60.17, lon=24.94),
        SearchQuery(q="perhe"),
        SearchQuery(),
        SearchQuery(languages=("sv",)),
        SearchQuery(age_range=(1, 6)),
    ]
    expected = {
        (query, language): page_ids(query, language=language, page_number=1, version=None)
        for query in queries
        for language in ("fi", "sv")
    }
    version = data_version()
    for _round in range(2):  # the first round fills the cache, the second reads it
        for (query, language), answer in expected.items():
            assert page_ids(query, language=language, page_number=1, version=version) == answer, (query, language)
    assert len(set(map(str, expected.values()))) > 6  # the searches do differ
    # The same search typed differently shares the answer.
    same = page_ids(SearchQuery(q="Neuvola  "), language="fi", page_number="x", version=version)
    assert same == expected[(SearchQuery(q="neuvola"), "fi")]


def test_result_cache_repeat_costs_no_query(corpus, django_assert_num_queries):
    query = SearchQuery(q="neuvola", area="90")
    version = data_version()
    first = page_ids(query, language="fi", page_number=1, version=version)
    with django_assert_num_queries(0):
        assert page_ids(SearchQuery(q="neuvola", area="90"), language="fi", page_number=1, version=version) == first
    # Without a version (inside a transaction) nothing is cached or read from the cache.
    with CaptureQueriesContext(connection) as queries:
        assert page_ids(query, language="fi", page_number=1, version=None) == first
    assert len(queries) >= 1


def test_open_now_results_follow_the_minute(corpus):
    query = SearchQuery(open_now=True)
    version = data_version()
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        morning = page_ids(query, language="fi", page_number=1, version=version)
    with time_machine.travel(WEDNESDAY_MORNING + dt.timedelta(hours=9), tick=False):
        evening = page_ids(query, language="fi", page_number=1, version=version)
    assert corpus.kallio.pk in morning[0] and corpus.kallio.pk not in evening[0]


# --- What an unseen search shares with the searches before it ---


def test_word_expansions_are_read_once_per_data_version(corpus, django_assert_num_queries):
    analyse_all_pending_words()
    version = data_version()
    first = expand(["neuvola"], version=version)
    assert "lastenneuvola" in first[0].words
    with django_assert_num_queries(0):  # the next page of the same words
        assert expand(["neuvola"], version=version) == first
    assert expand(["perhe"], version=version) != first  # other words, another entry
    # A new synonym moves the version: the expansion under the new one has it.
    SearchSynonym.objects.create(words="neuvola, perhekahvila")  # a word the corpus has, so the synonym matches
    assert data_version() != version
    newer = expand(["neuvola"], version=data_version())
    assert "perhekahvila" in str(newer[0].phrases) and "perhekahvila" not in str(first[0].phrases)
    assert expand(["neuvola"], version=version) == first  # nothing computed under the old version changed


def test_next_page_reuses_the_words_and_the_counts(client, corpus):
    for number in range(25):
        published_service(name_fi=f"Perhekerho {number:02}", municipalities=[municipality("091")])
    analyse_all_pending_words()
    first = search(client, q="perhekerho")
    with CaptureQueriesContext(connection) as queries:
        second = search(client, q="perhekerho", page="2")
    sql = [query["sql"] for query in queries.captured_queries]
    assert not [s for s in sql if "services_searchword" in s]  # the words' expansion: from the cache
    assert not [s for s in sql if "services_servicefacetrow" in s and "GROUP BY" in s]  # the counts: from the cache
    assert second.context["result_count"] == first.context["result_count"] >= 25
    assert set(card_names(first)).isdisjoint(card_names(second))


def test_search_page_counts_only_the_facets_it_shows(client, corpus):
    response = search(client, municipality="091", age_group="1-6")
    html = response.content.decode()
    with time_machine.travel(WEDNESDAY_MORNING, tick=False), transaction.atomic():
        query = response.context["query"]
        everything = facet_counts(query, language="fi")
    shown = facet_counts(query, language="fi", names=PAGE_FACETS)  # the page's entry, from the cache
    assert shown["municipality"] == [] and everything["municipality"]
    assert {name: values for name, values in shown.items() if name != "municipality"} == {
        name: values for name, values in everything.items() if name != "municipality"
    }
    assert "municipality" not in PAGE_FACETS and "area" in PAGE_FACETS
    assert 'name="age_group"' in html


def test_first_pages_are_ranked_together(corpus, django_assert_num_queries):
    for number in range(45):
        published_service(name_fi=f"Perhekerho {number:02}", municipalities=[municipality("091")])
    analyse_all_pending_words()
    version = data_version()
    for query in (SearchQuery(q="perhekerho"), SearchQuery(municipality="091")):  # by relevance, by distance
        expected = {page: page_ids(query, language="fi", page_number=page, version=None) for page in (1, 2, 3, 4, 5)}
        assert [expected[page][1] for page in (1, 2, 3)] == [1, 2, 3] and expected[3][0]
        assert page_ids(query, language="fi", page_number=1, version=version) == expected[1]
        with django_assert_num_queries(0):  # the next pages came with the first
            assert page_ids(query, language="fi", page_number=2, version=version) == expected[2]
            assert page_ids(query, language="fi", page_number=3, version=version) == expected[3]
        assert page_ids(query, language="fi", page_number=5, version=version) == expected[5]
    # Past the end of a short search: the last page, also among the first pages.
    short = SearchQuery(q="Kallion lastenneuvola")
    assert page_ids(short, language="fi", page_number=3, version=version) == page_ids(
        short, language="fi", page_number=1, version=None
    )


def test_words_without_filters_are_matched_once_for_the_results_and_the_counts(corpus):
    """A search of words alone finds exactly what the words match: the ranking reads every match's id and the facet
    counts take them, instead of matching the words against every service a second time."""
    for number in range(25):
        published_service(name_fi=f"Perhekerho {number:02}", municipalities=[municipality("091")])
    analyse_all_pending_words()
    for query in (SearchQuery(q="perhekerho"), SearchQuery(q="neuvola"), SearchQuery(q="neuvola", lat=60.2, lon=24.9)):
        expected_ids = {page: page_ids(query, language="fi", page_number=page, version=None) for page in (1, 2, 3)}
        with transaction.atomic():  # not cached: the counts as facet_counts() makes them on its own
            expected_counts = facet_counts(query, language="fi", names=PAGE_FACETS)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            found = run_search(query, language="fi", page_number=1, with_cards=False, facets=PAGE_FACETS)
        matching = [q["sql"] for q in captured.captured_queries if "search_document" in q["sql"]]
        assert len(matching) == 1, matching  # the ranking; the counts use its ids
        assert (list(found.page.object_list), found.page.number, found.page.paginator.count) == expected_ids[1]
        assert found.facets == expected_counts
        for page in (2, 3):  # the next pages came with the first, from the same ids
            assert page_ids(query, language="fi", page_number=page, version=data_version()) == expected_ids[page]


def test_words_with_a_filter_match_the_words_for_the_counts_apart(corpus):
    # With a filter the results are fewer than the words' matches; the counts of the other filters need them all.
    query = SearchQuery(q="neuvola", area="90")
    with transaction.atomic():
        expected_counts = facet_counts(query, language="fi", names=PAGE_FACETS)
    cache.clear()
    found = run_search(query, language="fi", page_number=1, with_cards=False, facets=PAGE_FACETS)
    assert found.facets == expected_counts
    everything = run_search(SearchQuery(q="neuvola"), language="fi", page_number=1, with_cards=False)
    assert 0 < found.page.paginator.count < everything.page.paginator.count
