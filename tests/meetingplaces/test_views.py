import datetime as dt
import re
from html import escape as html_escape

import pytest
import time_machine

from tests.factories import (
    ActivityDateFactory,
    ActivityFactory,
    MeetingPlaceExceptionFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
    MunicipalityFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

HELSINKI = dt.timezone(dt.timedelta(hours=2))
# Wednesday 25 November 2026 at noon in Helsinki, ISO week 48 (Monday 23.11. – Sunday 29.11.).
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=HELSINKI)
MONDAY = dt.date(2026, 11, 23)


def h1s(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)


def open_place(**kwargs):
    place = MeetingPlaceFactory(published=True, **kwargs)
    for weekday in range(1, 6):
        MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=weekday, opens=dt.time(9), closes=dt.time(15))
    return place


# --- List ---


@time_machine.travel(NOON, tick=False)
def test_list__shows_published_places_with_address_open_now_and_next_activities(client):
    place = open_place(name_fi="Perhekahvila Onni", street_address_fi="Kauppakatu 3")
    ActivityFactory(meeting_place=place, title_fi="Vauvakerho", weekday=4, start_time=dt.time(10))
    MeetingPlaceFactory(name_fi="Luonnos", state="draft")
    MeetingPlaceFactory(name_fi="Arkistoitu", archived=True)

    html = client.get("/en/meeting-places/").content.decode()

    assert "Perhekahvila Onni" in html
    assert "Kauppakatu 3" in html
    assert "Open now" in html
    assert "Vauvakerho" in html
    assert "26.11." in html  # the Thursday of this week
    assert "Luonnos" not in html
    assert "Arkistoitu" not in html
    assert len(h1s(html)) == 1


@time_machine.travel(NOON, tick=False)
def test_list__filters_by_municipality_and_area(client):
    helsinki, espoo = MunicipalityFactory(code="091"), MunicipalityFactory(code="049")
    MeetingPlaceFactory(published=True, name_fi="Helsingin paikka", municipality=helsinki)
    MeetingPlaceFactory(published=True, name_fi="Espoon paikka", municipality=espoo)

    by_municipality = client.get("/en/meeting-places/?municipality=049").content.decode()
    by_area = client.get(f"/en/meeting-places/?area={helsinki.area.code}").content.decode()

    assert "Espoon paikka" in by_municipality and "Helsingin paikka" not in by_municipality
    assert "Helsingin paikka" in by_area and "Espoon paikka" not in by_area


@pytest.mark.parametrize(
    "query",
    [
        "municipality=999",
        "area=xx",
        "municipality=%27%3B+DROP+TABLE+x%3B--",
        "page=99999",
        "page=-1",
        "page=abc",
        "area=" + "9" * 10_000,
        "municipality=%ff%fe",
        "municipality=%00&area=%00&page=%00",
    ],
)
def test_list__bad_input_gives_a_page_not_an_error(client, query):
    MeetingPlaceFactory(published=True, name_fi="Perhekahvila Onni")

    response = client.get(f"/en/meeting-places/?{query}")

    assert response.status_code == 200
    assert "Perhekahvila Onni" in response.content.decode()


def test_list__unknown_municipality_is_explained_next_to_the_field(client):
    html = client.get("/en/meeting-places/?municipality=999").content.decode()

    assert "Unknown municipality, showing all municipalities." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_municipality_error"' in html
    assert 'id="id_municipality_error"' in html


@time_machine.travel(NOON, tick=False)
def test_list__query_count_does_not_grow_with_places(client, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            place = open_place()
            MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 11, 27))
            activity = ActivityFactory(meeting_place=place, organiser=OrganisationFactory())
            ActivityDateFactory(activity=activity, date=dt.date(2026, 11, 24), cancelled=True)

    make(1)
    client.get("/en/meeting-places/")  # fills the per-process caches (choices), which earlier tests may have filled
    with django_assert_num_queries(7) as one:
        client.get("/en/meeting-places/")
    make(14)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get("/en/meeting-places/").content.decode()
    assert html.count('class="card"') == 15


# --- Detail ---


