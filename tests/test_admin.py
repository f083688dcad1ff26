"""Admin for coordinators: pages render in fi and sv, filters and search work, no CDN assets, no N+1."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from organisations.history import record_change
from organisations.models import ChangeRecord, LinkCheck, Municipality, PostalCode, TaskRun, WellbeingArea
from perhekeskus.admin import TabbedTranslationAdmin
from services.models import (
    LifeSituation,
    SearchExclusion,
    SearchMiss,
    SearchSynonym,
    SearchWord,
    ServiceClass,
    ServiceFacetRow,
    ServiceFeedback,
)
from tests import factories

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv"]
ADMIN_STRINGS = {"fi": ("Kirjaudu ulos", "Lisää"), "sv": ("Logga ut", "Lägg till")}
EXTERNAL_ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""", re.IGNORECASE)


def _authenticator():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(factories.UserFactory(username="tunnistautuja"), generate_totp_secret()).instance


def _invitation(email="kutsuttu@example.fi"):
    from organisations.invitations import send_invitation
    from organisations.models import Invitation

    invitation = Invitation(organisation=factories.OrganisationFactory(), role="editor", email=email)
    send_invitation(invitation=invitation, invited_by=None, base_url="https://perhekeskus.fi/")
    return invitation


def _email_address():
    from allauth.account.models import EmailAddress

    user = factories.UserFactory()
    return EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _problem_report(message):
    from organisations.actions import report_problem

    return report_problem(target=factories.ServiceFactory(name_fi="Kallion perheneuvola"), message=message)


# One way to build a row of every model with a ModelAdmin; a new ModelAdmin needs an entry here.
BUILDERS = {
    "auth.Group": lambda: Group.objects.create(name="Neuvolatiimi"),
    "auth.User": lambda: factories.UserFactory(username="koordinaattori"),
    "account.EmailAddress": _email_address,
    "mfa.Authenticator": _authenticator,
    "organisations.WellbeingArea": lambda: WellbeingArea.objects.get(code="01"),
    "organisations.Municipality": lambda: Municipality.objects.get(code="020"),  # Akaa, first by name
    "organisations.PostalCode": lambda: PostalCode.objects.order_by("code").first(),
    "organisations.Organisation": lambda: factories.OrganisationFactory(name_fi="Mannerheimin Lastensuojeluliitto"),
    "organisations.Membership": lambda: factories.MembershipFactory(user__username="editori"),
    "organisations.ContactPerson": lambda: factories.ContactPersonFactory(name="Maija Meikäläinen"),
    "organisations.PartnerNetwork": lambda: factories.PartnerNetworkFactory(name_fi="Järjestöfoorumi Pohjanmaa"),
    "organisations.PartnershipAgreement": lambda: factories.PartnershipAgreementFactory(
        organisation__name_fi="Folkhälsan"
    ),
    "organisations.LinkCheck": lambda: LinkCheck.objects.create(url="https://www.example.fi/neuvola", outcome="ok"),
    "organisations.Invitation": _invitation,
    "organisations.ChangeRecord": lambda: record_change(
        user=factories.UserFactory(),
        obj=factories.ServiceFactory(name_fi="Perheneuvola Kotka"),
        action=ChangeRecord.Action.CREATED,
    ),
    "organisations.ProblemReport": lambda: _problem_report("Puhelinnumero ei toimi"),
    "services.ServiceClass": lambda: ServiceClass.objects.get(code="child-health-clinic"),
    "services.LifeSituation": lambda: LifeSituation.objects.order_by("order").first(),
    "services.Service": lambda: factories.ServiceFactory(name_fi="Kalliolan lastenneuvola", name_sv="Berghälls BVC"),
    "services.Location": lambda: factories.LocationFactory(name_fi="Kallion terveysasema"),
    "services.SearchSynonym": lambda: SearchSynonym.objects.create(words="kuraattori, koulukuraattori"),
    "services.SearchExclusion": lambda: SearchExclusion.objects.create(word="ero", excluded=["erotuomari"]),
    "meetingplaces.MeetingPlace": lambda: factories.MeetingPlaceFactory(name_fi="Perhekahvila Pisara"),
    "meetingplaces.Activity": lambda: factories.ActivityFactory(title_fi="Vauvakerho Tuutu", title_sv="Babyklubben"),
}

