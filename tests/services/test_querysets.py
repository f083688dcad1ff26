import datetime as dt

import pytest
from django.utils import timezone

from organisations.models import Municipality, WellbeingArea
from services.models import Service
from tests.factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_in_area__by_service_area_not_by_where_the_provider_also_works():
    pirkanmaa, helsinki = WellbeingArea.objects.get(code="08"), WellbeingArea.objects.get(code="90")
    national_ngo = OrganisationFactory()
    national_ngo.areas.set([pirkanmaa, helsinki])
    in_tampere = ServiceFactory(organisation=national_ngo, municipalities=[Municipality.objects.get(code="837")])
    in_helsinki = ServiceFactory(organisation=national_ngo, municipalities=[Municipality.objects.get(code="091")])

    assert list(Service.objects.in_area(helsinki)) == [in_helsinki]
    assert list(Service.objects.in_area(pirkanmaa)) == [in_tampere]


def test_in_area__service_without_a_service_area_counts_where_its_provider_works():
    helsinki = WellbeingArea.objects.get(code="90")
    provider = OrganisationFactory()
    provider.areas.set([helsinki])
    chat = ServiceFactory(organisation=provider)

    assert list(Service.objects.in_area(helsinki)) == [chat]
    assert not Service.objects.in_area(WellbeingArea.objects.get(code="08")).exists()


def test_in_area__nationwide_services_count_in_every_area():
    helpline = ServiceFactory(organisation=OrganisationFactory())  # no municipalities, provider has no areas

    for code in ("01", "08", "90"):
        assert list(Service.objects.in_area(WellbeingArea.objects.get(code=code))) == [helpline]


def test_in_area__agrees_with_the_search_area_filter():
    from services.search import SearchQuery, search_services

    helsinki = WellbeingArea.objects.get(code="90")
    provider = OrganisationFactory()
    provider.areas.set([helsinki])
    ServiceFactory(published=True, organisation=provider)
    ServiceFactory(published=True, municipalities=[Municipality.objects.get(code="091")])
    ServiceFactory(published=True, municipalities=[Municipality.objects.get(code="837")])
    ServiceFactory(published=True, organisation=OrganisationFactory())

    by_queryset = set(Service.objects.published().in_area(helsinki))
    by_search = set(search_services(SearchQuery(area="90"), language="fi"))
    assert by_queryset == by_search
    assert len(by_queryset) == 3


def test_in_area__many_municipalities_in_one_area_give_one_row():
    area = WellbeingArea.objects.get(code="08")
    service = ServiceFactory(municipalities=list(area.municipalities.all()[:5]))

    assert list(Service.objects.in_area(area)) == [service]


def test_due_for_review__published_and_unchecked_or_checked_over_a_year_ago(settings):
    settings.SERVICE_REVIEW_INTERVAL_DAYS = 365
    now = timezone.now()
    stale = ServiceFactory(published=True, reviewed_at=now - dt.timedelta(days=400))
    never = ServiceFactory(published=True, reviewed_at=None)
    ServiceFactory(published=True, reviewed_at=now - dt.timedelta(days=30))
    ServiceFactory(draft=True, reviewed_at=None)

    assert set(Service.objects.due_for_review(now)) == {stale, never}