@time_machine.travel(NOON, tick=False)
def test_detail__shows_address_accessibility_hours_and_activities(client):
    place = open_place(
        name_fi="Perhekahvila Onni",
        street_address_fi="Kauppakatu 3",
        directions_fi="Sisäänkäynti pihan puolelta",
        latitude=60.451234,
        longitude=22.266789,
        step_free_access=True,
        lift=False,
    )
    MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 11, 27), closed=True, reason_fi="Koulutus")
    MeetingPlaceExceptionFactory(
        meeting_place=place, date=dt.date(2026, 12, 6), closed=True, reason_fi="Itsenäisyyspäivä"
    )
    ActivityFactory(meeting_place=place, title_fi="Vauvakerho", weekday=4)
    ActivityFactory(meeting_place=place, title_fi="Joulujuhla", on_dates=True).dates.create(date=dt.date(2026, 12, 10))

    response = client.get(f"/en/meeting-places/{place.slug}/")
    html = response.content.decode()

    assert h1s(html) == ["Perhekahvila Onni"]
    assert "Kauppakatu 3" in html
    assert "Sisäänkäynti pihan puolelta" in html
    # A route in the family's own map app, to the place's coordinates.
    route = re.search(r'<a class="reach__directions" href="([^"]+)">Route on the map', html)[1]
    assert route == html_escape(place.directions_url)
    assert "destination=60.451234%2C22.266789" in route
    assert "Step-free access, also with a pram: yes" in html
    assert "Lift: no" in html
    today_row = re.search(r'<tr class="is-today">(.*?)</tr>', html, re.S)[1]
    assert "25.11." in today_row and '<span class="time-range">9:00–15:00</span>' in today_row
    assert "Koulutus" in html  # this week's closure, with its reason
    assert "Itsenäisyyspäivä" in html  # a coming exception
    assert "Vauvakerho" in html
    assert "Joulujuhla" in html  # upcoming, after this week
    assert "Open now" in html


@pytest.mark.parametrize("state", ["draft", "archived"])
def test_detail__unpublished_places_are_not_found(client, state):
    place = MeetingPlaceFactory(state=state)

    assert client.get(f"/en/meeting-places/{place.slug}/").status_code == 404


def test_detail__unknown_slug_is_not_found(client):
    assert client.get("/en/meeting-places/ei-ole/").status_code == 404


@time_machine.travel(NOON, tick=False)
def test_detail__shows_finnish_fallback_marked_on_swedish_page(client):
    place = open_place(name_fi="Perhekahvila Onni", name_sv="")

    html = client.get(f"/sv/meeting-places/{place.slug}/").content.decode()

    assert '<h1 lang="fi">Perhekahvila Onni</h1>' in html


@time_machine.travel(NOON, tick=False)
def test_detail__query_count_does_not_grow_with_activities(client, django_assert_num_queries):
    place = open_place()

    def make(n):
        for _ in range(n):
            activity = ActivityFactory(meeting_place=place, organiser=OrganisationFactory())
            ActivityDateFactory(activity=activity, date=dt.date(2026, 12, 1), cancelled=True)
            MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 12, 1) + dt.timedelta(days=n + _))

    make(1)
    with django_assert_num_queries(5) as one:
        client.get(f"/en/meeting-places/{place.slug}/")
    make(20)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(f"/en/meeting-places/{place.slug}/")


# --- Activities calendar ---


def calendar(client, query="", language="en"):
    return client.get(f"/{language}/activities/?{query}").content.decode()


def day_section(html: str, day: str) -> str:
    """The HTML of one day's heading and list on the calendar (``day`` as 2026-11-26)."""
    return html.split(f'id="day-{day}"', 1)[1].split('id="day-', 1)[0]


@time_machine.travel(NOON, tick=False)
def test_calendar__without_a_place_asks_for_one_and_shows_only_a_sample(client):
    for hour in range(8, 14):  # six activities a day in one municipality
        ActivityFactory(
            meeting_place=MeetingPlaceFactory(published=True),
            title_fi=f"Kerho klo {hour}",
            weekday=4,
            start_time=dt.time(hour),
            end_time=dt.time(hour, 45),
        )

    html = calendar(client)

    assert "Where do you live?" in html
    assert 'name="postcode"' in html and 'name="municipality"' in html
    assert "Coming up around Finland" in html
    # Today (Wednesday) has nothing; Thursday shows three of its six, the week's other days are not listed.
    thursday = day_section(html, "2026-11-26")
    assert [hour for hour in range(8, 14) if f"Kerho klo {hour}<" in thursday] == [8, 9, 10]
    assert html.count('class="event"') == 3
    assert "Show 3 more" not in html  # the sample links to no day: the family chooses a place first
    next_week = calendar(client, "start=2026-12-03")  # a day asked for: the sample starts there
    assert "Week 49" in next_week and re.findall(r'<h3 id="day-([\d-]+)"', next_week) == ["2026-12-03"]


