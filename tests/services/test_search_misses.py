"""Searches that found nothing: counted anonymously per day, language, words and area, never failing the search."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

import services.search as search_core
from organisations.models import WellbeingArea
from services.models import SearchMiss
from services.search import misses
from services.search.misses import count_search_miss, delete_old_search_misses, normalise_words
from services.tasks import delete_old_search_misses_task
from tests.factories.organisations import OrganisationFactory
from tests.factories.services import ServiceFactory

MORNING = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _no_earlier_counts(db):
    """Pages served to the browser tests commit their own counts into the same database; start from none (rolled
    back with the test, so theirs are back afterwards)."""
    SearchMiss.objects.all().delete()


def counters():
    return sorted(
        (m.day.isoformat(), m.language, m.words, m.area.code if m.area else "", m.count)
        for m in SearchMiss.objects.select_related("area")
    )


def search(client, lang="fi", **params):
    with time_machine.travel(MORNING, tick=False):
        response = client.get(f"/{lang}/services/", params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("  Vauva   UINTI ", "vauva uinti"),
        ("neuvola 040 1234567", "neuvola"),
        ("neuvola +358-40-123 4567", "neuvola"),
        ("matti.meikalainen@example.fi perheneuvola", "perheneuvola"),
        ("apua matti(at)example.fi", "apua"),
        ("hetu 010190-123A lastensuojelu", "hetu lastensuojelu"),
        ("00530 neuvola 2026", "neuvola"),
        ("“ero,” tukea!", "ero tukea"),
        ("3v kerho", "3v kerho"),
        ("12345 040", ""),
    ],
)
def test_normalise_words__keeps_no_digits_emails_or_phone_numbers(q, expected):
    assert normalise_words(q) == expected


def test_normalise_words__at_most_100_characters_cut_between_words():
    words = normalise_words("perhe " * 40)
    assert words == " ".join(["perhe"] * 16)  # 95 characters: a 17th word would not fit whole


@pytest.mark.django_db
def test_count__once_per_search_one_row_per_day_language_and_area():
    with time_machine.travel(MORNING, tick=False):
        count_search_miss(q="Vauvauinti", language="fi")
        count_search_miss(q="vauvauinti ", language="fi")
        count_search_miss(q="vauvauinti", language="sv")
        count_search_miss(q="vauvauinti", language="fi", area="05")
        count_search_miss(q="vauvauinti", language="fi", municipality="853")  # Turku is in area 05
    with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
        count_search_miss(q="vauvauinti", language="fi")
    assert counters() == [
        ("2026-03-04", "fi", "vauvauinti", "", 2),
        ("2026-03-04", "fi", "vauvauinti", "05", 2),
        ("2026-03-04", "sv", "vauvauinti", "", 1),
        ("2026-03-05", "fi", "vauvauinti", "", 1),
    ]


@pytest.mark.django_db
def test_count__nothing_personal_is_stored():
    assert count_search_miss(q="0401234567 matti@example.fi", language="fi") is False
    assert count_search_miss(q="neuvola 0401234567 matti@example.fi", language="fi") is True
    assert list(SearchMiss.objects.values_list("words", flat=True)) == ["neuvola"]


@pytest.mark.django_db
def test_search_page__counts_words_that_found_nothing_not_those_that_found(client):
    ServiceFactory(organisation=OrganisationFactory(), name_fi="Lastenneuvola", published=True)
    search(client, q="lastenneuvola")
    search(client, q="Xyzzyplugh 040 1234567", area="05")
    search(client, lang="sv", q="xyzzyplugh")
    search(client)  # no words: nothing to count
    assert counters() == [
        ("2026-03-04", "fi", "xyzzyplugh", "05", 1),
        ("2026-03-04", "sv", "xyzzyplugh", "", 1),
    ]


@pytest.mark.django_db
def test_api__counts_words_that_found_nothing(client):
    with time_machine.travel(MORNING, tick=False):
        response = client.get("/api/v1/services/", {"q": "xyzzyplugh", "lang": "sv"})
    assert response.status_code == 200 and response.json()["count"] == 0
    assert counters() == [("2026-03-04", "sv", "xyzzyplugh", "", 1)]


@pytest.mark.django_db
def test_search_page__works_when_the_count_fails(client, monkeypatch, caplog):
    ServiceFactory(organisation=OrganisationFactory(), name_fi="Lastenneuvola", published=True)
    monkeypatch.setattr(misses, "_UPSERT_SQL", "INSERT INTO no_such_table VALUES (%s, %s, %s, %s, %s)")
    response = search(client, q="xyzzyplugh")
    assert "xyzzyplugh" in response.content.decode()
    assert "Could not count a search that found nothing" in caplog.text
    # The failed insert was rolled back to its savepoint: the connection still works.
    assert search(client, q="lastenneuvola").context["result_count"] == 1
    assert SearchMiss.objects.count() == 0


@pytest.mark.django_db
def test_search_page__a_cached_empty_page_still_counts(client, monkeypatch):
    # A fixed data version: the site caches only outside transactions, and a write elsewhere would move the version.
    monkeypatch.setattr(search_core, "data_version", lambda: 1)
    cache.clear()
    try:
        search(client, q="xyzzyplugh")

        def not_again(*args, **kwargs):
            raise AssertionError("the result page should come from the cache")

        monkeypatch.setattr(search_core, "_ranked_page", not_again)
        monkeypatch.setattr(search_core, "_name_page", not_again)
        search(client, q="xyzzyplugh")
    finally:
        cache.clear()
    assert counters() == [("2026-03-04", "fi", "xyzzyplugh", "", 2)]


@pytest.mark.django_db
def test_delete_old__keeps_90_days():
    area = WellbeingArea.objects.get(code="05")
    today = dt.date(2026, 6, 1)
    for days in (0, 90, 91, 200):
        SearchMiss.objects.create(day=today - dt.timedelta(days=days), language="fi", words=f"w{days}", area=area)
    assert delete_old_search_misses(today=today) == 2
    assert sorted(SearchMiss.objects.values_list("words", flat=True)) == ["w0", "w90"]
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC), tick=False):
        assert delete_old_search_misses_task() == 1
