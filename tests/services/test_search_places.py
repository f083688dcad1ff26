"""Place words in the search box become the place filter; the rest of the words is the search."""

import pytest
from django.http import QueryDict

from services.search import query_from_params, search_services
from services.search.places import find_place, place_from_words

from .search_corpus import build_corpus, municipality, published_service

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("q", "words", "param", "value", "rest"),
    [
        ("lastenneuvola turku", "turku", "municipality", "853", "lastenneuvola"),
        ("turun lastenneuvola", "turun", "municipality", "853", "lastenneuvola"),
        ("Lastenneuvola Turussa", "Turussa", "municipality", "853", "Lastenneuvola"),
        ("lastenneuvola 20100", "20100", "postcode", "20100", "lastenneuvola"),
        ("barnrådgivning i Åbo", "i Åbo", "municipality", "853", "barnrådgivning"),
        ("perheneuvola helsingissä", "helsingissä", "municipality", "091", "perheneuvola"),
        ("rådgivning Helsingfors", "Helsingfors", "municipality", "091", "rådgivning"),
        ("kasvatus- ja perheneuvonta Vantaalla", "Vantaalla", "municipality", "092", "kasvatus- ja perheneuvonta"),
        ("koski tl neuvola", "koski tl", "municipality", "284", "neuvola"),
        ("espoo", "espoo", "municipality", "049", ""),
    ],
)
def test_find_place__names_in_any_form_and_language_and_postcodes(q, words, param, value, rest):
    place = find_place(q)
    assert place is not None
    assert (place.words, place.param, place.value, place.rest) == (words, param, value, rest)


@pytest.mark.parametrize("q", ["neuvola", "ei ole aikaa", "perhekahvila", "00000 neuvola", "lastenneuvola 2010"])
def test_find_place__ordinary_words_and_unknown_postcodes_are_not_places(q):
    assert find_place(q) is None


def test_place_from_words__not_when_a_municipality_or_postcode_is_chosen():
    for chosen in ({"municipality": "091"}, {"postcode": "00530"}):
        params = QueryDict(mutable=True)
        params.update({"q": "neuvola turku", **chosen})
        same, place = place_from_words(params)
        assert place is None and same["q"] == "neuvola turku"


def test_place_from_words__the_place_names_in_the_page_language():
    params = QueryDict("q=neuvola+turussa")
    _params, place = place_from_words(params, language="sv")
    assert place.name == "Åbo"


def test_query__the_place_filters_and_the_rest_is_searched():
    build_corpus()
    turku = municipality("853")
    published_service(name_fi="Turun lastenneuvola Keskusta", municipalities=[turku])
    query, errors = query_from_params(QueryDict("q=lastenneuvola+turussa"), strict=True)
    assert errors == {}
    assert (query.q, query.municipality) == ("lastenneuvola", "853")
    names = [s.name_fi for s in search_services(query, language="fi")]
    assert names[0] == "Turun lastenneuvola Keskusta"
    assert "Kallion lastenneuvola" not in names  # Helsinki's


def test_search_page__shows_what_it_read_as_the_place_and_a_chip_to_remove_it(client):
    build_corpus()
    published_service(name_fi="Turun lastenneuvola Keskusta", municipalities=[municipality("853")])
    response = client.get("/sv/services/", {"q": "lastenneuvola i Åbo"})
    html = response.content.decode()
    assert "Platsen lästes ur dina sökord: ”i Åbo” → Åbo." in html
    assert response.context["query"].q == "lastenneuvola"
    assert [card.service.name_fi for card in response.context["results"]][0] == "Turun lastenneuvola Keskusta"
    assert response.context["visit_place_label"] == "Åbo"
    # Removing the place (its chip forgets it) keeps the rest of the words and takes no place from them again.
    forgotten = client.get(response.context["forget_place_url"])
    assert forgotten.status_code == 302 and forgotten["Location"] == "/sv/services/?q=lastenneuvola"
    removed = client.get(forgotten["Location"])
    assert removed.context["query"].municipality == "" and removed.context["query"].q == "lastenneuvola"
    assert "place-from-words" not in removed.content.decode()


def test_query__over_long_words_are_reported_not_cut_by_the_place_reading():
    params = QueryDict(mutable=True)
    params["q"] = "neuvola " * 30 + "turku"
    query, errors = query_from_params(params, strict=True)
    assert list(errors) == ["q"] and query.municipality == ""
