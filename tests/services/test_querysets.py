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
    settings.REVIEW_REMINDER_DAYS = 365
    now = timezone.now()
    stale = ServiceFactory(published=True, reviewed_at=now - dt.timedelta(days=400))
    never = ServiceFactory(published=True, reviewed_at=None)
    ServiceFactory(published=True, reviewed_at=now - dt.timedelta(days=30))
    ServiceFactory(draft=True, reviewed_at=None)

    assert set(Service.objects.due_for_review(now)) == {stale, never}


# --- The same rule from the facet rows' place tokens (migration 0008), kept by triggers ---


def by_tokens_and_by_links(code_kind, code):
    """The services the place tokens give for a municipality or area, and those the EXISTS rule gives."""
    from services import querysets as service_area

    if code_kind == "municipality":
        tokens = service_area.given_in_municipality(code)
        links = service_area.local_to_municipality(code) | service_area.nationwide()
    else:
        tokens = service_area.given_in_area(code)
        links = service_area.local_to_area(code) | service_area.nationwide()
    return set(Service.objects.filter(tokens)), set(Service.objects.filter(links))


def assert_tokens_follow_the_rule():
    for kind, code in (("municipality", "091"), ("municipality", "837"), ("area", "90"), ("area", "08")):
        by_tokens, by_links = by_tokens_and_by_links(kind, code)
        assert by_tokens == by_links, (kind, code)


def test_place_tokens__follow_services_links_organisation_areas_and_municipality_moves():
    helsinki_area, pirkanmaa = WellbeingArea.objects.get(code="90"), WellbeingArea.objects.get(code="08")
    helsinki, tampere = Municipality.objects.get(code="091"), Municipality.objects.get(code="837")
    provider = OrganisationFactory()
    provider.areas.set([pirkanmaa])
    named = ServiceFactory(organisation=provider, municipalities=[helsinki])
    area_wide = ServiceFactory(organisation=provider)
    nationwide = ServiceFactory(organisation=OrganisationFactory())
    assert_tokens_follow_the_rule()
    by_tokens, _ = by_tokens_and_by_links("municipality", "091")
    assert {named, nationwide} <= by_tokens and area_wide not in by_tokens

    # The organisation moves to Helsinki's area: its area-wide service is given in Helsinki, no longer in Pirkanmaa.
    provider.areas.set([helsinki_area])
    assert area_wide not in by_tokens_and_by_links("area", "08")[0]
    assert area_wide in by_tokens_and_by_links("municipality", "091")[0]
    assert_tokens_follow_the_rule()
    # The service names Tampere instead, then also Helsinki; a bulk delete of its links makes it area-wide again.
    named.municipalities.set([tampere])
    assert named not in by_tokens_and_by_links("municipality", "091")[0]
    assert named in by_tokens_and_by_links("area", "08")[0]
    named.municipalities.add(helsinki)
    assert_tokens_follow_the_rule()
    Service.municipalities.through.objects.filter(service=named).delete()
    assert named in by_tokens_and_by_links("area", "90")[0] and named not in by_tokens_and_by_links("area", "08")[0]
    assert_tokens_follow_the_rule()
    # Another organisation takes the service over; the organisation leaves its areas.
    named.organisation = OrganisationFactory()
    named.save()
    assert named in by_tokens_and_by_links("area", "08")[0]  # now nationwide
    provider.areas.clear()
    assert area_wide in by_tokens_and_by_links("area", "08")[0]
    assert_tokens_follow_the_rule()
    # A municipality moved to another wellbeing area (a reform): the services naming it follow.
    named.municipalities.set([tampere])
    Municipality.objects.filter(pk=tampere.pk).update(area=helsinki_area)
    assert named in by_tokens_and_by_links("area", "90")[0] and named not in by_tokens_and_by_links("area", "08")[0]
    assert_tokens_follow_the_rule()
