"""Hours conversion, holidays, the Markdown renderer, the tasks and their schedule, the overlap lock."""

import datetime as dt
import threading

import pytest
from celery.schedules import crontab
from django.conf import settings

from perhekeskus.celery import app as celery_app
from services.ptv import hours
from services.ptv.actions import advisory_lock, import_ptv_area, import_ptv_areas
from services.ptv.adapters import adapt
from services.richtext import render_markdown
from services.tasks import import_ptv_area_task, import_ptv_areas_task

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("year", "easter"), [(2024, dt.date(2024, 3, 31)), (2026, dt.date(2026, 4, 5)), (2027, dt.date(2027, 3, 28))]
)
def test_easter__is_computed_for_any_year(year, easter):
    assert hours.easter_sunday(year) == easter
    assert hours.holiday_date("AscensionDay", year) == easter + dt.timedelta(days=39)


def test_holidays__the_movable_finnish_ones():
    assert hours.holiday_date("MidsummerEve", 2027) == dt.date(2027, 6, 25)
    assert hours.holiday_date("MidsummerDay", 2026) == dt.date(2026, 6, 20)
    assert hours.holiday_date("AllSaintsDay", 2027) == dt.date(2027, 11, 6)
    assert set(hours.HOLIDAY_NAMES) == {
        name for name in hours.HOLIDAY_NAMES if hours.holiday_date(name, 2030) is not None
    }
    assert len(hours.HOLIDAY_NAMES) == 18


def test_convert__always_open_selected_years_and_bad_entries_are_counted():
    result = hours.convert(
        {
            "hours": [
                {"type": "ContinuousDateRangeServiceHour", "fromDate": "2027-01-01", "toDate": "2027-01-31"},
                {"type": "WeeklyDateRangeServiceHour", "fromDate": "2027-02-01", "toDate": "2027-01-01"},
                {"type": "ExceptionalDateRangeServiceHour", "fromDate": "2028-01-01", "toDate": "2030-01-01"},
                {"type": "SomethingNew"},
            ],
            "holidayServiceHours": {
                "repetition": {"type": "RepetitionInSelectedYears", "years": [2025, 2027]},
                "holidays": [{"holidayName": "IndependenceDay", "hours": []}, {"holidayName": "Kekri", "hours": []}],
            },
        },
        today=TODAY,
    )

    assert result.rules == [(day, "00:00", "00:00", True, "2027-01-01", "2027-01-31", False) for day in range(1, 8)]
    assert len(result.exceptions) == 366 + 1  # cut at a year, plus Independence Day 2027 only
    assert ("2027-12-06", True, None, None, "Itsenäisyyspäivä", "Självständighetsdagen", "Independence Day") in (
        result.exceptions
    )
    assert result.skipped == {
        "service hours that end before they start": 1,
        "exceptional hours past 366 days (cut)": 1,
        "unknown service hours type SomethingNew": 1,
        "unknown holiday Kekri": 1,
    }


def test_v11_adapter__always_open_and_reservation_hours():
    _kind, channel = adapt(
        {
            "id": "8d4f9d5b-3a6e-4f4b-8d84-5c9d6eafb009",
            "serviceChannelType": "Phone",
            "serviceChannelNames": [{"language": "fi", "value": "Kriisipuhelin", "type": "Name"}],
            "serviceHours": [{"serviceHourType": "DaysOfTheWeek", "validForNow": True, "isAlwaysOpen": True}],
        }
    )

    assert channel["serviceChannelType"] == "TelephoneService"
    assert channel["languageVersions"]["fi"]["name"] == "Kriisipuhelin"
    assert len(hours.convert(channel["serviceHours"], today=TODAY).rules) == 7


def test_markdown__renders_lists_and_bold_and_never_markup_from_the_text():
    html = str(
        render_markdown("Hei **kaikki**\n\n- yksi\n- kaksi\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1))")
    )

    assert html.startswith("<p>Hei <strong>kaikki</strong></p><ul><li>yksi</li><li>kaksi</li></ul>")
    assert "<img" not in html and "&lt;img" in html and "href" not in html
    link = str(render_markdown("[Lue lisää](https://example.org/a?b=1)"))
    assert link == '<p><a href="https://example.org/a?b=1" rel="noopener noreferrer nofollow">Lue lisää</a></p>'


def test_tasks__named_after_their_actions_and_scheduled_nightly_and_weekly():
    assert import_ptv_area_task.name == "import_ptv_area" and import_ptv_area_task.name in celery_app.tasks
    assert import_ptv_areas_task.name == "import_ptv_areas" and import_ptv_areas_task.name in celery_app.tasks
    nightly = settings.CELERY_BEAT_SCHEDULE["import-ptv-incremental"]
    weekly = settings.CELERY_BEAT_SCHEDULE["import-ptv-full"]
    assert (nightly["task"], nightly["kwargs"], nightly["schedule"]) == (
        "import_ptv_areas",
        {"full": False},
        crontab(hour=2, minute=30),
    )
    assert (weekly["kwargs"], weekly["schedule"]) == ({"full": True}, crontab(hour=4, minute=0, day_of_week="sun"))


def test_import_ptv_areas__queues_one_task_per_configured_area(settings, monkeypatch):
    settings.PTV_SYNC_AREAS = ["05", "90"]
    queued = []
    monkeypatch.setattr("perhekeskus.jobs.publish", lambda task, *args: queued.append((task.name, *args)) or True)

    count = import_ptv_areas(full=True, now=dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC))

    assert count == 2
    assert queued == [("import_ptv_area", "05", True, "2026-11-30"), ("import_ptv_area", "90", True, "2026-11-30")]


@pytest.mark.django_db(transaction=True)
def test_area_import__skips_while_another_process_holds_the_area():
    held, release = threading.Event(), threading.Event()

    def other_worker():
        from django.db import connection

        with advisory_lock("import_ptv_area:05") as acquired:
            assert acquired
            held.set()
            release.wait(10)
        connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    held.wait(10)
    try:
        assert import_ptv_area(area="05", full=True, run_key="2026-11-30", client=object()) is None
    finally:
        release.set()
        worker.join()
    with advisory_lock("import_ptv_area:05") as acquired:
        assert acquired
