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
    assert "Avoinna nyt" in html
    assert "Koulutuspäivä" in html
    assert 'href="tel:+358931012345"' in html
    assert "mailto:" in html
    assert "Tiedot tarkistettu" in html
    assert "Lisää vertailuun" in html
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
    service = ServiceFactory(published=True, name_fi="Perheneuvola", name_sv="", summary_sv="Stöd för familjer")
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
        "Palveluntuottaja",
        "Palvelun tyyppi",
        "Palvelukielet",
        "Hinta",
        "Näin pääset palveluun",
        "Tiedot tarkistettu",
    ):
        assert f'<th scope="row">{row}' in html
    assert "Pirkanmaan hva" in html and "MLL Tampere" in html
    # Removing one leaves the other in the address.
    assert f'href="?services={first.pk}"' in html


def test_compare__one_service_asks_for_another(client):
    service = ServiceFactory(published=True)
    html = compare(client, str(service.pk))
    assert "vähintään yksi palvelu" in html


def test_compare__nothing_chosen(client):
    assert "Et ole vielä valinnut vertailtavia palveluja" in compare(client, "")


def test_compare__more_than_four_shows_four_with_a_message(client):
    services = [ServiceFactory(published=True) for _ in range(5)]
    html = compare(client, ",".join(str(s.pk) for s in services))
    assert "enintään 4 palvelua" in html
    assert html.count('<th scope="col"') == 4


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
    assert "Vertaa palveluja" in html


def test_compare__unknown_and_unpublished_ids_are_reported(client):
    service = ServiceFactory(published=True)
    draft = ServiceFactory(draft=True)
    html = compare(client, f"{service.pk},{draft.pk},987654")
    assert "Osoitteessa mainittuja palveluja (2) ei löytynyt" in html


def test_compare__query_count_is_constant(client, django_assert_max_num_queries):
    two = [full_service(), full_service()]
    with django_assert_max_num_queries(12) as few:
        compare(client, ",".join(str(s.pk) for s in two))
    four = two + [full_service(), full_service()]
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = compare(client, ",".join(str(s.pk) for s in four))
    assert html.count('<th scope="col"') == 4


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


# --- Search ---


def search(client, lang="fi", **params):
    response = client.get(f"/{lang}/services/", params)
    assert response.status_code == 200
    return response


def test_search__results_are_cards_with_the_facts(client):
    service = full_service(name_fi="Lastenneuvola", languages=["fi", "sv"], age_min=0, age_max=6)
    html = search(client, q="lastenneuvola").content.decode()
    assert f'href="/fi/services/{service.slug}/"' in html
    assert service.organisation.name in html
    assert "0–6-vuotiaat lapset" in html
    assert "Kallion neuvola" in html
    assert "Lisää vertailuun" in html
    assert "1 palvelu löytyi" in html


def test_search__facets_are_labelled_groups_with_counts(client):
    full_service(languages=["fi", "sv"])
    html = search(client).content.decode()
    assert "<legend>Palvelukieli</legend>" in html
    assert '<input type="checkbox" name="language" id="id_language_' in html
    assert 'value="sv"' in html
    assert '<span class="choice__count">(1)</span>' in html


def test_search__unknown_values_are_explained_next_to_the_field(client):
    full_service(languages=["fi"])
    html = search(client, language="xx", postcode="123", age="abc").content.decode()
    assert 'id="error-summary"' in html
    assert 'id="language-error"' in html
    assert 'aria-describedby="language-error"' in html
    # The postcode is explained by the "where" field it is given in.
    assert 'aria-describedby="id_where-hint id_where-error" aria-invalid="true"' in html
    assert 'aria-describedby="age-error" aria-invalid="true"' in html
    # Summary links lead into the fields themselves: the input, or a checkbox group's first box.
    assert '<a href="#id_where">' in html
    assert '<a href="#id_age">' in html
    assert '<a href="#id_language_0">' in html


def test_search__nothing_found_offers_broader_searches(client):
    full_service(name_fi="Perhekahvila", languages=["fi"])
    html = search(client, q="perhekahvila", language="sv").content.decode()
    assert "Haulla ei löytynyt palveluja." in html
    assert "Kokeile laajempaa hakua:" in html
    assert "?q=perhekahvila" in html


