"""Swedish base forms and compound parts (services/search/swedish.py): pure functions, no database."""

import pytest

from services.search.swedish import (
    MAX_WORD_LENGTH,
    swedish_base_forms,
    swedish_compound_parts,
    swedish_word_forms,
)

# The Swedish words of our domain, as the search vocabulary would hold them, and words that would mislead a splitter
# if it took any known tail: function words (en, men, för, var), endings that are words (ens, ten, het, dom, ring)
# and short words that combine by accident (kom + mun).
DOMAIN = """
    hem skydd skyddshem barn rådgivning barnrådgivning familj familjerådgivning mödra mödrarådgivning skola hälsovård
    hälsa vård tal terapeut talterapeut förälder föräldrar stöd grupp kris mottagning anmälan ungdom kamrat underhåll
    läkare händelse boende mamma man terapi omsorg central tjänst planering trygghet trygg vecka dag ensam kurator
"""
NOISE = "en ett ens ten men för mot tagning var ung dom het kom mun plan ring anmäla"
KNOWN = frozenset((DOMAIN + NOISE).split())


def known(word):
    return word in KNOWN


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("skyddshemmet", ["skyddshem"]),
        ("barnrådgivningen", ["barnrådgivning"]),
        ("familjerådgivningen", ["familjerådgivning"]),
        ("mödrarådgivningens", ["mödrarådgivning"]),
        ("talterapeuten", ["talterapeut"]),
        ("föräldrarna", ["förälder", "föräldrar"]),
        ("föräldern", ["förälder"]),
        ("kuratorn", ["kurator"]),
        ("hemmet", ["hem"]),
        ("hemmen", ["hem"]),
        ("mamman", ["mamma"]),
        ("mammorna", ["mamma"]),
        ("skolan", ["skola"]),
        ("skolorna", ["skola"]),
        ("barnen", ["barn"]),
        ("barnets", ["barn"]),
        ("grupperna", ["grupp"]),
        ("grupper", ["grupp"]),
        ("familjerna", ["familj"]),
        ("mottagningarna", ["mottagning"]),
        ("terapeuterna", ["terapeut"]),
        ("läkaren", ["läkare"]),
        ("läkarna", ["läkare"]),
        ("händelserna", ["händelse"]),
        ("boendet", ["boende"]),
        ("stödet", ["stöd"]),
        ("kriserna", ["kris"]),
        ("männen", ["man"]),
        ("ensamma", ["ensam"]),
        ("tjänsterna", ["tjänst"]),
    ],
)
def test_swedish_base_forms__known_strips_definite_plural_and_genitive_endings(word, expected):
    assert swedish_base_forms(word, known) == expected


@pytest.mark.parametrize(
    "word",
    [
        "barn",  # already a base form: never the word itself
        "skyddshem",
        "anmälan",  # a noun in -an, not anmäla + n, although anmäla is known
        "kristen",  # no known krist
        "kris",  # no genitive of kri
        "mamma",
    ],
)
def test_swedish_base_forms__known_base_words_stay_as_they_are(word):
    assert swedish_base_forms(word, known) == []


def test_swedish_base_forms__without_known_only_the_safe_endings():
    assert swedish_base_forms("skyddshemmet") == ["skyddshem"]
    assert swedish_base_forms("barnrådgivningen") == ["barnrådgivning"]
    assert swedish_base_forms("mödrarådgivningens") == ["mödrarådgivning"]
    assert swedish_base_forms("föräldrarna") == ["förälder"]
    assert swedish_base_forms("grupperna") == ["grupp"]
    assert swedish_base_forms("skolorna") == ["skola"]
    assert swedish_base_forms("männen") == ["man"]
    assert swedish_base_forms("boendet") == ["boende"]
    assert swedish_base_forms("händelserna") == ["händelse"]
    assert swedish_base_forms("rådgivningarna") == ["rådgivning"]
    # -en, -n and -et alone are not safe (kristen, anmälan, paket): nothing without a vocabulary to check against.
    for word in ["barnen", "mamman", "talterapeuten", "kristen", "anmälan", "paket", "barn"]:
        assert swedish_base_forms(word) == [], word


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("skyddshemmet", ["skydd", "hem"]),
        ("skyddshem", ["skydd", "hem"]),
        ("barnrådgivningen", ["barn", "rådgivning"]),
        ("familjerådgivningen", ["familj", "rådgivning"]),
        ("familjerådgivning", ["familj", "rådgivning"]),
        ("mödrarådgivningens", ["mödra", "rådgivning"]),
        ("talterapeuten", ["tal", "terapeut"]),
        ("föräldragrupperna", ["förälder", "grupp"]),
        ("föräldrastöd", ["förälder", "stöd"]),
        ("barnskyddsanmälan", ["barnskydd", "anmälan", "barn", "skydd"]),
        ("skolhälsovården", ["skola", "hälsovård", "hälsa", "vård"]),
        ("hälsovården", ["hälsa", "vård"]),
        ("familjehemmet", ["familj", "hem"]),
        ("krismottagningen", ["kris", "mottagning"]),
        ("krisgrupp", ["kris", "grupp"]),
        ("stödgrupperna", ["stöd", "grupp"]),
        ("barnfamiljerna", ["barn", "familj"]),
        ("underhållsstödet", ["underhåll", "stöd"]),
        ("ungdomsmottagningen", ["ungdom", "mottagning"]),
        ("kamratstödsgrupp", ["kamratstöd", "grupp", "kamrat", "stöd"]),
        ("familjeterapin", ["familj", "terapi"]),
        ("veckodagen", ["vecka", "dag"]),
        ("barnomsorgen", ["barn", "omsorg"]),
        ("familjecentralen", ["familj", "central"]),
        ("skolläkaren", ["skola", "läkare"]),
    ],
)
def test_swedish_compound_parts__splits_where_the_tail_is_a_known_word(word, expected):
    assert swedish_compound_parts(word, known) == expected


