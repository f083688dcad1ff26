"""The help finder: three GET steps carrying the answers in the URL, and suggestions that say why."""

import re

import pytest
from django.http import QueryDict
from django.utils import translation

from organisations.models import Municipality, PostalCode
from services.helpfinder import read_answers
from services.models import LifeSituation
from services.search.places import municipality_centre
from tests.factories import LocationFactory, OrganisationFactory, ServiceFactory
from tests.test_translations import english_leftovers, visible_text

pytestmark = pytest.mark.django_db

TURKU = (60.4518, 22.2666)
KM = 1 / 111.2  # degrees of latitude in a kilometre


def municipality(code):
    return Municipality.objects.select_related("area").get(code=code)


def service(name, *, where="853", situations=("baby",), km=None, place=None, nationwide=False, **fields):
    """A published service for *situations*, given in municipality *where* (or nationwide), located *km* north of
    the centre of Turku (or in *place*, a municipality code)."""
    home = municipality(where)
    organisation = OrganisationFactory(areas=[] if nationwide else [home.area])
    created = ServiceFactory(
        published=True,
        organisation=organisation,
        name_fi=name,
        name_sv=f"{name} sv",
        life_situations=list(LifeSituation.objects.filter(code__in=situations)),
        municipalities=[] if nationwide else [home],
        **{"age_min": 0, "age_max": 6, **fields},
    )
    if km is not None:
        LocationFactory(
            service=created,
            name_fi=f"{name} toimipiste",
            municipality=municipality(place or where),
            latitude=TURKU[0] + km * KM,
            longitude=TURKU[1],
        )
    return created


def get(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def names_in_order(html):
    return re.findall(r'<h3><a href="/\w\w/services/[^"]+">([^<]+)</a></h3>', html)


def hidden(html):
    return sorted(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))


# --- The steps ---


def test_situation_step__offers_the_taxonomy_in_family_words_grouped(client):
    html = get(client, "/fi/help/")

    assert "<h1>Mihin tarvitset apua?</h1>" in html
    assert 'action="/fi/help/age/"' in html
    assert "<legend>Kun on vaikeaa</legend>" in html
    assert 'value="separation"> <span>Olemme eroamassa tai eronneet</span>' in html
    assert html.count('type="radio" name="life_situation"') == LifeSituation.objects.count()
    assert hidden(html) == []


def test_situation_step__in_swedish(client):
    html = get(client, "/sv/help/")

    assert "<h1>Vad behöver du hjälp med?</h1>" in html
    assert "<legend>När det är svårt</legend>" in html
    assert "Vi väntar barn" in html


def test_age_step__carries_the_situation_and_links_back_with_it(client):
    html = get(client, "/fi/help/age/", life_situation="baby")

    assert "<h1>Kuinka vanha lapsesi on?</h1>" in html
    assert 'action="/fi/help/place/"' in html
    assert hidden(html) == [("life_situation", "baby")]
    assert 'href="/fi/help/?life_situation=baby"' in html
    assert "Vaihe 2/3" in html


def test_place_step__carries_both_answers_and_keeps_a_later_one(client):
    html = get(client, "/fi/help/place/", life_situation="baby", age_group="0-1", municipality="853")

    assert "<h1>Missä asut?</h1>" in html
    assert 'action="/fi/help/results/"' in html
    assert hidden(html) == [("age_group", "0-1"), ("life_situation", "baby")]
    assert '<option value="853" selected>Turku</option>' in html
    assert 'href="/fi/help/age/?life_situation=baby&amp;age_group=0-1&amp;municipality=853"' in html


@pytest.mark.parametrize(("language", "first", "turku"), [("sv", "Akaa", "Åbo"), ("en", "Akaa", "Turku")])
def test_place_step__lists_municipalities_by_their_shown_name(client, language, first, turku):
    html = get(client, f"/{language}/help/place/", life_situation="baby", age_group="0-1")

    options = re.findall(r'<option value="\d{3}">([^<]+)</option>', html)
    assert options[0] == first
    assert options.index(turku) > options.index("Vörå" if language == "sv" else "Tornio")  # å after z in Swedish
    assert len(options) == Municipality.objects.count()


def test_going_back__shows_the_earlier_answer_chosen(client):
    html = get(client, "/fi/help/", life_situation="separation", age_group="7-12", municipality="853")

    assert 'value="separation" checked>' in html
    assert hidden(html) == [("age_group", "7-12"), ("municipality", "853")]


