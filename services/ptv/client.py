"""HTTP access to PTV's read API (v12, or v11 while it lasts) and the fetch of one scope into a bundle.

The API answers 504 at times and documents no rate limit, so every request has a timeout, 5xx answers and
timeouts are retried with exponential backoff (0.5 s, 1 s, 2 s… with jitter), and at most ``PTV_CONCURRENCY``
requests run at once (pages after the first, batches of ids). The key goes in the ``x-api-key`` header.
Tests pass an ``httpx.MockTransport``; nothing here reaches the network in the test suite.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.conf import settings

from .adapters import CHANNEL, CONNECTION, ORGANISATION, SERVICE, Bundle, items_of, load_json

logger = logging.getLogger(__name__)

RETRY_STATUSES = {500, 502, 503, 504}
PAGE_SIZE = 100
ID_BATCH = 20  # v12 array filters take at most 20 values
V11_ID_BATCH = 100  # v11 list?guids= takes at most 100


class PTVError(Exception):
    """PTV could not be read (after the retries)."""


class PTVClient:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        version: int = 12,
        timeout: float | None = None,
        retries: int | None = None,
        concurrency: int | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.version = version
        self.retries = settings.PTV_RETRIES if retries is None else retries
        self.concurrency = max(1, concurrency or settings.PTV_CONCURRENCY)
        self.sleep = sleep
        headers = {"Accept": "application/json"}
        key = settings.PTV_API_KEY if api_key is None else api_key
        if key:
            headers["x-api-key"] = key
        self.http = httpx.Client(
            base_url=f"{(base_url or settings.PTV_API_URL).rstrip('/')}/v{version}/",
            headers=headers,
            timeout=httpx.Timeout(timeout or settings.PTV_TIMEOUT, connect=min(10.0, timeout or settings.PTV_TIMEOUT)),
            transport=transport,
            follow_redirects=False,
        )
        self.requests = 0
        # Bounds the requests in flight however the fetch nests its thread pools.
        self._slots = threading.BoundedSemaphore(self.concurrency)

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get(self, path: str, params: dict | None = None):
        """GET one JSON document, retrying 5xx answers and timeouts with exponential backoff."""
        for attempt in range(self.retries + 1):
            try:
                with self._slots:
                    self.requests += 1
                    response = self.http.get(path, params=params)
            except (httpx.TimeoutException, httpx.TransportError) as error:
                problem = f"{type(error).__name__}: {error}"
            else:
                if response.status_code == 404:
                    return None
                if response.status_code not in RETRY_STATUSES:
                    if response.is_error:
                        raise PTVError(f"GET {path} answered {response.status_code}: {response.text[:200]}")
                    return load_json(response.content)
                problem = f"status {response.status_code}"
            if attempt == self.retries:
                raise PTVError(f"GET {path} failed after {attempt + 1} attempts ({problem})")
            delay = 0.5 * 2**attempt * (1 + random.random() / 4)  # noqa: S311 (jitter, not security)
            logger.warning("PTV: GET %s: %s; retrying in %.1f s", path, problem, delay)
            self.sleep(delay)
        raise AssertionError("unreachable")

    def _parallel(self, calls: Iterable[tuple[str, dict | None]]) -> list:
        calls = list(calls)
        if len(calls) <= 1 or self.concurrency == 1:
            return [self.get(path, params) for path, params in calls]
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            return list(pool.map(lambda call: self.get(*call), calls))

    def pages(self, path: str, params: dict | None = None) -> list:
        """Every page of a list: the first one tells how many there are, the rest are fetched concurrently."""
        params = dict(params or {})
        if self.version == 12:
            first = self.get(path, {**params, "page": 1, "pageSize": PAGE_SIZE}) or {}
            count = int(first.get("totalPages") or 1)
            rest = [(path, {**params, "page": n, "pageSize": PAGE_SIZE}) for n in range(2, count + 1)]
        else:
            first = self.get(path, {**params, "page": 0}) or {}
            count = int(first.get("pageCount") or 1)
            rest = [(path, {**params, "page": n}) for n in range(1, count)]
        return [first, *[page for page in self._parallel(rest) if page]]

    def many_pages(self, calls: list[tuple[str, dict]]) -> list:
        """Every page of several lists (e.g. connections of services 20 ids at a time), the lists concurrently."""
        if len(calls) <= 1:
            return [page for path, params in calls for page in self.pages(path, params)]
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            return [page for pages in pool.map(lambda call: self.pages(*call), calls) for page in pages]


def _batches(ids: list[str], size: int):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _add_pages(bundle: Bundle, pages: list, source: str) -> None:
    for page in pages:
        for kind, item in items_of(page, source=source):
            bundle.add(kind, item)


def _scope_params(kind: str, code: str) -> dict:
    if kind == "area":
        return {"areaType": "LimitedArea", "wellbeingServicesCounties": code}
    if kind == "municipality":
        return {"areaType": "LimitedArea", "municipalities": code}
    if kind == "organisation":
        return {"organizationContentIds": code}
    return {}


def fetch_v12(client: PTVClient, *, kind: str, code: str, since: str | None = None) -> Bundle:
    """A scope's organisations, services, channels and connections (changed since *since*), plus the archived ids."""
    bundle = Bundle(connections_known=True)
    params = _scope_params(kind, code)
    changed = {"publishedAtOrAfter": since} if since else {}
    if kind != "organisation":
        _add_pages(bundle, client.pages("organization/search", {**params, **changed}), "organization/search")
    _add_pages(bundle, client.pages("service/search", {**params, **changed}), "service/search")
    _add_pages(bundle, client.pages("service-channel/search", {**params, **changed}), "service-channel/search")
    # A channel that changed changes its services' contacts: load those services too (by id, whatever their date).
    calls = [
        ("connection/search", {"serviceContentIds": ",".join(ids)})
        for ids in _batches(sorted(bundle.services), ID_BATCH)
    ]
    calls += [
        ("connection/search", {"channelContentIds": ",".join(ids)})
        for ids in _batches(sorted(bundle.channels), ID_BATCH)
    ]
    connections = client.many_pages(calls)
    links = [item for page in connections for _kind, item in items_of(page, source="connection/search")]
    _add_each(bundle, client, "service", {link["serviceContentId"] for link in links} - set(bundle.services), SERVICE)
    for service_id in bundle.services:
        bundle.connections.setdefault(service_id, [])
    for link in links:
        bundle.add(CONNECTION, link)
    # Complete each service's channel list; fetch the organisations services point at but the scope did not list.
    missing_channels = {c for ids in bundle.connections.values() for c in ids} - set(bundle.channels)
    _add_each(bundle, client, "service-channel", missing_channels, CHANNEL)
    missing_orgs = {s.get("organizationContentId") for s in bundle.services.values()} - set(bundle.organisations)
    _add_each(bundle, client, "organization", {o for o in missing_orgs if o}, ORGANISATION)
    if since:
        for path in ("service/archived", "service-channel/archived"):
            _add_pages(bundle, client.pages(path, {"archivedAtOrAfter": since}), path)
    return bundle


