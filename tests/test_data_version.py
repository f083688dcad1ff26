"""The data version (services/search/caching.py) covers every table a cached page reads.

Whole pages (services/pagecache.py), the calendar's listings and counts, the area page's content and counts, the
search's counts, result pages and cards, and the API's service JSON are kept under the sequence
``services_search_data_version``. A table any of them reads whose writes do not advance the sequence leaves those pages
stale until their entries expire. This test renders each of them with an empty cache, reads the tables from their SQL
and asks PostgreSQL which of them have the trigger. The tests run in autocommit, as the site does.

A write in another connection's open transaction: its statement advances the version at once, but a page rendered
before it commits still reads the old rows, so the version must advance again at the commit (services migration 0013).
"""

import contextlib
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from services.search.caching import data_version
from services.search.places import postcode_point
from services.search.visit import PLACE_COOKIE, VisitPlace, remember_place
from tests.factories import (
    ActivityDateFactory,
    ActivityFactory,
    ContactPersonFactory,
    EmailAddressFactory,
    LocationFactory,
    MeetingPlaceExceptionFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
    MembershipFactory,
    PhoneNumberFactory,
    UserFactory,
    WebLinkFactory,
)
from tests.services.search_corpus import WEDNESDAY_MORNING, build_corpus

pytestmark = pytest.mark.django_db(transaction=True)

_TABLE = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
# Read by the search, written only by a trigger on services_service (services migration 0007), which advances it.
KEPT_BY_A_VERSIONED_TABLE = {"services_servicefacetrow"}


def versioned_tables(function: str = "services_search_data_changed") -> set[str]:
    """The tables with a trigger that calls *function* (the statement's advance, or the commit's: deferred only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT DISTINCT c.relname FROM pg_trigger t
                 JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE p.proname = %s AND NOT t.tgisinternal
                  AND (p.proname <> 'services_search_data_committed' OR (t.tgdeferrable AND t.tginitdeferred))""",
            [function],
        )
        return {row[0] for row in cursor.fetchall()}


def committed_tables() -> set[str]:
    return versioned_tables("services_search_data_committed")


def sequence_value() -> int:
    """The version as it is now, inside a transaction too (data_version() says None there)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM services_search_data_version")
        return cursor.fetchone()[0]


@contextlib.contextmanager
def another_connection():
    """A connection of its own, as another worker's or the admin's: its transaction stays open until it commits."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        yield other
    finally:
        other.rollback()  # whatever the test did not commit, so the flush after it is not kept waiting for locks
        other.close()


def commit_advancing_the_version_once(writer) -> None:
    written = sequence_value()
    writer.commit()
    assert sequence_value() == written + 1


def get_page(client, url) -> str:
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def cached_page_urls(corpus) -> list[str]:
    kallio, tikkurila = corpus.kallio.pk, corpus.tikkurila.pk
    return [
        corpus.kallio.get_absolute_url(),
        f"{corpus.kallio.get_absolute_url()}?compare={tikkurila}",
        "/fi/",
        "/sv/",
        f"/fi/compare/?services={kallio},{tikkurila}",
        f"/fi/compare/?services={kallio},{tikkurila}&lat=60.2&lon=24.9",
        "/fi/services/?q=neuvola",
        "/fi/services/?q=neuvola+00530",
        "/fi/services/?postcode=00530&q=neuvola",
        "/fi/services/?municipality=091&open_now=1",
        "/sv/services/?q=rådgivning+i+Helsingfors",
        "/fi/activities/",
        "/fi/activities/?municipality=091",
        "/fi/activities/?municipality=091&day=2026-03-11",
        "/fi/areas/90/",
        "/api/v1/services/",
        "/api/v1/services/?q=neuvola&postcode=00530",
    ]


