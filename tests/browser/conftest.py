"""Browser tests: Playwright driving Debian's Chromium against a live server on the worker's test database.

Chromium comes from apt (`make test` installs it), axe-core from npm (node_modules/, never committed).
Run them alone with `.venv/bin/pytest -n 2 tests/browser`, or skip them with `-m "not browser"`.
Screenshots at 375 and 1280 px land in test-artifacts/screenshots/ (git-ignored).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def site_server(django_db_setup, tmp_path_factory):
    """pytest-django's live server, started once per worker process, serving the worker's test database.

    pytest-django's own ``live_server`` fixture makes every test transactional, and the flush after each test
    would wipe the module's dataset (and the reference data). These tests only read, so the dataset is committed
    once per module (``demo``) and each test runs as an ordinary ``django_db`` test; the server thread has its own
    connection and sees the committed rows.
    """
    from django.conf import settings
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    static_root = tmp_path_factory.mktemp("static")
    # The middleware reads these once, when the server thread builds its handler: plain HTTP, no secure cookies (and
    # so none of the __Host- names, which browsers accept only with Secure). The Content-Security-Policy stays on.
    plain_http = override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        LANGUAGE_COOKIE_SECURE=False,
        SESSION_COOKIE_NAME="sessionid",
        CSRF_COOKIE_NAME="csrftoken",
        STATIC_ROOT=static_root,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    plain_http.enable()
    # Request threads serve keep-alive connections for a while; with persistent database connections one could
    # outlive the server and stop pytest-django from dropping the test database at the end.
    database = connections.settings[DEFAULT_DB_ALIAS]
    conn_max_age, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    server.test_connections = set()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()
    database["CONN_MAX_AGE"] = conn_max_age
    for connection in server.test_connections:
        connection.close()
    plain_http.disable()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The bilingual demo dataset, committed for the module and deleted afterwards.

    pytest tears module fixtures down before a test of another module runs in the same worker, so other tests
    never see these rows.
    """
    from tests.browser.dataset import build_demo, delete_demo

    with django_db_blocker.unblock():
        data = build_demo()
    yield data
    with django_db_blocker.unblock():
        delete_demo(data)


@pytest.fixture(scope="module")
def clinics(django_db_setup, django_db_blocker):
    """Child health clinics in Turku at known points (tests/services/turku_clinics.py), for the journeys by distance."""
    from tests.services.turku_clinics import build_clinics, delete_clinics

    with django_db_blocker.unblock():
        data = build_clinics()
    yield data
    with django_db_blocker.unblock():
        delete_clinics(data)


@pytest.fixture
def site(site_server, db):
    """Base URL of the live site; the test itself holds database access so the server thread may query too."""
    # While Playwright's event loop runs in this thread, Django keeps this thread's connections in context-local
    # storage, apart from the thread-local one pytest-django closes before dropping the test database; close this
    # one at the end of the session so the drop is not refused.
    site_server.test_connections.add(connections[DEFAULT_DB_ALIAS])
    return site_server.url


# Chromium logs every blocked inline script or style, eval or load as a console error; the listener also reports the
# securitypolicyviolation events (e.g. of report-only directives) the same way.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""
CSP_VIOLATIONS = []


def watch_csp(context):
    """Record the Content-Security-Policy violations of every page of *context*; each test fails on any."""
    context.add_init_script(CSP_LISTENER)

    def on_console(message):
        if message.type == "error" and ("Content Security Policy" in message.text or "CSP violation" in message.text):
            CSP_VIOLATIONS.append(f"{message.text} [{message.location.get('url')}]")

    context.on("console", on_console)
    return context


@pytest.fixture(autouse=True)
def _no_csp_violations():
    """Every browser test fails on a CSP violation in any page it loaded (contexts are made with watch_csp)."""
    CSP_VIOLATIONS.clear()
    yield
    violations, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture(scope="module")
def module_context(browser):
    context = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    yield context
    context.close()


@pytest.fixture
def shared_page(module_context):
    """One tab per module, reset for each test (cookies, viewport): cheaper than a new context per test."""
    module_context.clear_cookies()
    page = module_context.pages[0] if module_context.pages else module_context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `npm install` (make test does).")
    return AXE_JS.read_text(encoding="utf-8")


# WCAG 2.2 AA adds target size (2.5.8) to axe's rules (axe-core 4.7 on; its rule is off unless its tag is asked for).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best-practice rules behind the "landmarks, skip link, one h1, headings in order".
STRUCTURE_RULES = [
    "page-has-heading-one",
    "heading-order",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "region",
    "skip-link",
]


def run_axe(page, axe_source, impacts=("serious", "critical"), rules=None):
    """Axe violations of the given impacts on the current page: WCAG 2.0/2.1/2.2 A and AA rules, or the given rules."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern (an
        # injected <script> would be blocked, as it should be).
        page.evaluate(f"() => {{ {axe_source}\n }}")
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    result = page.evaluate(
        "async (runOnly) => await axe.run(document, {runOnly, resultTypes: ['violations']})", run_only
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                {"target": n["target"], "html": n["html"][:200], "summary": n.get("failureSummary", "")}
                for n in v["nodes"][:5]
            ],
            "count": len(v["nodes"]),
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def format_violations(url, violations):
    """The violations as readable text for an assertion message."""
    lines = [f"{len(violations)} serious/critical axe violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['count']} element(s))")
        for node in v["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html']}")
            for summary_line in node["summary"].splitlines():
                lines.append(f"      {summary_line.strip()}")
    return "\n".join(lines)


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
