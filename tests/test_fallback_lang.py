"""Text shown in a fallback language carries its lang attribute on every public page type (WCAG 3.1.2).

A Swedish-speaking organisation in Närpes wrote its meeting place, activity and service only in Swedish; every Finnish
page that shows one of those texts must mark it lang="sv" (or sit inside an element that does).
"""

import datetime as dt

import pytest
from django.utils import timezone

from organisations.models import Municipality
from tests.factories import (
    ActivityFactory,
    LocationFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
    OrganisationFactory,
    ServiceFactory,
)
from tests.test_translations import TextCollector

pytestmark = pytest.mark.django_db

# Each Swedish-only text, as it appears on the pages (none of them is also a Finnish word).
SWEDISH = {
    "organisation": "Föreningen Solstrålen rf",
    "place": "Familjecafé Solstrålen",
    "place_address": "Storgatan 5",
    "place_directions": "Ingång från gården",
    "place_accessibility": "Ramp vid ingången",
    "activity": "Babyrytmik i Solstrålen",
    "registration": "Anmälan via Solstrålen.",
    "activity_cost": "5 euro per gång",
    "service": "Familjerådgivning Solstrålen",
    "summary": "Samtalsstöd för familjer i Närpes.",
    "location": "Solstrålens klubbrum",
}


class LangOfText(TextCollector):
    """Collects each text node with the lang of its nearest element that has one (the page's <html lang>).

    The stack holds (tag, lang) here; the element bookkeeping (void elements, end tags) is TextCollector's.
    """

    def __init__(self):
        super().__init__(skip_lang=None)
        self.texts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_data(self, data):
        if data.strip() and not any(tag in ("script", "style", "title") for tag, _ in self.stack):
            lang = next((lang for _tag, lang in reversed(self.stack) if lang), None)
            self.texts.append((data, lang))


def langs_of(html: str, text: str) -> list[str | None]:
    """The lang of every text node of *html* containing *text* (also when the text spans several nodes)."""
    parser = LangOfText()
    parser.feed(html)
    found = [lang for data, lang in parser.texts if text in data]
    assert found, f"{text!r} is not on the page"
    return found


@pytest.fixture
def swedish_only():
    narpes = Municipality.objects.get(code="545")
    area = narpes.area
    organisation = OrganisationFactory(
        name_fi="", name_sv=SWEDISH["organisation"], slug="solstralen", municipality=narpes, areas=[area]
    )
    place = MeetingPlaceFactory(
        published=True,
        organisation=organisation,
        name_fi="",
        name_sv=SWEDISH["place"],
        slug="solstralen-cafe",
        street_address_fi="",
        street_address_sv=SWEDISH["place_address"],
        directions_sv=SWEDISH["place_directions"],
        accessibility_info_sv=SWEDISH["place_accessibility"],
        municipality=narpes,
    )
    today = timezone.localdate()
    for weekday in range(1, 8):
        MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=weekday, opens=dt.time(8), closes=dt.time(20))
    ActivityFactory(
        meeting_place=place,
        title_fi="",
        title_sv=SWEDISH["activity"],
        weekday=today.isoweekday(),
        start_time=dt.time(10),
        end_time=dt.time(11),
        languages=["sv"],
        cost="fee",
        cost_info_fi="",
        cost_info_sv=SWEDISH["activity_cost"],
        registration_required=True,
        registration_info_fi="",
        registration_info_sv=SWEDISH["registration"],
        valid_from=today - dt.timedelta(days=30),
        valid_to=today + dt.timedelta(days=60),
    )
    service = ServiceFactory(
        published=True,
        organisation=organisation,
        name_fi="",
        name_sv=SWEDISH["service"],
        slug="solstralen-familjeradgivning",
        summary_fi="",
        summary_sv=SWEDISH["summary"],
        municipalities=[narpes],
        languages=["sv"],
    )
    LocationFactory(service=service, name_fi="", name_sv=SWEDISH["location"], municipality=narpes)
    return {"area": area, "municipality": narpes, "place": place, "service": service, "organisation": organisation}


def page_texts(data) -> dict[str, tuple[str, list[str]]]:
    """Every public page type: its Finnish path and the Swedish-only texts it shows."""
    municipality, service = data["municipality"].code, data["service"]
    place_texts = ["place", "place_address", "place_directions", "place_accessibility", "organisation"]
    activity_texts = ["activity", "registration", "activity_cost"]
    return {
        "home": (f"/fi/?area={data['area'].code}", ["activity", "place"]),
        "search": (f"/fi/services/?municipality={municipality}", ["service", "summary", "organisation", "location"]),
        "service": (service.get_absolute_url(), ["service", "summary", "organisation", "location"]),
        "compare": (f"/fi/compare/?services={service.pk}", ["service", "organisation", "location"]),
        "organisation": (data["organisation"].get_absolute_url(), ["organisation", "service", "summary", "place"]),
        "area": (data["area"].get_absolute_url(), ["organisation"]),
        "meeting-places": (f"/fi/meeting-places/?municipality={municipality}", ["place", "place_address", "activity"]),
        "meeting-place": (data["place"].get_absolute_url(), place_texts + activity_texts),
        "activities": (f"/fi/activities/?municipality={municipality}", ["place", *activity_texts]),
    }


def test_fallback_texts__are_marked_swedish_on_every_finnish_page_type(client, swedish_only):
    unmarked = []
    for name, (path, keys) in page_texts(swedish_only).items():
        assert path.startswith("/fi/"), path
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<html lang="fi"' in html
        for key in keys:
            langs = langs_of(html, SWEDISH[key])
            unmarked += [f"{name}: {SWEDISH[key]!r} in lang={lang}" for lang in langs if lang != "sv"]
    assert unmarked == []


def test_fallback_texts__finnish_text_on_a_finnish_page_has_no_lang_of_its_own(client, swedish_only):
    place = swedish_only["place"]
    place.name_fi = "Perhekahvila Auringonsäde"
    place.save()

    html = client.get(f"/fi/meeting-places/{place.slug}/").content.decode()

    assert set(langs_of(html, "Perhekahvila Auringonsäde")) == {"fi"}
    assert set(langs_of(html, SWEDISH["registration"])) == {"sv"}