def test_age_step__offers_expecting_only_where_a_service_has_it(client):
    service("Neuvola", situations=("baby",))
    html = get(client, "/fi/help/age/", life_situation="baby")
    assert 'value="expecting"' not in html

    service("Äitiysneuvola", situations=("baby",), for_expecting=True)
    html = get(client, "/fi/help/age/", life_situation="baby")
    assert 'value="expecting"> <span>Vauvan odotus</span>' in html


@pytest.mark.parametrize(
    ("path", "params", "heading", "error"),
    [
        ("/fi/help/age/", {}, "Mihin tarvitset apua?", "Valitse, mihin tarvitset apua."),
        ("/fi/help/results/", {}, "Mihin tarvitset apua?", "Valitse, mihin tarvitset apua."),
        ("/fi/help/age/", {"life_situation": "nonsense"}, "Mihin tarvitset apua?", "Emme tunne tätä tilannetta."),
        ("/fi/help/age/", {"life_situation": "nonsense\x00"}, "Mihin tarvitset apua?", "Emme tunne tätä tilannetta."),
        ("/fi/help/place/", {"life_situation": "baby"}, "Kuinka vanha lapsesi on?", "Valitse lapsesi ikäryhmä"),
        ("/fi/help/place/", {"life_situation": "baby", "age": "99"}, "Kuinka vanha lapsesi on?", "kokonaisina"),
        ("/fi/help/place/", {"life_situation": "baby", "age": "x"}, "Kuinka vanha lapsesi on?", "kokonaisina"),
        ("/fi/help/place/", {"life_situation": "baby", "age_group": "0-99"}, "Kuinka vanha", "kokonaisina"),
        ("/fi/help/results/", {"life_situation": "baby", "age_group": "0-1"}, "Missä asut?", "Valitse kuntasi"),
        ("/fi/help/results/", {"life_situation": "baby", "age": "3", "postcode": "201"}, "Missä asut?", "viisi"),
        ("/fi/help/results/", {"life_situation": "baby", "age": "3", "postcode": "00009"}, "Missä asut?", "Emme tunne"),
        ("/fi/help/results/", {"life_situation": "baby", "age": "3", "municipality": "x"}, "Missä asut?", "Emme tunne"),
    ],
)
def test_missing_or_bad_answer__asks_that_step_again_with_the_problem(client, path, params, heading, error):
    html = get(client, path, **params)

    assert f"<h1>{heading}" in html
    assert 'role="alert"' in html
    assert error in html
    assert "<title>Virhe:" in html


def test_empty_inputs__are_dropped_from_the_address(client):
    response = client.get("/fi/help/results/?life_situation=baby&age=&age_group=1-6&municipality=853&postcode=")

    assert response.status_code == 302
    assert response["Location"] == "/fi/help/results/?life_situation=baby&age_group=1-6&municipality=853"
    assert client.get("/fi/help/?postcode=+")["Location"] == "/fi/help/"


def test_bad_later_answer__is_dropped_from_the_carried_answers(client):
    html = get(client, "/fi/help/age/", life_situation="baby", postcode="abc", municipality="x", age="300")

    assert hidden(html) == [("life_situation", "baby")]
    assert "kokonaisina" in html  # the age step's own bad answer is explained there


def test_read_answers__any_age_is_an_answer_but_no_age_filter():
    answers = read_answers_of(life_situation="baby", age_group="any", municipality="853")

    assert answers.done("age")
    assert answers.query.age_range is None and answers.query.audience is None
    assert answers.params() == {"life_situation": ["baby"], "age_group": "any", "municipality": "853"}


def read_answers_of(**params):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(params)
    return read_answers(query)


# --- The suggestions ---


