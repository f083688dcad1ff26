"""The admin made for a coordinator's job, server side: branding, checkboxes for choice arrays, a municipality filter
scoped to the chosen (or coordinated) area, a "not checked in N days" filter, counts in the language's grammar and the
two-box selector's strings in our JavaScript catalogue."""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from meetingplaces.models import Activity, MeetingPlace
from organisations.models import Municipality, WellbeingArea
from perhekeskus.admin import RESULT_COUNTS, AreaMunicipalityFilter, NotCheckedFilter, result_count_text
from services.models import Service
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 15, 12, tzinfo=dt.UTC)


def url(model, view, language, *args, **params):
    with translation.override(language):
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# --- Branding ---


@pytest.mark.parametrize(
    ("language", "branding"),
    [
        ("fi", "Perhekeskus – ylläpito"),
        ("sv", "Familjecenter – administration"),
        ("en", "Family centre – administration"),
    ],
)
def test_admin__is_branded_not_django(admin_client, language, branding):
    with translation.override(language):
        content = admin_client.get(reverse("admin:index")).content.decode()

    assert f"<title>{branding} | {branding}</title>" in content
    assert f'<div id="site-name"><a href="/{language}/admin/">{branding}</a></div>' in content
    assert "Django" not in content


# --- Choice arrays as checkboxes ---


@pytest.mark.parametrize(
    ("language", "swedish", "referral"), [("fi", "ruotsi", "Lähetteellä"), ("sv", "svenska", "Med remiss")]
)
def test_service_form__languages_and_access_are_labelled_checkboxes(admin_client, language, swedish, referral):
    service = factories.ServiceFactory(languages=["fi", "sv"], access=["referral"])

    content = admin_client.get(url(Service, "change", language, service.pk)).content.decode()

    assert '<input type="checkbox" name="languages" value="sv"' in content
    assert f'value="sv" class="choice-columns" id="id_languages_1" checked>\n {swedish}</label>' in content
    assert f'value="referral" class="choice-columns" id="id_access_2" checked>\n {referral}</label>' in content
    assert 'name="languages" value="fi,sv"' not in content


def test_activity_form__languages_are_checkboxes(admin_client):
    activity = factories.ActivityFactory(languages=["sv"])

    content = admin_client.get(url(Activity, "change", "sv", activity.pk)).content.decode()

    assert 'value="sv" class="choice-columns" id="id_languages_1" checked>\n svenska</label>' in content


def test_service_form__an_unknown_language_is_a_form_error_not_a_500(admin_client):
    service = factories.ServiceFactory(languages=["fi"])
    with translation.override("fi"):
        form = admin_client.get(url(Service, "change", "fi", service.pk)).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    response = admin_client.post(url(Service, "change", "fi", service.pk), {**data, "languages": ["fi", "xx"]})

    assert response.status_code == 200
    assert "languages" in response.context["adminform"].form.errors
    service.refresh_from_db()
    assert service.languages == ["fi"]


# --- The municipality filter follows the area ---


def municipality_choices(user, model_admin_model, **params):
    request = RequestFactory().get("/fi/admin/", params)
    request.user = user
    changelist = admin.site._registry[model_admin_model].get_changelist_instance(request)
    spec = next(s for s in changelist.filter_specs if isinstance(s, AreaMunicipalityFilter))
    return {name for _pk, name in spec.lookup_choices}


@pytest.fixture
def three_municipalities():
    """Services and meeting places in Turku and Salo (Varsinais-Suomi, 05), Rovaniemi and Kemi (Lappi, 21)."""
    places = {code: Municipality.objects.get(code=code) for code in ("853", "734", "698", "240")}
    for municipality in places.values():
        factories.ServiceFactory(municipalities=[municipality], organisation__areas=[municipality.area])
        factories.MeetingPlaceFactory(municipality=municipality)
    return places


@pytest.mark.parametrize(
    ("model", "area_parameter"),
    [(Service, "organisation__areas__id__exact"), (MeetingPlace, "municipality__area__id__exact")],
)
def test_municipality_filter__lists_only_the_chosen_areas_municipalities(three_municipalities, model, area_parameter):
    superuser = factories.UserFactory(superuser=True)
    varsinais_suomi = WellbeingArea.objects.get(code="05")

    everywhere = municipality_choices(superuser, model)
    in_area = municipality_choices(superuser, model, **{area_parameter: varsinais_suomi.pk})

    assert everywhere == {"Turku", "Salo", "Rovaniemi", "Kemi"}
    assert in_area == {"Turku", "Salo"}


