import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from services.templatetags.family import parse_ids
from tests.factories import (
    EmailAddressFactory,
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    OrganisationFactory,
    PhoneNumberFactory,
    ServiceFactory,
    WebLinkFactory,
)

pytestmark = pytest.mark.django_db

# A Wednesday at noon in Helsinki.
NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def full_service(**kwargs):
    service = ServiceFactory(published=True, **kwargs)
    location = LocationFactory(service=service, name_fi="Kallion neuvola", name_sv="Berghälls rådgivning")
    for weekday in range(1, 6):
        LocationOpeningHoursFactory(location=location, weekday=weekday, opens=dt.time(8), closes=dt.time(16))
    PhoneNumberFactory(service=service, number="+358 9 310 12345")
    EmailAddressFactory(service=service)
    WebLinkFactory(service=service)
    return service


# --- Detail ---


@time_machine.travel(NOON, tick=False)
def test_detail__shows_what_a_family_needs(client):
    service = full_service(name_fi="Lastenneuvola", cost="free", access=["booking"], languages=["fi", "sv"])
    LocationExceptionFactory(
        location=service.locations.get(), date=dt.date(2026, 3, 6), closed=True, reason_fi="Koulutuspäivä"
    )

    html = client.get(f"/fi/services/{service.slug}/").content.decode()

    assert "<h1>Lastenneuvola</h1>" in html
    assert "Kallion neuvola" in html
    assert 'class="is-today"' in html
    assert "Open now" in html
    assert "Koulutuspäivä" in html
    assert 'href="tel:+358931012345"' in html
    assert "mailto:" in html
    assert "Information checked on" in html
    assert "Add to comparison" in html
    assert "contact form" not in html.lower()


@pytest.mark.parametrize("trait", ["draft", "archived"])
def test_detail__unpublished_services_are_not_found(client, trait):
    service = ServiceFactory(**{trait: True})
    assert client.get(f"/fi/services/{service.slug}/").status_code == 404


def test_detail__id_address_redirects_to_slug(client):
    service = ServiceFactory(published=True)
    response = client.get(f"/sv/services/{service.pk}/?compare=1")
    assert response.status_code == 302
    assert response["Location"] == f"/sv/services/{service.slug}/?compare=1"


def test_detail__swedish_page_marks_finnish_fallback(client):
    service = ServiceFactory(
        published=True, name_fi="Perheneuvola", name_sv="", summary_sv="Stöd för familjer"
    )
    html = client.get(f"/sv/services/{service.slug}/").content.decode()
    assert '<h1 lang="fi">Perheneuvola</h1>' in html
    assert '<p class="lead">Stöd för familjer</p>' in html


def test_detail__own_language_text_is_not_marked(client):
    service = ServiceFactory(published=True, name_fi="Perheneuvola", name_sv="Familjerådgivning")
    html = client.get(f"/sv/services/{service.slug}/").content.decode()
    assert "<h1>Familjerådgivning</h1>" in html


def test_detail__add_to_comparison_keeps_earlier_choices(client):
    other = ServiceFactory(published=True, name_fi="Perhetyö")
    service = ServiceFactory(published=True)
    html = client.get(f"/fi/services/{service.slug}/?compare={other.pk}").content.decode()
    assert f'href="?compare={other.pk}%2C{service.pk}"' in html
    assert "Perhetyö" in html  # the comparison tray lists it
    assert f"/fi/compare/?services={other.pk}" not in html  # one service is not enough to compare


def test_detail__query_count_is_constant(client, django_assert_max_num_queries):
    small = full_service()
    with django_assert_max_num_queries(12) as few:
        client.get(f"/fi/services/{small.slug}/")
    big = full_service()
    for _ in range(5):
        location = LocationFactory(service=big)
        LocationOpeningHoursFactory(location=location)
        LocationExceptionFactory(location=location)
        PhoneNumberFactory(service=big)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/fi/services/{big.slug}/")
    assert response.content.decode().count('class="location"') == 6


# --- Compare ---


def compare(client, value, lang="fi"):
    response = client.get(f"/{lang}/compare/", {"services": value})
    assert response.status_code == 200
    return response.content.decode()


def test_compare__shows_services_side_by_side_in_url_order(client):
    first = full_service(name_fi="Äitiysneuvola", organisation=OrganisationFactory(name_fi="Pirkanmaan hva"))
    second = full_service(name_fi="Perhekahvila", organisation=OrganisationFactory(name_fi="MLL Tampere"))

    html = compare(client, f"{second.pk},{first.pk}")

    assert html.index("Perhekahvila") < html.index("Äitiysneuvola")
    for row in (
        "Provider",
        "Type of service",
        "Languages served",
        "Cost",
        "How to get in",
        "Information checked",
    ):
        assert f'<th scope="row">{row}</th>' in html
    assert "Pirkanmaan hva" in html and "MLL Tampere" in html
    # Removing one leaves the other in the address.
    assert f'href="?services={first.pk}"' in html


def test_compare__one_service_asks_for_another(client):
    service = ServiceFactory(published=True)
    html = compare(client, str(service.pk))
    assert "Choose at least one more service" in html


def test_compare__nothing_chosen(client):
    assert "You have not chosen any services" in compare(client, "")


def test_compare__more_than_four_shows_four_with_a_message(client):
    services = [ServiceFactory(published=True) for _ in range(5)]
    html = compare(client, ",".join(str(s.pk) for s in services))
    assert "at most 4 services" in html
    assert html.count('<th scope="col">') == 4


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "1;DROP TABLE services_service",
        "99999999999999999999999",
        "-1,0",
        "%00",
        "\u0000,1",
        "1" * 5000,
    ],
)
def test_compare__garbage_never_fails(client, value):
    html = compare(client, value)
    assert "Compare services" in html


def test_compare__unknown_and_unpublished_ids_are_reported(client):
    service = ServiceFactory(published=True)
    draft = ServiceFactory(draft=True)
    html = compare(client, f"{service.pk},{draft.pk},987654")
    assert "2 services in the address were not found" in html


def test_compare__query_count_is_constant(client, django_assert_max_num_queries):
    two = [full_service(), full_service()]
    with django_assert_max_num_queries(12) as few:
        compare(client, ",".join(str(s.pk) for s in two))
    four = two + [full_service(), full_service()]
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = compare(client, ",".join(str(s.pk) for s in four))
    assert html.count('<th scope="col">') == 4


def test_parse_ids__keeps_order_drops_duplicates_and_flags_garbage():
    assert parse_ids("3, 1,3,x,2") == ([3, 1, 2], True)
    assert parse_ids("") == ([], False)
    assert parse_ids("١,2") == ([2], True)  # Arabic-Indic digit is not an id


def test_today_highlight_uses_helsinki_date(client):
    service = full_service()
    with time_machine.travel(dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC), tick=False):
        html = client.get(f"/fi/services/{service.slug}/").content.decode()
        today = timezone.localdate()
    assert today == dt.date(2026, 3, 5)
    assert 'class="is-today"' in html