@time_machine.travel(NOON, tick=False)
def test_calendar__shows_a_places_occurrences_with_what_a_family_needs(client):
    place = MeetingPlaceFactory(published=True, name_fi="Perhekahvila Onni")
    ActivityFactory(
        meeting_place=place,
        title_fi="Vauvakerho",
        weekday=4,
        start_time=dt.time(10),
        end_time=dt.time(11, 30),
        age_min=0,
        age_max=1,
        languages=["fi"],
        registration_required=True,
    )

    html = calendar(client, f"municipality={place.municipality.code}")

    assert "Week 48" in html
    assert 'id="day-2026-11-26"' in html
    assert "10:00–11:30" in html
    assert "Vauvakerho" in html
    assert "Perhekahvila Onni" in html
    assert "Registration needed" in html
    assert "Finnish" in html
    assert h1s(html) == [f"Activities for families: {place.municipality.name}"]
    assert "Where do you live?" not in html  # the chooser is one "Change place" link away
    assert re.search(r'<a href="\?choose=1">Change place</a>', html)


@time_machine.travel(NOON, tick=False)
def test_calendar__groups_by_day_with_a_heading_each_and_a_per_day_limit(client, monkeypatch):
    monkeypatch.setattr("meetingplaces.views.CALENDAR_PER_DAY", 3)
    place = MeetingPlaceFactory(published=True)
    for hour in (9, 10, 11, 12, 13):
        ActivityFactory(
            meeting_place=place,
            title_fi=f"Torstai {hour}",
            weekday=4,
            start_time=dt.time(hour),
            end_time=dt.time(hour, 45),
        )
    ActivityFactory(meeting_place=place, title_fi="Perjantai", weekday=5)
    query = f"municipality={place.municipality.code}&age=2"

    html = calendar(client, query)

    headings = re.findall(r'<h3 id="day-([\d-]+)"', html)
    assert headings == ["2026-11-26", "2026-11-27"]  # a heading per day with activities, from today on
    thursday = day_section(html, "2026-11-26")
    assert [h for h in (9, 10, 11, 12, 13) if f"Torstai {h}<" in thursday] == [9, 10, 11]
    more = re.search(r'<a href="([^"]+)">Show 2 more activities on Thursday 26.11.</a>', thursday)
    assert more, thursday
    assert "Perjantai" in day_section(html, "2026-11-27")
    assert "Show" not in day_section(html, "2026-11-27")

    # The link works without JavaScript: the whole day, keeping the place and the other filters.
    link = more[1].replace("&amp;", "&")
    assert "day=2026-11-26" in link and f"municipality={place.municipality.code}" in link and "age=2" in link
    whole_day = client.get("/en/activities/" + link).content.decode()
    assert "Thursday 26.11.: 5 activities" in whole_day
    assert [h for h in (9, 10, 11, 12, 13) if f"Torstai {h}<" in whole_day] == [9, 10, 11, 12, 13]
    assert "Perjantai" not in whole_day
    back = re.search(r'<a href="([^"]+)#week-results">Back to the whole week</a>', whole_day)[1]
    assert "start=2026-11-26" in back and "age=2" in back


@time_machine.travel(NOON, tick=False)
def test_calendar__a_crowded_day_is_paged(client, monkeypatch):
    monkeypatch.setattr("meetingplaces.views.DAY_PAGE_SIZE", 2)
    place = MeetingPlaceFactory(published=True)
    for hour in (9, 10, 11):
        ActivityFactory(
            meeting_place=place,
            title_fi=f"Kerho {hour}",
            weekday=5,
            start_time=dt.time(hour),
            end_time=dt.time(hour, 45),
        )
    query = f"municipality={place.municipality.code}&day=2026-11-27"

    first = calendar(client, query)
    following = re.search(r'<a href="([^"]+)" rel="next">Next page', first)[1].replace("&amp;", "&")
    second = client.get("/en/activities/" + following).content.decode()

    assert "Kerho 9<" in first and "Kerho 10<" in first and "Kerho 11<" not in first
    assert "Kerho 11<" in second and "Kerho 9<" not in second
    assert "day=2026-11-27" in following and "page=2" in following


