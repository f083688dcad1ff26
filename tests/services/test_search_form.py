import pytest
from django.http import QueryDict
from django.utils import translation

from services.search import (
    SearchQuery,
    ServiceSearchForm,
    broader_searches,
    facet_counts,
    results_page,
    search_services,
)

from .search_corpus import build_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def form_for(query_string: str) -> ServiceSearchForm:
    return ServiceSearchForm(QueryDict(query_string))


def run_everything(form):
    """What the search page does with a form: must never raise."""
    query = form.to_query()
    page = results_page(search_services(query, language="fi"), "99999")
    list(page)
    facet_counts(query, language="fi")
    broader_searches(query, language="fi")
    return query, page


def test_form__valid_input_builds_the_query():
    form = form_for(
        "q=neuvola&area=90&municipality=091&life_situation=baby&life_situation=toddler&service_class=child-health-clinic"
        "&age=3&language=sv&cost=free&provider=public&provider=ngo&access=walk_in&open_now=1&sort=name"
    )
    assert form.is_valid(), form.errors
    assert form.to_query() == SearchQuery(
        q="neuvola",
        area="90",
        municipality="091",
        life_situations=("baby", "toddler"),
        service_classes=("child-health-clinic",),
        age_range=(3, 3),
        languages=("sv",),
        cost="free",
        providers=("public", "ngo"),
        access=("walk_in",),
        open_now=True,
        sort="name",
        origin=(60.1712, 24.9326),  # Helsinki's centre: distances are measured from the chosen municipality
    )


def test_form__unbound_gives_an_empty_query():
    assert ServiceSearchForm().to_query() == SearchQuery()


@pytest.mark.parametrize(
    ("group", "age_range", "audience"),
    [("0-1", (0, 1), None), ("13-17", (13, 17), None), ("expecting", None, "expecting"), ("parents", None, "parents")],
)
def test_form__age_group_becomes_a_range_or_an_audience(group, age_range, audience):
    query = form_for(f"age_group={group}").to_query()
    assert (query.age_range, query.audience) == (age_range, audience)


def test_form__postcode_resolves_to_its_municipality():
    form = form_for("postcode=00530")
    assert form.is_valid()
    query = form.to_query()
    assert (query.municipality, query.postcode) == ("091", "00530")
    assert query.as_params() == {"postcode": "00530"}


def test_as_params__round_trips_through_the_form():
    query = SearchQuery(
        q="rådgivning",
        area="01",
        life_situations=("baby",),
        age_range=(7, 12),
        languages=("sv", "fi"),
        providers=("parish",),
        open_now=True,
        sort="distance",
        lat=60.39,
        lon=25.66,
    )
    data = QueryDict(mutable=True)
    for key, value in query.as_params().items():
        data.setlist(key, value if isinstance(value, list) else [value])
    assert ServiceSearchForm(data).to_query() == query


def test_without__removes_one_filter():
    query = SearchQuery(q="x", municipality="091", postcode="00530", age_range=(1, 6), languages=("sv",))
    assert query.without("municipality").municipality == "" and query.without("municipality").postcode == ""
    assert query.without("age_group").age_range is None
    assert query.without("languages").languages == ()
    assert query.without("q") == SearchQuery(municipality="091", postcode="00530", age_range=(1, 6), languages=("sv",))


@pytest.mark.parametrize(
    ("query_string", "field", "message_part"),
    [
        ("municipality=999", "municipality", "Unknown municipality"),
        ("municipality=<script>", "municipality", "Unknown municipality"),
        ("area=xx", "area", "Unknown wellbeing area"),
        ("postcode=123", "postcode", "five digits"),
        ("postcode=00009", "postcode", "Unknown postal code"),
        ("age=-5", "age", "from 0 to 29"),
        ("age=999", "age", "from 0 to 29"),
        ("age=abc", "age", "whole years"),
        ("age_group=teens", "age_group", "Unknown age group"),
        ("cost=cheap", "cost", "Unknown cost"),
        ("sort=random", "sort", "Unknown sort order"),
        ("sort=distance", "sort", "needs a place or your location"),
        ("language=sv&language=klingon", "language", "“klingon”"),
        ("life_situation=baby&life_situation=' OR 1=1 --", "life_situation", "OR 1=1"),
        ("provider=government", "provider", "“government”"),
        ("lat=nan&lon=25", "lat", ""),
    ],
)
def test_form__bad_values_are_dropped_with_a_message(query_string, field, message_part):
    build_corpus()
    form = form_for(query_string)
    assert not form.is_valid()
    assert field in form.errors
    assert message_part in " ".join(form.errors[field])
    query, page = run_everything(form)
    assert page.paginator.count > 0  # the rest of the search still works: all services shown


def test_form__unknown_multi_values_keep_the_known_ones():
    query = form_for("language=sv&language=klingon&provider=ngo&provider=x").to_query()
    assert query.languages == ("sv",)
    assert query.providers == ("ngo",)


def test_form__very_long_query_is_shortened_with_a_message():
    build_corpus()
    form = form_for("q=" + "lastenneuvola " * 800)
    assert not form.is_valid()
    assert "shortened" in form.errors["q"][0]
    query, page = run_everything(form)
    assert len(query.q) <= 200
    assert {s.name_fi for s in page} == {"Kallion lastenneuvola", "Hervannan lastenneuvola", "Porvoon lastenneuvola"}


@pytest.mark.parametrize(
    "q",
    [
        "neuvola\x00",
        "\x00\x00\x00",
        "lasten\x00neuvola",
        "'; DROP TABLE services_service; --",
        "neuvola' OR '1'='1",
        "a & b | !c <-> d:* ( ) \\ ' \"",
        "%_%",
        "\ufffd\ufffd broken \udcff",
        "🙂👶",
        " ",
        "a",
    ],
)
def test_form__hostile_or_broken_text_never_raises(q):
    build_corpus()
    form = ServiceSearchForm({"q": q})
    query, page = run_everything(form)
    assert "\x00" not in query.q
    assert page.number == 1


def test_form__nul_bytes_are_removed_not_fatal():
    build_corpus()
    form = ServiceSearchForm({"q": "lasten\x00neuvola"})
    assert form.is_valid()
    assert form.to_query().q == "lasten neuvola"


def test_form__broken_utf8_in_the_query_string_is_harmless(rf):
    build_corpus()
    request = rf.get("/fi/services/?q=%ff%fe%00neuvola&age=%c3%28")
    form = ServiceSearchForm(request.GET)
    query, page = run_everything(form)
    assert "age" in form.errors
    assert "Kallion lastenneuvola" in [s.name_fi for s in page]


@pytest.mark.django_db(transaction=True)
def test_municipality_choices_are_kept_and_follow_a_rename_at_once(django_assert_num_queries):
    from organisations.models import Municipality

    def choice_label(code):
        return dict(ServiceSearchForm().fields["municipality"].choices)[code]

    assert ServiceSearchForm({"municipality": "091"}).is_valid()  # fills the cache
    with django_assert_num_queries(1):  # the data version; the ~300 choices come from the cache
        assert ServiceSearchForm({"municipality": "091"}).is_valid()
    assert choice_label("091") == "Helsinki"
    Municipality.objects.filter(code="091").update(name_fi="Helsingin kaupunki")
    assert choice_label("091") == "Helsingin kaupunki"
