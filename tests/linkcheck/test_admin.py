"""Broken links in the admin: a list filter on services, organisations and meeting places; a change page warning."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import LinkCheck
from tests.factories import MeetingPlaceFactory, OrganisationFactory, ServiceFactory, WebLinkFactory

pytestmark = pytest.mark.django_db

SINCE = dt.datetime(2026, 10, 5, 4, 20, tzinfo=dt.UTC)
CHECKED = dt.datetime(2026, 11, 23, 4, 20, tzinfo=dt.UTC)


def broken(url, status=404):
    return LinkCheck.objects.create(
        url=url, outcome="broken", reason="status", status=status, checked_at=CHECKED, broken_since=SINCE
    )


def working(url):
    return LinkCheck.objects.create(url=url, outcome="ok", status=200, checked_at=CHECKED)


def url(name, language, *args, **query):
    with translation.override(language):
        path = reverse(name, args=args)
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def rows():
    """One row of each kind with a broken link (in Swedish only, for the service) and one with working links."""
    bad_service, good_service = ServiceFactory(name_fi="Rikkinäinen neuvola"), ServiceFactory(name_fi="Ehjä neuvola")
    WebLinkFactory(service=bad_service, url_fi="https://www.example.fi/neuvola", url_sv="https://www.example.fi/rg")
    WebLinkFactory(service=bad_service, url_fi="https://www.example.fi/ajanvaraus")
    WebLinkFactory(service=good_service, url_fi="https://www.example.fi/neuvola")
    working("https://www.example.fi/neuvola")
    broken("https://www.example.fi/rg")
    broken("https://www.example.fi/ajanvaraus", status=410)
    bad_org = OrganisationFactory(name_fi="Kadonnut yhdistys", website="https://gone.example.fi/")
    good_org = OrganisationFactory(name_fi="Löytyvä yhdistys", website="https://www.example.fi/neuvola")
    broken("https://gone.example.fi/")
    bad_place = MeetingPlaceFactory(name_fi="Perhekahvila Kateissa", website="https://gone.example.fi/")
    good_place = MeetingPlaceFactory(name_fi="Perhekahvila Täällä", website="")
    return {
        "services_service": (bad_service, good_service),
        "organisations_organisation": (bad_org, good_org),
        "meetingplaces_meetingplace": (bad_place, good_place),
    }


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("admin_name", ["services_service", "organisations_organisation", "meetingplaces_meetingplace"])
def test_the_broken_link_filter_lists_only_rows_with_a_broken_link(admin_client, rows, admin_name, language):
    bad, good = rows[admin_name]
    app, model = admin_name.split("_", 1)
    changelist = f"admin:{app}_{model}_changelist"

    everything = admin_client.get(url(changelist, language)).content.decode()
    assert {"fi": "Rikkinäinen linkki", "sv": "Trasig länk"}[language] in everything
    assert bad.name in everything and good.name in everything

    only_broken = admin_client.get(url(changelist, language, link_check="broken")).content.decode()
    assert bad.name in only_broken
    assert good.name not in only_broken
    assert only_broken.count(f"/{bad.pk}/change/") == 1  # listed once however many links are broken

    none_broken = admin_client.get(url(changelist, language, link_check="ok")).content.decode()
    assert good.name in none_broken
    assert bad.name not in none_broken


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_change_page_warns_about_each_broken_link(admin_client, rows, language):
    bad, good = rows["services_service"]
    content = admin_client.get(url("admin:services_service_change", language, bad.pk)).content.decode()
    assert content.count('class="warning"') == 2
    assert "https://www.example.fi/rg" in content
    assert "https://www.example.fi/ajanvaraus" in content
    expected = {
        "fi": "ei toiminut linkkitarkistuksessa: Virhesivu (410). Ei toiminut 5.10.2026 alkaen",
        "sv": "fungerade inte i länkkontrollen: Felsida (410). Har inte fungerat sedan 5.10.2026",
    }[language]
    i = content.find("messagelist")
    assert expected in content, content[i : i + 900]

    calm = admin_client.get(url("admin:services_service_change", language, good.pk)).content.decode()
    assert 'class="warning"' not in calm


@pytest.mark.parametrize("admin_name", ["organisations_organisation", "meetingplaces_meetingplace"])
def test_websites_are_warned_about_too(admin_client, rows, admin_name):
    bad, good = rows[admin_name]
    app, model = admin_name.split("_", 1)
    content = admin_client.get(url(f"admin:{app}_{model}_change", "fi", bad.pk)).content.decode()
    assert "Linkki https://gone.example.fi/ ei toiminut linkkitarkistuksessa: Virhesivu (404)." in content
    assert 'class="warning"' not in admin_client.get(url(f"admin:{app}_{model}_change", "fi", good.pk)).content.decode()


def test_the_warning_is_not_carried_to_the_next_page_after_saving(admin_client, rows):
    bad, _good = rows["organisations_organisation"]
    page = url("admin:organisations_organisation_change", "fi", bad.pk)
    admin_client.post(page, {"name_fi": ""})  # invalid: the form is shown again, without a warning queued for later
    after = admin_client.get(url("admin:organisations_organisation_changelist", "fi")).content.decode()
    assert "ei toiminut linkkitarkistuksessa" not in after


def test_the_link_check_list_shows_the_results_and_filters_broken_ones(admin_client, rows):
    content = admin_client.get(url("admin:organisations_linkcheck_changelist", "sv", link_check="broken")).content
    content = content.decode()
    assert "https://gone.example.fi/" in content
    assert "https://www.example.fi/neuvola" not in content
    assert "Felsida" in content
