"""The filter declarations: every value offered counts what choosing it finds, and everything derives from them."""

import pytest
import time_machine
from django.http import QueryDict

from services.search import (
    FILTERS,
    PARAM_NAMES,
    SearchQuery,
    ServiceSearchForm,
    query_from_params,
    run_search,
    search_params,
)
from services.search.filters import find_filter

from .search_corpus import WEDNESDAY_MORNING, build_corpus, published_service

pytestmark = pytest.mark.django_db

# Searches the facets are read from: plain, with words, with a place, with words and two filters.
BASES = [
    {},
    {"q": ["neuvola"]},
    {"area": ["90"]},
    {"q": ["perhe"], "language": ["sv"], "cost": ["free"]},
    {"municipality": ["091"], "age_group": ["1-6"], "open_now": ["1"]},
]


def params(mapping) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in mapping.items():
        query.setlist(key, values)
    return query


@pytest.mark.parametrize("base", BASES, ids=lambda b: "&".join(f"{k}={'+'.join(v)}" for k, v in b.items()) or "all")
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_value_offered__counts_what_choosing_it_finds(base, language):
    build_corpus()
    # Ranges that touch the age groups' edges (12 | 13) and one open at the top.
    published_service(name_fi="Varhaisnuorten kerho", age_min=12, age_max=13, cost="free", languages=["fi", "sv"])
    published_service(name_fi="Perheneuvola aikuisille", age_min=17, age_max=None, languages=["sv"])
    checked = 0
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        query, _errors = query_from_params(params(base))
        facets = run_search(query, language=language, page_number=1).facets
        for search_filter in FILTERS:
            assert search_filter.name in facets
            for value in facets[search_filter.name]:
                # Choosing the value: the base search with this filter's parameters replaced by this one value.
                chosen = {k: v for k, v in base.items() if k not in {p.name for p in search_filter.params}}
                chosen[search_filter.name] = [value.value]
                chosen_query, _errors = query_from_params(params(chosen))
                found = run_search(chosen_query, language=language, page_number=1).page.paginator.count
                assert found == value.count, (search_filter.name, value, found)
                checked += 1
    assert checked >= 5  # the corpus offers values in several facets


def test_selected_values_show_with_their_label_even_when_nothing_matches():
    build_corpus()
    query, _errors = query_from_params(params({"q": ["zzzzqqq"], "life_situation": ["separation"], "area": ["08"]}))
    facets = run_search(query, language="sv", page_number=1).facets
    chosen = [v for v in facets["life_situation"] if v.selected]
    assert [(v.value, v.count) for v in chosen] == [("separation", 0)]
    assert chosen[0].label != "separation"  # the Swedish name from the taxonomy, not the code
    assert [v.value for v in facets["area"] if v.selected] == ["08"]


def test_form_fields__are_the_declared_parameters():
    form = ServiceSearchForm()
    assert set(form.fields) == PARAM_NAMES
    names = [p.name for p in search_params()]
    assert len(names) == len(set(names)), "a parameter is declared twice"
    for search_filter in FILTERS:
        assert search_filter.params[0].name == search_filter.name
        assert find_filter(search_filter.name) is search_filter
        for field in search_filter.fields:
            assert find_filter(field) is search_filter


@pytest.mark.parametrize("search_filter", FILTERS, ids=lambda f: f.name)
def test_as_params__round_trips_each_filter(search_filter):
    build_corpus()
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        facets = run_search(SearchQuery(), language="fi", page_number=1).facets
    offered = facets[search_filter.name]
    assert offered, f"the corpus offers no value for {search_filter.name}"
    query, errors = query_from_params(params({search_filter.name: [offered[0].value]}), strict=True)
    assert errors == {}
    assert query.active_filters == [search_filter.name]
    again, _errors = query_from_params(
        params({k: v if isinstance(v, list) else [v] for k, v in query.as_params().items()})
    )
    assert again == query
    assert query.without(search_filter.name) == SearchQuery()


def test_strict__names_each_bad_parameter():
    build_corpus()
    bad = params(
        {
            "area": ["99"],
            "municipality": ["091", "049"],
            "language": ["fi", "klingon"],
            "age": ["-1"],
            "cost": ["cheap"],
            "postcode": ["12"],
            "sort": ["distance"],
            "lat": ["60.17"],
            "q": ["x" * 201],
        }
    )
    query, errors = query_from_params(bad, strict=True)
    # sort=distance is good: a municipality is given (distances from its centre).
    assert set(errors) == {"area", "municipality", "language", "age", "cost", "postcode", "lon", "q"}
    assert errors["municipality"] == ["Give this parameter once."]
    assert errors["lon"] == ["Required with lat."]
    assert all(isinstance(m, str) and m for messages in errors.values() for m in messages)
    # Lenient reading of the same input keeps what is good.
    lenient, none = query_from_params(bad)
    assert none == {} and lenient.languages == ("fi",) and lenient.municipality == "049"


def test_strict__good_input_has_no_errors():
    build_corpus()
    good = params(
        {
            "q": ["neuvola"],
            "area": ["90"],
            "life_situation": ["baby", "toddler"],
            "age": ["3"],
            "language": ["fi", "sv"],
            "provider": ["public"],
            "open_now": ["true"],
            "sort": ["distance"],
            "lat": ["60.17"],
            "lon": ["24.94"],
        }
    )
    query, errors = query_from_params(good, strict=True)
    assert errors == {}
    assert query.age_range == (3, 3) and query.life_situations == ("baby", "toddler") and query.open_now
    assert query.effective_sort == "distance"


def test_search_page__facet_groups_and_chips_come_from_the_declarations(client):
    build_corpus()
    response = client.get("/fi/services/", {"language": "sv", "postcode": "00530", "age": "4"})
    groups = response.context["facet_groups"]
    # The municipality and postcode are the "where" field at the top of the page, not a facet group.
    shown = [f for f in FILTERS if f.name != "municipality"]
    assert [g["name"] for g in groups] == [f.name for f in shown]
    assert [g["legend"] for g in groups] == [f.legend for f in shown]
    inputs = {i["param"].name: i["value"] for g in groups for i in g["inputs"]}
    assert inputs == {"age": "4"}
    chips = [label for label, _url in response.context["active_filters"]]
    assert "ruotsi" in [c.lower() for c in chips]
    assert any(c.startswith("Lapsen ikä vuosina: 4") for c in chips), chips
    html = response.content.decode()
    assert 'name="age" id="id_age" type="number"' in html
    assert 'name="where" id="id_where" value="00530 Helsinki"' in html
    assert 'name="postcode"' not in html
