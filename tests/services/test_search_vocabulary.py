"""The search vocabulary: corpus words analysed at index time, query words expanded, synonyms and exclusions."""

import pytest
from django.db import connection

from services.models import SearchExclusion, SearchSynonym, SearchWord
from services.search import SearchQuery, analyse_pending_words, expand, refresh_vocabulary, search_services
from services.search.vocabulary import EXACT, MEDIUM, STRONG, WEAK, analyse, query_compound_parts

from .search_corpus import build_corpus, municipality, published_service

pytestmark = pytest.mark.django_db


def names(q, language="fi"):
    return [s.name_fi for s in search_services(SearchQuery(q=q), language=language)]


# --- Index time ---


def test_analyse__finnish_compound_head_parts_and_inflection():
    compound = analyse("lastenneuvola")
    assert compound.heads == {"neuvola"} and {"lapsi", "neuvola"} <= compound.parts and not compound.inflected
    inflected = analyse("elatussopimuksen")
    assert "elatussopimus" in inflected.lemmas and inflected.inflected
    assert "sopimus" in inflected.heads and "elatus" in inflected.parts
    derived = analyse("masennukseen")
    assert "masennus" in derived.lemmas


def test_analyse__swedish_words_by_the_corpus():
    known = {"skyddshem", "skydd", "hem", "barn", "rådgivning", "barnrådgivning"}.__contains__
    shelter = analyse("skyddshemmet", known)
    assert "skyddshem" in shelter.lemmas and "hem" in shelter.heads and "skydd" in shelter.parts
    clinic = analyse("barnrådgivningen", known)
    assert "barnrådgivning" in clinic.lemmas and "rådgivning" in clinic.heads
    # The first part is no word of the corpus: the known tail still says what the word is.
    assert analyse("mödrarådgivning", known).heads == {"rådgivning"}


def test_trigger__a_new_service_adds_its_words_and_the_next_search_analyses_them():
    published_service(name_fi="Lastenvalvoja", description_fi="Lastenvalvoja vahvistaa elatussopimuksen.")
    word = SearchWord.objects.get(word="elatussopimuksen")
    assert word.analysed_at is None
    assert names("elatussopimus") == ["Lastenvalvoja"]
    word.refresh_from_db()
    assert word.analysed_at is not None and "elatussopimus" in word.lemmas


def test_refresh_vocabulary__fills_analyses_and_prunes():
    service = published_service(name_fi="Turvakoti Aamu", description_fi="Turvakodissa on tilaa.")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM services_searchword")
    added, analysed = refresh_vocabulary()
    assert added >= 3 and analysed == added
    assert "turvakoti" in SearchWord.objects.get(word="turvakodissa").lemmas
    service.description_fi = "Ympäri vuorokauden."
    service.save()
    refresh_vocabulary(prune=True)
    assert not SearchWord.objects.filter(word="turvakodissa").exists()
    assert SearchWord.objects.filter(word="vuorokauden").exists()


# --- Query time ---


def test_expand__grades_what_stands_for_a_word():
    published_service(
        name_fi="Kallion lastenneuvola",
        summary_fi="Neuvolan palvelut ja neuvolapalvelut lapsille. Neuvola on auki.",
    )
    analyse_pending_words()
    [neuvola] = expand(["neuvola"])
    assert neuvola.words["neuvola"] == EXACT  # the word itself
    assert neuvola.words["lastenneuvola"] == STRONG  # a compound that ends with it: what it is
    assert neuvola.words["neuvolan"] == MEDIUM  # inflected
    assert neuvola.words["neuvolapalvelut"] == WEAK  # another part
    assert "neuvonta" not in neuvola.words  # a known word is not looked for by spelling


def test_expand__stop_words_only_among_other_words():
    assert [e.stop_word for e in expand(["neuvola", "ja", "perhe"])] == [False, True, False]
    assert [e.stop_word for e in expand(["och"])] == [False]


def test_query_compound_parts__for_a_compound_the_corpus_lacks():
    assert query_compound_parts("elatussopimus") == [["elatus"], ["sopimus"]]
    assert query_compound_parts("neuvola") == []


def test_search__a_compound_the_corpus_lacks_matches_its_parts():
    published_service(name_fi="Perheoikeudelliset palvelut", summary_fi="Sopimukset elatuksesta ja huollosta.")
    published_service(name_fi="Sopimusneuvonta", summary_fi="Sopimukset yrityksille.")
    assert names("elatussopimus") == ["Perheoikeudelliset palvelut"]


def test_search__synonyms_from_the_admin_list_find_other_words():
    SearchSynonym.objects.all().delete()
    published_service(name_fi="Perheoikeudelliset palvelut", summary_fi="Eron jälkeen sovitaan lasten asioista.")
    assert names("avioero") == []
    SearchSynonym.objects.create(words="avioero, ero")
    assert names("avioero") == ["Perheoikeudelliset palvelut"]


def test_search__a_multi_word_synonym_needs_all_its_words():
    SearchSynonym.objects.all().delete()
    SearchSynonym.objects.create(words="perheneuvola, kasvatus- ja perheneuvonta")
    published_service(name_fi="Kasvatus- ja perheneuvonta", municipalities=[municipality("091")])
    published_service(name_fi="Kasvatus ja opetus", summary_fi="Koulujen kasvatustyö.")
    assert names("perheneuvola") == ["Kasvatus- ja perheneuvonta"]


def test_search__exclusions_stop_a_bad_match():
    published_service(name_fi="Erotuomarikurssi", summary_fi="Jalkapallon erotuomareille.")
    published_service(name_fi="Eroperheiden tuki", summary_fi="Tukea eron jälkeen.")
    assert names("ero") == ["Eroperheiden tuki", "Erotuomarikurssi"]
    SearchExclusion.objects.create(word="ero", excluded=["erotuomarikurssi", "erotuomareille"])
    assert names("ero") == ["Eroperheiden tuki"]


def test_ranking__name_as_such_then_inflected_in_name_then_tags_then_description():
    helsinki = municipality("091")
    published_service(name_fi="Perhekahvila", summary_fi="Tule neuvolan jälkeen kahville.", municipalities=[helsinki])
    published_service(name_fi="Neuvolan chat", municipalities=[helsinki])
    published_service(name_fi="Kallion lastenneuvola", municipalities=[helsinki])
    published_service(name_fi="Perhetyö", keywords_fi="neuvola, kotikäynnit", municipalities=[helsinki])
    published_service(name_fi="Neuvola Kalasatama", municipalities=[helsinki])
    assert names("neuvola") == [
        "Neuvola Kalasatama",
        "Kallion lastenneuvola",
        "Neuvolan chat",
        "Perhetyö",
        "Perhekahvila",
    ]


def test_search__swedish_definite_form_finds_the_base_form_in_a_name():
    published_service(name_fi="Turvakoti", name_sv="Skyddshem i Åbo", summary_sv="Hjälp dygnet runt.")
    assert names("skyddshemmet", "sv") == ["Turvakoti"]


def test_search__typo_of_an_unknown_word_is_found_by_spelling():
    build_corpus()
    assert "Kallion lastenneuvola" in names("lastenneuvla")
