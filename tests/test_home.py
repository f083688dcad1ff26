import re

import pytest
from django.utils import timezone

from organisations.models import WellbeingArea
from perhekeskus.views import HOME_ACTIVITIES_SHOWN
from services.models import LifeSituation
from tests.factories import ActivityFactory, MeetingPlaceFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def weekly_activity(municipality, **kwargs):
    place = MeetingPlaceFactory(published=True, municipality=municipality)
    return ActivityFactory(meeting_place=place, weekday=timezone.localdate().isoweekday(), **kwargs)


def test_home__links_every_life_situation_and_age_group_to_search(client):
    html = client.get("/fi/").content.decode()
    for situation in LifeSituation.objects.all():
        assert f"/fi/services/?life_situation={situation.code}" in html
    for code in ("expecting", "0-1", "1-6", "7-12", "13-17", "parents"):
        assert f"/fi/services/?age_group={code}" in html


def test_home__lists_every_wellbeing_area(client):
    html = client.get("/sv/").content.decode()
    for area in WellbeingArea.objects.all():
        assert area.name_sv in html


def test_home__chosen_area_shows_this_weeks_activities_and_is_remembered(client):
    helsinki = MunicipalityFactory(code="091")
    weekly_activity(helsinki, title_fi="Vauvakerho Kallio")
    elsewhere = MunicipalityFactory(code="837")
    weekly_activity(elsewhere, title_fi="Tampereen perhekahvila")

    response = client.get(f"/fi/?area={helsinki.area.code}")

    html = response.content.decode()
    assert "Vauvakerho Kallio" in html
    assert "Tampereen perhekahvila" not in html
    assert response.cookies["area"].value == helsinki.area.code
    # The cookie alone brings the same area back.
    assert "Vauvakerho Kallio" in client.get("/fi/").content.decode()


def test_home__hides_drafts_and_cancelled_dates(client):
    helsinki = MunicipalityFactory(code="091")
    activity = weekly_activity(helsinki, title_fi="Peruttu kerho")
    activity.dates.create(date=timezone.localdate(), cancelled=True)
    draft_place = MeetingPlaceFactory(municipality=helsinki)  # draft by default
    weekday = timezone.localdate().isoweekday()
    ActivityFactory(meeting_place=draft_place, title_fi="Luonnoskerho", weekday=weekday)

    html = client.get(f"/fi/?area={helsinki.area.code}").content.decode()

    assert "Luonnoskerho" not in html
    # Weekly on today's weekday, today cancelled: the next occurrence is a week away, outside this week.
    assert "Peruttu kerho" not in html


def test_home__unknown_area_gives_a_message_not_an_error(client):
    response = client.get("/fi/?area=%27;DROP%20TABLE")
    assert response.status_code == 200
    assert "Tuntematon hyvinvointialue" in response.content.decode()
    assert "area" not in response.cookies


def test_home__swedish_page_marks_finnish_fallback_titles(client):
    helsinki = MunicipalityFactory(code="091")
    weekly_activity(helsinki, title_fi="Vauvakerho", title_sv="")
    html = client.get(f"/sv/?area={helsinki.area.code}").content.decode()
    assert '<h4 class="event__title" lang="fi">Vauvakerho</h4>' in html


def test_home__query_count_does_not_grow_with_activities(client, django_assert_max_num_queries):
    helsinki = MunicipalityFactory(code="091")
    weekly_activity(helsinki)
    client.cookies["area"] = helsinki.area.code
    with django_assert_max_num_queries(8) as few:
        client.get("/fi/")
    for _ in range(15):
        weekly_activity(helsinki)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/fi/").content.decode()
    assert html.count('class="event-list"') >= 1


def test_home__a_large_area_shows_the_next_few_and_links_the_whole_week(client):
    helsinki = MunicipalityFactory(code="091")
    for number in range(HOME_ACTIVITIES_SHOWN + 5):
        weekly_activity(helsinki, title_fi=f"Perhekahvila {number:02}")
    html = client.get(f"/fi/?area={helsinki.area.code}").content.decode()
    shown = re.findall(r'class="event__title"[^>]*>Perhekahvila (\d+)<', html)
    assert len(shown) == HOME_ACTIVITIES_SHOWN  # not the whole week of a large area
    total = HOME_ACTIVITIES_SHOWN + 5
    assert f'/fi/activities/?area={helsinki.area.code}"' in html
    assert f"Katso kaikki tämän viikon {total} tapahtumaa kalenterista" in html


@pytest.mark.django_db(transaction=True)
def test_home__with_an_area_is_kept_for_the_day_and_follows_an_edit_at_once(client, django_assert_num_queries):
    helsinki = MunicipalityFactory(code="091")
    activity = weekly_activity(helsinki, title_fi="Vauvakerho Kallio")
    address = f"/fi/?area={helsinki.area.code}"
    first = client.get(address)
    assert "Vauvakerho Kallio" in first.content.decode()
    with django_assert_num_queries(2):  # the data version, and the area code checked before it is remembered
        again = client.get(address)
    assert again.content == first.content and again.cookies["area"].value == helsinki.area.code
    type(activity).objects.filter(pk=activity.pk).update(title_fi="Vauvakerho Kalliossa")
    assert "Vauvakerho Kalliossa" in client.get(address).content.decode()
