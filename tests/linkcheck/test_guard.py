"""The SSRF guard: no request ever leaves for a private, loopback, link-local, multicast or reserved address.

Nothing here touches the network: names are resolved by a stub (or by the system resolver for numeric forms and
``localhost``, which never leave the machine), the "network" is an ``httpx.MockTransport`` that records what would
have been sent, and any real socket connection fails the test.
"""

import ipaddress
import socket

import httpx
import pytest

from perhekeskus.linkcheck import checker, guard

PUBLIC = "93.184.216.34"
OPTIONS = checker.Options(user_agent="PerhekeskusLinkCheck/test", timeout=1.0)


@pytest.fixture(autouse=True)
def no_connections(monkeypatch):
    def refuse(self, address):
        raise AssertionError(f"a test of the guard tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def stub_resolver(table):
    seen = []

    async def resolve(host, port):
        seen.append(host)
        if host in table:
            return table[host]
        return await guard.resolve(host, port)  # numeric forms and localhost: answered without DNS

    resolve.seen = seen
    return resolve


class Recorder:
    """The network: records each request and answers from *answers* (path → response), 200 otherwise."""

    def __init__(self, answers=None):
        self.requests = []
        self.answers = answers or {}

    def __call__(self, request):
        self.requests.append(request)
        status, headers = self.answers.get(request.url.path, (200, {}))
        return httpx.Response(status, headers=headers)

    @property
    def transport(self):
        return httpx.MockTransport(self)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.1",
        "172.16.5.4",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "224.0.0.251",
        "240.0.0.1",
        "255.255.255.255",
        "198.18.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::1",
        "2002:a00:1::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not guard.is_public(ipaddress.ip_address(address))
    with pytest.raises(guard.Refused, match="not a public internet address"):
        guard.check_addresses("example.test", [address])


@pytest.mark.parametrize("address", [PUBLIC, "195.148.1.1", "2a00:1450:4010:c0e::63", "::ffff:93.184.216.34"])
def test_public_addresses_pass(address):
    assert guard.is_public(ipaddress.ip_address(address))
    assert guard.check_addresses("example.test", [address]) == address


def test_allowing_loopback_still_refuses_private_networks():
    assert guard.check_addresses("localhost", ["127.0.0.1"], allow_loopback=True) == "127.0.0.1"
    assert guard.check_addresses("localhost", ["::1"], allow_loopback=True) == "::1"
    for address in ["10.0.0.1", "169.254.169.254", "192.168.0.1", "fe80::1"]:
        with pytest.raises(guard.Refused):
            guard.check_addresses("example.test", [address], allow_loopback=True)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://10.1.2.3/admin", "10.1.2.3"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]/", "::1"),
        ("https://[fe80::1]/", "fe80::1"),
        ("http://localhost/", "127.0.0.1"),  # a name resolving to loopback
        ("http://2130706433/", "127.0.0.1"),  # decimal form of 127.0.0.1
        ("http://0x7f.1/", "127.0.0.1"),  # hexadecimal short form
        ("http://017700000001/", "127.0.0.1"),  # octal form
        ("http://intranet.example/", "10.20.30.40"),  # a public-looking name resolving into a private network
        ("http://mixed.example/", "192.168.7.7"),  # one bad address among good ones is enough
        ("http://metadata.example/", "169.254.169.254"),
        ("ftp://example.com/file", "only http and https"),
        ("http://example.com:22/", "port 22"),
        ("https://example.com:6379/", "port 6379"),
    ],
)
def test_refused_addresses_send_nothing(url, reason):
    network = Recorder()
    resolver = stub_resolver(
        {
            "intranet.example": ["10.20.30.40"],
            "mixed.example": [PUBLIC, "192.168.7.7"],
            "metadata.example": ["169.254.169.254"],
            "example.com": [PUBLIC],
        }
    )
    [result] = checker.check_urls([url], OPTIONS, resolver=resolver, transport=network.transport)
    assert result.outcome == checker.REFUSED
    assert reason in result.error
    assert network.requests == []


