"""Finnish and Swedish are equals: every UI string translated, placeholders intact, catalogue current, pages clean."""

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from meetingplaces.models import Activity
from perhekeskus.reminders import send_review_reminders
from tests.factories import (
    ActivityFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    MeetingPlaceFactory,
    MeetingPlaceOpeningHoursFactory,
    OrganisationFactory,
    PhoneNumberFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv"]
LOCALE = Path(settings.BASE_DIR) / "locale"
# Top-level entries that hold no UI strings (or only test-only ones); makemessages must skip them.
NOT_SCANNED = {".venv", "node_modules", "test-artifacts", "tests", "benchmarks", "locale", "staticfiles", "media"}
OUR_APPS = ["organisations", "services", "meetingplaces", "contact"]
# Model texts that are spelt the same in English and the other language.
SAME_IN_BOTH = {("fi", "logo"), ("sv", "organisation")}

PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE = re.compile(r"\{(\w*)\}")
# English words that never occur in Finnish or Swedish text (not "to", Finnish for Thursday);
# one of them on a fi/sv page means untranslated UI.
ENGLISH_WORDS = re.compile(
    r"\b(?:the|and|of|with|your|you|for|this|are|was|not|or|has|have|from|here|please|more|about)\b"
)


def catalogue(language: str, root: Path = LOCALE) -> polib.POFile:
    return polib.pofile(str(root / language / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def placeholders(text: str, brace: bool) -> tuple:
    found = sorted(name or "" for name in PLACEHOLDER.findall(text.replace("%%", "")))
    if brace:
        found += sorted("{" + name + "}" for name in BRACE.findall(text))
    return tuple(found)


# --- The catalogues ---


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue__every_msgid_is_translated(language):
    po = catalogue(language)
    untranslated = [key(e) for e in po if not e.obsolete and not all(translations(e))]

    assert len(po) > 400
    assert untranslated == [], f"{len(untranslated)} untranslated msgids in {language}: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue__has_no_fuzzy_or_obsolete_entries(language):
    po = catalogue(language)
    fuzzy = [key(e) for e in po.fuzzy_entries()]
    obsolete = [key(e) for e in po.obsolete_entries()]

    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == language
    assert fuzzy == [], f"fuzzy in {language} (review each guess, then drop the flag): {fuzzy}"
    assert obsolete == [], f"obsolete in {language} (no longer in the code; delete them): {obsolete}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue__placeholders_match_the_msgid(language):
    wrong = []
    for entry in catalogue(language):
        brace = "python-brace-format" in entry.flags
        expected = placeholders(entry.msgid, brace)
        if entry.msgid_plural:
            plural = placeholders(entry.msgid_plural, brace)
            forms = entry.msgstr_plural
            ok = placeholders(forms[0], brace) in (expected, plural) and all(
                placeholders(text, brace) == plural for index, text in forms.items() if index > 0
            )
        else:
            ok = placeholders(entry.msgstr, brace) == expected
        if not ok:
            wrong.append(key(entry))

    assert wrong == [], f"placeholders differ from the msgid in {language}: {wrong}"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (make test installs it)")
def test_catalogue__makemessages_finds_no_new_or_removed_msgids(tmp_path, settings, monkeypatch):
    # A mirror of the source tree whose locale/ is a copy, so makemessages cannot touch the committed files.
    tree = tmp_path / "tree"
    tree.mkdir()
    for item in Path(settings.BASE_DIR).iterdir():
        if item.name not in NOT_SCANNED and not item.name.startswith("."):
            (tree / item.name).symlink_to(item, target_is_directory=item.is_dir())
    for language in LANGUAGES:
        (tree / "locale" / language / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(LOCALE / language / "LC_MESSAGES" / "django.po", tree / "locale" / language / "LC_MESSAGES")
    settings.LOCALE_PATHS = [tree / "locale"]
    monkeypatch.chdir(tree)

    call_command("makemessages", locale=LANGUAGES, no_location=True, symlinks=True, verbosity=0)

    for language in LANGUAGES:
        po = catalogue(language, tree / "locale")
        new = [key(e) for e in po if not e.obsolete and (not all(translations(e)) or e.fuzzy)]
        removed = [key(e) for e in po.obsolete_entries()]
        committed = {key(e) for e in catalogue(language)}
        assert new == [], f"msgids missing from locale/{language}: run makemessages and translate {new}"
        assert removed == [], f"msgids in locale/{language} no longer in the code: {removed}"
        assert {key(e) for e in po} == committed


# --- Model texts: names, help texts, choices, constraint messages ---


def model_texts():
    """(where, lazy text) for every verbose name, help text, choice label and constraint message of our apps."""
    for label in OUR_APPS:
        config = apps.get_app_config(label)
        yield f"{label} app", config.verbose_name
        for model in config.get_models():
            name = model._meta.label
            yield name, model._meta.verbose_name
            yield f"{name} plural", model._meta.verbose_name_plural
            translated = getattr(model._meta, "_translation_fields", None)
            for field in model._meta.get_fields():
                if field.auto_created or not getattr(field, "editable", False):
                    continue
                if getattr(field, "translated_field", None) is not None or field.name == translated:
                    continue  # modeltranslation's name_fi/name_sv: "name [fi]" built from the base field
                yield f"{name}.{field.name}", field.verbose_name
                if field.help_text:
                    yield f"{name}.{field.name} help", field.help_text
                for value, choice in field.flatchoices or []:
                    if value not in ("", None):
                        yield f"{name}.{field.name}={value}", choice
            for constraint in model._meta.constraints:
                if constraint.violation_error_message:
                    yield f"{name} {constraint.name}", constraint.violation_error_message


@pytest.mark.parametrize("language", LANGUAGES)
def test_model_texts__are_translated(language):
    untranslated = []
    for where, text in model_texts():
        with translation.override("en"):
            english = str(text)
        with translation.override(language):
            local = str(text)
        if local == english and (language, english) not in SAME_IN_BOTH:
            untranslated.append(f"{where}: {english}")

    assert len(list(model_texts())) > 150
    assert untranslated == [], f"not translated into {language}: {untranslated}"


def test_constraint_message__reaches_the_user_in_their_language():
    constraint = next(c for c in Activity._meta.constraints if c.name == "activity_ends_after_it_starts")

    messages = {}
    for language in ["fi", "sv", "en"]:
        with translation.override(language):
            messages[language] = constraint.get_violation_error_message()

    assert messages == {
        "fi": "Toiminnan pitää päättyä vasta alkamisensa jälkeen.",
        "sv": "Aktiviteten ska sluta efter att den har börjat.",
        "en": "The activity must end after it starts.",
    }


# --- Rendered pages ---


class TextCollector(HTMLParser):
    """What a user sees or hears: text and the readable attributes, leaving out scripts and parts in *skip_lang*."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    READ = {"aria-label", "title", "placeholder", "alt", "aria-description"}

    def __init__(self, skip_lang: str | None):
        super().__init__()
        self.skip_lang = skip_lang
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def hidden(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") or ""
        skip = tag in ("script", "style") or bool(self.skip_lang and lang.startswith(self.skip_lang))
        if not skip and not self.hidden():
            self.parts += [value for name, value in attrs.items() if name in self.READ and value]
            if tag == "meta" and attrs.get("name") == "description":
                self.parts.append(attrs.get("content") or "")
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.hidden():
            self.parts.append(data)


def visible_text(html: str, skip_lang: str | None = "en") -> str:
    collector = TextCollector(skip_lang)
    collector.feed(html)
    return " ".join(" ".join(collector.parts).split())


def english_leftovers(text: str, language: str) -> list[str]:
    """English words, and English msgids of our catalogue whose translation differs, found in *text*."""
    found = sorted(set(ENGLISH_WORDS.findall(text)))
    for entry in catalogue(language):
        english = entry.msgid
        if entry.msgid_plural or "%" in english or not english[:1].isupper() or english in translations(entry):
            continue
        if re.search(rf"(?<!\w){re.escape(english)}(?!\w)", text):
            found.append(english)
    return found


def family_dataset():
    organisation = OrganisationFactory(name_fi="Pohjanmaan perheyhdistys ry", name_sv="Österbottens familjeförening rf")
    services = []
    for number, (fi, sv) in enumerate([("Lastenneuvola", "Barnrådgivning"), ("Perheneuvola", "Familjerådgivning")]):
        service = ServiceFactory(
            published=True,
            organisation=organisation,
            slug=f"neuvola-{number}",
            name_fi=fi,
            name_sv=sv,
            summary_fi="Tukea lapsen kasvuun ja kehitykseen.",
            summary_sv="Stöd för barnets växande och utveckling.",
            cost="free",
            access=["booking"],
            languages=["fi", "sv"],
            age_min=0,
            age_max=6,
        )
        location = LocationFactory(service=service, name_fi="Kallion perhekeskus", name_sv="Berghälls familjecenter")
        for weekday in range(1, 6):
            LocationOpeningHoursFactory(location=location, weekday=weekday, opens=dt.time(8), closes=dt.time(16))
        PhoneNumberFactory(service=service)
        services.append(service)
    place = MeetingPlaceFactory(
        published=True,
        organisation=organisation,
        slug="pisara",
        name_fi="Perhekahvila Pisara",
        name_sv="Familjecafé Droppen",
    )
    for weekday in range(1, 6):
        MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=weekday)
    ActivityFactory(
        meeting_place=place, title_fi="Vauvakerho", title_sv="Babyklubben", weekday=timezone.localdate().isoweekday()
    )
    return organisation, services, place


# Page → texts that must be there, by language.
EXPECTED = {
    "home": {"fi": ["Mitä etsit?", "Siirry pääsisältöön"], "sv": ["Vad söker du?", "Hoppa till huvudinnehållet"]},
    "search": {"fi": ["Rajaa tuloksia", "2 palvelua löytyi"], "sv": ["Filtrera resultaten", "2 tjänster hittades"]},
    "detail": {"fi": ["Aukioloajat", "Lisää vertailuun"], "sv": ["Öppettider", "Lägg till i jämförelsen"]},
    "compare": {"fi": ["Valitut palvelut rinnakkain"], "sv": ["De valda tjänsterna sida vid sida"]},
    "meeting places": {"fi": ["Perheiden kohtaamispaikat"], "sv": ["Mötesplatser för familjer"]},
    "meeting place": {"fi": ["Osoite ja yhteystiedot"], "sv": ["Adress och kontaktuppgifter"]},
    "calendar": {"fi": ["Toimintaa perheille"], "sv": ["Aktiviteter för familjer"]},
    "organisation": {"fi": ["Yhteystiedot"], "sv": ["Kontaktuppgifter"]},
    "areas": {"fi": ["Hyvinvointialueet"], "sv": ["Välfärdsområden"]},
    "area": {"fi": ["Palvelut tyypeittäin"], "sv": ["Tjänster efter typ"]},
    "not found": {"fi": ["Sivua ei löytynyt"], "sv": ["Sidan hittades inte"]},
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages__are_in_the_chosen_language_with_no_english_left(client, language):
    organisation, services, place = family_dataset()
    area = services[0].locations.get().municipality.area
    ids = ",".join(str(s.pk) for s in services)
    urls = {
        "home": "/",
        "search": "/services/?q=neuvola&cost=free",
        "detail": f"/services/{services[0].slug}/",
        "compare": f"/compare/?services={ids}",
        "meeting places": "/meeting-places/",
        "meeting place": f"/meeting-places/{place.slug}/",
        "calendar": "/activities/",
        "organisation": f"/organisations/{organisation.slug}/",
        "areas": "/areas/",
        "area": f"/areas/{area.code}/",
        "not found": "/no-such-page/",
    }

    problems = {}
    for page, path in urls.items():
        response = client.get(f"/{language}{path}")
        html = response.content.decode()
        text = visible_text(html)
        missing = [expected for expected in EXPECTED[page][language] if expected not in text]
        english = english_leftovers(text, language)
        if response.status_code != (404 if page == "not found" else 200) or missing or english:
            problems[page] = {"status": response.status_code, "missing": missing, "english": english}
        assert f'<html lang="{language}"' in html

    assert problems == {}


def test_pages__english_stays_english(client):
    family_dataset()

    text = visible_text(client.get("/en/services/?q=neuvola").content.decode(), skip_lang=None)

    assert "Filter the results" in text
    assert "Rajaa tuloksia" not in text


@pytest.mark.parametrize(
    ("language", "expected", "english"),
    [
        (
            "fi",
            ["Palvelut", "Organisaatiot ja alueet", "Kohtaamispaikat ja toiminta", "Hyvinvointialueet"],
            "Wellbeing",
        ),
        (
            "sv",
            ["Tjänster", "Organisationer och områden", "Mötesplatser och aktiviteter", "Välfärdsområden"],
            "Wellbeing",
        ),
    ],
)
def test_admin_index__shows_our_apps_in_the_language(admin_client, language, expected, english):
    text = visible_text(admin_client.get(f"/{language}/admin/").content.decode())

    assert [name for name in expected if name not in text] == []
    assert english not in text
    assert "Meeting places" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", ["Luokittelu", "Kenelle", "Hinta ja palveluun hakeutuminen", "Julkaisutila", "Palvelukielet"]),
        (
            "sv",
            ["Klassificering", "För vem", "Kostnad och hur man får tjänsten", "Publiceringsstatus", "Betjäningsspråk"],
        ),
    ],
)
def test_admin_service_form__fieldsets_and_labels_are_translated(admin_client, language, expected):
    text = visible_text(admin_client.get(f"/{language}/admin/services/service/add/").content.decode())

    assert [name for name in expected if name not in text] == []
    assert "Cost and access" not in text
    assert "Publication state" not in text


def test_review_reminder__is_written_in_finnish_and_swedish(mailoutbox):
    now = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
    organisation = OrganisationFactory(email="toimisto@perheyhdistys.fi")
    ServiceFactory(organisation=organisation, published=True, reviewed_at=None, name_fi="Perhekahvila")

    send_review_reminders(now=now)

    message = mailoutbox[0]
    finnish, swedish = message.body.split("\n\n----------\n\n")
    assert message.subject == "Tarkistakaa perhepalvelujenne tiedot / Kontrollera uppgifterna om era familjetjänster"
    assert "ei ole tarkistettu vähään aikaan" in finnish and "(ei koskaan tarkistettu)" in finnish
    assert "har inte kontrollerats på länge" in swedish and "(aldrig kontrollerad)" in swedish
