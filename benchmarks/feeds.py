"""Time the calendar feeds on the demo data: one meeting place, a municipality, an area, the whole country.

    export DEBUG=1 ALLOWED_HOSTS=localhost DATABASE_URL=postgres://postgres@127.0.0.1:5432/perhekeskus_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py shell < benchmarks/feeds.py

Each feed is fetched six times through Django's test client; the first fetch is a warm-up and is not counted.
"""

import statistics
import time

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetingplaces import feeds
from meetingplaces.models import Activity, MeetingPlace

RUNS = 6

activities, places = Activity.objects.published().count(), MeetingPlace.objects.published().count()
print(f"{activities} published activities at {places} places")
place = MeetingPlace.objects.published().annotate(n=Count("activities")).order_by("-n", "pk").first()
client = Client(HTTP_HOST="localhost")
cases = [
    (f"one meeting place ({place.n} activities)", f"/fi/meeting-places/{place.slug}/calendar.ics"),
    ("municipality: Helsinki", "/fi/activities/feed.ics?municipality=091"),
    ("area: Pirkanmaa", "/fi/activities/feed.ics?area=08"),
    (f"whole country (cut at {feeds.MAX_ACTIVITIES} activities)", "/fi/activities/feed.ics"),
]
print("| feed | events | size | median ms | queries |")
print("|---|---:|---:|---:|---:|")
for label, url in cases:
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
    assert response.status_code == 200, (url, response.status_code)
    body = response.content
    print(
        f"| {label} | {body.count(b'BEGIN:VEVENT')} | {len(body) // 1024} kB "
        f"| {statistics.median(times[1:]) * 1000:.0f} | {len(queries)} |"
    )
