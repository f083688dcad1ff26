"""Form errors (BATTERY 46): every invalid field says so and points at its error text; the error summary gets focus."""

import pytest

pytestmark = pytest.mark.django_db

# Each invalid field, what aria-describedby points at, and every visible error text that no field points at.
ERRORS_JS = """() => {
    const invalid = [...document.querySelectorAll('[aria-invalid=true]')].map((field) => {
        const ids = (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
        const texts = ids.map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.textContent.trim());
        return {name: field.name, described: texts.filter(Boolean).length > 0, ids};
    });
    const referenced = new Set([...document.querySelectorAll('[aria-describedby]')]
        .flatMap((f) => f.getAttribute('aria-describedby').split(/\\s+/)));
    const orphans = [...document.querySelectorAll('.field__error, .errorlist')]
        .filter((e) => !e.closest('#error-summary') && !referenced.has(e.id))
        .map((e) => e.outerHTML.slice(0, 160));
    return {invalid, orphans};
}"""

FORMS_WITH_ERRORS = {
    # The municipality and the postcode are explained by the "where" field that stands for them.
    "search": ("/services/?q=neuvola&age=abc&postcode=12", {"age", "where"}),
    "search-select": ("/services/?municipality=999", {"where"}),
    "meeting-places": ("/meeting-places/?municipality=999", {"municipality"}),
    "activities": ("/activities/?municipality=091&age=abc", {"age"}),
    "activities-postcode": ("/activities/?postcode=abc", {"postcode"}),
    "help-age": ("/help/place/?life_situation=baby&age=abc", {"age"}),
    "help-place": ("/help/results/?life_situation=baby&age_group=1-6&postcode=12", {"municipality", "postcode"}),
}


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("form", list(FORMS_WITH_ERRORS))
def test_invalid_fields__are_marked_and_described_by_their_error(shared_page, site, demo, form, language):
    path, expected = FORMS_WITH_ERRORS[form]
    shared_page.goto(f"{site}/{language}{path}")

    result = shared_page.evaluate(ERRORS_JS)

    assert {field["name"] for field in result["invalid"]} == expected
    assert [field for field in result["invalid"] if not field["described"]] == []
    assert result["orphans"] == [], "error texts not tied to any field"


def test_search_error_summary__receives_focus_and_links_to_the_fields(shared_page, site, demo):
    page = shared_page
    page.goto(f"{site}/fi/services/?q=neuvola&age=abc")

    assert page.evaluate("document.activeElement.id") == "error-summary"
    targets = page.locator("#error-summary a").evaluate_all("(links) => links.map((a) => a.hash)")
    assert targets == ["#id_age"]
    assert page.locator("#field-age #id_age[aria-invalid=true]").count() == 1
    page.locator("#error-summary a").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_age"
