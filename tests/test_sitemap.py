import re

import pytest
from django.core.cache import cache

from tests.factories import MeetingPlaceFactory, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_sitemap_cache():
    """The sitemap views are cached; every test builds its own data."""
    cache.clear()
    yield
    cache.clear()


def locations(xml: str) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", xml)


def test_sitemap_index__lists_every_section(client):
    response = client.get("/sitemap.xml")
    xml = response.content.decode()

    assert response.status_code == 200
    for section in ("pages", "services", "organisations", "areas", "meeting-places"):
        assert f"http://testserver/sitemap-{section}.xml" in locations(xml)


def test_sitemap_services__lists_published_services_in_every_language_with_alternates(client):
    ServiceFactory(published=True, slug="lastenneuvola")
    ServiceFactory(draft=True, slug="luonnos")
    ServiceFactory(archived=True, slug="arkistoitu")

    xml = client.get("/sitemap-services.xml").content.decode()

    assert set(locations(xml)) == {f"http://testserver/{lang}/services/lastenneuvola/" for lang in ("fi", "sv", "en")}
    for lang in ("fi", "sv", "en"):
        assert f'hreflang="{lang}" href="http://testserver/{lang}/services/lastenneuvola/"' in xml
    assert 'hreflang="x-default" href="http://testserver/services/lastenneuvola/"' in xml
    assert "luonnos" not in xml and "arkistoitu" not in xml


def test_sitemap_sections__list_pages_organisations_areas_and_published_meeting_places(client):
    OrganisationFactory(slug="perheyhdistys")
    MeetingPlaceFactory(published=True, slug="perhekahvila")
    MeetingPlaceFactory(slug="luonnospaikka")

    pages = locations(client.get("/sitemap-pages.xml").content.decode())
    organisations = locations(client.get("/sitemap-organisations.xml").content.decode())
    areas = locations(client.get("/sitemap-areas.xml").content.decode())
    places = client.get("/sitemap-meeting-places.xml").content.decode()

    for path in ("", "services/", "meeting-places/", "activities/", "areas/", "accessibility/", "privacy/", "about/"):
        assert f"http://testserver/sv/{path}" in pages, path
    assert "http://testserver/sv/help/" in pages
    assert "http://testserver/fi/organisations/perheyhdistys/" in organisations
    assert len(areas) == 22 * 3
    assert "http://testserver/sv/areas/90/" in areas
    assert "/fi/meeting-places/perhekahvila/" in places and "luonnospaikka" not in places


def test_sitemap__unknown_section_is_not_found(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-services.xml?p=999").status_code == 404


def test_sitemap__x_default_redirects_to_a_language(client):
    ServiceFactory(published=True, slug="lastenneuvola")

    response = client.get("/services/lastenneuvola/")

    assert response.status_code == 302
    assert response["Location"].endswith("/services/lastenneuvola/")
    assert response["Location"].startswith("/fi/") or "/fi/" in response["Location"]


def test_sitemap__is_cached_for_crawlers(client):
    ServiceFactory(published=True, slug="ensimmainen")
    client.get("/sitemap-services.xml")
    ServiceFactory(published=True, slug="toinen")

    xml = client.get("/sitemap-services.xml").content.decode()

    assert "ensimmainen" in xml and "toinen" not in xml