@pytest.mark.parametrize(
    "word",
    [
        "barnen",  # barn + en: "en" is a known word but far too short, and an ending
        "kristen",  # kris + ten: ten is known, but -ten is t + the definite -en
        "gruppens",  # grupp + ens
        "hemmen",  # hem + men: a function word is no tail
        "kommunen",  # kom + mun: two three-letter words together are an accident
        "förskola",  # för + skola: a preposition is no head
        "mottagning",  # mot + tagning
        "vardag",  # var + dag
        "ungdom",  # ung + dom: -dom is a suffix
        "trygghet",  # trygg + het
        "planering",  # plan + e + ring: the verbs in -era
        "anmälan",
        "barn",
        "skydd",
        "hälsa",
        "terapeuten",
    ],
)
def test_swedish_compound_parts__does_not_split_by_accident(word):
    assert swedish_compound_parts(word, known) == []


def test_swedish_compound_parts__a_tail_the_corpus_has_only_inflected():
    corpus = (KNOWN - {"tjänst", "läkare"}) | {"tjänster", "läkaren"}
    assert swedish_compound_parts("skoltjänsten", corpus.__contains__) == ["skola", "tjänst"]
    assert swedish_compound_parts("skolläkare", corpus.__contains__) == ["skola", "läkare"]
    # The tail's own form is no evidence for its base form: tjänsten alone does not make tjänst a word.
    alone = (KNOWN - {"tjänst"}) | {"tjänsten"}
    assert swedish_compound_parts("skoltjänsten", alone.__contains__) == ["skola", "tjänsten"]
    # A vowel-final stem is not taken on the word of its own forms: barnen is not barne + n.
    assert swedish_compound_parts("familjebarnen", (corpus | {"barnet"}).__contains__) == ["familj", "barn"]


def test_swedish_compound_parts__longest_known_tail_wins():
    # barn + skyddsanmälan once skyddsanmälan is a word; before that, barnskydd + s + anmälan.
    extended = KNOWN | {"skyddsanmälan"}
    assert swedish_compound_parts("barnskyddsanmälan", extended.__contains__) == [
        "barn",
        "skyddsanmälan",
        "skydd",
        "anmälan",
    ]


def test_swedish_forms__lowercase_with_å_ä_ö_kept():
    assert swedish_base_forms("SKYDDSHEMMET", known) == ["skyddshem"]
    assert swedish_compound_parts("Föräldragrupperna", known) == ["förälder", "grupp"]
    assert swedish_word_forms("Skyddshemmet", known) == ["skyddshem", "skydd", "hem"]


def test_swedish_forms__no_duplicates_never_the_word_and_deterministic():
    words = ["skyddshemmet", "barnskyddsanmälan", "skolhälsovården", "föräldrarna", "hemmet", "barnbarnbarn"]
    for word in words:
        forms = swedish_word_forms(word, known)
        assert len(forms) == len(set(forms)), word
        assert word not in forms
        assert forms == swedish_word_forms(word, known)
        assert all(form == form.lower() for form in forms)


def test_swedish_forms__bad_input_gives_nothing():
    calls = []

    def counting(word):
        calls.append(word)
        return True

    assert swedish_compound_parts("a" * (MAX_WORD_LENGTH + 1), counting) == []
    assert swedish_base_forms("b" * (MAX_WORD_LENGTH + 1), counting) == []
    assert calls == []
    assert swedish_compound_parts("", known) == []
    assert swedish_base_forms("", known) == []
    assert swedish_compound_parts("barn-skydd", known) == []
    assert swedish_base_forms("hem2", known) == []


def test_swedish_compound_parts__long_words_stay_cheap():
    """A 60-letter word asks the vocabulary a few thousand questions at most, not an exponential number."""
    calls = []

    def counting(word):
        calls.append(word)
        return word in KNOWN

    word = "barnskyddsanmälningsmottagningsfamiljerådgivningsgrupperna"
    swedish_compound_parts(word, counting)
    assert len(calls) < 5000
    calls.clear()
    parts = swedish_compound_parts("barnskydds" * 6, counting)
    assert {"barn", "skydd"} <= set(parts)
    assert len(calls) < 5000
