"""What families type, on the demo data a fresh clone shows: the issue's acceptance queries, through the search page."""

import io

import pytest
from django.core.management import call_command

from services.models import Service

pytestmark = pytest.mark.django_db

# Varsinais-Suomi (Turku/Åbo) and Pirkanmaa, two municipalities each; fixed date so opening hours do not matter.
SEED = {"areas": "05,08", "municipalities_per_area": 2, "today": "2025-03-10"}

# (page language, what the family types, a predicate one of the first five results must satisfy)
CASES = [
    ("fi", "neuvolassa", lambda s: "neuvola" in s.name_fi.lower()),
    ("fi", "puheterapeutille", lambda s: "terapia" in s.name_fi.lower()),
    ("fi", "elatussopimus", lambda s: "perheoikeudelliset" in s.name_fi),
    ("fi", "masennus nuori", lambda s: "mielenterveyspalvelut" in s.name_fi),
    ("fi", "lastenneuvola turku", lambda s: in_turku(s) and "lastenneuvola" in s.name_fi),
    ("fi", "turun lastenneuvola", lambda s: in_turku(s) and "lastenneuvola" in s.name_fi),
    ("fi", "lastenneuvola turussa", lambda s: in_turku(s) and "lastenneuvola" in s.name_fi),
    ("fi", "lastenneuvola 20100", lambda s: in_turku(s) and "lastenneuvola" in s.name_fi),
    ("fi", "avioero", lambda s: "perheoikeudelliset" in s.name_fi),
    ("fi", "lastenneuvla", lambda s: "lastenneuvola" in s.name_fi.lower()),
    ("sv", "skyddshemmet", lambda s: "skyddshem" in s.name_sv.lower()),
    ("sv", "barnrådgivningen i Åbo", lambda s: in_turku(s) and s.name_sv.startswith("Barnrådgivningen")),
    ("sv", "skilsmässa", lambda s: "Familjerättsliga" in s.name_sv),
]


def in_turku(service) -> bool:
    return service.municipalities.filter(code="853").exists()


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO(), **SEED)


def top_five(client, language, words):
    response = client.get(f"/{language}/services/", {"q": words})
    assert response.status_code == 200
    return [card.service for card in response.context["results"]][:5]


def test_demo_data__what_families_type_finds_the_right_services_in_the_top_five(client, demo, subtests):
    assert Service.objects.filter(name_fi__endswith="lastenneuvola", municipalities__code="853").count() >= 3
    for language, words, wanted in CASES:
        with subtests.test(words=words):
            found = top_five(client, language, words)
            shown = [getattr(s, f"name_{language}") or s.name_fi for s in found]
            assert any(wanted(s) for s in found), f"{words!r} → {shown}"


def test_demo_data__neuvola_shows_clinics_before_the_chat_services(client, demo):
    found = top_five(client, "fi", "neuvola")
    assert found and all("chat" not in s.name_fi.lower() for s in found), [s.name_fi for s in found]
