"""Facet counts at scale: the narrow facet rows follow every write, "open now" reads by index, and the minute's cache
never shows another search's counts or counts from before a write."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction

from organisations.models import Organisation
from services.models import (
    LifeSituation,
    LocationException,
    LocationOpeningHours,
    Service,
    ServiceClass,
    ServiceFacetRow,
)
from services.search import SearchQuery, analyse_all_pending_words, facet_counts, update_search_vectors
from services.search.facets import facet_cache_key
from services.search.filters import open_service_ids
from services.search.matching import query_expansions
from tests.factories import (
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    OrganisationFactory,
    ServiceFactory,
)

from .search_corpus import WEDNESDAY_MORNING, build_corpus, municipality, published_service

pytestmark = pytest.mark.django_db

FACET_FIELDS = ("state", "organisation_id", "age_min", "age_max", "for_expecting", "for_parents", "languages", "cost")


def facet_rows():
    return {row[0]: row[1:] for row in ServiceFacetRow.objects.values_list("id", *FACET_FIELDS, "access")}


def service_rows():
    return {row[0]: row[1:] for row in Service.objects.values_list("id", *FACET_FIELDS, "access")}


def counts(facets, key):
    return {value.value: value.count for value in facets[key]}


def uncached(query, language="fi", **kwargs):
    # Inside a transaction facet_counts neither reads nor writes the cache.
    with transaction.atomic():
        return facet_counts(query, language=language, **kwargs)


# --- The narrow rows follow the service table, whoever writes it ---


def test_facet_rows__follow_orm_writes_bulk_writes_raw_sql_and_deletes():
    organisation = OrganisationFactory()
    service = ServiceFactory(organisation=organisation, published=True, age_min=0, age_max=6, languages=["fi"])
    assert facet_rows() == service_rows()
    assert facet_rows()[service.pk][0] == "published"

    service.cost, service.languages, service.state = "fee", ["fi", "sv"], "archived"
    service.save()
    Service.objects.filter(pk=service.pk).update(age_max=12, access=["walk_in"])
    Service.objects.bulk_create([Service(organisation=organisation, name="Uusi", slug="uusi", summary="x")])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE services_service SET for_parents = true, organisation_id = %s", [OrganisationFactory().pk]
        )
    update_search_vectors()  # touches no facet column
    assert facet_rows() == service_rows()
    assert facet_rows()[service.pk][2:4] == (0, 12)

    service.delete()
    Service.objects.all().delete()
    assert facet_rows() == {} == service_rows()


def test_facet_rows__follow_seed_demo_bulk_loads_and_reloads():
    options = {"areas": "01", "municipalities_per_area": 1, "today": "2025-03-10", "stdout": io.StringIO()}
    call_command("seed_demo", **options)
    first = service_rows()
    assert first and facet_rows() == first
    call_command("seed_demo", **options)  # replaces the demo services
    assert facet_rows() == service_rows() != {}
    assert taxonomies_on_facet_rows() == taxonomies_linked()
    assert any(situations for situations, _classes in taxonomies_on_facet_rows().values())
    assert not set(first) & set(facet_rows())  # the replaced services' rows went with them


def taxonomies_on_facet_rows():
    return {
        pk: (sorted(situations), sorted(classes))
        for pk, situations, classes in ServiceFacetRow.objects.values_list("id", "life_situations", "service_classes")
    }


def taxonomies_linked():
    linked = {pk: ([], []) for pk in Service.objects.values_list("id", flat=True)}
    for pk, situation in Service.life_situations.through.objects.values_list("service_id", "lifesituation_id"):
        linked[pk][0].append(situation)
    for pk, service_class in Service.service_classes.through.objects.values_list("service_id", "serviceclass_id"):
        linked[pk][1].append(service_class)
    return {pk: (sorted(situations), sorted(classes)) for pk, (situations, classes) in linked.items()}


def test_facet_rows__carry_the_life_situations_and_classes_whoever_links_them():
    situations, classes = list(LifeSituation.objects.all()[:3]), list(ServiceClass.objects.all()[:3])
    one, two = ServiceFactory(published=True), ServiceFactory(published=True)
    assert taxonomies_on_facet_rows()[one.pk] == ([], [])  # a new row starts empty
    one.life_situations.set(situations[:2])
    one.service_classes.add(classes[0])
    two.service_classes.set(classes)
    assert taxonomies_on_facet_rows() == taxonomies_linked()
    assert taxonomies_on_facet_rows()[one.pk] == (sorted(s.pk for s in situations[:2]), [classes[0].pk])

    one.life_situations.remove(situations[0])
    two.service_classes.clear()
    Service.life_situations.through.objects.bulk_create(
        [Service.life_situations.through(service_id=two.pk, lifesituation_id=situation.pk) for situation in situations]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE services_service_life_situations SET lifesituation_id = %s WHERE service_id = %s "
            "AND lifesituation_id = %s",
            [situations[0].pk, one.pk, situations[1].pk],
        )
    assert taxonomies_on_facet_rows() == taxonomies_linked()
    assert taxonomies_on_facet_rows()[one.pk] == ([situations[0].pk], [classes[0].pk])

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction has deferred checks pending
        cursor.execute("TRUNCATE services_service_service_classes")
    assert taxonomies_on_facet_rows() == taxonomies_linked()
    assert taxonomies_on_facet_rows()[one.pk] == ([situations[0].pk], [])


def test_taxonomy_facets__count_each_value_from_the_facet_rows():
    situations = list(LifeSituation.objects.order_by("order")[:2])
    for number in range(3):
        service = published_service(name_fi=f"Vertaisryhmä {number}", municipalities=[municipality("091")])
        service.life_situations.set(situations[: number % 2 + 1])
    analyse_all_pending_words()
    facets = uncached(SearchQuery(q="vertaisryhmä"))
    # 3 services: each has the first life situation, one also has the second.
    assert counts(facets, "life_situation") == {situations[0].code: 3, situations[1].code: 1}


# --- "Open now" reads only today's and yesterday's rows, through the indexes ---


def test_open_now__today_and_yesterday_rows_are_found_through_the_indexes():
    sql, params = open_service_ids(WEDNESDAY_MORNING).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test tables are tiny; ask whether the index serves
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "location_hours_weekday_idx" in plan
    assert "location_exception_date_idx" in plan
    assert f"Seq Scan on {LocationOpeningHours._meta.db_table}" not in plan
    assert f"Seq Scan on {LocationException._meta.db_table}" not in plan


def test_open_now__counts_rules_exceptions_and_overnight_hours():
    helsinki = municipality("091")
    ordinary, closed_today, overnight, not_yet = (
        published_service(name_fi=name, municipalities=[helsinki]) for name in ("A", "B", "C", "D")
    )
    wednesday, tuesday = 3, 2
    for service in (ordinary, closed_today):
        location = LocationFactory(service=service, municipality=helsinki)
        LocationOpeningHoursFactory(location=location, weekday=wednesday, opens=dt.time(8), closes=dt.time(16))
        if service is closed_today:
            LocationExceptionFactory(location=location, date=WEDNESDAY_MORNING.date())
    LocationOpeningHoursFactory(
        location=LocationFactory(service=overnight, municipality=helsinki),
        weekday=tuesday,
        opens=dt.time(22),
        closes=dt.time(11),
        over_midnight=True,
    )
    LocationOpeningHoursFactory(
        location=LocationFactory(service=not_yet, municipality=helsinki),
        weekday=wednesday,
        opens=dt.time(12),
        closes=dt.time(16),
    )
    assert set(open_service_ids(WEDNESDAY_MORNING).values_list("service_id", flat=True)) == {ordinary.pk, overnight.pk}
    assert counts(uncached(SearchQuery(), moment=WEDNESDAY_MORNING), "open_now") == {"1": 2}


# --- The minute's cache ---


@pytest.fixture
def cached(db):
    """Autocommit, as on the site (a test's transaction would bypass the cache), and an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_facet_cache__never_shows_another_searchs_counts(cached):
    build_corpus()
    queries = [
        SearchQuery(),
        SearchQuery(q="neuvola"),
        SearchQuery(q="perhe"),
        SearchQuery(cost="free"),
        SearchQuery(area="08"),
        SearchQuery(municipality="091"),
        SearchQuery(languages=("sv",)),
        SearchQuery(q="neuvola", languages=("sv",)),
        SearchQuery(age_range=(1, 6)),
        SearchQuery(age_range=(6, 1)),
        SearchQuery(audience="parents"),
        SearchQuery(open_now=True),
    ]
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        expected = {query: (uncached(query, "fi"), uncached(query, "sv")) for query in queries}
        for _round in range(2):  # the first round fills the cache, the second reads it
            for query in queries:
                assert facet_counts(query, language="fi") == expected[query][0], query
                assert facet_counts(query, language="sv") == expected[query][1], query
        keys = {
            facet_cache_key(query, language=language, moment=WEDNESDAY_MORNING)
            for query in queries
            for language in ("fi", "sv")
        }
    assert len(keys) == 2 * len(queries)
    assert len({str(counts) for counts in expected.values()}) > 5  # the searches do differ


@pytest.mark.django_db(transaction=True)
def test_facet_cache__same_search_in_another_order_or_spelling_shares_the_entry(cached):
    build_corpus()
    one = SearchQuery(q="Neuvola  ", life_situations=("baby", "separation"), providers=("public", "ngo"))
    same = SearchQuery(q="neuvola", life_situations=("separation", "baby"), providers=("ngo", "public"), sort="name")
    assert facet_cache_key(one, language="fi", moment=WEDNESDAY_MORNING) == facet_cache_key(
        same, language="fi", moment=WEDNESDAY_MORNING
    )
    assert facet_counts(one, language="fi") == facet_counts(same, language="fi")
    assert facet_cache_key(SearchQuery(age_range=(1, 6)), language="fi", moment=WEDNESDAY_MORNING) != facet_cache_key(
        SearchQuery(age_range=(6, 1)), language="fi", moment=WEDNESDAY_MORNING
    )


@pytest.mark.django_db(transaction=True)
def test_facet_cache__a_write_shows_at_once(cached):
    corpus = build_corpus()
    query = SearchQuery(municipality="091")
    before = counts(facet_counts(query, language="fi"), "cost")
    published_service(name_fi="Maksullinen perhevalmennus", cost="fee", municipalities=[municipality("091")])
    assert counts(facet_counts(query, language="fi"), "cost")["fee"] == before.get("fee", 0) + 1
    # A write elsewhere than the service rows: an organisation becomes a parish.
    Organisation.objects.filter(pk=corpus.kallio.organisation_id).update(kind=Organisation.Kind.PARISH)
    assert counts(facet_counts(query, language="fi"), "provider") == counts(uncached(query), "provider")
    # An exceptional closing today.
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        open_before = counts(facet_counts(SearchQuery(), language="fi"), "open_now")["1"]
        LocationException.objects.create(location=corpus.kallio_location, date=WEDNESDAY_MORNING.date(), closed=True)
        assert counts(facet_counts(SearchQuery(), language="fi"), "open_now").get("1", 0) == open_before - 1


@pytest.mark.django_db(transaction=True)
def test_facet_cache__open_now_follows_the_minute(cached):
    build_corpus()
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        morning = counts(facet_counts(SearchQuery(), language="fi"), "open_now")
    with time_machine.travel(WEDNESDAY_MORNING.replace(hour=6), tick=False):  # the clinic at 8, the chat until 2
        early = counts(facet_counts(SearchQuery(), language="fi"), "open_now")
    assert morning == {"1": 1}
    assert early == {}


@pytest.mark.django_db(transaction=True)
def test_facet_cache__a_repeat_costs_one_small_query(cached, django_assert_num_queries):
    build_corpus()
    query = SearchQuery(q="neuvola", area="90")
    # As on the page, the words are expanded first (the count and the results need them; new corpus words are
    # analysed then, which is a write and moves the data version).
    query_expansions(query)
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        with django_assert_num_queries(3):  # the data version, the services open this minute and the facet query
            first = facet_counts(query, language="fi")
        with django_assert_num_queries(1):  # the data version
            assert facet_counts(SearchQuery(q="neuvola", area="90"), language="fi") == first
        other = SearchQuery(area="90")
        expected = uncached(other)
        with django_assert_num_queries(2):  # another search in the minute: the open services come from the cache
            assert facet_counts(other, language="fi") == expected


def test_facet_cache__not_used_inside_a_transaction(django_assert_num_queries):
    cache.clear()
    build_corpus()
    with django_assert_num_queries(1):
        facet_counts(SearchQuery(), language="fi")
    with django_assert_num_queries(1):
        facet_counts(SearchQuery(), language="fi")
