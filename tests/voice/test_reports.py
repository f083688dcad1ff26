"""Problem reports: the family's form and its abuse limits, routing to the entry's editors and area coordinators,
resolving (the reply address goes), and the daily summary mailed once."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from organisations.actions import report_problem, reports_visible_to, resolve_report
from organisations.models import ProblemReport
from perhekeskus.voice.abuse import started_token
from perhekeskus.voice.actions import send_problem_report_summaries
from tests.access_matrix import build_world
from tests.conftest import sign_in_staff, with_authenticator_app
from tests.factories import MeetingPlaceFactory, ServiceFactory

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def report_url(kind, pk, language="fi"):
    with translation.override(language):
        return reverse("voice:report", kwargs={"kind": kind, "pk": pk})


def post_report(client, target, kind="service", language="fi", address="127.0.0.1", **data):
    """Post the form as a person would: the start time from a page shown 10 s earlier."""
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=10), tick=False):
        started = started_token()
    fields = {"message": "Puhelinnumero on vaihtunut.", "reply_email": "", "website": "", "started": started}
    fields.update(data)
    return client.post(report_url(kind, target.pk, language), fields, REMOTE_ADDR=address)


@pytest.mark.parametrize(("language", "heading"), [("fi", "Ilmoita virheestä"), ("sv", "Anmäl ett fel")])
def test_service_and_place_pages__link_to_the_report_form(client, language, heading):
    service = ServiceFactory(published=True)
    place = MeetingPlaceFactory(published=True)
    for kind, target in (("service", service), ("meeting-place", place)):
        with translation.override(language):
            page = client.get(target.get_absolute_url()).content.decode()
        assert f'href="{report_url(kind, target.pk, language)}"' in page
        form = client.get(report_url(kind, target.pk, language)).content.decode()
        assert heading in form and target.name in form and 'name="csrfmiddlewaretoken"' in form


def test_report__is_stored_for_the_entry_and_thanks_the_family(client):
    service = ServiceFactory(published=True)
    response = post_report(client, service, language="sv", reply_email="perhe@example.fi")
    assert response.status_code == 302
    thanks = client.get(response["Location"]).content.decode()
    assert "Tack för din anmälan" in thanks
    report = ProblemReport.objects.get()
    assert (report.target, report.organisation) == (service, service.organisation)
    assert report.reply_email == "perhe@example.fi"
    assert report.message == "Puhelinnumero on vaihtunut." and report.language == "sv"


def test_report__unpublished_or_unknown_entries_are_not_found(client):
    draft = ServiceFactory(state="draft")
    assert client.get(report_url("service", draft.pk)).status_code == 404
    assert client.get(report_url("organisation", draft.pk)).status_code == 404


@pytest.mark.parametrize(
    ("data", "language", "error"),
    [
        ({"message": ""}, "fi", "Tämä kenttä vaaditaan"),
        ({"message": "x" * 2001}, "sv", "som mest 2000 tecken"),
        ({"reply_email": "ei-osoite"}, "fi", "sähköpostiosoite"),
        ({"message": "Katso https://a.example http://b.example www.c.example"}, "fi", "enintään 2 verkko-osoitetta"),
        ({"message": "Se https://a.example http://b.example www.c.example"}, "sv", "högst 2 webbadresser"),
        ({"started": "forged"}, "sv", "Formuläret var öppet för länge"),
    ],
)
def test_report__bad_input_gets_form_errors_in_the_language(client, data, language, error):
    service = ServiceFactory(published=True)
    response = post_report(client, service, language=language, **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize(("language", "error"), [("fi", "hyvin nopeasti"), ("sv", "mycket snabbt")])
def test_report__sent_too_fast_is_refused(client, settings, language, error):
    settings.FAMILY_FORM_MIN_SECONDS = 3
    service = ServiceFactory(published=True)
    fields = {"message": "Väärä osoite", "started": started_token()}
    response = client.post(report_url("service", service.pk, language), fields)
    assert error in response.content.decode()
    assert not ProblemReport.objects.exists()
    # The form comes back with a fresh start time; sent again later it goes through.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        response = post_report(client, service, language=language)
    assert response.status_code == 302


def test_report__a_form_open_for_hours_is_sent_again():
    from perhekeskus.voice.forms import ProblemReportForm

    with time_machine.travel(MOMENT, tick=False):
        started = started_token()
    with time_machine.travel(MOMENT + dt.timedelta(hours=7), tick=False):
        form = ProblemReportForm(data={"message": "Väärä osoite", "started": started})
        assert not form.is_valid()
        assert form.non_field_errors().as_data()[0].code == "expired"


def test_report__honeypot_answers_thanks_and_stores_nothing(client):
    service = ServiceFactory(published=True)
    response = post_report(client, service, website="http://spam.example")
    assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize(("language", "error"), [("fi", "useita ilmoituksia"), ("sv", "flera anmälningar")])
def test_report__too_many_from_one_client_are_refused(client, settings, language, error):
    settings.PROBLEM_REPORT_RATE = "2/hour"
    cache.clear()
    service = ServiceFactory(published=True)
    address = {"fi": "192.0.2.11", "sv": "192.0.2.12"}[language]
    for _ in range(2):
        assert post_report(client, service, language=language, address=address).status_code == 302
    response = post_report(client, service, language=language, address=address)
    assert response.status_code == 429 and error in response.content.decode()
    assert ProblemReport.objects.count() == 2
    # Another client is not affected.
    assert post_report(client, service, address="198.51.100.7").status_code == 302


def test_report__stores_no_client_address(client):
    service = ServiceFactory(published=True)
    post_report(client, service, address="203.0.113.99")
    stored = [str(value) for value in ProblemReport.objects.values().get().values()]
    assert not any("203.0.113.99" in value for value in stored)


# --- Routing and scoping ---------------------------------------------------------------------------------------


def _reports(world):
    own = world.objects["own"]
    return {
        "own_service": report_problem(target=own["service"], message="Oma palvelu: väärä numero"),
        "own_place": report_problem(target=own["meeting_place"], message="Oma paikka: väärä osoite"),
        "same_area": report_problem(target=world.objects["same_area"]["service"], message="Naapuri: vanha tieto"),
        "other_area": report_problem(target=world.objects["other_area"]["service"], message="Lappi: vanha tieto"),
    }


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("editor", {"own_service", "own_place"}),
        ("coordinator", {"own_service", "own_place", "same_area"}),
        ("coordinator_b", {"other_area"}),
        ("professional", set()),
        ("anonymous", set()),
        ("superuser", {"own_service", "own_place", "same_area", "other_area"}),
    ],
)
def test_reports_visible_to__follows_who_may_edit_the_entry(role, visible):
    world = build_world()
    reports = _reports(world)
    seen = set(reports_visible_to(world.user(role)).values_list("pk", flat=True))
    assert seen == {reports[name].pk for name in visible}


def test_partner_home__lists_own_open_reports_and_resolves_them(client):
    world = build_world()
    reports = _reports(world)
    reports["own_service"].reply_email = "perhe@example.fi"
    reports["own_service"].save()
    client.force_login(world.user("editor"))
    with translation.override("sv"):
        home = client.get(reverse("partners:home")).content.decode()
    assert "Fel som familjer har anmält" in home
    assert "Oma palvelu: väärä numero" in home and "perhe@example.fi" in home
    assert "Naapuri" not in home and "Lappi" not in home

    with translation.override("fi"):
        url = reverse("partners:resolve-report", kwargs={"pk": reports["own_service"].pk})
    response = client.post(url, {"note": "Numero korjattu"})
    assert response.status_code == 302
    report = ProblemReport.objects.get(pk=reports["own_service"].pk)
    assert report.resolved_at and report.resolved_by == world.user("editor") and report.note == "Numero korjattu"
    assert report.reply_email == ""
    assert "Oma palvelu: väärä numero" not in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("role", ["editor", "coordinator_b", "professional"])
def test_resolve__another_organisations_or_areas_report_is_not_found(client, role):
    world = build_world()
    report = _reports(world)["same_area" if role == "editor" else "own_service"]
    user = world.user(role)
    if user.is_staff:
        sign_in_staff(client, with_authenticator_app(user))
    else:
        client.force_login(user)
    assert client.post(reverse("partners:resolve-report", kwargs={"pk": report.pk})).status_code == 404
    assert ProblemReport.objects.get(pk=report.pk).is_open


def test_admin__coordinator_sees_their_areas_reports_and_resolves_them(client):
    world = build_world()
    reports = _reports(world)
    sign_in_staff(client, with_authenticator_app(world.user("coordinator")))
    changelist = reverse("admin:organisations_problemreport_changelist")
    html = client.get(changelist + "?open=1").content.decode()
    assert reports["same_area"].object_repr in html
    assert reports["other_area"].object_repr not in html
    other = reverse("admin:organisations_problemreport_change", args=[reports["other_area"].pk])
    assert client.get(other).status_code in (302, 404)

    reports["same_area"].reply_email = "perhe@example.fi"
    reports["same_area"].save()
    ids = [reports["same_area"].pk, reports["other_area"].pk]
    client.post(changelist, {"action": "resolve", "_selected_action": ids})
    assert not ProblemReport.objects.get(pk=reports["same_area"].pk).is_open
    assert ProblemReport.objects.get(pk=reports["same_area"].pk).reply_email == ""
    assert ProblemReport.objects.get(pk=reports["other_area"].pk).is_open


def test_resolve_report__erases_the_reply_email():
    service = ServiceFactory(published=True)
    report = report_problem(target=service, message="Väärä numero", reply_email="perhe@example.fi")
    resolve_report(report=report, user=None)
    report.refresh_from_db()
    assert report.reply_email == "" and report.resolved_at is not None


# --- The daily summary -----------------------------------------------------------------------------------------


def test_summary__mails_each_organisations_new_reports_once_a_day_in_fi_and_sv():
    world = build_world()
    with time_machine.travel(MOMENT, tick=False):
        reports = _reports(world)
        resolve_report(report=reports["same_area"], user=None)
        assert send_problem_report_summaries() == 1  # own (2 reports); same_area resolved; other_area has no editors
        assert send_problem_report_summaries() == 0
    (message,) = mail.outbox
    assert message.to == ["toimittaja@example.fi"]
    assert "Perheet ilmoittivat" in message.body and "Familjer har anmält" in message.body
    assert "Oma palvelu: väärä numero" in message.body and "Oma paikka: väärä osoite" in message.body
    assert ProblemReport.objects.filter(notified_at__isnull=False).count() == 2

    # A report later that day waits for the next day's summary.
    with time_machine.travel(MOMENT + dt.timedelta(hours=3), tick=False):
        report_problem(target=world.objects["own"]["service"], message="Uusi: sivu ei aukea")
        assert send_problem_report_summaries() == 0
    with time_machine.travel(MOMENT + dt.timedelta(days=1), tick=False):
        assert send_problem_report_summaries() == 1
    assert "Uusi: sivu ei aukea" in mail.outbox[1].body and "Oma paikka" not in mail.outbox[1].body


def test_summary__nothing_is_lost_when_mail_fails(settings):
    world = build_world()
    settings.EMAIL_BACKEND = "tests.voice.test_reports.FailingBackend"
    with time_machine.travel(MOMENT, tick=False):
        report_problem(target=world.objects["own"]["service"], message="Väärä numero")
        with pytest.raises(ConnectionError):
            send_problem_report_summaries()
    assert ProblemReport.objects.get().notified_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(MOMENT + dt.timedelta(hours=1), tick=False):
        assert send_problem_report_summaries() == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP down")


def test_report_points_at_its_entry_by_content_type():
    place = MeetingPlaceFactory(published=True)
    report = report_problem(target=place, message="Ovi on eri paikassa")
    assert report.content_type == ContentType.objects.get_for_model(place) and report.target == place
