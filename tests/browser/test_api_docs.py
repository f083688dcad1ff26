"""/api/docs/ in a real browser: Swagger UI renders every operation from our own files, under the site's CSP.

Any request to another origin fails the test, and so does a Content-Security-Policy violation (the autouse watch).
"""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import watch_csp


@pytest.fixture
def docs_page(browser, site):
    context = watch_csp(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    yield page, requests
    context.close()


def test_api_docs__render_every_operation_with_no_outside_request(docs_page, site, demo):
    page, requests = docs_page

    response = page.goto(f"{site}/api/docs/")
    page.locator(".opblock-summary-path").first.wait_for(timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()

    assert response.status == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert len(paths) == 16
    assert "/api/v1/services/" in [path.replace("\u200b", "") for path in paths]
    assert page.locator(".info .title").inner_text().startswith("Perhekeskus API")
    own = urlsplit(site).netloc
    outside = [url for url in requests if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own]
    assert not outside, outside
    assert any(url.endswith("/api/schema/?format=json") for url in requests)


def test_api_docs__try_it_out_calls_the_api(docs_page, site, demo):
    page, _requests = docs_page
    page.goto(f"{site}/api/docs/#/areas/areas_list")
    operation = page.locator("#operations-areas-areas_list")
    operation.wait_for(timeout=15_000)
    if not operation.locator(".execute").count():
        operation.locator(".opblock-summary").click()

    operation.locator(".execute").click()
    body = operation.locator(".live-responses-table .response-col_description pre").first
    body.wait_for(timeout=15_000)

    assert '"code": "01"' in body.inner_text()
