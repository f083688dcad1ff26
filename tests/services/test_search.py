import dataclasses
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import services.search as search_module
from organisations.models import WellbeingArea
from services.models import ServiceClass
from services.search import (
    SearchQuery,
    analyse_all_pending_words,
    broader_searches,
    facet_counts,
    fold,
    results_page,
    search_services,
    sort_key,
    update_search_vectors,
)
from tests.factories import LifeSituationFactory, ServiceFactory

from .search_corpus import WEDNESDAY_MORNING, build_corpus, municipality, published_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return build_corpus()


def names(query, language="fi"):
    field = "name_fi" if language == "fi" else f"name_{language}"
    return [getattr(s, field) or s.name_fi for s in search_services(query, language=language)]


# --- Words, compounds and typos ---


def test_search__neuvola_finds_child_and_maternity_clinics_inside_compounds(corpus):
    found = names(SearchQuery(q="neuvola"))
    assert "Kallion lastenneuvola" in found
    assert "Tikkurilan äitiysneuvola" in found
    assert "Perhekahvila Olotila" not in found
    assert "Parisuhdeneuvonta" not in found


def test_search__inflected_form_finds_the_base_form(corpus):
    assert "Kallion lastenneuvola" in names(SearchQuery(q="lastenneuvolassa"))


def test_search__perheneuvola_finds_family_counselling(corpus):
    assert "Kasvatus- ja perheneuvonta" in names(SearchQuery(q="perheneuvola"))


def test_search__swedish_compound_on_swedish_page(corpus):
    found = names(SearchQuery(q="rådgivning"), language="sv")
    assert "Berghälls barnrådgivning" in found
    assert "Dickursby mödrarådgivning" in found
    assert "Familjecafé Olotila" not in found


def test_search__swedish_page_also_finds_by_finnish_words(corpus):
    assert "Berghälls barnrådgivning" in names(SearchQuery(q="lastenneuvola"), language="sv")


@pytest.mark.parametrize("typo", ["lastenneuvla", "lastennevola", "lastenneuvolq", "aitiysneuvola"])
def test_search__one_letter_typo_or_missing_umlaut_still_finds(corpus, typo):
    found = names(SearchQuery(q=typo))
    assert "Kallion lastenneuvola" in found or "Tikkurilan äitiysneuvola" in found


def test_search__stop_words_do_not_block_a_match(corpus):
    assert names(SearchQuery(q="kasvatus- ja perheneuvonta"))[0] == "Kasvatus- ja perheneuvonta"


def test_search__every_word_must_match(corpus):
    found = names(SearchQuery(q="lastenneuvola hervanta"))
    assert found == ["Hervannan lastenneuvola"]


def test_search__name_match_ranks_above_description_match(corpus):
    published_service(
        name_fi="Perhetyö",
        summary_fi="Kotikäynnit. Tarvittaessa ohjaus lastenneuvolaan.",
        municipalities=[municipality("091")],
    )
    found = names(SearchQuery(q="lastenneuvola"))
    assert found.index("Kallion lastenneuvola") < found.index("Perhetyö")


def test_search__keyword_match_ranks_between_name_and_description_and_ranking_reads_no_document(corpus):
    published_service(name_fi="Perheneuvonta A", keywords_fi="vertaistuki", municipalities=[municipality("091")])
    published_service(
        name_fi="Perheneuvonta B", description_fi="Ryhmissä vertaistuki.", municipalities=[municipality("091")]
    )
    published_service(name_fi="Vertaistuki", municipalities=[municipality("091")])
    analyse_all_pending_words()
    found = names(SearchQuery(q="vertaistuki"))
    assert found.index("Vertaistuki") < found.index("Perheneuvonta A") < found.index("Perheneuvonta B")
    # The order comes from the inline heading (names and keywords): the document is only the match's index lookup.
    ranking = str(search_module.ranked_services(SearchQuery(q="vertaistuki"), language="fi").values("pk").query)
    assert ranking.count("search_document") == 1 and "search_heading" in ranking  # the one: the match


def test_search__hides_drafts(corpus):
    assert "Luonnos: Vuosaaren lastenneuvola" not in names(SearchQuery(q="lastenneuvola"))
    assert "Luonnos: Vuosaaren lastenneuvola" not in names(SearchQuery())