def test_results__free_and_walk_in_first_then_nearest_local_before_nationwide(client):
    service("Maksullinen ajanvaraus", km=0.5, cost="fee", access=["booking"])
    service("Ilmainen avoin kaukana", km=3, cost="free", access=["walk_in"])
    service("Ilmainen ajanvaraus", km=1, cost="free", access=["booking"])
    service("Ilmainen avoin lähellä", km=0.2, cost="free", access=["walk_in", "booking"])
    service("Maksullinen avoin", km=0.1, cost="fee", access=["walk_in"])
    service("Valtakunnallinen puhelin", nationwide=True, km=2, cost="free", access=["walk_in"])
    service("Toinen tilanne", km=0.1, situations=("leisure",), cost="free", access=["walk_in"])
    service("Liian vanhoille", km=0.1, age_min=13, age_max=17, cost="free", access=["walk_in"])

    html = get(
        client,
        "/fi/help/results/",
        life_situation="baby",
        age_group="0-1",
        municipality="853",
        lat=TURKU[0],
        lon=TURKU[1],
    )

    assert names_in_order(html) == [
        "Ilmainen avoin lähellä",
        "Ilmainen avoin kaukana",
        "Maksullinen avoin",  # free or walk-in count the same; then the nearer one
        "Ilmainen ajanvaraus",
        "Maksullinen ajanvaraus",
        "Valtakunnallinen puhelin",
    ]
    assert "6 ehdotettua palvelua" in html
    assert not client.cookies  # no session, no cookie: the answers are only in the address


def why_line(html, name):
    card = html[html.index(f">{name}</a></h3>") :]
    return re.search(r'<p class="help-why"><strong>[^<]+</strong> ([^<]+)</p>', card).group(1)


def test_results__say_why_in_finnish(client):
    service("Perhekahvila", km=1.2, cost="free", access=["walk_in"], age_min=0, age_max=6)
    service("Auttava puhelin", nationwide=True, cost="fee", access=["booking"], age_min=None, age_max=17)

    html = get(
        client, "/fi/help/results/", life_situation="baby", age="2", municipality="853", lat=TURKU[0], lon=TURKU[1]
    )

    assert why_line(html, "Perhekahvila") == (
        "sopii tilanteeseen ”Vauvaperhe”; 0–6-vuotiaille; kotikunnassasi (Turku); "
        "lähin toimipiste noin 1,2 km päässä; maksuton; ilman ajanvarausta."
    )
    assert why_line(html, "Auttava puhelin") == (
        "sopii tilanteeseen ”Vauvaperhe”; enintään 17-vuotiaille; valtakunnallinen palvelu."
    )
    assert "Lapsesi ikä" not in html and "2 vuotta" in html  # the answers, each with a link to change it


def test_results__say_why_in_swedish(client):
    service("Perhekahvila", km=1.2, cost="free", access=["walk_in"])
    service("Odottajat", for_expecting=True, age_min=None, age_max=None, cost="free", access=["booking"])

    html = get(client, "/sv/help/results/", life_situation="baby", age_group="expecting", municipality="853")

    assert names_in_order(html) == ["Odottajat sv"]
    assert why_line(html, "Odottajat sv") == (
        "passar för ”Familj med baby”; för blivande föräldrar; i din kommun (Åbo); avgiftsfri."
    )
    html = get(client, "/sv/help/results/", life_situation="baby", age_group="0-1", postcode="20100")
    assert why_line(html, "Perhekahvila sv") == (
        "passar för ”Familj med baby”; för åldern 0–6; i din kommun (Åbo); "
        "närmaste verksamhetsställe cirka 0,1 km bort; avgiftsfri; utan tidsbokning."
    )


def test_results__link_to_the_full_search_with_the_same_filters(client):
    service("Perhekahvila", km=1)

    html = get(client, "/fi/help/results/", life_situation="baby", age_group="1-6", postcode="20100")

    assert 'href="/fi/services/?municipality=853&amp;postcode=20100' not in html
    assert 'href="/fi/services/?postcode=20100&amp;life_situation=baby&amp;age_group=1-6"' in html
    response = client.get("/fi/services/?postcode=20100&life_situation=baby&age_group=1-6")
    assert "Perhekahvila" in response.content.decode()


def test_results__widen_to_the_wellbeing_area_rather_than_show_nothing(client):
    service("Kaarinan perheneuvola", where="202", km=8)
    service("Turun harrastuspiiri", situations=("leisure",), km=0)  # at TURKU, near the municipal centre

    html = get(client, "/fi/help/results/", life_situation="baby", age_group="1-6", municipality="853")

    assert names_in_order(html) == ["Kaarinan perheneuvola"]
    assert "sama apu koko hyvinvointialueelta (Varsinais-Suomen hyvinvointialue)" in html
    assert 'href="/fi/services/?area=05&amp;life_situation=baby&amp;age_group=1-6"' in html
    assert why_line(html, "Kaarinan perheneuvola") == (
        "sopii tilanteeseen ”Vauvaperhe”; 0–6-vuotiaille; hyvinvointialueellasi (Varsinais-Suomen hyvinvointialue); "
        "lähin toimipiste noin 7,9 km päässä (Kaarina); maksuton."  # from Turku's municipal centre
    )


