"""Which addresses the link check may fetch: public http(s) addresses on web ports only.

The addresses come from partners and imports, so a link to ``http://169.254.169.254/`` or to a name that resolves
into the server's own network must never make the server send a request there (SSRF). The guard resolves the host
itself, refuses the request if any of its addresses is not public, and then connects to the address it checked, so a
name cannot resolve to a public address for the check and to a private one for the connection (DNS rebinding). It
is a transport, so every request passes it: each redirect hop is a request of its own.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

import httpx

ALLOWED_SCHEMES = {"http", "https"}
# Web pages live on the web ports; anything else (SSH, SMTP, Redis, …) is no page of a family service.
ALLOWED_PORTS = {80, 443, 8080, 8443}

Resolver = Callable[[str, int], Awaitable[list[str]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The address may not be fetched; the message says why (shown to staff in the admin)."""


class NotFound(Exception):
    """The host name does not resolve."""


async def resolve(host: str, port: int) -> list[str]:
    """Every address of *host* (IPv4 and IPv6) as the system resolver gives them."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise NotFound(f"the name {host} was not found") from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_public(address: IPAddress) -> bool:
    """True for a globally routable unicast address; IPv6 forms that embed an IPv4 address are judged by it."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        if address.sixtofour is not None and not is_public(address.sixtofour):
            return False
        if address.teredo is not None:
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def is_loopback(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def check_url(url: httpx.URL) -> int:
    """Refuse a scheme other than http(s) or an address without a host; the port to connect to."""
    if url.scheme not in ALLOWED_SCHEMES:
        raise Refused(f"only http and https addresses are checked, not {url.scheme or 'this'}")
    if not url.host:
        raise Refused("the address has no host")
    return url.port or (443 if url.scheme == "https" else 80)


def check_port(port: int, address: str | None = None, *, allow_loopback: bool = False) -> None:
    """Refuse a port outside the web ports, except on a loopback *address* when loopback is allowed (tests)."""
    if port in ALLOWED_PORTS:
        return
    if allow_loopback and address is not None and is_loopback(ipaddress.ip_address(address.split("%", 1)[0])):
        return
    raise Refused(f"port {port} is not a web port")


def check_addresses(host: str, addresses: list[str], *, allow_loopback: bool = False) -> str:
    """The address to connect to, once every one of *addresses* is allowed; else Refused naming the bad one."""
    if not addresses:
        raise NotFound(f"the name {host} has no address")
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if is_public(address) or (allow_loopback and is_loopback(address)):
            continue
        raise Refused(f"{host} points to {address}, which is not a public internet address")
    return addresses[0]


class GuardedTransport(httpx.AsyncBaseTransport):
    """Checks each request's address before *inner* sends it, and pins the connection to the checked address.

    With *allow_loopback* (tests only, setting ``LINK_CHECK_ALLOW_PRIVATE``) loopback addresses pass too, on any port,
    so tests can check pages of their own local server; private networks, link-local and the rest stay refused.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, *, resolver: Resolver = resolve, allow_loopback: bool = False):
        self.inner = inner
        self.resolver = resolver
        self.allow_loopback = allow_loopback

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        port = check_url(url)
        if not self.allow_loopback:
            check_port(port)  # before any lookup
        host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS knows it
        address = check_addresses(host, await self.resolver(host, port), allow_loopback=self.allow_loopback)
        check_port(port, address, allow_loopback=self.allow_loopback)
        # Connect to the checked address; the Host header (set when the request was built) and, for https, the name
        # sent and verified in TLS stay the host's name.
        request.url = url.copy_with(host=address)
        if url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