def test_search__class_and_life_situation_names_are_searchable(corpus):
    # "Vertaistuki" is only the helpline's service class name, not in its own texts.
    assert names(SearchQuery(q="vertaistuki")) == ["Neuvolan chat", "Åbo Akademin perhetutkimus"]


# --- The database keeps the search data current ---


def test_search_vectors__follow_class_links_added_after_creation(corpus):
    service = published_service(name_fi="Perhepalvelu X", municipalities=[municipality("091")])
    assert "Perhepalvelu X" not in names(SearchQuery(q="kouluterveydenhuolto"))
    service.service_classes.add(ServiceClass.objects.get(code="school-health-care"))
    assert "Perhepalvelu X" in names(SearchQuery(q="kouluterveydenhuolto"))
    service.service_classes.clear()
    assert "Perhepalvelu X" not in names(SearchQuery(q="kouluterveydenhuolto"))


def test_search_vectors__follow_a_renamed_life_situation(corpus):
    situation = LifeSituationFactory(code="divorce")
    published_service(name_fi="Eroneuvo", life_situations=[situation])
    situation.name_fi = "Avioeron jälkeinen arki"
    situation.save()
    assert names(SearchQuery(q="avioeron")) == ["Eroneuvo"]


def test_update_search_vectors__rebuilds_the_given_services(corpus):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE services_service DISABLE TRIGGER service_search_document")
        cursor.execute("UPDATE services_service SET search_document = NULL, search_heading = NULL")
        cursor.execute("ALTER TABLE services_service ENABLE TRIGGER service_search_document")
    assert names(SearchQuery(q="olotila")) == []
    assert update_search_vectors([corpus.cafe.pk]) == 1
    assert names(SearchQuery(q="olotila")) == ["Perhekahvila Olotila"]


def test_fold__matches_the_database_function():
    sample = "Äitiysneuvola Mödrarådgivning ÅBO Čapek Ørsted"
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_fold(%s), search_sort_key(%s)", [sample, sample])
        assert cursor.fetchone() == (fold(sample), sort_key(sample))


# --- Filters ---


def test_filter_area__keeps_nationwide_services_but_ranks_the_area_first(corpus):
    found = names(SearchQuery(q="neuvola", area="90"))
    assert "Kallion lastenneuvola" in found
    assert "Neuvolan chat" in found  # nationwide
    assert "Hervannan lastenneuvola" not in found
    assert "Tikkurilan äitiysneuvola" not in found
    assert found.index("Kallion lastenneuvola") < found.index("Neuvolan chat")


def test_filter_area__includes_area_wide_services_without_municipalities(corpus):
    found = names(SearchQuery(area="03"))
    assert "Kasvatus- ja perheneuvonta" in found  # organised by Länsi-Uusimaa, no municipalities named
    assert "Yksityinen lastenpsykiatri" in found  # given in Espoo
    assert "Kallion lastenneuvola" not in found


def test_filter_municipality__named_first_then_area_wide_then_nationwide(corpus):
    found = names(SearchQuery(municipality="049"))
    assert found.index("Yksityinen lastenpsykiatri") < found.index("Kasvatus- ja perheneuvonta")
    assert found.index("Kasvatus- ja perheneuvonta") < found.index("Neuvolan chat")
    assert "Kallion lastenneuvola" not in found


def test_filter_age__overlaps_the_service_age_range(corpus):
    found = names(SearchQuery(age_range=(3, 3)))
    assert "Kallion lastenneuvola" in found
    assert "Yksityinen lastenpsykiatri" not in found
    assert "Parisuhdeneuvonta" not in found  # no ages: for parents


@pytest.mark.parametrize(
    ("audience", "expected"), [("expecting", "Tikkurilan äitiysneuvola"), ("parents", "Parisuhdeneuvonta")]
)
def test_filter_audience__expecting_and_parents(corpus, audience, expected):
    assert names(SearchQuery(audience=audience)) == [expected]


def test_filter_language_cost_provider_access(corpus):
    assert names(SearchQuery(languages=("en",))) == ["Tikkurilan äitiysneuvola", "Yksityinen lastenpsykiatri"]
    assert names(SearchQuery(cost="fee")) == ["Yksityinen lastenpsykiatri"]
    assert names(SearchQuery(providers=("parish",))) == ["Parisuhdeneuvonta"]
    assert set(names(SearchQuery(providers=("private", "ngo")))) == {
        "Yksityinen lastenpsykiatri",
        "Perhekahvila Olotila",
        "Neuvolan chat",
    }
    assert names(SearchQuery(access=("referral",))) == ["Yksityinen lastenpsykiatri"]
    public = names(SearchQuery(providers=("public",)))
    assert "Kallion lastenneuvola" in public and "Kasvatus- ja perheneuvonta" in public
    assert "Parisuhdeneuvonta" not in public