# What the changelist row shows when it is not str(obj).
CHANGELIST_TEXT = {
    "organisations.PostalCode": lambda o: o.code,
    "organisations.Membership": lambda o: str(o.user),
    "organisations.Invitation": lambda o: o.email,
    "organisations.PartnershipAgreement": lambda o: str(o.organisation),
    "account.EmailAddress": lambda o: o.email,
    "mfa.Authenticator": lambda o: str(o.user),
    "organisations.ChangeRecord": lambda o: o.object_repr,
}

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)
LABELS = [model._meta.label for model in REGISTERED]


def _admin_url(model, view, language, *args):
    with translation.override(language):
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _assert_admin_page(response, language):
    content = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}"' in content
    assert ADMIN_STRINGS[language][0] in content
    assert not EXTERNAL_ASSET.findall(content), EXTERNAL_ASSET.findall(content)
    return content


def test_builders__cover_every_registered_model_admin():
    assert sorted(BUILDERS) == LABELS


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("label", LABELS)
def test_changelist__renders_the_row_in_the_language(admin_client, label, language):
    obj = BUILDERS[label]()
    model = type(obj)

    response = admin_client.get(_admin_url(model, "changelist", language))

    content = _assert_admin_page(response, language)
    with translation.override(language):
        text = CHANGELIST_TEXT.get(label, str)(obj)
    assert escape(text) in content
    if admin.site._registry[model].has_add_permission(response.wsgi_request):
        assert ADMIN_STRINGS[language][1] in content


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("label", LABELS)
def test_change_page__renders_the_object_in_the_language(admin_client, label, language):
    obj = BUILDERS[label]()
    model = type(obj)

    response = admin_client.get(_admin_url(model, "change", language, obj.pk))

    content = _assert_admin_page(response, language)
    with translation.override(language):
        assert escape(str(obj)) in content


@pytest.mark.parametrize("label", LABELS)
def test_change_page__includes_the_tab_script_only_on_translated_admins(admin_client, label):
    obj = BUILDERS[label]()
    model = type(obj)

    content = admin_client.get(_admin_url(model, "change", "fi", obj.pk)).content.decode()

    tabbed = isinstance(admin.site._registry[model], TabbedTranslationAdmin)
    assert ("/static/admin/js/translation_tabs.js" in content) is tabbed
    assert ("/static/admin/css/translation_tabs.css" in content) is tabbed