def test_every_table_a_cached_page_reads_advances_the_data_version(client, settings):
    settings.COUNTS_CACHE_SECONDS = 60  # as the site has it (the counts are cached too)
    corpus = build_corpus()
    helsinki = corpus.kallio.municipalities.get()
    place = MeetingPlaceFactory(
        published=True, organisation=corpus.kallio.organisation, municipality=helsinki, postal_code="00530"
    )
    MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=3)
    MeetingPlaceExceptionFactory(meeting_place=place)
    activity = ActivityFactory(meeting_place=place, weekday=3)
    ActivityDateFactory(activity=activity)
    MembershipFactory(organisation=corpus.kallio.organisation, role="professional")
    ContactPersonFactory(area=helsinki.area, organisation=corpus.kallio.organisation, show_publicly=True)
    PhoneNumberFactory(service=corpus.kallio)
    EmailAddressFactory(service=corpus.kallio)
    WebLinkFactory(service=corpus.kallio)
    LocationFactory(service=corpus.kallio, municipality=helsinki, postal_code="00530")

    existing = set(connection.introspection.table_names())
    read: dict[str, str] = {}
    for place in (None, VisitPlace.postcode("00530"), VisitPlace.municipality("091")):
        client.cookies.clear()
        if place is not None:
            response = HttpResponse()
            remember_place(response, place)
            client.cookies[PLACE_COOKIE] = response.cookies[PLACE_COOKIE].value
        for url in cached_page_urls(corpus):
            cache.clear()
            with time_machine.travel(WEDNESDAY_MORNING, tick=False), CaptureQueriesContext(connection) as queries:
                response = client.get(url, HTTP_REFERER="http://testserver/fi/services/?q=neuvola")
            assert response.status_code == 200, url
            for query in queries.captured_queries:
                if query["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
                    for table in set(_TABLE.findall(query["sql"])) & existing:  # not the queries' own CTE names
                        read.setdefault(table, url)

    # The tables organisations migration 0012 added, found here: the test sees them.
    assert {"organisations_membership", "organisations_postalcode", "auth_user"} <= set(read)
    # Both: the statement's advance keeps a page read before the write from being served after it, the commit's one
    # read while the write was not yet committed (services migration 0013).
    both = versioned_tables() & committed_tables()
    unversioned = {table: url for table, url in read.items() if table not in both}
    assert {t: u for t, u in unversioned.items() if t not in KEPT_BY_A_VERSIONED_TABLE} == {}


def test_a_users_address_and_activity_advance_the_version_and_a_login_does_not():
    user = UserFactory()
    before = data_version()
    update_last_login(None, user)
    user.first_name = "Toinen"
    user.set_password("another-horse-battery-staple")
    user.save()  # writes every column, email and is_active unchanged
    assert data_version() == before
    get_user_model().objects.filter(pk=user.pk).update(email="uusi@example.fi")
    assert data_version() > before
    changed = data_version()
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert data_version() > changed


def test_postcode_point__follows_new_places_and_the_postcodes_municipality_at_once(settings):
    from organisations.models import Municipality, PostalCode

    cache.clear()
    # No place of ours at 00530 yet: the point is its municipality's centre, then Espoo's when the postcode moves.
    helsinki_centre = postcode_point("00530")
    assert helsinki_centre is not None
    PostalCode.objects.filter(code="00530").update(municipality=Municipality.objects.get(code="049"))
    espoo_centre = postcode_point("00530")
    assert espoo_centre is not None and espoo_centre != helsinki_centre
    LocationFactory(postal_code="00530", latitude=60.19, longitude=24.96)
    assert postcode_point("00530") == pytest.approx((60.19, 24.96))
    cache.clear()


def test_organisations_migration_0012_is_reversible():
    added = {"organisations_membership", "organisations_postalcode", "auth_user"}
    assert added <= versioned_tables()
    try:
        call_command("migrate", "organisations", "0011", verbosity=0)
        assert not added & versioned_tables()
    finally:
        call_command("migrate", verbosity=0)  # services 0013 (undone with it) too
    assert added <= versioned_tables()
    assert added <= committed_tables()


@pytest.mark.parametrize("kind", ["service", "search"])
def test_a_page_rendered_while_a_write_is_not_yet_committed__shows_the_write_once_it_is(client, kind):
    cache.clear()
    corpus = build_corpus()
    url = corpus.kallio.get_absolute_url() if kind == "service" else "/fi/services/?q=kallion+neuvola"
    with another_connection() as writer:
        writer.execute("UPDATE services_service SET name_fi = 'Kallion perheneuvola' WHERE id = %s", [corpus.kallio.pk])
        # The version has moved on, the row has not (for everyone else): the old page, kept under the new version.
        assert "Kallion lastenneuvola" in get_page(client, url)
        writer.commit()
    page = get_page(client, url)
    assert "Kallion perheneuvola" in page
    assert "Kallion lastenneuvola" not in page
    cache.clear()


def test_a_transaction__advances_the_version_once_at_its_commit_however_many_rows_it_writes():
    build_corpus()
    with another_connection() as writer:
        writer.execute("UPDATE services_service SET updated_at = updated_at")
        writer.execute("UPDATE services_location SET id = id")
        commit_advancing_the_version_once(writer)
        # Fired early (as Django's check_constraints() does): a write after it needs its own advance at the commit.
        writer.execute("UPDATE services_service SET updated_at = updated_at")
        writer.execute("SET CONSTRAINTS ALL IMMEDIATE")
        writer.execute("SET CONSTRAINTS ALL DEFERRED")
        writer.execute("UPDATE organisations_postalcode SET code = code WHERE code = '00530'")
        commit_advancing_the_version_once(writer)
        # A rolled-back savepoint takes its queued advance with it; the next write queues its own.
        writer.execute("SAVEPOINT undone")
        writer.execute("UPDATE services_service SET updated_at = updated_at")
        writer.execute("ROLLBACK TO SAVEPOINT undone")
        writer.execute("UPDATE services_location SET id = id")
        commit_advancing_the_version_once(writer)


def test_a_truncation__advances_the_version_at_its_commit_and_leaves_no_marker():
    build_corpus()
    with another_connection() as writer:
        before = sequence_value()
        writer.execute("TRUNCATE services_searchsynonym")
        assert sequence_value() == before + 1  # the statement's
        commit_advancing_the_version_once(writer)
        assert writer.execute("SELECT count(*) FROM services_search_data_truncation").fetchone() == (0,)


def test_a_users_address_advances_the_version_at_its_commit_and_a_login_does_not():
    user = UserFactory()
    with another_connection() as writer:
        writer.execute("UPDATE auth_user SET last_login = now(), first_name = 'Toinen' WHERE id = %s", [user.pk])
        before = sequence_value()
        writer.commit()
        assert sequence_value() == before
        writer.execute("UPDATE auth_user SET email = 'uusi@example.fi' WHERE id = %s", [user.pk])
        assert sequence_value() == before + 1  # the statement's
        commit_advancing_the_version_once(writer)


def test_services_migration_0013_is_reversible():
    assert versioned_tables() <= committed_tables()
    try:
        call_command("migrate", "services", "0012", verbosity=0)
        assert committed_tables() == set()
        assert "services_search_data_truncation" not in connection.introspection.table_names()
    finally:
        call_command("migrate", verbosity=0)
    assert versioned_tables() <= committed_tables()
