"""Every page type a family meets, as paths without the language prefix, built from the demo dataset."""

LANGUAGES = ("fi", "sv")

# name -> path (without /<lang>) given the demo dataset.
PAGES = {
    "home": lambda d: f"/?area={d.area.code}",
    "search": lambda d: "/services/?q=neuvola",
    # Nothing matching "neuvola" is chargeable: the page offers the search without the cost filter.
    "search-empty": lambda d: "/services/?q=neuvola&cost=fee",
    "search-error": lambda d: "/services/?q=neuvola&age=abc",
    "service": lambda d: f"/services/{d.services['child_clinic'].slug}/",
    "compare": lambda d: (
        "/compare/?services="
        + ",".join(str(d.services[key].pk) for key in ("child_clinic", "family_counselling", "peer_group"))
    ),
    # The help finder's three steps and its suggestions (the answers ride in the URL).
    "help": lambda d: "/help/",
    "help-age": lambda d: "/help/age/?life_situation=baby",
    "help-place": lambda d: "/help/place/?life_situation=baby&age_group=1-6",
    "help-results": lambda d: (
        f"/help/results/?life_situation=baby&age_group=1-6&municipality={d.city.municipality.code}"
    ),
    "organisation": lambda d: f"/organisations/{d.ngo.slug}/",
    "areas": lambda d: "/areas/",
    "area": lambda d: f"/areas/{d.area.code}/",
    "meeting-places": lambda d: "/meeting-places/",
    "meeting-place": lambda d: f"/meeting-places/{d.meeting_place.slug}/",
    "activities": lambda d: "/activities/",
    "accessibility": lambda d: "/accessibility/",
    "privacy": lambda d: "/privacy/",
    "about": lambda d: "/about/",
    "404": lambda d: "/services/this-service-does-not-exist/",
    # Sign-in pages (allauth in the site's layout) for coordinators and partners.
    "login": lambda d: "/accounts/login/",
    "password-reset": lambda d: "/accounts/password/reset/",
}

# (language, page name) pairs, for parametrize ids such as "sv-compare".
PAGE_CASES = [(language, name) for language in LANGUAGES for name in PAGES]
PAGE_IDS = [f"{language}-{name}" for language, name in PAGE_CASES]


def page_url(site: str, demo, language: str, name: str) -> str:
    return f"{site}/{language}{PAGES[name](demo)}"