@pytest.mark.parametrize("model", [Service, MeetingPlace])
def test_municipality_filter__lists_only_a_coordinators_own_areas(three_municipalities, model):
    lappi = WellbeingArea.objects.get(code="21")
    coordinator = factories.MembershipFactory(coordinator=True, areas=[lappi], user__is_staff=True).user

    assert municipality_choices(coordinator, model) == {"Rovaniemi", "Kemi"}


def test_municipality_filter__a_bad_area_value_is_ignored(admin_client, three_municipalities):
    response = admin_client.get(url(Service, "changelist", "fi"), {"organisation__areas__id__exact": "x"})

    assert response.status_code in (200, 302)


# --- "Not checked in N days" ---


@pytest.fixture
def frozen():
    """The clock at NOW (asked for before admin_client, so the staff session is signed in at that time too)."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def checked_at_ages(frozen):
    """One service and one meeting place per age of their last check (days), and one of each never checked."""
    made = {}
    for days in (100, 200, 300, 400, None):
        reviewed_at = None if days is None else NOW - dt.timedelta(days=days)
        made[days] = (
            factories.ServiceFactory(published=True, reviewed_at=reviewed_at, name_fi=f"Palvelu {days}"),
            factories.MeetingPlaceFactory(published=True, reviewed_at=reviewed_at, name_fi=f"Paikka {days}"),
        )
    return made


@pytest.mark.parametrize("model", [Service, MeetingPlace])
@pytest.mark.parametrize(
    ("value", "expected"),
    [("180", {200, 300, 400, None}), ("270", {300, 400, None}), ("365", {400, None}), ("never", {None}), ("", None)],
)
def test_not_checked_filter__keeps_the_entries_unchecked_for_that_long(
    frozen, admin_client, checked_at_ages, model, value, expected
):
    column = 0 if model is Service else 1
    response = admin_client.get(url(model, "changelist", "fi"), {"not_checked": value} if value else {})

    listed = {days for days, rows in checked_at_ages.items() if rows[column] in response.context["cl"].result_list}
    assert listed == (expected if expected is not None else set(checked_at_ages))


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("fi", ["Ei tarkistettu 180 päivään", "Ei tarkistettu 365 päivään", "Tietoja ei ole koskaan tarkistettu"]),
        ("sv", ["Inte kontrollerad på 180 dagar", "Inte kontrollerad på 365 dagar"]),
    ],
)
def test_not_checked_filter__is_offered_in_the_language(admin_client, language, texts):
    content = admin_client.get(url(MeetingPlace, "changelist", language)).content.decode()

    for text in texts:
        assert text in content
    assert f"?{NotCheckedFilter.parameter_name}=270" in content


# --- Counts in the language's grammar ---


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [("fi", "1 palvelu", "2 palvelua"), ("sv", "1 tjänst", "2 tjänster"), ("en", "1 service", "2 services")],
)
def test_changelist_count__is_in_the_languages_grammar(admin_client, language, one, two):
    first = factories.ServiceFactory()
    single = admin_client.get(url(Service, "changelist", language)).content.decode()
    factories.ServiceFactory(organisation=first.organisation)
    double = admin_client.get(url(Service, "changelist", language)).content.decode()

    assert f"\n{one}\n" in single
    assert f"\n{two}\n" in double
    assert "2 palvelut" not in double


@pytest.mark.parametrize(
    ("language", "model_label", "expected"),
    [
        ("fi", "meetingplaces.meetingplace", "409 kohtaamispaikkaa"),
        ("fi", "organisations.organisation", "1\xa0234 organisaatiota"),
        ("sv", "meetingplaces.activity", "409 aktiviteter"),
        ("fi", "auth.user", "Käyttäjät: 409"),
        ("sv", "auth.user", "Användare: 409"),
    ],
)
def test_count_text__has_a_partitive_for_each_model_and_a_neutral_fallback(language, model_label, expected):
    from django.apps import apps

    count = 1234 if expected.startswith("1") else 409
    with translation.override(language):
        assert result_count_text(apps.get_model(model_label)._meta, count) == expected


def test_count_texts__name_registered_models_only():
    registered = {model._meta.label_lower for model in admin.site._registry}

    assert set(RESULT_COUNTS) <= registered


# --- The two-box selector speaks the admin's language ---


@pytest.mark.parametrize(
    ("language", "texts"),
    [("fi", ["Valittavissa olevat %s", "Valitut %s", "Valitse kaikki %s"]), ("sv", ["Valda %s", "Filtrera"])],
)
def test_admin_javascript_catalogue__has_the_selector_strings(admin_client, language, texts):
    with translation.override(language):
        content = admin_client.get(reverse("admin:jsi18n")).content.decode()

    for text in texts:
        assert text in content
