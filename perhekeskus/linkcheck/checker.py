"""Fetch many addresses politely: HEAD first, GET when HEAD fails, redirects followed by hand with a cap.

Bounded at both ends: at most ``concurrency`` requests at once and ``per_host`` per host (many services link to
pages of the same wellbeing area's site), a connect/read timeout on each request and a deadline on each address (a
server that trickles bytes never hits the read timeout). Bodies are never read: the status line is the answer.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from .guard import GuardedTransport, NotFound, Refused, Resolver, resolve

# Enough for http → https → www → language path; past that staff should link to the final address.
MAX_REDIRECTS = 3
REDIRECT_STATUSES = {301, 302, 303, 307, 308}

OK, BROKEN, UNREACHABLE, REFUSED = "ok", "broken", "unreachable", "refused"


class Reason:
    """Why an address failed, as a code the admin translates; ``Result.error`` keeps the technical detail."""

    STATUS = "status"  # an error status (4xx, 5xx)
    REDIRECTS = "redirects"  # more than MAX_REDIRECTS
    INVALID = "invalid"  # not a valid address, or a redirect to one
    TIMEOUT = "timeout"
    NO_NAME = "no_name"  # the host name does not resolve
    CONNECT = "connect"  # refused connection, TLS failure, dropped connection
    NOT_ALLOWED = "not_allowed"  # the guard refused it


@dataclass(frozen=True)
class Result:
    url: str
    outcome: str
    status: int | None = None
    reason: str = ""
    error: str = ""
    final_url: str = ""


@dataclass(frozen=True)
class Options:
    user_agent: str
    timeout: float = 10.0
    concurrency: int = 10
    per_host: int = 2
    allow_loopback: bool = False

    @property
    def deadline(self) -> float:
        """Time allowed for one address, both methods and every redirect included."""
        return self.timeout * 3


async def _follow(client: httpx.AsyncClient, method: str, url: str) -> Result:
    """Request *url* with *method*, following up to MAX_REDIRECTS redirects; the body is never downloaded."""
    current = httpx.URL(url)
    for _hop in range(MAX_REDIRECTS + 1):
        async with client.stream(method, current) as response:
            location = response.headers.get("location")
            if response.status_code in REDIRECT_STATUSES and location:
                try:
                    current = current.join(location)
                except httpx.InvalidURL:
                    return Result(
                        url, BROKEN, response.status_code, Reason.INVALID, "the redirect points to an invalid address"
                    )
                continue
            if response.status_code < 400:
                return Result(url, OK, response.status_code, final_url=str(current))
            error = f"the page answers {response.status_code} {response.reason_phrase}".strip()
            return Result(url, BROKEN, response.status_code, Reason.STATUS, error, str(current))
    return Result(url, BROKEN, None, Reason.REDIRECTS, f"more than {MAX_REDIRECTS} redirects", str(current))


async def _check(client: httpx.AsyncClient, url: str) -> Result:
    try:
        result = await _follow(client, "HEAD", url)
        # Many servers answer HEAD with 403, 404, 405 or 500 while GET works, so an error page is confirmed by GET.
        if result.outcome == BROKEN and result.status is not None:
            result = await _follow(client, "GET", url)
        return result
    except httpx.RemoteProtocolError:
        # Some servers drop HEAD requests outright.
        try:
            return await _follow(client, "GET", url)
        except (Refused, NotFound, httpx.HTTPError) as error:
            return _failure(url, error)
    except (Refused, NotFound, httpx.HTTPError) as error:
        return _failure(url, error)


def _failure(url: str, error: Exception) -> Result:
    if isinstance(error, Refused):
        return Result(url, REFUSED, reason=Reason.NOT_ALLOWED, error=str(error))
    if isinstance(error, NotFound):
        return Result(url, UNREACHABLE, reason=Reason.NO_NAME, error=str(error))
    if isinstance(error, httpx.TimeoutException):
        return Result(url, UNREACHABLE, reason=Reason.TIMEOUT, error="no answer in time")
    if isinstance(error, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return Result(url, BROKEN, reason=Reason.INVALID, error="the address is not a valid web address")
    text = str(error) or type(error).__name__
    return Result(url, UNREACHABLE, reason=Reason.CONNECT, error=f"could not connect: {text}"[:300])


def make_client(options: Options, *, resolver: Resolver = resolve, transport=None) -> httpx.AsyncClient:
    """An httpx client whose every request passes the guard; *transport* replaces the network (tests)."""
    inner = transport or httpx.AsyncHTTPTransport(
        # No connection reuse: a connection is pinned to one host's checked address and verified for its name.
        limits=httpx.Limits(max_connections=options.concurrency, max_keepalive_connections=0),
        retries=0,
    )
    return httpx.AsyncClient(
        transport=GuardedTransport(inner, resolver=resolver, allow_loopback=options.allow_loopback),
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=False,
        # Proxies from the environment would send the requests past the guard.
        trust_env=False,
        headers={"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )


async def check_all(urls: Iterable[str], options: Options, *, resolver: Resolver = resolve, transport=None):
    """Check every address in *urls*; the results in the same order."""
    urls = list(urls)
    limit = asyncio.Semaphore(options.concurrency)
    hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(options.per_host))

    async def one(client, url):
        try:
            host = httpx.URL(url).host
        except httpx.InvalidURL as error:
            return _failure(url, error)
        async with hosts[host], limit:
            try:
                async with asyncio.timeout(options.deadline):
                    return await _check(client, url)
            except TimeoutError:
                return Result(url, UNREACHABLE, reason=Reason.TIMEOUT, error=f"no answer in {options.deadline:g} s")

    async with make_client(options, resolver=resolver, transport=transport) as client:
        return await asyncio.gather(*(one(client, url) for url in urls))


def check_urls(urls: Iterable[str], options: Options, *, resolver: Resolver = resolve, transport=None) -> list[Result]:
    """Synchronous entry point (Celery tasks, management commands): run ``check_all`` in its own event loop.

    In a thread of its own when this thread already runs a loop (``asyncio.run`` refuses to nest).
    """
    work = check_all(urls, options, resolver=resolver, transport=transport)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()
