import datetime as dt
import re

import pytest
from django.utils import timezone

from perhekeskus.pages import STATEMENT_REVIEWED

pytestmark = pytest.mark.django_db


def h1s(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)


STATEMENT_PARTS = {
    "fi": [
        "<h1>Saavutettavuus&shy;seloste</h1>",
        "täyttää WCAG 2.1 -ohjeiston A- ja AA-tason saavutettavuusvaatimukset osittain",
        "Sisällöt, jotka eivät ole saavutettavia",
        "WCAG 3.1.2",
        "Kohtuuton rasite",
        "Miten saavutettavuutta on arvioitu",
        "Vastaamme 14 päivän kuluessa",
        "Liikenne- ja viestintävirasto Traficom",
        "Saavutettavuusvalvonta",
    ],
    "sv": [
        "<h1>Tillgänglighets&shy;utlåtande</h1>",
        "uppfyller delvis kraven på nivå A och AA i riktlinjerna WCAG 2.1",
        "Innehåll som inte är tillgängligt",
        "WCAG 3.1.2",
        "Oskälig börda",
        "Hur tillgängligheten har bedömts",
        "Vi svarar inom 14 dagar",
        "Transport- och kommunikationsverket Traficom",
    ],
    "en": [
        "<h1>Accessibility statement</h1>",
        "partially meets the level A and AA requirements of WCAG 2.1",
        "Content that is not accessible",
        "Disproportionate burden",
        "How accessibility was assessed",
        "We reply within 14 days",
        "Finnish Transport and Communications Agency Traficom",
    ],
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_accessibility_statement__has_every_required_part_in_the_page_language(client, settings, language):
    settings.FEEDBACK_EMAIL = "saavutettavuus@hyvinvointialue.example"

    response = client.get(f"/{language}/accessibility/")
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    for part in STATEMENT_PARTS[language]:
        assert part in html, part
    assert 'href="mailto:saavutettavuus@hyvinvointialue.example"' in html
    assert f'datetime="{STATEMENT_REVIEWED:%Y-%m-%d}"' in html
    assert len(h1s(html)) == 1


@pytest.mark.parametrize(
    ("path", "h1"),
    [
        ("/fi/privacy/", "Tietosuoja ja evästeet"),
        ("/sv/privacy/", "Dataskydd och kakor"),
        ("/en/privacy/", "Privacy and cookies"),
        ("/fi/about/", "Tietoa palvelusta"),
        ("/sv/about/", "Om tjänsten"),
        ("/en/about/", "About the service"),
    ],
)
def test_static_pages__render_in_their_language_with_one_h1(client, path, h1):
    html = client.get(path).content.decode()

    assert h1s(html) == [h1]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_privacy__names_the_only_cookies_used_by_their_real_names(client, settings, language):
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"

    html = client.get(f"/{language}/privacy/").content.decode()

    assert {"django_language", "pk_place", "area", "__Host-sessionid", "__Host-csrftoken"} == set(
        re.findall(r"<code>([^<]+)</code>", html)
    )


def test_static_pages__titles_and_descriptions_are_unique(client):
    pages = ["/fi/accessibility/", "/sv/accessibility/", "/fi/privacy/", "/sv/privacy/", "/fi/about/", "/sv/about/"]
    titles, descriptions = set(), set()
    for path in pages:
        html = client.get(path).content.decode()
        titles.add(re.search(r"<title>(.*?)</title>", html, re.S)[1])
        descriptions.add(re.search(r'<meta name="description" content="([^"]*)"', html)[1])

    assert len(titles) == len(descriptions) == len(pages)


def test_footer__links_the_accessibility_statement_on_every_page(client):
    for path in ["/fi/", "/sv/meeting-places/", "/fi/activities/", "/sv/privacy/"]:
        html = client.get(path).content.decode()
        language = path.split("/")[1]
        assert f'href="/{language}/accessibility/"' in html, path


def test_robots__points_to_the_sitemap_and_does_not_advertise_admin_or_accounts(client):
    response = client.get("/robots.txt")
    text = response.content.decode()

    assert response["Content-Type"].startswith("text/plain")
    assert text.splitlines()[:2] == ["User-agent: *", "Disallow:"]
    assert "admin" not in text
    assert "accounts" not in text
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()


def test_place_and_area_pages__titles_and_descriptions_are_unique_in_each_language(client):
    from tests.factories import MeetingPlaceFactory, MunicipalityFactory, OrganisationFactory

    helsinki = MunicipalityFactory(code="091")
    organisation = OrganisationFactory(name_fi="Perheyhdistys ry", name_sv="Familjeföreningen rf")
    place = MeetingPlaceFactory(published=True, organisation=organisation, municipality=helsinki)
    # Another week than the current one (which is the page without ?week=), whatever today is.
    year, week, _day = (timezone.localdate() + dt.timedelta(weeks=1)).isocalendar()
    next_week = f"{year}-W{week:02d}"
    paths = [
        "meeting-places/",
        "meeting-places/?municipality=091",
        f"meeting-places/?area={helsinki.area.code}",
        f"meeting-places/{place.slug}/",
        "activities/",
        f"activities/?week={next_week}",
        "activities/?municipality=091",
        "areas/",
        f"areas/{helsinki.area.code}/",
        "areas/01/",
        f"organisations/{organisation.slug}/",
    ]
    for language in ("fi", "sv"):
        titles, descriptions = set(), set()
        for path in paths:
            html = client.get(f"/{language}/{path}").content.decode()
            titles.add(re.search(r"<title>(.*?)</title>", html, re.S)[1].strip())
            descriptions.add(re.search(r'<meta name="description" content="([^"]*)"', html)[1].strip())

        assert len(titles) == len(descriptions) == len(paths), language