def test_a_redirect_to_a_private_address_is_not_followed():
    network = Recorder({"/moved": (302, {"Location": "http://169.254.169.254/latest/meta-data/iam"})})
    resolver = stub_resolver({"www.example.fi": [PUBLIC]})
    [result] = checker.check_urls(
        ["https://www.example.fi/moved"], OPTIONS, resolver=resolver, transport=network.transport
    )
    assert result.outcome == checker.REFUSED
    assert "169.254.169.254" in result.error
    # Only the first hop was sent; the metadata address never was.
    assert [(r.method, r.url.host) for r in network.requests] == [("HEAD", PUBLIC)]


def test_a_redirect_to_a_name_resolving_to_loopback_is_not_followed():
    network = Recorder({"/": (301, {"Location": "http://evil.example:80/"})})
    resolver = stub_resolver({"www.example.fi": [PUBLIC], "evil.example": ["127.0.0.1"]})
    [result] = checker.check_urls(["http://www.example.fi/"], OPTIONS, resolver=resolver, transport=network.transport)
    assert result.outcome == checker.REFUSED
    assert resolver.seen == ["www.example.fi", "evil.example"]
    assert len(network.requests) == 1


def test_a_redirect_to_another_scheme_is_not_followed():
    network = Recorder({"/": (302, {"Location": "file:///etc/passwd"})})
    resolver = stub_resolver({"www.example.fi": [PUBLIC]})
    [result] = checker.check_urls(["http://www.example.fi/"], OPTIONS, resolver=resolver, transport=network.transport)
    assert result.outcome == checker.REFUSED
    assert "only http and https" in result.error
    assert len(network.requests) == 1


def test_the_connection_goes_to_the_checked_address_under_the_hosts_name():
    """Pinning: the request is sent to the address that was checked, so a second lookup cannot rebind the name."""
    network = Recorder()
    resolver = stub_resolver({"www.example.fi": [PUBLIC]})
    [result] = checker.check_urls(
        ["https://www.example.fi/palvelut?x=1"], OPTIONS, resolver=resolver, transport=network.transport
    )
    assert result.outcome == checker.OK
    [request] = network.requests
    assert request.url.host == PUBLIC
    assert request.url.path == "/palvelut"
    assert request.headers["Host"] == "www.example.fi"
    assert request.extensions["sni_hostname"] == "www.example.fi"
    assert "PerhekeskusLinkCheck" in request.headers["User-Agent"]
    assert resolver.seen == ["www.example.fi"]


def test_an_unknown_name_is_unreachable_not_refused():
    async def nowhere(host, port):
        raise guard.NotFound(f"the name {host} was not found")

    network = Recorder()
    [result] = checker.check_urls(["https://gone.example/"], OPTIONS, resolver=nowhere, transport=network.transport)
    assert result.outcome == checker.UNREACHABLE
    assert "gone.example" in result.error
    assert network.requests == []


def test_the_client_ignores_proxy_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://10.0.0.1:3128")
    network = Recorder()
    resolver = stub_resolver({"www.example.fi": [PUBLIC]})
    [result] = checker.check_urls(["http://www.example.fi/"], OPTIONS, resolver=resolver, transport=network.transport)
    assert result.outcome == checker.OK
    assert [r.url.host for r in network.requests] == [PUBLIC]


def test_the_check_runs_also_where_an_event_loop_is_already_running():
    """A caller inside a running loop (an async worker, Playwright's sync API in the same test process) still works."""
    import asyncio
    import concurrent.futures

    network = Recorder()
    resolver = stub_resolver({"www.example.fi": [PUBLIC]})

    async def caller():
        return checker.check_urls(["https://www.example.fi/"], OPTIONS, resolver=resolver, transport=network.transport)

    # The caller's loop runs in a thread of its own: this test process may itself be inside one (Playwright).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        [result] = pool.submit(asyncio.run, caller()).result()
    assert result.outcome == checker.OK
    assert len(network.requests) == 1


def test_allowing_loopback_for_tests_opens_no_odd_port_elsewhere():
    network = Recorder()
    resolver = stub_resolver({"www.example.fi": [PUBLIC]})
    options = checker.Options(user_agent="PerhekeskusLinkCheck/test", timeout=1.0, allow_loopback=True)
    [result] = checker.check_urls(
        ["http://www.example.fi:6379/"], options, resolver=resolver, transport=network.transport
    )
    assert result.outcome == checker.REFUSED
    assert result.error == "port 6379 is not a web port"
    assert network.requests == []