@time_machine.travel(NOON, tick=False)
def test_calendar__a_postcode_lists_its_municipality(client):
    from organisations.models import PostalCode

    turku, espoo = MunicipalityFactory(code="853", name_fi="Turku"), MunicipalityFactory(code="049")
    PostalCode.objects.update_or_create(code="20100", defaults={"post_office": "TURKU", "municipality": turku})
    ActivityFactory(
        meeting_place=MeetingPlaceFactory(published=True, municipality=turku), title_fi="Turun kerho", weekday=4
    )
    ActivityFactory(
        meeting_place=MeetingPlaceFactory(published=True, municipality=espoo), title_fi="Espoon kerho", weekday=4
    )

    html = calendar(client, "postcode=20100")

    assert "Turun kerho" in html and "Espoon kerho" not in html
    assert h1s(html) == ["Activities for families: Turku"]


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("postcode", ["00001", "abc", "2010", "1" * 300, "%00"])
def test_calendar__an_unknown_postcode_is_explained_and_the_chooser_shown(client, postcode):
    response = client.get(f"/en/activities/?postcode={postcode}")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Unknown postal code: type the five digits (e.g. 20100) or choose a municipality." in html
    assert "Where do you live?" in html


def test_calendar_place__reads_the_place_from_the_url(rf):
    from meetingplaces.views import calendar_place

    assert calendar_place(rf.get("/fi/activities/")) == {}
    assert calendar_place(rf.get("/fi/activities/?municipality=853&age=3&postcode=")) == {"municipality": "853"}
    assert calendar_place(rf.get("/fi/activities/?postcode=20100&area=02")) == {"postcode": "20100", "area": "02"}


@time_machine.travel(NOON, tick=False)
def test_calendar__a_closed_day_cancels_and_a_day_without_hours_says_the_place_opens(client):
    place = open_place()  # Monday to Friday 9–15
    ActivityFactory(
        meeting_place=place, title_fi="Torstaikerho", weekday=4, start_time=dt.time(10), end_time=dt.time(11)
    )
    MeetingPlaceExceptionFactory(meeting_place=place, date=dt.date(2026, 11, 26), closed=True, reason_fi="Koulutus")
    ActivityFactory(
        meeting_place=place, title_fi="Lauantaikerho", weekday=6, start_time=dt.time(10), end_time=dt.time(12)
    )
    ActivityFactory(meeting_place=place, title_fi="Iltakerho", weekday=5, start_time=dt.time(17), end_time=dt.time(18))
    ActivityFactory(
        meeting_place=place, title_fi="Perjantaikerho", weekday=5, start_time=dt.time(10), end_time=dt.time(11)
    )
    pages = {
        "calendar": calendar(client, f"municipality={place.municipality.code}"),
        "place": client.get(f"/en/meeting-places/{place.slug}/").content.decode(),
    }

    for name, html in pages.items():
        thursday = html.split("Thursday 26.11.")[-1].split("Friday 27.11.")[0]
        assert "Torstaikerho" in thursday, name
        assert '<li class="event event--cancelled">' in thursday, name
        assert "Cancelled: the meeting place is closed on this day." in thursday and "Koulutus" in thursday, name
        saturday = html.split("Saturday 28.11.")[-1]
        assert "Lauantaikerho" in saturday and "The meeting place opens for this activity." in saturday, name
        friday = html.split("Friday 27.11.")[-1].split("Saturday 28.11.")[0]
        evening = friday.split("Iltakerho")[1].split("</li>")[0]
        assert "The meeting place opens for this activity." in evening, name
        morning = friday.split("Perjantaikerho")[1].split("</li>")[0]
        assert "opens for this activity" not in morning and "Cancelled" not in morning, name
    listing = client.get("/en/meeting-places/").content.decode()  # a place's next three activities
    assert re.search(r">Torstaikerho</span> \(cancelled\)</li>", listing)
    assert re.search(r">Perjantaikerho</span></li>", listing)
    saturday_row = re.search(r"Saturday 28.11.</th>\s*<td>(.*?)</td>", pages["place"], re.S)[1]
    assert "Closed" not in saturday_row and "Opens for its activities: 10:00–12:00" in saturday_row


