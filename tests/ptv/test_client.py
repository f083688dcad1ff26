"""The PTV HTTP client against a fake transport (never the network): key header, retries, paging, a whole fetch."""

import json
import threading
from urllib.parse import parse_qs

import httpx
import pytest
import time_machine

from organisations.models import TaskRun
from services.models import Service
from services.ptv.actions import import_ptv_area, import_ptv_scope
from services.ptv.client import PTVClient, PTVError, fetch
from services.ptv.importer import Scope

from .helpers import IMPORT_DAY, SRV_CLINIC, V12, load

BASE = "https://ptv.test/api"


def client_for(handler, **kwargs) -> tuple[PTVClient, list[float]]:
    sleeps: list[float] = []
    client = PTVClient(
        base_url=BASE,
        api_key="secret-key",
        transport=httpx.MockTransport(handler),
        sleep=sleeps.append,
        retries=kwargs.pop("retries", 4),
        concurrency=kwargs.pop("concurrency", 3),
        **kwargs,
    )
    return client, sleeps


def test_get__sends_the_key_and_retries_504_with_growing_backoff():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) <= 2:
            return httpx.Response(504, text="Gateway Timeout")
        return httpx.Response(200, json={"ok": True})

    client, sleeps = client_for(handler)

    assert client.get("service/x") == {"ok": True}
    assert len(calls) == 3
    assert all(c.headers["x-api-key"] == "secret-key" for c in calls)
    assert str(calls[0].url) == f"{BASE}/v12/service/x"
    assert len(sleeps) == 2 and 0.5 <= sleeps[0] < sleeps[1] <= 1.25


def test_get__retries_timeouts_and_gives_up_with_an_error():
    attempts = []

    def handler(request):
        attempts.append(1)
        raise httpx.ReadTimeout("timed out", request=request)

    client, sleeps = client_for(handler, retries=2)

    with pytest.raises(PTVError, match="after 3 attempts"):
        client.get("service/search")
    assert len(attempts) == 3 and len(sleeps) == 2


def test_get__does_not_retry_a_client_error_and_reads_a_bom():
    calls = []

    def handler(request):
        calls.append(request)
        if request.url.path.endswith("bad"):
            return httpx.Response(400, json={"title": "Bad Request"})
        return httpx.Response(200, content=b"\xef\xbb\xbf" + json.dumps({"pageCount": 1}).encode())

    client, _sleeps = client_for(handler, version=11)

    with pytest.raises(PTVError, match="400"):
        client.get("bad")
    assert client.get("good") == {"pageCount": 1}
    assert len(calls) == 2 and str(calls[1].url) == f"{BASE}/v11/good"


def test_pages__reads_every_page_with_bounded_concurrency():
    running, peak, lock = [0], [0], threading.Lock()

    def handler(request):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            page = int(request.url.params["page"])
            threading.Event().wait(0.02)
            return httpx.Response(200, json={"page": page, "totalPages": 7, "items": [{"n": page}]})
        finally:
            with lock:
                running[0] -= 1

    client, _sleeps = client_for(handler, concurrency=3)

    pages = client.pages("service/search", {"areaType": "LimitedArea"})

    assert [p["page"] for p in pages] == [1, 2, 3, 4, 5, 6, 7]
    assert peak[0] <= 3


class FakePTV:
    """Answers v12 search, connection and archived calls from the fixture files, recording the queries."""

    def __init__(self):
        self.pages = {
            name: load(V12 / f"{name}.json")["items"]
            for name in ("organizations", "services", "service-channels", "connections")
        }
        self.queries: list[tuple[str, dict]] = []

    def page(self, items):
        return httpx.Response(
            200, json={"page": 1, "pageSize": 100, "totalItems": len(items), "totalPages": 1, "items": items}
        )

    def __call__(self, request):
        path = request.url.path.removeprefix("/api/v12/")
        query = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
        self.queries.append((path, query))
        if path == "organization/search":
            return self.page(self.pages["organizations"])
        if path == "service/search":
            return self.page(self.pages["services"])
        if path == "service-channel/search":
            return self.page(self.pages["service-channels"])
        if path == "connection/search":
            services = set(query.get("serviceContentIds", "").split(","))
            channels = set(query.get("channelContentIds", "").split(","))
            return self.page(
                [
                    c
                    for c in self.pages["connections"]
                    if c["serviceContentId"] in services or c["channelContentId"] in channels
                ]
            )
        if path.endswith("/archived"):
            return self.page([])
        return httpx.Response(404, json={"reason": "Unknown"})


@pytest.mark.django_db
def test_fetch_and_import__an_area_from_the_api_matches_the_file_import():
    fake = FakePTV()
    client, _sleeps = client_for(fake)

    with time_machine.travel(IMPORT_DAY, tick=False):
        summary = import_ptv_scope(scope=Scope("area", "05"), client=client)

    assert summary.created["services"] == 3 and summary.created["locations"] == 4 and summary.ok
    assert (
        "service/search",
        {"areaType": "LimitedArea", "wellbeingServicesCounties": "05", "page": "1", "pageSize": "100"},
    ) in fake.queries
    clinic = Service.objects.get(external_id=SRV_CLINIC)
    assert clinic.locations.count() == 1 and clinic.phones.count() == 2


def test_fetch__incremental_asks_for_changes_and_removals_since():
    fake = FakePTV()
    client, _sleeps = client_for(fake)

    bundle = fetch(client, kind="municipality", code="853", since="2026-11-29T00:00:00+02:00")

    searched = [q for path, q in fake.queries if path == "service/search"]
    assert searched[0]["publishedAtOrAfter"] == "2026-11-29T00:00:00+02:00" and searched[0]["municipalities"] == "853"
    assert {path for path, _q in fake.queries if path.endswith("archived")} == {
        "service/archived",
        "service-channel/archived",
    }
    assert len(bundle.services) == 3 and bundle.channels_of(SRV_CLINIC)


@pytest.mark.django_db
def test_area_task__runs_once_per_key_and_asks_later_runs_only_for_changes():
    fake = FakePTV()
    client, _sleeps = client_for(fake)

    with time_machine.travel(IMPORT_DAY, tick=False):
        first = import_ptv_area(area="05", full=False, run_key="2026-11-30", client=client)
        repeat = import_ptv_area(area="05", full=False, run_key="2026-11-30", client=client)
    fake.queries.clear()
    with time_machine.travel(IMPORT_DAY.replace(day=1, month=12), tick=False):
        next_night = import_ptv_area(area="05", full=False, run_key="2026-12-01", client=client)

    assert first.created["services"] == 3 and repeat is None
    assert next_night.unchanged["services"] == 3 and not next_night.changed_anything
    searched = [q for path, q in fake.queries if path == "service/search"]
    assert searched[0]["publishedAtOrAfter"].startswith("2026-11-30T07:00:00")  # last good run minus 3 h
    assert sorted(TaskRun.objects.filter(task="import_ptv_area").values_list("key", flat=True)) == [
        "05:incremental:2026-11-30",
        "05:incremental:2026-12-01",
    ]