def _add_each(bundle: Bundle, client: PTVClient, prefix: str, ids: set[str], kind: str) -> None:
    """Fetch objects one by one (concurrently) and add those of the expected kind; 404s are skipped."""
    for obj in client._parallel((f"{prefix}/{content_id}", None) for content_id in sorted(ids)):
        for found_kind, item in items_of(obj, source=prefix) if obj else ():
            if found_kind == kind:
                bundle.add(kind, item)


def fetch_v11(client: PTVClient, *, kind: str, code: str, since: str | None = None) -> Bundle:
    """The same from v11: id lists by area, then full objects in batches of 100 ids."""
    bundle = Bundle()
    changed = {"date": since} if since else {}
    if kind == "area":
        pages = client.pages(f"Service/list/area/WellbeingServiceCounties/code/{code}", changed)
    elif kind == "municipality":
        pages = client.pages(f"Service/list/area/Municipality/code/{code}", changed)
    elif kind == "organisation":
        pages = client.pages(f"Service/list/organization/{code}", changed)
    else:
        pages = client.pages("Service", changed)
    ids = [item["id"] for page in pages for item in page.get("itemList") or [] if item.get("id")]
    for page in client._parallel(("Service/list", {"guids": ",".join(b)}) for b in _batches(ids, V11_ID_BATCH)):
        _add_pages(bundle, [page if isinstance(page, list) else page or []], "Service/list")
    channel_ids = sorted({c for ids in bundle.connections.values() for c in ids})
    for page in client._parallel(
        ("ServiceChannel/list", {"guids": ",".join(b)}) for b in _batches(channel_ids, V11_ID_BATCH)
    ):
        _add_pages(bundle, [page or []], "ServiceChannel/list")
    org_ids = sorted(
        {s.get("organizationContentId") for s in bundle.services.values() if s.get("organizationContentId")}
    )
    for org in client._parallel((f"Organization/{org_id}", None) for org_id in org_ids):
        if org:
            _add_pages(bundle, [org], "Organization")
    # v11 objects carry their publishing state; Archived/Withdrawn ones arrive as ids in bundle.archived (adapters).
    return bundle


def fetch(client: PTVClient, *, kind: str, code: str = "", since: str | None = None) -> Bundle:
    fetcher = fetch_v12 if client.version == 12 else fetch_v11
    return fetcher(client, kind=kind, code=code, since=since)