def test_filter_life_situation_and_service_class(corpus):
    assert names(SearchQuery(life_situations=("expecting",))) == ["Tikkurilan äitiysneuvola"]
    assert set(names(SearchQuery(service_classes=("child-health-clinic",)))) == {
        "Kallion lastenneuvola",
        "Porvoon lastenneuvola",
        "Hervannan lastenneuvola",
    }


@pytest.mark.parametrize(
    ("moment", "open_services"),
    [
        (WEDNESDAY_MORNING, {"Kallion lastenneuvola"}),
        (WEDNESDAY_MORNING.replace(hour=17), set()),
        (WEDNESDAY_MORNING.replace(hour=23, minute=30), {"Neuvolan chat"}),
        # After midnight: still yesterday's 18–02 evening.
        (WEDNESDAY_MORNING.replace(day=12, hour=1, minute=59), {"Neuvolan chat"}),
        (WEDNESDAY_MORNING.replace(day=12, hour=2, minute=0), set()),
        # Saturday: Kallio is closed at weekends.
        (WEDNESDAY_MORNING.replace(day=14), set()),
    ],
)
def test_filter_open_now__uses_rules_in_helsinki_time(corpus, moment, open_services):
    with time_machine.travel(moment, tick=False):
        assert set(names(SearchQuery(open_now=True))) == open_services


def test_filter_open_now__exception_closes_a_day_and_ends_an_overnight_shift(corpus):
    corpus.exception_factory(location=corpus.kallio_location, date=dt.date(2026, 3, 11), closed=True)
    corpus.exception_factory(
        location=corpus.helpline_location,
        date=dt.date(2026, 3, 11),
        closed=False,
        opens=dt.time(18),
        closes=dt.time(22),
    )
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        assert names(SearchQuery(open_now=True)) == []
    with time_machine.travel(WEDNESDAY_MORNING.replace(day=12, hour=1), tick=False):
        assert names(SearchQuery(open_now=True)) == []  # the exception's shift ended at 22
    with time_machine.travel(WEDNESDAY_MORNING.replace(hour=20), tick=False):
        assert names(SearchQuery(open_now=True)) == ["Neuvolan chat"]


def test_filter_open_now__agrees_with_the_python_rules(corpus):
    with time_machine.travel(WEDNESDAY_MORNING.replace(hour=23), tick=False):
        open_names = set(names(SearchQuery(open_now=True)))
        for service in search_services(SearchQuery(), language="fi"):
            python_open = any(location.is_open_now for location in service.locations.all())
            assert (service.name_fi in open_names) == python_open


# --- Order ---


def test_sort_name__finnish_alphabet_puts_a_ring_a_umlaut_o_umlaut_last(corpus):
    found = names(SearchQuery(sort="name"))
    assert found[-2:] == ["Åbo Akademin perhetutkimus", "Ämmälän koulukuraattori"]
    assert found[:2] == ["Hervannan lastenneuvola", "Kallion lastenneuvola"]


def test_sort_name__swedish_page_sorts_swedish_names(corpus):
    found = names(SearchQuery(), language="sv")
    assert found[0] == "Berghälls barnrådgivning"
    assert found[-2:] == ["Åbo Akademis familjeforskning", "Ämmälä skolkurator"]


def test_sort_default__relevance_with_words_and_name_without(corpus):
    assert SearchQuery(q="neuvola").effective_sort == "relevance"
    assert SearchQuery().effective_sort == "name"
    assert SearchQuery(sort="distance").effective_sort == "name"  # no location given


def test_sort_distance__nearest_location_first_and_annotated(corpus):
    results = list(search_services(SearchQuery(sort="distance", lat=61.45, lon=23.85), language="fi"))
    assert results[0].name_fi == "Hervannan lastenneuvola"
    assert results[0].distance_km < 1
    assert results[1].name_fi == "Tikkurilan äitiysneuvola"
    assert 130 < results[1].distance_km < 160
    assert results[-1].distance_km is None  # services without a located address come last


# --- Facets ---


def facet(facets, key):
    return {value.value: value.count for value in facets[key]}


