"""Journey 4 at 375 px in Finnish and Swedish: a municipality's activity calendar a parent can scan, and an area page
whose long provider lists fold.

The module adds a crowded week (eight activities a weekday at the demo meeting place, in Helsinki) and sixty NGOs
working in the demo area to the demo dataset, and removes them afterwards.
"""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import STRUCTURE_RULES, format_violations, run_axe, screenshot
from tests.browser.test_page_types import ALL_IMPACTS

pytestmark = pytest.mark.django_db

PHONE = {"width": 375, "height": 800}
# The calendar of one municipality, whatever its week holds, in bytes of HTML.
CALENDAR_MAX_BYTES = 40_000
# The area page with ~60 NGOs at 375 px measures about 2 900 px folded. Measured on the seeded demo
# (`seed_demo`, Pohjois-Pohjanmaa, ~100 providers): 10 400 px before the lists folded, 4 500 px after.
AREA_MAX_HEIGHT = 4_500
EXTRA_NGOS = 60
ACTIVITIES_A_DAY = 8


@pytest.fixture(scope="module")
def crowded(demo, django_db_blocker):
    from organisations.models import Organisation
    from tests.factories import ActivityFactory, OrganisationFactory

    with django_db_blocker.unblock():
        for weekday in range(1, 8):
            for hour in range(ACTIVITIES_A_DAY + 2):
                ActivityFactory(
                    meeting_place=demo.meeting_place,
                    title_fi=f"Leikkiryhmä {weekday}-{hour}",
                    title_sv=f"Lekgrupp {weekday}-{hour}",
                    weekday=weekday,
                    start_time=dt.time(8 + hour),
                    end_time=dt.time(8 + hour, 45),
                    cost_info_fi="Kahvi 1 €",
                    registration_required=hour % 2 == 0,
                    registration_info_fi="Ilmoittaudu ohjaajalle",
                )
        ngos = [
            OrganisationFactory(kind="ngo", name_fi=f"Perheyhdistys {n}", name_sv=f"Familjeförening {n}")
            for n in range(EXTRA_NGOS)
        ]
        for ngo in ngos:
            ngo.areas.add(demo.area)
    yield demo
    with django_db_blocker.unblock():
        Organisation.objects.filter(pk__in=[ngo.pk for ngo in ngos]).delete()


def calendar_url(site, demo, language):
    return f"{site}/{language}/activities/?municipality={demo.meeting_place.municipality.code}"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_calendar__a_municipalitys_week_is_small_grouped_by_day_and_axe_clean(
    shared_page, site, crowded, axe_source, language
):
    page = shared_page
    page.set_viewport_size(PHONE)
    today = timezone.localdate()

    response = page.goto(calendar_url(site, crowded, language))

    body = response.body()
    assert response.status == 200
    print(f"calendar {language}: {len(body)} bytes of HTML")
    assert len(body) < CALENDAR_MAX_BYTES, f"{len(body)} bytes of HTML"
    days = page.locator(".day-list > li")
    headings = page.locator(".day-list > li > h3").all_inner_texts()
    remaining_days = 7 - today.weekday()
    assert len(headings) == remaining_days
    assert f" {today.day}.{today.month}." in headings[0]
    for index in range(remaining_days):
        day = days.nth(index)
        assert day.locator(".event").count() == ACTIVITIES_A_DAY
        assert day.locator(".day-more a").count() == 1
    # Times in the language's format (8.00–8.45), never 08:00.
    first_time = page.locator(".event__when time").first.inner_text()
    assert first_time == "8.00–8.45"

    violations = run_axe(page, axe_source, impacts=ALL_IMPACTS)
    violations += run_axe(page, axe_source, impacts=ALL_IMPACTS, rules=STRUCTURE_RULES)
    screenshot(page, f"journey-calendar-{language}")
    assert not violations, format_violations(page.url, violations)

    # "Show more" of the first day, without JavaScript's help: a plain link to the whole day.
    page.set_viewport_size(PHONE)
    page.locator(".day-more a").first.click()
    page.wait_for_load_state()
    assert "day=" in page.url
    assert page.locator(".event").count() >= ACTIVITIES_A_DAY + 2  # the crowded ten, and the demo's own
    assert page.locator(".day-list > li > h3").count() == 1


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_calendar__without_a_place_asks_for_one_and_stays_small(shared_page, site, crowded, axe_source, language):
    page = shared_page
    page.set_viewport_size(PHONE)

    response = page.goto(f"{site}/{language}/activities/")

    assert len(response.body()) < CALENDAR_MAX_BYTES
    assert page.locator("form.place-chooser select[name=municipality]").is_visible()
    assert page.locator(".event").count() <= 9  # a sample: three days, three each
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4_000, height
    violations = run_axe(page, axe_source, impacts=ALL_IMPACTS)
    screenshot(page, f"journey-calendar-choose-{language}")
    assert not violations, format_violations(page.url, violations)

    page.set_viewport_size(PHONE)
    page.locator("form.place-chooser input[name=postcode]").fill("00100")  # Helsinki
    page.locator("form.place-chooser button[type=submit]").click()
    page.wait_for_load_state()
    assert "postcode=00100" in page.url
    assert page.locator(".day-list > li > h3").count() >= 1
    assert "Helsin" in page.locator("h1").inner_text()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_area__provider_lists_fold_and_the_page_is_short_on_a_phone(shared_page, site, crowded, axe_source, language):
    page = shared_page
    page.set_viewport_size(PHONE)

    page.goto(f"{site}/{language}/areas/{crowded.area.code}/")

    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"area {language}: {height} px at 375 px")
    assert height < AREA_MAX_HEIGHT, f"{height} px at 375 px"
    ngo_group = page.locator("#providers ~ details.fold").first
    assert ngo_group.get_attribute("open") is None
    summary = ngo_group.locator("summary").inner_text()
    assert str(EXTRA_NGOS + 1 - 6) in summary  # the demo NGO and sixty more, six of them shown
    violations = run_axe(page, axe_source, impacts=ALL_IMPACTS)
    violations += run_axe(page, axe_source, impacts=ALL_IMPACTS, rules=STRUCTURE_RULES)
    screenshot(page, f"journey-area-{language}")
    assert not violations, format_violations(page.url, violations)

    page.set_viewport_size(PHONE)
    ngo_group.locator("summary").click()
    assert ngo_group.locator("a").count() == EXTRA_NGOS + 1 - 6
    assert ngo_group.locator("a").first.is_visible()