def test_results__widen_to_any_age_then_to_other_family_services(client):
    service("Nuorten tuki", km=1, age_min=13, age_max=17)
    html = get(client, "/fi/help/results/", life_situation="baby", age_group="0-1", municipality="853")
    assert names_in_order(html) == ["Nuorten tuki"]
    assert "Lapsesi ikään sopivaa ei löytynyt" in html

    service("Harrastuspiiri", km=1, situations=("leisure",))
    html = get(client, "/fi/help/results/", life_situation="crisis", age_group="any", municipality="853")
    assert names_in_order(html) == ["Harrastuspiiri", "Nuorten tuki"]
    assert "Tähän tilanteeseen ei löytynyt apua läheltä" in html


def test_results__with_nothing_anywhere_say_so_and_offer_ways_on(client):
    html = get(client, "/fi/help/results/", life_situation="crisis", age_group="0-1", municipality="853")

    assert names_in_order(html) == []
    assert "Emme löytäneet palveluja vastauksiisi" in html
    assert 'href="/fi/services/?municipality=853"' in html
    assert 'href="/fi/help/?life_situation=crisis&amp;age_group=0-1&amp;municipality=853"' in html


def place_centre(**answers):
    """Where the finder measures distances from, for these answers (the search form's point of the place)."""
    data = QueryDict(mutable=True)
    data.update({name: str(value) for name, value in answers.items()})
    return read_answers(data).query.distance_from


def test_place_centre__is_the_middle_of_the_locations_in_the_postcode_area_else_the_municipal_centre():
    first = service("A", km=0)
    second = service("B", km=2)
    first.locations.update(postal_code="20100")
    second.locations.update(postal_code="20100")
    service("C", km=10).locations.update(postal_code="20500")
    # The finder takes only postcodes the reference data knows (the place step refuses others).
    PostalCode.objects.update_or_create(
        code="20100", defaults={"post_office": "TURKU", "municipality": Municipality.objects.get(code="853")}
    )

    lat, lon = place_centre(postcode="20100")
    assert (round(lat, 4), round(lon, 4)) == (round(TURKU[0] + KM, 4), TURKU[1])
    # A municipality alone: its centre from the list that ships with the code, not the middle of these locations.
    assert place_centre(municipality="853") == municipality_centre("853") is not None
    assert municipality_centre("853") != place_centre(postcode="20100")
    assert place_centre(municipality="853", lat=60.1, lon=24.9) == (60.1, 24.9)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_home__links_to_the_help_finder(client, language):
    html = get(client, f"/{language}/")

    with translation.override(language):
        expected = translation.gettext("What do you need help with?")
    assert f'<a href="/{language}/help/">{expected}</a>' in html


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_help_pages__have_no_english_left(client, language):
    service("Perhekahvila", km=1, cost="free", access=["walk_in"])
    answers = {"life_situation": "baby", "age_group": "0-1", "municipality": "853"}
    for path in ("/help/", "/help/age/", "/help/place/", "/help/results/"):
        text = visible_text(get(client, f"/{language}{path}", **answers))
        assert english_leftovers(text, language) == [], path
    text = visible_text(
        get(client, f"/{language}/help/results/", life_situation="crisis", age_group="0-1", municipality="853")
    )
    assert english_leftovers(text, language) == []


def test_place_step__is_filled_in_from_the_place_remembered_for_the_visit(client):
    from django.http import HttpResponse

    from services.search.visit import PLACE_COOKIE, VisitPlace, remember_place

    response = HttpResponse()
    remember_place(response, VisitPlace.postcode("20100"))
    client.cookies[PLACE_COOKIE] = response.cookies[PLACE_COOKIE].value
    html = get(client, "/fi/help/place/", life_situation="baby", age_group="1-6")
    assert re.search(r'name="postcode"[^>]*value="20100"', html)
    # An answer in the address wins over the remembered place.
    html = get(client, "/fi/help/place/", life_situation="baby", age_group="1-6", municipality="853")
    assert '<option value="853" selected>' in html and re.search(r'name="postcode"[^>]*value=""', html)