def test_facets__count_with_the_other_filters_applied(corpus):
    facets = facet_counts(SearchQuery(q="neuvola", languages=("sv",)), language="fi")
    # neuvola + Swedish: Kallio, Tikkurila, Porvoo (Hervanta and the chat are Finnish only)
    assert facet(facets, "service_class") == {"child-health-clinic": 2, "maternity-clinic": 1}
    # the language facet ignores its own selection: all five neuvola services
    assert facet(facets, "language") == {"fi": 5, "sv": 3, "en": 1}
    assert [v.value for v in facets["language"] if v.selected] == ["sv"]
    assert facet(facets, "provider") == {"public": 3}
    assert facet(facets, "age_group") == {"0-1": 2, "1-6": 2, "expecting": 1}


def test_facets__area_and_municipality_include_nationwide_services(corpus):
    facets = facet_counts(SearchQuery(q="neuvola"), language="fi")
    # Helsinki: Kallio + the nationwide chat; Pirkanmaa: Hervanta + chat
    assert facet(facets, "area")["90"] == 2
    assert facet(facets, "area")["08"] == 2
    assert facet(facets, "municipality")["091"] == 2
    assert "049" not in facet(facets, "municipality")  # only the nationwide chat there


def test_facets__selected_value_with_no_results_is_still_listed(corpus):
    facets = facet_counts(SearchQuery(q="olotila", area="08", life_situations=("separation",)), language="sv")
    area = next(v for v in facets["area"] if v.value == "08")
    assert area.selected and area.label == "Birkalands välfärdsområde"
    situation = next(v for v in facets["life_situation"] if v.value == "separation")
    assert situation.selected and situation.count == 0


def test_facets__open_now_counts_open_services(corpus):
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        facets = facet_counts(SearchQuery(), language="fi")
    assert facet(facets, "open_now") == {"1": 1}


# --- Broader searches ---


def test_broader_searches__offer_wider_searches_that_find_something(corpus):
    published_service(name_fi="Keravan lastenneuvola", municipalities=[municipality("245")])
    query = SearchQuery(q="lastenneuvola", municipality="092", cost="free")
    assert names(query) == []
    with translation.override("en"):
        broader = broader_searches(query, language="en")
        area_name = WellbeingArea.objects.get(code="04").name
    by_query = {(b.query.q, b.query.area, b.query.municipality, b.query.cost): b for b in broader}
    whole_area = by_query[("lastenneuvola", "04", "", "free")]
    assert whole_area.label == f"In the whole wellbeing area {area_name}"
    assert whole_area.count == 1
    assert by_query[("", "", "092", "free")].count == 2  # Tikkurila and the nationwide chat
    assert ("lastenneuvola", "", "092", "") not in by_query  # without the cost filter: still nothing
    for option in broader:
        assert option.count == len(names(option.query)) > 0


def test_broader_searches__only_what_can_be_widened(corpus):
    assert [b.query for b in broader_searches(SearchQuery(q="xyzzyplugh"), language="fi")] == [SearchQuery()]
    assert broader_searches(SearchQuery(), language="fi") == []


# --- Pages and query counts ---


def test_results_page__out_of_range_and_garbage_give_a_page(corpus):
    qs = search_services(SearchQuery(), language="fi")
    assert results_page(qs, 99999).number == 1
    assert results_page(qs, "abc").number == 1
    assert results_page(qs, -3).number == 1


def test_ranked_page__count_rides_on_the_page_and_out_of_range_gives_the_last_page(corpus):
    query = SearchQuery(q="neuvola")
    first = search_module.ranked_page(query, language="fi", page_number="abc")
    assert first.number == 1 and first.paginator.count == len(first.object_list) > 1
    assert [s.pk for s in first.object_list] == [s.pk for s in search_services(query, language="fi")]
    assert search_module.ranked_page(query, language="fi", page_number=99).number == 1
    assert search_module.ranked_page(SearchQuery(q="zzzzqqq"), language="fi", page_number=3).paginator.count == 0


def evaluate_everything(query):
    query = dataclasses.replace(query)  # a fresh value, as each request makes (its words are expanded once)
    qs = search_services(query, language="fi")
    page = results_page(qs, 1)
    for service in page:
        service.organisation.name
        [c.name for c in service.service_classes.all()]
        for location in service.locations.all():
            location.municipality.name
            location.is_open_now
    facet_counts(query, language="fi")
    return page


