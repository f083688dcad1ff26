"""Language correctness in the DOM (BATTERY 43): page language, fallback content marked lang="fi", titles, hreflang."""

import pytest

from tests.browser.pages import LANGUAGES, PAGE_CASES, PAGE_IDS, PAGES, page_url

pytestmark = pytest.mark.django_db

# Text that exists only in Finnish in the dataset (the service has no Swedish name or summary).
FINNISH_ONLY = ("Perhetyön kotikäynnit", "Perhetyöntekijä tulee kotiin tukemaan arjessa.")

# Every element whose own text contains one of the strings, with the language it inherits.
LANGUAGES_OF_TEXT_JS = """(needles) => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (element.closest('script, style, title') || element.closest('[hidden]')) continue;
        for (const needle of needles) {
            if (node.textContent.includes(needle)) {
                const marked = element.closest('[lang]');
                found.push({text: needle, tag: element.tagName.toLowerCase(), lang: marked ? marked.lang : ''});
            }
        }
    }
    return found;
}"""


@pytest.mark.parametrize(("language", "name"), PAGE_CASES, ids=PAGE_IDS)
def test_page__html_lang_and_hreflang_alternates_follow_the_url_language(shared_page, site, demo, language, name):
    page = shared_page
    page.goto(page_url(site, demo, language, name))

    assert page.evaluate("document.documentElement.lang") == language
    alternates = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('head link[rel=alternate][hreflang]')]
            .map((link) => [link.hreflang, new URL(link.href).pathname]))"""
    )
    path = PAGES[name](demo).split("?")[0]
    assert alternates == {
        "fi": f"/fi{path}",
        "sv": f"/sv{path}",
        "en": f"/en{path}",
        "x-default": path,
    }
    switcher = page.locator(".language-switcher a[aria-current]")
    assert switcher.get_attribute("hreflang") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_titles__are_unique_per_page(shared_page, site, demo, language):
    titles = {}
    for name in PAGES:
        shared_page.goto(page_url(site, demo, language, name))
        titles[name] = shared_page.title()

    by_title = {}
    for name, title in titles.items():
        by_title.setdefault(title, []).append(name)
    assert {title: names for title, names in by_title.items() if len(names) > 1} == {}
    assert all(title.strip() for title in titles.values())


def fallback_pages(demo):
    service = demo.finnish_only
    other = demo.services["child_clinic"]
    return {
        "detail": f"/sv/services/{service.slug}/",
        "search": "/sv/services/?q=kotik%C3%A4ynnit",
        "compare": f"/sv/compare/?services={other.pk},{service.pk}",
        "organisation": f"/sv/organisations/{demo.city.slug}/",
    }


@pytest.mark.parametrize("where", ["detail", "search", "compare", "organisation"])
def test_swedish_page__marks_finnish_fallback_content_as_finnish(shared_page, site, demo, where):
    page = shared_page
    page.goto(site + fallback_pages(demo)[where])

    found = page.evaluate(LANGUAGES_OF_TEXT_JS, list(FINNISH_ONLY))

    assert page.evaluate("document.documentElement.lang") == "sv"
    assert found, f"the Finnish-only service is not on {page.url}"
    assert [f for f in found if f["lang"] != "fi"] == [], f"unmarked Finnish text on {page.url}"


def test_swedish_page__does_not_mark_swedish_content_as_finnish(shared_page, site, demo):
    page = shared_page
    page.goto(f"{site}/sv/services/{demo.services['child_clinic'].slug}/")

    found = page.evaluate(LANGUAGES_OF_TEXT_JS, ["Barnrådgivning", "Uppföljning av barnets växt"])

    assert found
    assert {f["lang"] for f in found} == {"sv"}