@time_machine.travel(NOON, tick=False)
def test_calendar__a_place_without_any_hours_is_open_for_its_activities_without_a_note(client):
    place = MeetingPlaceFactory(published=True)
    ActivityFactory(meeting_place=place, title_fi="Kerho", weekday=4)

    html = calendar(client, f"municipality={place.municipality.code}")

    assert "Kerho" in html and "opens for this activity" not in html and "Cancelled" not in html


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("language", "expected", "wrong"),
    [("fi", "9.30–11.30", "09:30"), ("sv", "9.30–11.30", "09:30"), ("en", "9:30–11:30", "09:30")],
)
def test_calendar__times_follow_the_languages_time_format_as_services_do(client, language, expected, wrong):
    place = open_place()
    ActivityFactory(
        meeting_place=place, title_fi="Kerho", weekday=4, start_time=dt.time(9, 30), end_time=dt.time(11, 30)
    )

    pages = [
        calendar(client, f"municipality={place.municipality.code}", language=language),
        client.get(f"/{language}/meeting-places/{place.slug}/").content.decode(),
        client.get(f"/{language}/meeting-places/").content.decode(),
    ]

    for html in pages:
        visible = re.sub(r'datetime="[^"]*"', "", html)
        assert expected.split("–")[0] in visible and wrong not in visible
    assert expected in pages[0] and expected in pages[1]
    assert ("9.00–15.00" if language != "en" else "9:00–15:00") in pages[1]  # the opening hours alike


@time_machine.travel(NOON, tick=False)
def test_calendar__activity_lines_name_the_town_once_and_without_stray_spaces(client):
    aura = MunicipalityFactory(code="019", name_fi="Aura", name_sv="Aura")
    named = MeetingPlaceFactory(published=True, municipality=aura, name_fi="MLL:n perhekahvila, Aura", name_sv="")
    other = MeetingPlaceFactory(published=True, municipality=aura, name_fi="Seurakuntatalo", name_sv="")
    ActivityFactory(meeting_place=named, title_fi="Perhekahvila", weekday=4)
    ActivityFactory(meeting_place=other, title_fi="Vauvaryhmä", weekday=4)

    for language in ("fi", "sv", "en"):
        html = calendar(client, "municipality=019", language=language)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
        assert "Aura, Aura" not in text and "Aura , Aura" not in text
        assert not re.search(r"\w ,", text)
        assert "MLL:n perhekahvila, Aura ·" in text
        assert "Seurakuntatalo, Aura ·" in text


@time_machine.travel(NOON, tick=False)
def test_calendar__hides_cancelled_and_unpublished(client):
    place = MeetingPlaceFactory(published=True)
    cancelled = ActivityFactory(meeting_place=place, title_fi="Peruttu kerho", weekday=4)
    ActivityDateFactory(activity=cancelled, date=dt.date(2026, 11, 26), cancelled=True)
    ActivityFactory(
        meeting_place=MeetingPlaceFactory(state="draft", municipality=place.municipality),
        title_fi="Luonnospaikan kerho",
    )
    ActivityFactory(meeting_place=place, title_fi="Luonnoskerho", state="draft")
    ActivityFactory(meeting_place=place, title_fi="Näkyvä kerho", weekday=4)

    html = calendar(client, f"municipality={place.municipality.code}")

    assert "Näkyvä kerho" in html
    assert "Peruttu kerho" not in html
    assert "Luonnospaikan kerho" not in html
    assert "Luonnoskerho" not in html


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("query", "monday"),
    [
        ("week=2026-W49", "30.11."),
        ("week=2026w49", "30.11."),
        ("start=2026-12-02", "30.11."),
        ("start=2027-01-01", "28.12."),
        ("day=2026-12-02", "30.11."),
    ],
)
def test_calendar__chooses_the_week_from_the_url(client, query, monday):
    html = calendar(client, f"municipality=091&{query}")

    assert f"Monday {monday}" in html
    assert "not understood" not in html


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    "query",
    [
        "week=2026-W54",
        "week=2026-W00",
        "week=9999-W01",
        "week=next",
        "week=" + "1" * 10_000,
        "start=2026-02-30",
        "start=0001-01-01",
        "start=tomorrow",
        "day=tomorrow",
        "week=%ff%fe",
        "week=%00&municipality=%00&age=%00&language=%00&free=%00",
    ],
)
def test_calendar__bad_week_gives_a_message_and_the_current_week(client, query):
    MunicipalityFactory(code="091")
    response = client.get(f"/en/activities/?municipality=091&{query}")
    html = response.content.decode()

    assert response.status_code == 200
    assert "not understood" in html
    assert "Week 48" in html