# Authenticators are only made by their owner at sign-in (a coordinator may delete one, never add one);
# link check results only by the link check job.
# Changes only by the history itself; problem reports only by families.
NOT_ADDABLE = {
    "mfa.Authenticator",
    "organisations.ChangeRecord",
    "organisations.LinkCheck",
    "organisations.ProblemReport",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("label", [label for label in LABELS if label not in NOT_ADDABLE])
def test_add_page__renders(admin_client, label, language):
    model = apps.get_model(label)

    response = admin_client.get(_admin_url(model, "add", language))

    _assert_admin_page(response, language)


@pytest.mark.parametrize("label", sorted(NOT_ADDABLE))
def test_add_page__is_refused_where_nothing_may_be_added(admin_client, label):
    response = admin_client.get(_admin_url(apps.get_model(label), "add", "fi"))

    assert response.status_code == 403


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_index__lists_the_apps_in_the_language(admin_client, language):
    with translation.override(language):
        response = admin_client.get(reverse("admin:index"))
        expected = [str(apps.get_model(label)._meta.verbose_name_plural) for label in LABELS]

    content = _assert_admin_page(response, language)
    for name in expected:
        assert escape(name.capitalize()) in content or escape(name) in content


def test_admin__refuses_anonymous_users(client):
    response = client.get(_admin_url(apps.get_model("services.Service"), "changelist", "fi"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_admin__refuses_non_staff_users(client):
    client.force_login(factories.UserFactory())

    response = client.get(_admin_url(apps.get_model("services.Service"), "changelist", "fi"))

    assert response.status_code == 302


# --- Filters and search ---


def _changelist(admin_client, model_label, **params):
    model = apps.get_model(model_label)
    response = admin_client.get(_admin_url(model, "changelist", "fi"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def two_services():
    """A published child health clinic in Tampere (area 08) and a draft family counselling in Vaasa (17)."""
    tampere, vaasa = Municipality.objects.get(code="837"), Municipality.objects.get(code="905")
    clinic = factories.ServiceFactory(
        name_fi="Hervannan lastenneuvola",
        published=True,
        organisation__areas=[tampere.area],
        municipalities=[tampere],
        service_classes=[ServiceClass.objects.get(code="child-health-clinic")],
    )
    counselling = factories.ServiceFactory(
        name_fi="Vaasan perheneuvola",
        draft=True,
        organisation__areas=[vaasa.area],
        municipalities=[vaasa],
        service_classes=[ServiceClass.objects.get(code="family-counselling")],
    )
    return clinic, counselling


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("organisation__areas__id__exact", lambda c: c.organisation.areas.get().pk),
        ("municipalities__id__exact", lambda c: c.municipalities.get().pk),
        ("service_classes__id__exact", lambda c: c.service_classes.get().pk),
        ("state__exact", lambda c: c.state),
    ],
)
def test_service_changelist__filters_by_area_municipality_class_and_state(admin_client, two_services, param, value):
    clinic, counselling = two_services

    unfiltered = _changelist(admin_client, "services.Service")
    filtered = _changelist(admin_client, "services.Service", **{param: value(clinic)})

    # The sidebar offers the filter value, and applying it keeps only the matching row.
    assert f"{param}={value(clinic)}" in unfiltered
    assert clinic.name_fi in filtered
    assert counselling.name_fi not in filtered


def test_service_changelist__search_finds_by_finnish_and_swedish_name(admin_client, two_services):
    clinic, counselling = two_services
    clinic.name_sv = "Hervanta barnrådgivning"
    clinic.save()

    by_fi = _changelist(admin_client, "services.Service", q="lastenneuvola")
    by_sv = _changelist(admin_client, "services.Service", q="barnrådgivning")

    assert clinic.name_fi in by_fi and counselling.name_fi not in by_fi
    assert clinic.name_fi in by_sv and counselling.name_fi not in by_sv


def test_service_changelist__search_finds_by_ptv_id(admin_client):
    imported = factories.ServiceFactory(from_ptv=True, name_fi="Tuotu palvelu")
    other = factories.ServiceFactory(name_fi="Käsin lisätty")

    content = _changelist(admin_client, "services.Service", q=str(imported.external_id))

    assert imported.name_fi in content and other.name_fi not in content


@pytest.mark.parametrize(
    ("model_label", "param", "make"),
    [
        ("meetingplaces.MeetingPlace", "municipality__area__id__exact", factories.MeetingPlaceFactory),
        ("meetingplaces.MeetingPlace", "municipality__id__exact", factories.MeetingPlaceFactory),
        ("services.Location", "municipality__area__id__exact", factories.LocationFactory),
    ],
)
def test_place_changelists__filter_by_area_and_municipality(admin_client, model_label, param, make):
    tampere, vaasa = Municipality.objects.get(code="837"), Municipality.objects.get(code="905")
    in_tampere, in_vaasa = make(municipality=tampere), make(municipality=vaasa)
    value = tampere.area_id if "area" in param else tampere.pk

    content = _changelist(admin_client, model_label, **{param: value})

    assert escape(str(in_tampere)) in content
    assert escape(str(in_vaasa)) not in content


def test_municipality_changelist__filters_by_area(admin_client):
    helsinki_area = Municipality.objects.get(code="091").area

    content = _changelist(admin_client, "organisations.Municipality", area__id__exact=helsinki_area.pk)

    assert "Helsinki" in content
    assert "Espoo" not in content


def test_municipality_changelist__search_by_swedish_name(admin_client):
    content = _changelist(admin_client, "organisations.Municipality", q="Borgå")

    assert "Porvoo" in content
    assert "Helsinki" not in content


def test_organisation_changelist__filters_by_kind_and_area(admin_client):
    area = WellbeingArea.objects.get(code="17")
    parish = factories.OrganisationFactory(name_fi="Vaasan seurakunta", parish=True, areas=[area])
    ngo = factories.OrganisationFactory(name_fi="Vaasan perheyhdistys")

    by_kind = _changelist(admin_client, "organisations.Organisation", kind__exact="parish")
    by_area = _changelist(admin_client, "organisations.Organisation", areas__id__exact=area.pk)

    assert parish.name_fi in by_kind and ngo.name_fi not in by_kind
    assert parish.name_fi in by_area and ngo.name_fi not in by_area


@pytest.mark.parametrize(
    "params",
    [
        {"state__exact": "no-such-state"},
        {"q": "' OR 1=1 --"},
        {"q": "x" * 500},
        {"o": "99"},
        {"p": "9999"},
        {"updated_at__year": "abc"},
    ],
)
def test_service_changelist__bad_query_parameters_never_give_500(admin_client, params):
    factories.ServiceFactory()
    model = apps.get_model("services.Service")

    response = admin_client.get(_admin_url(model, "changelist", "fi"), params)

    assert response.status_code in (200, 302, 400, 404)


# --- Query counts ---


def test_service_changelist__30_services_within_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    area = WellbeingArea.objects.get(code="08")
    factories.ServiceFactory.create_batch(
        30,
        organisation__areas=[area],
        municipalities=[Municipality.objects.get(code="837")],
        service_classes=[ServiceClass.objects.get(code="child-health-clinic")],
    )
    url = _admin_url(apps.get_model("services.Service"), "changelist", "fi")

    with django_assert_max_num_queries(15):
        response = admin_client.get(url)

    assert response.content.decode().count('class="action-select"') == 30


@pytest.mark.parametrize("label", LABELS)
def test_changelist__query_count_does_not_grow_with_rows(admin_client, label):
    model = apps.get_model(label)
    url = _admin_url(model, "changelist", "fi")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    BUILDER_MANY.get(label, lambda: BUILDERS[label]())()
    few = count_queries()
    for _ in range(5):
        BUILDER_MANY.get(label, lambda: None)()
    many = count_queries()

    assert many == few
    assert few <= 12, f"{few} queries"


# Rows added for the N+1 check; reference-data models already have many rows.
BUILDER_MANY = {
    "auth.Group": lambda: Group.objects.create(name=f"Ryhmä {Group.objects.count()}"),
    "auth.User": factories.UserFactory,
    "account.EmailAddress": _email_address,
    "organisations.Organisation": lambda: factories.OrganisationFactory(
        municipality=Municipality.objects.get(code="091")
    ),
    "organisations.Membership": factories.MembershipFactory,
    "organisations.Invitation": _invitation,
    "organisations.ContactPerson": factories.ContactPersonFactory,
    "organisations.ChangeRecord": lambda: record_change(
        user=factories.UserFactory(), obj=factories.ServiceFactory(), action=ChangeRecord.Action.CREATED
    ),
    "organisations.LinkCheck": lambda: LinkCheck.objects.create(
        url=f"https://www.example.fi/{LinkCheck.objects.count()}", outcome="broken", broken_since=timezone.now()
    ),
    "organisations.PartnerNetwork": factories.PartnerNetworkFactory,
    "organisations.PartnershipAgreement": factories.PartnershipAgreementFactory,
    "organisations.ProblemReport": lambda: _problem_report("Aukioloajat ovat muuttuneet"),
    "services.Service": lambda: factories.ServiceFactory(
        organisation__areas=[WellbeingArea.objects.get(code="08")],
        municipalities=[Municipality.objects.get(code="837")],
    ),
    "services.Location": factories.LocationFactory,
    "meetingplaces.MeetingPlace": factories.MeetingPlaceFactory,
    "meetingplaces.Activity": factories.ActivityFactory,
}


# --- __str__ ---

STR_BUILDERS = {
    "organisations.WellbeingArea": lambda: WellbeingArea.objects.get(code="90"),
    "organisations.Municipality": lambda: Municipality.objects.get(code="905"),
    "organisations.PostalCode": lambda: PostalCode.objects.get(code="65100"),
    "organisations.LinkCheck": lambda: LinkCheck.objects.create(url="https://www.example.fi/"),
    "organisations.Organisation": factories.OrganisationFactory,
    "organisations.Membership": factories.MembershipFactory,
    "organisations.Invitation": _invitation,
    "organisations.ContactPerson": factories.ContactPersonFactory,
    "organisations.PartnerNetwork": factories.PartnerNetworkFactory,
    "organisations.PartnershipAgreement": factories.PartnershipAgreementFactory,
    "organisations.TaskRun": lambda: TaskRun.objects.create(task="send_review_reminders", key="7:2026-03-02T07:00"),
    "organisations.ProblemReport": lambda: _problem_report("Osoite on väärä"),
    "organisations.ChangeRecord": lambda: record_change(
        user=factories.UserFactory(), obj=factories.ServiceFactory(), action=ChangeRecord.Action.CREATED
    ),
    "services.ServiceClass": lambda: ServiceClass.objects.get(code="maternity-clinic"),
    "services.LifeSituation": lambda: LifeSituation.objects.order_by("order").first(),
    "services.Service": factories.ServiceFactory,
    "services.ServiceFacetRow": lambda: ServiceFacetRow.objects.get(pk=factories.ServiceFactory().pk),
    "services.Location": factories.LocationFactory,
    "services.LocationOpeningHours": factories.LocationOpeningHoursFactory,
    "services.LocationException": factories.LocationExceptionFactory,
    "services.PhoneNumber": factories.PhoneNumberFactory,
    "services.EmailAddress": factories.EmailAddressFactory,
    "services.WebLink": factories.WebLinkFactory,
    # get_or_create: a committed test may have left the word in the vocabulary.
    "services.SearchWord": lambda: SearchWord.objects.get_or_create(word="neuvolassa", defaults={"folded": "x"})[0],
    "services.SearchSynonym": lambda: SearchSynonym.objects.create(words="kuraattori, koulukuraattori"),
    "services.SearchExclusion": lambda: SearchExclusion.objects.create(word="ero", excluded=["erotuomari"]),
    "services.SearchMiss": lambda: SearchMiss.objects.create(day=dt.date(2026, 3, 2), language="fi", words="uinti"),
    "meetingplaces.MeetingPlace": factories.MeetingPlaceFactory,
    "meetingplaces.MeetingPlaceOpeningHours": factories.MeetingPlaceOpeningHoursFactory,
    "meetingplaces.MeetingPlaceException": factories.MeetingPlaceExceptionFactory,
    "meetingplaces.Activity": factories.ActivityFactory,
    "meetingplaces.ActivityDate": factories.ActivityDateFactory,
    "services.ServiceFeedback": lambda: ServiceFeedback.objects.create(service=factories.ServiceFactory(), found=True),
}
DOMAIN_MODELS = sorted(
    model._meta.label
    for app in ("organisations", "services", "meetingplaces")
    for model in apps.get_app_config(app).get_models()
)


def test_str_builders__cover_every_domain_model():
    assert sorted(STR_BUILDERS) == DOMAIN_MODELS


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("label", DOMAIN_MODELS)
def test_str__is_readable_in_every_language(label, language):
    obj = STR_BUILDERS[label]()

    with translation.override(language):
        text = str(type(obj).objects.get(pk=obj.pk))

    assert text.strip()
    assert not re.search(r"object \(\d+\)", text)
    assert "None" not in text


# --- Saving through the admin ---


def _service_form(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "name_fi": "Hervannan perhekeskus",
        "name_sv": "Familjecentret i Hervanta",
        "slug": "hervannan-perhekeskus",
        "summary_fi": "Neuvola ja perhetyö samassa paikassa.",
        "service_classes": [ServiceClass.objects.get(code="child-health-clinic").pk],
        "age_min": "0",
        "age_max": "6",
        "languages": ["fi", "sv"],
        "cost": "free",
        "access": ["walk_in"],
        "state": "draft",
        "source": "manual",
    }
    for prefix in ("locations", "phones", "emails", "links"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


@pytest.mark.parametrize("language", LANGUAGES)
def test_service_add__saves_a_valid_service(admin_client, language):
    from services.models import Service

    organisation = factories.OrganisationFactory()
    url = _admin_url(apps.get_model("services.Service"), "add", language)

    response = admin_client.post(url, _service_form(organisation))

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    service = Service.objects.get(slug="hervannan-perhekeskus")
    assert (service.name_fi, service.name_sv, service.languages) == (
        "Hervannan perhekeskus",
        "Familjecentret i Hervanta",
        ["fi", "sv"],
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("overrides", "constraint_name"),
    [
        ({"age_min": "7", "age_max": "3"}, "service_min_age_is_at_most_max_age"),
        ({"source": "ptv", "external_id": ""}, "service_from_ptv_has_its_ptv_id"),
    ],
)
def test_service_add__shows_the_constraint_message_instead_of_failing(
    admin_client, language, overrides, constraint_name
):
    from services.models import Service

    organisation = factories.OrganisationFactory()
    url = _admin_url(Service, "add", language)

    response = admin_client.post(url, _service_form(organisation, **overrides))

    assert response.status_code == 200
    with translation.override(language):
        message = next(c for c in Service._meta.constraints if c.name == constraint_name).violation_error_message
        assert escape(str(message)) in response.content.decode()
    assert not Service.objects.exists()


def test_service_add__rejects_a_javascript_link(admin_client):
    from services.models import Service

    data = _service_form(factories.OrganisationFactory())
    data.update({"links-TOTAL_FORMS": "1", "links-0-kind": "web_page", "links-0-url_fi": "javascript:alert(1)"})
    data.update({"links-0-title_fi": "Ajanvaraus", "links-0-order": "0"})

    response = admin_client.post(_admin_url(Service, "add", "fi"), data)

    assert response.status_code == 200
    assert not Service.objects.exists()


def test_service_mark_checked_action__sets_reviewed_at_and_records_it(admin_client):
    from services.models import Service

    stale, untouched = factories.ServiceFactory(reviewed_at=None), factories.ServiceFactory(reviewed_at=None)
    url = _admin_url(Service, "changelist", "fi")

    response = admin_client.post(url, {"action": "mark_checked", "_selected_action": [stale.pk]})

    assert response.status_code == 302
    stale.refresh_from_db()
    untouched.refresh_from_db()
    assert stale.reviewed_at is not None
    assert untouched.reviewed_at is None
    assert ChangeRecord.objects.get(object_id=stale.pk).action == ChangeRecord.Action.CHECKED


def test_service_add__completes_a_web_address_without_scheme_with_https(admin_client):
    from services.models import WebLink

    data = _service_form(factories.OrganisationFactory())
    data.update({"links-TOTAL_FORMS": "1", "links-0-kind": "web_page", "links-0-url_fi": "www.neuvola.fi"})
    data.update({"links-0-title_fi": "Ajanvaraus", "links-0-order": "0"})

    response = admin_client.post(_admin_url(apps.get_model("services.Service"), "add", "fi"), data)

    assert response.status_code == 302
    assert WebLink.objects.get().url_fi == "https://www.neuvola.fi"
