"""The coordinator dashboard: its numbers on a built area, who may open it, and its constant query count."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from organisations.models import LinkCheck, Membership, Municipality, WellbeingArea
from perhekeskus.dashboard import data
from services.models import SearchMiss, ServiceClass
from tests.conftest import sign_in_staff, with_authenticator_app
from tests.factories import UserFactory
from tests.factories.meetingplaces import ActivityFactory, MeetingPlaceFactory
from tests.factories.organisations import MembershipFactory, OrganisationFactory
from tests.factories.services import ServiceFactory, WebLinkFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
URL = "/fi/admin/dashboard/"


@pytest.fixture
def area():
    return WellbeingArea.objects.get(code="05")


def municipality(code):
    return Municipality.objects.get(code=code)


def service_class(code):
    return ServiceClass.objects.get(code=code)


def coordinator(areas, email="koordinaattori@example.fi"):
    body = OrganisationFactory(public=True, areas=areas)
    user = MembershipFactory(
        organisation=body, coordinator=True, areas=areas, user__email=email, user__is_staff=True
    ).user
    return with_authenticator_app(user)


@pytest.fixture
def built(area):
    """Area 05 with services in Turku (fi-sv) and Parainen (sv-fi), one organisation-wide, one nationwide."""
    turku, parainen = municipality("853"), municipality("445")
    ngo = OrganisationFactory(areas=[area])
    clinic, ngo_activity = service_class("child-health-clinic"), service_class("ngo-activity")
    ServiceFactory(organisation=ngo, municipalities=[turku], service_classes=[clinic], published=True)
    ServiceFactory(organisation=ngo, municipalities=[turku], service_classes=[clinic], published=True, name_sv="")
    ServiceFactory(organisation=ngo, municipalities=[parainen], service_classes=[clinic], published=True)
    # No municipality named: given in every municipality of the organisation's area.
    ServiceFactory(organisation=ngo, service_classes=[ngo_activity], published=True, summary_sv="")
    # Drafts and other areas' services count nowhere.
    ServiceFactory(organisation=ngo, municipalities=[parainen], service_classes=[ngo_activity], draft=True)
    ServiceFactory(
        organisation=OrganisationFactory(areas=[WellbeingArea.objects.get(code="21")]),
        municipalities=[municipality("698")],
        service_classes=[ngo_activity],
        published=True,
    )
    # Nationwide: its own row, not a municipality's.
    ServiceFactory(organisation=OrganisationFactory(), service_classes=[clinic], published=True)
    place = MeetingPlaceFactory(organisation=ngo, municipality=parainen, published=True, name_sv="")
    ActivityFactory(meeting_place=place, state="published")
    ActivityFactory(meeting_place=place, state="published", title_sv="")
    return {"turku": turku, "parainen": parainen, "clinic": clinic, "ngo": ngo, "place": place}


def test_coverage__counts_local_services_per_municipality_and_class(area, built):
    municipalities = list(Municipality.objects.filter(area=area).order_by("name"))
    coverage = data.coverage(area, municipalities)
    column = {c.code: i for i, c in enumerate(coverage.classes)}
    rows = {row.municipality.code: row for row in coverage.rows}
    assert rows["853"].counts[column["child-health-clinic"]] == 2
    assert rows["445"].counts[column["child-health-clinic"]] == 1
    assert rows["019"].counts[column["child-health-clinic"]] == 0  # Aura: a gap
    # The organisation-wide service is in every municipality of the area; the draft adds nothing in Parainen.
    assert all(row.counts[column["ngo-activity"]] == 1 for row in coverage.rows)
    assert coverage.nationwide[column["child-health-clinic"]] == 1
    assert coverage.municipalities_without[column["child-health-clinic"]] == len(municipalities) - 2
    assert coverage.gap_count == coverage.cell_count - len(municipalities) - 2


def test_parity__shares_per_municipality_swedish_first(area, built):
    rows = data.swedish_parity(area, list(Municipality.objects.filter(area=area)))
    by_code = {row.municipality.code: row for row in rows}
    # Turku: 2 named services (one without name_sv) + the area-wide one (no summary_sv).
    assert (by_code["853"].total, by_code["853"].without_swedish) == (3, 2)
    # Parainen: 1 service, the area-wide one, a meeting place without name_sv, 2 activities (one without title_sv).
    assert (by_code["445"].total, by_code["445"].without_swedish) == (5, 3)
    assert by_code["445"].percent == 60
    assert (by_code["019"].total, by_code["019"].without_swedish) == (1, 1)
    # Municipalities with Swedish first, the largest share lacking first: Kemiönsaari (1/1), Turku, Parainen.
    assert [row.municipality.code for row in rows[:3]] == ["322", "853", "445"]
    assert all(not row.municipality.has_swedish for row in rows[3:])


def test_parity_list__names_the_entries_without_swedish(area, built):
    entries = data.without_swedish_entries(area, built["parainen"])
    assert [s.summary_sv for s in entries["services"]] == [""]
    assert entries["meeting_places"] == [built["place"]]
    assert [a.title_sv for a in entries["activities"]] == [""]


def test_stale__counts_by_months_not_checked(area):
    ngo = OrganisationFactory(areas=[area])
    for days in (30, 213, 304, 396):
        ServiceFactory(organisation=ngo, published=True, reviewed_at=NOW - dt.timedelta(days=days))
    ServiceFactory(organisation=ngo, published=True, reviewed_at=None)
    MeetingPlaceFactory(organisation=ngo, municipality=municipality("853"), published=True, reviewed_at=None)
    rows = {row.kind: row for row in data.stale(area, now=NOW)}
    assert rows["service"].published == 5
    assert rows["service"].never_checked == 1
    assert rows["service"].not_checked_for == [(6, 4), (9, 3), (12, 2)]
    assert rows["meeting_place"].not_checked_for == [(6, 1), (9, 1), (12, 1)]
    assert len(data.stale_entries(area, "service", 9, now=NOW)) == 3


def test_broken_links__of_the_area_only(area):
    ngo = OrganisationFactory(areas=[area], website="https://rikki.example.fi/")
    service = ServiceFactory(organisation=ngo, published=True)
    WebLinkFactory(service=service, url_fi="https://rikki.example.fi/palvelu", url_sv="https://ok.example.fi/")
    lapland = OrganisationFactory(areas=[WellbeingArea.objects.get(code="21")], website="https://rikki.example.fi/l")
    since = timezone.now() - dt.timedelta(days=10)
    for url in ("https://rikki.example.fi/", "https://rikki.example.fi/palvelu", lapland.website):
        LinkCheck.objects.create(url=url, outcome="broken", status=404, reason="status", broken_since=since)
    LinkCheck.objects.create(url="https://ok.example.fi/", outcome="ok", status=200)
    broken = data.broken_links(area)
    assert broken.total == 2
    assert {(b.kind, b.url) for b in broken.links} == {
        ("organisation", "https://rikki.example.fi/"),
        ("service", "https://rikki.example.fi/palvelu"),
    }


def test_search_misses__last_30_days_of_the_area(area):
    today = dt.date(2026, 6, 15)
    lapland = WellbeingArea.objects.get(code="21")
    SearchMiss.objects.create(day=today, language="fi", words="vauvauinti", area=area, count=3)
    SearchMiss.objects.create(day=today - dt.timedelta(days=1), language="sv", words="vauvauinti", area=area, count=2)
    SearchMiss.objects.create(day=today, language="sv", words="babysim", area=area, count=1)
    SearchMiss.objects.create(day=today - dt.timedelta(days=40), language="fi", words="vanha", area=area, count=9)
    SearchMiss.objects.create(day=today, language="fi", words="lappi", area=lapland, count=9)
    misses = data.search_misses(area, today)
    assert [(m["words"], m["searches"], m["languages"]) for m in misses] == [
        ("vauvauinti", 5, ["fi", "sv"]),
        ("babysim", 1, ["sv"]),
    ]


# --- The page ---


def test_page__shows_the_area_in_finnish_and_swedish(client, area, built):
    sign_in_staff(client, coordinator([area]))
    SearchMiss.objects.create(day=timezone.localdate(), language="fi", words="vauvauinti", area=area, count=4)
    page = client.get(URL).content.decode()
    assert "Kattavuus" in page and "Varsinais-Suomen hyvinvointialue" in page
    assert "vauvauinti" in page
    assert '<th scope="row">Parainen</th>' in page
    assert "area-dashboard__gap" in page
    page_sv = client.get("/sv/admin/dashboard/").content.decode()
    assert "Täckning" in page_sv and "Svensk text" in page_sv


def test_page__links_to_the_list_of_entries_without_swedish(client, area, built):
    sign_in_staff(client, coordinator([area]))
    page = client.get(URL).content.decode()
    link = f"{reverse('admin-dashboard-entries')}?area=05&amp;show=swedish&amp;municipality=445"
    assert link in page
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert built["place"].name_fi in listed


def test_admin_index__links_to_the_dashboard_for_coordinators(client, area):
    sign_in_staff(client, coordinator([area]))
    assert reverse("admin-dashboard") in client.get("/fi/admin/").content.decode()


def test_scope__coordinator_of_another_area_gets_404(client, area):
    sign_in_staff(client, coordinator([WellbeingArea.objects.get(code="21")]))
    assert client.get(URL + "?area=05").status_code == 404
    assert client.get(reverse("admin-dashboard-entries") + "?area=05&show=broken").status_code == 404
    assert client.get(URL + "?area=21").status_code == 200
    # Without an area: the user's own (the first they coordinate).
    assert "Lapin hyvinvointialue" in client.get(URL).content.decode()


def test_scope__partner_editors_and_families_cannot_reach_it(client, area):
    editor = MembershipFactory(organisation=OrganisationFactory(areas=[area]), role=Membership.Role.EDITOR).user
    for user in (editor, None):
        client.logout()
        if user:
            client.force_login(user)
        response = client.get(URL)
        # The admin's own gate: not staff, so to the sign-in page; nothing of the dashboard is shown.
        assert response.status_code == 302 and "login" in response["Location"]


def test_scope__staff_who_coordinate_nothing_get_403(client):
    sign_in_staff(client, with_authenticator_app(UserFactory(is_staff=True)))
    assert client.get(URL).status_code == 403


def test_scope__superuser_chooses_any_area(admin_client):
    page = admin_client.get(URL + "?area=21").content.decode()
    assert "Lapin hyvinvointialue" in page and 'name="area"' in page


def test_entries__bad_parameters_are_404_not_500(client, area):
    sign_in_staff(client, coordinator([area]))
    entries = reverse("admin-dashboard-entries")
    for query in (
        "?show=nope",
        "?show=stale&kind=service&months=x",
        "?show=stale&kind=x&months=6",
        "?show=stale&kind=service&months=7",
        "?show=swedish&municipality=698",
        "?area=%00",
    ):
        assert client.get(entries + query).status_code == 404, query


def test_query_count__does_not_grow_with_municipalities(client, area, built):
    """Area 05 has 27 municipalities, Kainuu (18) 8: the same number of queries for both (the sign-in and session
    checks of the middleware included), and a small one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    with time_machine.travel(NOW, tick=False):
        sign_in_staff(client, coordinator([area, WellbeingArea.objects.get(code="18")]))
        client.get(f"{URL}?area=18")  # the session's first request writes its clocks
        for code in ("18", "05"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"{URL}?area={code}").status_code == 200
            counts[code] = len(queries)
    assert counts["18"] == counts["05"] <= 35, counts


