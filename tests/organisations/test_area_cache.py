"""The wellbeing area page's cached content (perhekeskus/network_pages.py AreaDetailView).

The content is keyed by the data version (services/search/caching.py; meetingplaces migration 0006 adds the meeting
place, activity and contact person tables), the language, the day and the service count, so a write shows at once.
The tests run in autocommit, as the site does: inside a transaction nothing is cached.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache

from meetingplaces.models import Activity
from organisations.models import Organisation
from tests.factories import (
    ActivityFactory,
    ContactPersonFactory,
    MeetingPlaceFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ServiceClassFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Wednesday 25 November 2026 at noon in Helsinki, ISO week 48.
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.COUNTS_CACHE_SECONDS = 60  # as the site has it
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def area():
    helsinki = MunicipalityFactory(code="091")
    ngo = OrganisationFactory(name_fi="Perheyhdistys", name_sv="Familjeföreningen", areas=[helsinki.area])
    ServiceFactory(organisation=ngo, published=True, municipalities=[helsinki], service_classes=[ServiceClassFactory()])
    place = MeetingPlaceFactory(organisation=ngo, published=True, municipality=helsinki, name_fi="Kallion kerho")
    ActivityFactory(meeting_place=place, title_fi="Perhemuskari", title_sv="Familjemusik", weekday=4)
    ActivityFactory(
        meeting_place=place, title_fi="Keskiviikkokahvila", weekday=3, start_time=dt.time(18), end_time=dt.time(19)
    )
    return helsinki.area


def get(client, area, language="en", moment=NOON):
    with time_machine.travel(moment, tick=False):
        response = client.get(f"/{language}/areas/{area.code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_warm_page_asks_only_for_the_area_and_the_version(client, area, django_assert_num_queries):
    first = get(client, area)
    assert "Perhemuskari" in first and "Perheyhdistys" in first
    with django_assert_num_queries(2) as warm:  # the area and the data version
        again = get(client, area)
    assert [query["sql"].split(" FROM ")[1].split()[0] for query in warm.captured_queries] == [
        '"organisations_wellbeingarea"',
        "services_search_data_version",
    ]
    assert again == first


def test_writes_show_at_once(client, area):
    assert "Perhemuskari" in get(client, area)

    Activity.objects.filter(title_fi="Perhemuskari").update(title_fi="Perhelaulu")
    assert "Perhelaulu" in get(client, area)

    ContactPersonFactory(
        area=area,
        organisation=Organisation.objects.get(name_fi="Perheyhdistys"),
        name="Liisa Esimerkki",
        show_publicly=True,
    )
    assert "Liisa Esimerkki" in get(client, area)

    MeetingPlaceFactory(published=True, municipality=area.municipalities.get(), name_fi="Toinen paikka")
    places = re.search(r'href="/en/meeting-places/\?municipality=091"[^>]*>(.*?)</li>', get(client, area), re.S)[1]
    assert '<span class="badge">2</span>' in places

    Organisation.objects.filter(name_fi="Perheyhdistys").update(name_fi="Perheliitto")
    assert "Perheliitto" in get(client, area)

    # The service count is kept under the data version too (meetingplaces/views.py cached_counts).
    assert "1 service for families" in get(client, area)
    ServiceFactory(
        organisation=Organisation.objects.get(name_fi="Perheliitto"),
        published=True,
        municipalities=[area.municipalities.get()],
    )
    assert "2 services for families" in get(client, area)


def test_each_language_and_day_has_its_own_page(client, area):
    finnish, swedish = get(client, area, "fi"), get(client, area, "sv")
    assert "Perhemuskari" in finnish and "Familjemusik" not in finnish
    assert "Familjemusik" in swedish and "Familjeföreningen" in swedish
    assert 'href="/sv/' in swedish.split("<main", 1)[1] and 'href="/fi/' not in swedish.split("<main", 1)[1]
    assert "Keskiviikkokahvila" in get(client, area)  # Wednesday evening, today
    thursday = get(client, area, moment=NOON + dt.timedelta(days=1))
    assert "Keskiviikkokahvila" not in thursday and "Perhemuskari" in thursday