@time_machine.travel(NOON, tick=False)
def test_calendar__filters_by_municipality_area_age_language_and_cost(client):
    helsinki, espoo = MunicipalityFactory(code="091"), MunicipalityFactory(code="049")
    in_helsinki = MeetingPlaceFactory(published=True, municipality=helsinki)
    in_espoo = MeetingPlaceFactory(published=True, municipality=espoo)
    ActivityFactory(meeting_place=in_helsinki, title_fi="Helsingin vauvat", age_min=0, age_max=1, languages=["fi"])
    ActivityFactory(meeting_place=in_espoo, title_fi="Espoon koululaiset", age_min=7, age_max=12, languages=["sv"])
    ActivityFactory(meeting_place=in_espoo, title_fi="Kaikille avoin", cost="fee")

    def titles(query):
        html = calendar(client, f"start=2026-11-23&{query}")
        return {t for t in ("Helsingin vauvat", "Espoon koululaiset", "Kaikille avoin") if t in html}

    assert titles("municipality=049") == {"Espoon koululaiset", "Kaikille avoin"}
    assert titles(f"area={helsinki.area.code}") == {"Helsingin vauvat"}
    assert titles("municipality=049&age=0") == {"Kaikille avoin"}
    assert titles("municipality=049&age=8") == {"Espoon koululaiset", "Kaikille avoin"}
    assert titles("municipality=049&language=sv") == {"Espoon koululaiset"}
    assert titles("municipality=049&free=on") == {"Espoon koululaiset"}


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("query", ["age=-3", "age=abc", "age=300", "age=" + "9" * 5000, "language=xx"])
def test_calendar__bad_filters_are_explained_and_ignored(client, query):
    place = MeetingPlaceFactory(published=True)
    ActivityFactory(meeting_place=place, title_fi="Vauvakerho", weekday=5)

    response = client.get(f"/en/activities/?municipality={place.municipality.code}&{query}")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Vauvakerho" in html
    assert 'aria-invalid="true"' in html


@time_machine.travel(NOON, tick=False)
def test_calendar__week_links_keep_the_filters(client):
    MunicipalityFactory(code="049")
    html = calendar(client, "municipality=049&age=3&free=on")

    previous = re.search(r'href="([^"]+)" rel="prev"', html)[1].replace("&amp;", "&")
    following = re.search(r'href="([^"]+)" rel="next"', html)[1].replace("&amp;", "&")
    assert "week=2026-W47" in previous and "week=2026-W49" in following
    for link in (previous, following):
        assert "municipality=049" in link and "age=3" in link and "free=1" in link
    change = re.search(r'<a href="([^"]+)">Change place</a>', html)[1].replace("&amp;", "&")
    assert "municipality" not in change and "age=3" in change


@time_machine.travel(NOON, tick=False)
def test_calendar__query_count_does_not_grow_with_activities(client, django_assert_num_queries):
    municipality = MunicipalityFactory(code="091")

    def make(n, weekday):
        for _ in range(n):
            activity = ActivityFactory(
                meeting_place=MeetingPlaceFactory(published=True, municipality=municipality),
                organiser=OrganisationFactory(),
                weekday=weekday,
            )
            ActivityDateFactory(activity=activity, date=dt.date(2026, 12, 1), cancelled=True)

    make(1, 4)
    # The day counts and each day's first rows are one query (calendar.day_counts_and_firsts).
    with django_assert_num_queries(6) as one:
        client.get("/en/activities/?municipality=091")
    make(30, 4)
    make(30, 5)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get("/en/activities/?municipality=091").content.decode()
    assert "61 activities this week" in html
    assert html.count('class="event"') == 16  # eight a day