def test_entries__stale_and_broken_lists_link_to_the_admin(client, area):
    ngo = OrganisationFactory(areas=[area], website="https://rikki.example.fi/")
    with time_machine.travel(NOW, tick=False):
        old = ServiceFactory(organisation=ngo, published=True, reviewed_at=NOW - dt.timedelta(days=300))
        ServiceFactory(organisation=ngo, published=True, reviewed_at=NOW - dt.timedelta(days=30))
        LinkCheck.objects.create(
            url=ngo.website, outcome="broken", status=404, reason="status", broken_since=NOW - dt.timedelta(days=5)
        )
        sign_in_staff(client, coordinator([area]))
        entries = reverse("admin-dashboard-entries")
        stale = client.get(entries, {"area": "05", "show": "stale", "kind": "service", "months": "9"})
        broken = client.get(entries, {"area": "05", "show": "broken"}, HTTP_ACCEPT_LANGUAGE="sv")
    page = stale.content.decode()
    assert old.name_fi in page and reverse("admin:services_service_change", args=[old.pk]) in page
    assert page.count('<th scope="row">') == 1
    assert "https://rikki.example.fi/" in broken.content.decode()
    assert reverse("admin:organisations_organisation_change", args=[ngo.pk]) in broken.content.decode()


def test_families_section__open_reports_and_question_volumes_of_the_area_only(client, area):
    from organisations.models import ProblemReport
    from perhekeskus.contact import actions as contact
    from perhekeskus.contact.delivery import submit

    ngo = OrganisationFactory(areas=[area], name_fi="Turun perheyhdistys")
    lapland = OrganisationFactory(areas=[WellbeingArea.objects.get(code="21")])
    service = ServiceFactory(organisation=ngo, published=True, name_fi="Perhekerho Aura")
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        from django.contrib.contenttypes.models import ContentType

        for organisation, entry in ((ngo, service), (lapland, ServiceFactory(organisation=lapland))):
            ProblemReport.objects.create(
                content_type=ContentType.objects.get_for_model(entry),
                object_id=entry.pk,
                object_repr=str(entry),
                organisation=organisation,
                message="Puhelinnumero on vanha",
            )
        answered, _ = submit(organisation=ngo, body="Kysymys 1", language="fi")
        submit(organisation=ngo, body="Kysymys 2", language="sv")
        submit(organisation=lapland, body="Kysymys Lappiin", language="fi")
        contact.answer(UserFactory(is_superuser=True, is_staff=True), answered, "Vastaus")
    with time_machine.travel(NOW - dt.timedelta(days=40), tick=False):
        submit(organisation=ngo, body="Vanha kysymys", language="fi")
    with time_machine.travel(NOW, tick=False):
        sign_in_staff(client, coordinator([area]))
        html = client.get(f"{URL}?area=05").content.decode()
    section = html[html.index('id="families"') : html.index('id="misses"')]
    # The open reports' count links to their list; the others are plain numbers.
    figures = dict(re.findall(r'<dt>([^<]+)</dt><dd class="numeric">(?:<a [^>]*>)?(\d+)', section))
    assert figures == {
        "Avoimet ilmoitukset virheellisistä tiedoista": "1",
        "Nimettömiä kysymyksiä lähetetty viimeisten 30 päivän aikana": "2",
        "Vastausta odottavat nimettömät kysymykset": "2",
        "Nimettömiin kysymyksiin vastattu viimeisten 30 päivän aikana": "1",
    }
    assert "Perhekerho Aura" in section


def test_stale_stages__are_the_reminder_the_escalation_and_the_public_notice(settings):
    """The dashboard's 6/9/12 months are the days the mails use and the calendar year the public page uses."""
    settings.REVIEW_REMINDER_DAYS, settings.REVIEW_ESCALATION_DAYS = 150, 250
    assert NOW - data.months_ago(6, NOW) == dt.timedelta(days=150)
    assert NOW - data.months_ago(9, NOW) == dt.timedelta(days=250)
    # 12 months: before 15.6.2025 local time, as family.may_be_out_of_date counts a listing checked on 14.6.2025.
    assert timezone.localtime(data.months_ago(12, NOW)).date() == dt.date(2025, 6, 15)