@pytest.mark.parametrize("query", [SearchQuery(q="perhepalvelu"), SearchQuery(area="90", sort="name")])
def test_query_count__does_not_grow_with_results(query):
    from tests.factories import LocationFactory, OrganisationFactory

    organisation = OrganisationFactory()
    helsinki = municipality("091")

    def add_services(count):
        for _ in range(count):
            service = ServiceFactory(
                published=True, organisation=organisation, name_fi="Perhepalvelu", municipalities=[helsinki]
            )
            service.service_classes.set(ServiceClass.objects.all()[:2])
            LocationFactory(service=service, municipality=helsinki)
        # New words are analysed once (by the first search after a write, or by a bulk loader): not per result.
        search_module.analyse_pending_words()

    add_services(1)
    with CaptureQueriesContext(connection) as one:
        assert len(evaluate_everything(query)) == 1
    add_services(49)
    with CaptureQueriesContext(connection) as fifty:
        assert len(evaluate_everything(query).object_list) == 20
    assert len(one) == len(fifty) <= 9


# --- Voikko base forms ---


def test_base_forms__without_voikko_the_search_still_works(corpus, monkeypatch):
    monkeypatch.setattr("services.search.text._voikko", lambda: None)
    assert search_module.text.base_forms("neuvolassa") == []
    assert "Kallion lastenneuvola" in names(SearchQuery(q="lastenneuvolassa"))
    # An inflected compound part is out of the trigrams' reach without base forms.
    assert "Kallion lastenneuvola" not in names(SearchQuery(q="neuvolassa"))


def test_base_forms__an_inflected_compound_part_finds_the_compound(corpus, monkeypatch):
    monkeypatch.setattr("services.search.text.base_forms", lambda term: ["neuvola"] if term == "neuvolassa" else [])
    found = names(SearchQuery(q="neuvolassa"))
    assert "Kallion lastenneuvola" in found and "Tikkurilan äitiysneuvola" in found


def test_base_forms__real_voikko_is_installed(corpus):
    # make run / make test install libvoikko1 and voikko-fi; pip installs the binding.
    assert search_module.text._voikko() is not None, "Voikko missing: apt-get install libvoikko1 voikko-fi"
    assert search_module.text.base_forms("neuvolassa") == ["neuvola"]
    assert search_module.text.base_forms("puheterapeutille") == ["puheterapeutti"]
    found = names(SearchQuery(q="neuvolassa"), "fi")
    assert "Kallion lastenneuvola" in found


# --- The page core: words matched and ranked once for count, page and facets ---


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(q="neuvola"),
        SearchQuery(q="neuvola", area="90"),
        SearchQuery(q="neuvola", languages=("sv",)),
        SearchQuery(q="lastenneuvola", sort="distance", lat=61.45, lon=23.85),
        SearchQuery(area="03"),
        SearchQuery(q="xyzzyplugh"),
    ],
)
def test_run_search__same_results_facets_and_broader_as_the_parts(corpus, query):
    found = search_module.run_search(query, language="fi", page_number="1")
    expected = results_page(search_services(query, language="fi"), 1)
    assert [s.pk for s in found.page.object_list] == [s.pk for s in expected.object_list]
    assert found.page.paginator.count == expected.paginator.count
    assert found.facets == facet_counts(query, language="fi")
    assert found.broader == (broader_searches(query, language="fi") if expected.paginator.count == 0 else [])


def test_run_search__query_count_does_not_grow_with_results():
    from tests.factories import LocationFactory, OrganisationFactory

    organisation, helsinki = OrganisationFactory(), municipality("091")

    def add_services(count):
        for _ in range(count):
            service = ServiceFactory(
                published=True, organisation=organisation, name_fi="Perhepalvelu", municipalities=[helsinki]
            )
            LocationFactory(service=service, municipality=helsinki)
        search_module.analyse_pending_words()

    def run():
        with CaptureQueriesContext(connection) as queries:
            page = search_module.run_search(SearchQuery(q="perhepalvelu", area="90"), language="fi", page_number=1).page
            for service in page.object_list:
                [location.is_open_now for location in service.locations.all()]
        return page, len(queries)

    add_services(1)
    one, one_count = run()
    add_services(49)
    fifty, fifty_count = run()
    assert (one.paginator.count, fifty.paginator.count, len(fifty.object_list)) == (1, 50, 20)
    assert one_count == fifty_count <= 9