@time_machine.travel(NOON, tick=False)
def test_calendar__lists_dated_and_every_other_week_activities_on_the_right_days(client):
    place = MeetingPlaceFactory(published=True)
    ActivityFactory(meeting_place=place, title_fi="Joulumyyjäiset", on_dates=True).dates.create(
        date=dt.date(2026, 11, 28)
    )
    ActivityFactory(meeting_place=place, title_fi="Joka toinen viikko", weekday=5, every_nth_week=2, valid_from=MONDAY)
    where = f"municipality={place.municipality.code}"

    this_week = calendar(client, where)
    next_week = calendar(client, f"{where}&week=2026-W49")
    week_after = calendar(client, f"{where}&week=2026-W50")

    assert "Joulumyyjäiset" in day_section(this_week, "2026-11-28")
    assert "Joka toinen viikko" in day_section(this_week, "2026-11-27")
    assert "Joka toinen viikko" not in next_week
    assert "Joulumyyjäiset" not in next_week
    assert "Joka toinen viikko" in week_after


@time_machine.travel(NOON, tick=False)
def test_calendar__starts_today_and_links_every_day_of_the_week_with_its_count(client):
    place = MeetingPlaceFactory(published=True)
    ActivityFactory(meeting_place=place, title_fi="Maanantain kerho", weekday=1)
    ActivityFactory(meeting_place=place, title_fi="Torstain kerho", weekday=4)

    html = calendar(client, "municipality=" + place.municipality.code)

    assert "2 activities this week" in html
    assert "Torstain kerho" in html and "Maanantain kerho" not in html  # Monday is past on Wednesday
    monday = re.search(r'<a href="([^"]+)#week-results">Mon 23.11. <span class="badge">1 activity</span>', html)
    assert re.search(r'aria-current="true">Wed 25.11. \(today\) <span class="badge">0 activities</span>', html)

    html = client.get("/en/activities/" + monday[1].replace("&amp;", "&")).content.decode()

    assert "start=2026-11-23" in monday[1] and f"municipality={place.municipality.code}" in monday[1]
    assert "Maanantain kerho" in html and "Torstain kerho" in html
    assert 'id="day-2026-11-23"' in html


@time_machine.travel(NOON, tick=False)
def test_calendar__a_day_after_the_last_activity_says_so(client):
    place = MeetingPlaceFactory(published=True)
    ActivityFactory(meeting_place=place, title_fi="Tiistain kerho", weekday=2)

    html = calendar(client, f"municipality={place.municipality.code}")

    assert "1 activity this week" in html
    assert "No more activities from this day to the end of the week." in html
    assert "Tiistain kerho" not in html


@time_machine.travel(NOON, tick=False)
def test_calendar__cached_place_lists_keep_each_choice_and_bad_input_out_of_the_cache(client):
    from meetingplaces.forms import ActivityFilterForm

    MunicipalityFactory(code="049", name_fi="Espoo")

    def chosen(query):
        html = calendar(client, query)
        return re.findall(r'<option value="(\w+)" selected', html)

    assert chosen("") == []
    assert chosen("postcode=00001") == []  # a rejected postcode: the chooser again, nothing chosen
    assert chosen("") == []
    assert ActivityFilterForm({"municipality": "049"}).place_fields_key.endswith(":049")
    assert ActivityFilterForm({"municipality": "x" * 500}).place_fields_key is None
    assert ActivityFilterForm({"municipality": "049", "area": "01"}).place_fields_key is None


@time_machine.travel(NOON, tick=False)
def test_calendar__starts_from_the_place_remembered_for_the_visit_and_can_change_it(client):
    from django.http import HttpResponse

    from services.search.visit import PLACE_COOKIE, VisitPlace, remember_place

    place = MeetingPlaceFactory(published=True, name_fi="Perhekahvila Onni")
    ActivityFactory(meeting_place=place, title_fi="Vauvakerho", weekday=4, start_time=dt.time(10))
    response = HttpResponse()
    remember_place(response, VisitPlace.municipality(place.municipality.code))
    client.cookies[PLACE_COOKIE] = response.cookies[PLACE_COOKIE].value

    remembered = client.get("/en/activities/")
    html = remembered.content.decode()
    assert h1s(html) == [f"Activities for families: {place.municipality.name}"]
    assert "Vauvakerho" in html and "Where do you live?" not in html
    assert "Cookie" in remembered["Vary"]
    chooser = calendar(client, "choose=1")
    assert "Where do you live?" in chooser and "Coming up around Finland" in chooser
    other = MeetingPlaceFactory(published=True)
    assert h1s(calendar(client, f"municipality={other.municipality.code}")) == [
        f"Activities for families: {other.municipality.name}"
    ]