@pytest.mark.parametrize(
    "params",
    [
        {"page": "99999"},
        {"page": "-1"},
        {"page": "x"},
        {"q": "a" * 10_000},
        {"q": "'; DROP TABLE services_service; --"},
        {"q": "\x00nul"},
        {"age": "-5", "age_group": "nonsense", "sort": "distance"},
        {"lat": "nan", "lon": "inf", "sort": "distance"},
        {"area": "xx", "municipality": "<script>", "cost": "maybe", "open_now": "perhaps"},
    ],
)
def test_search__bad_input_never_fails(client, params):
    full_service()
    html = search(client, **params).content.decode()
    assert "<h1>Hae palveluja</h1>" in html
    assert "<script>" not in html.split("<main", 1)[1]


def test_search__broken_utf8_never_fails(client):
    full_service()
    response = client.get("/fi/services/?q=%ED%A0%80%FF%FE&language=%C3")
    assert response.status_code == 200


def test_search__last_page_when_page_is_too_big(client):
    for _ in range(25):
        ServiceFactory(published=True)
    html = search(client, page="99999").content.decode()
    assert '<span aria-current="page"><span class="visually-hidden">Sivu </span>2</span>' in html


def test_search__distance_sort_only_with_a_location(client):
    service = full_service()
    service.locations.update(latitude=60.18, longitude=24.95)
    assert "Lähimmät ensin" not in search(client).content.decode()
    # With a position the nearest come first by default: the default order is the option without a value.
    html = search(client, lat="60.17", lon="24.94").content.decode()
    assert '<option value="" selected>Lähimmät ensin</option>' in html
    assert 'value="distance"' not in html
    assert "(1,2 km)" in html


def test_search__comparison_travels_in_the_url(client):
    chosen = ServiceFactory(published=True, name_fi="Perhetyö")
    service = ServiceFactory(published=True)
    html = search(client, compare=str(chosen.pk)).content.decode()
    assert f'<input type="hidden" name="compare" value="{chosen.pk}">' in html
    assert f"compare={chosen.pk}%2C{service.pk}" in html
    assert f'href="/fi/services/{service.slug}/?compare={chosen.pk}"' in html


def test_search__chosen_area_is_remembered_for_the_home_page(client):
    full_service()
    response = search(client, area="90")
    assert response.cookies["area"].value == "90"


def test_search__title_names_the_search_words(client):
    html = search(client, lang="en", q="neuvola").content.decode()
    assert "<title>“neuvola” – service search – " in html


def test_search__query_count_is_the_same_for_1_and_50_results(client, django_assert_max_num_queries):
    full_service(name_fi="Perheneuvola 0")
    with django_assert_max_num_queries(30) as one:
        html = search(client, q="perheneuvola").content.decode()
    assert "1 palvelu löytyi" in html
    for n in range(1, 50):
        full_service(name_fi=f"Perheneuvola {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = search(client, q="perheneuvola").content.decode()
    assert "50 palvelua löytyi" in html


@time_machine.travel(NOON, tick=False)
def test_detail__dates_and_times_use_finnish_and_finland_swedish_formats(client):
    service = full_service()
    fi = client.get(f"/fi/services/{service.slug}/").content.decode()
    sv = client.get(f"/sv/services/{service.slug}/").content.decode()
    assert "Tiedot tarkistettu 4.3.2026" in fi
    assert "4.3.2026" in sv
    assert "8.00–16.00" in fi and "8.00–16.00" in sv


def test_detail__breadcrumb_leads_back_to_the_search_the_family_came_from(client):
    service = full_service()
    url = service.get_absolute_url()

    html = client.get(
        url, HTTP_REFERER="http://testserver/fi/services/?q=neuvola&age_group=1-6&compare=7"
    ).content.decode()
    assert '<a href="/fi/services/?q=neuvola&amp;age_group=1-6">Hakutulokset</a>' in html

    with_compare = client.get(
        f"{url}?compare={service.pk}", HTTP_REFERER="http://testserver/fi/services/?q=neuvola"
    ).content.decode()
    assert f'<a href="/fi/services/?q=neuvola&amp;compare={service.pk}">Hakutulokset</a>' in with_compare


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.test/fi/services/?q=x",
        "http://testserver/fi/areas/",
        "http://testserver/sv/services/?q=x",
        "",
        "http://[x",
        "http://testserver:99999999/fi/services/",
        "http://[::1/fi/services/?q=x",
    ],
)
def test_detail__no_back_link_from_other_sites_pages_languages_or_broken_referers(client, referer):
    service = full_service()
    response = client.get(service.get_absolute_url(), HTTP_REFERER=referer)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hakutulokset" not in html
    assert "evil.test" not in html
