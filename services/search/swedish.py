"""Swedish base forms and compound parts of search words (pure functions: no database, no dictionary).

PostgreSQL's ``swedish`` snowball stemmer leaves *skyddshemmet* as it is and knows nothing of compounds, so a family
typing *skyddshemmet* or *barnrådgivningen* misses *skyddshem* and *rådgivning*. Here:

- ``swedish_base_forms`` strips the definite, plural and genitive endings (*skyddshemmet* → *skyddshem*,
  *föräldrarna* → *förälder*, *mamman* → *mamma*);
- ``swedish_compound_parts`` splits a compound where its tail is a known word (*skyddshem* → *skydd* + *hem*,
  *barnskyddsanmälan* → *barnskydd* + *anmälan*, then *barn* + *skydd*).

Both are driven by a ``known`` predicate, typically "is a word of the Swedish service texts" (the search vocabulary):
the rules over-generate on purpose and ``known`` keeps the candidates that are real words of the corpus. Everything is
lowercase; å, ä and ö are kept (not folded).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

Known = Callable[[str], bool]

MAX_WORD_LENGTH = 60
# The shortest base form, compound head and compound tail (hem, tal, mor).
MIN_PART = 3

_VOWELS = frozenset("aeiouyåäö")

# Endings, longest first; each (ending, replacement, safe). Without ``known`` only the safe ones apply: endings that
# are hardly ever part of a base word (plural definite -arna/-erna/-orna, -ningen, -heten, -mmet, …). A stem of a
# regular noun comes out right; an -e noun loses its -e (pojkarna → pojk), which is still a stem of the word.
_RULES: tuple[tuple[str, str, bool], ...] = (
    ("elserna", "else", True),  # händelserna → händelse
    ("ningarna", "ning", True),  # rådgivningarna → rådgivning
    ("skapet", "skap", True),  # föräldraskapet → föräldraskap
    ("ningen", "ning", True),  # barnrådgivningen → barnrådgivning
    ("ningar", "ning", True),
    ("tionen", "tion", True),
    ("tioner", "tion", True),
    ("heten", "het", True),  # tryggheten → trygghet
    ("heter", "het", True),
    ("andet", "ande", True),  # boendet → boende
    ("endet", "ende", True),
    ("elsen", "else", True),
    ("elser", "else", True),
    ("arna", "", True),  # pojkarna, föräldrarna (→ föräldr → förälder: see _unsyncopated)
    ("arna", "e", False),  # pojkarna → pojke
    ("arna", "are", False),  # läkarna → läkare
    ("erna", "", True),  # grupperna → grupp
    ("erna", "e", False),
    ("orna", "a", True),  # skolorna → skola
    ("orna", "", False),
    ("mmet", "m", True),  # hemmet → hem (a base word seldom ends in -mm)
    ("mmen", "m", True),  # hemmen → hem
    ("rna", "", False),  # händelserna → händelse (plural in -r of a word in -e)
    ("na", "", False),  # föräldrarna → föräldrar, hjärtana → hjärta
    ("aren", "are", False),  # läkaren → läkare (before -en: not the verb läkar)
    ("en", "", False),  # barnen → barn, terapeuten → terapeut
    ("et", "", False),  # skyddet → skydd, exemplet → exempl → exempel
    ("ar", "", False),  # mottagningar → mottagning, föräldrar → förälder
    ("ar", "e", False),  # pojkar → pojke
    ("er", "", False),  # grupper → grupp
    ("or", "a", False),  # skolor → skola
    ("or", "", False),
    ("n", "", False),  # after a vowel or -el/-er/-or: mamman → mamma, pojken → pojke, fågeln → fågel, kuratorn
    ("t", "", False),  # after a vowel: hjärtat → hjärta, äpplet → äpple
    ("r", "", False),  # after e: händelser → händelse
    ("a", "", False),  # adjectives and verbs: unga → ung, ensamma → ensam, leka → lek
)

# Nouns in -an that are not definite forms (anmälan is not anmäla + n); also as the tail of a compound.
_BASE_WORDS_IN_AN = (
    "anmälan",
    "ansökan",
    "början",
    "inbjudan",
    "förfrågan",
    "önskan",
    "väntan",
    "längtan",
    "uppfostran",
    "tvekan",
    "fruktan",
)

# Plurals with a vowel change, and their definite forms: the base form of each.
_IRREGULAR = {
    "män": "man",
    "männen": "man",
    "mödrar": "mor",
    "mödrarna": "mor",
    "fäder": "far",
    "fäderna": "far",
    "bröder": "bror",
    "bröderna": "bror",
    "döttrar": "dotter",
    "döttrarna": "dotter",
    "söner": "son",
    "sönerna": "son",
    "städer": "stad",
    "städerna": "stad",
    "länder": "land",
    "länderna": "land",
    "händer": "hand",
    "händerna": "hand",
    "tänder": "tand",
    "tänderna": "tand",
    "fötter": "fot",
    "fötterna": "fot",
    "böcker": "bok",
    "böckerna": "bok",
    "nätter": "natt",
    "nätterna": "natt",
}

# Never the tail of a compound, even when ``known``: inflectional and derivational endings that happen to be words
# or look like them (gruppens ≠ grupp + ens, kristen ≠ kris + ten, trygghet ≠ trygg + het, barndom ≠ barn + dom),
# and function words (hemmen ≠ hem + men). The words of _NOT_HEADS are not tails either.
_NOT_TAILS = frozenset(
    {
        "ens",
        "ets",
        "ers",
        "ars",
        "ors",
        "ten",
        "tet",
        "het",
        "dom",
        "skap",
        "else",
        "ande",
        "ende",
        "ning",
        "ing",
        "are",
        "bar",
        "lig",
        "ligt",
        "liga",
        "isk",
        "iska",
        "tion",
        "ism",
        "ist",
        "itet",
        "sam",
        "samt",
        "samma",
        "era",
        "ern",
        "arn",
        "orn",
        "ena",
        "ana",
        "rna",
        "arna",
        "erna",
        "orna",
        "aren",
        "men",
        "den",
        "det",
        "dem",
        "sig",
        "sin",
        "sitt",
        "han",
        "hon",
        "hen",
        "var",
        "vara",
        "som",
        "och",
        "att",
        "för",
        "med",
        "till",
        "kan",
        "ska",
        "har",
        "inte",
        "alla",
        "ett",
        "kom",
        # the verbs in -era: kontrollerad ≠ kontroll + e + rad, planering ≠ plan + e + ring
        "ra",
        "rad",
        "rade",
        "rat",
        "rar",
        "ring",
    }
)

# Never the head of a compound: prepositions, particles and function words. Their compounds are lexicalised and the
# parts mislead (förskola ≠ för + skola, mottagning ≠ mot + tagning, vardag ≠ var + dag).
_NOT_HEADS = frozenset(
    {
        "för",
        "före",
        "mot",
        "med",
        "till",
        "från",
        "upp",
        "över",
        "under",
        "efter",
        "genom",
        "utan",
        "inom",
        "mellan",
        "bakom",
        "kring",
        "omkring",
        "vid",
        "hos",
        "den",
        "det",
        "dem",
        "som",
        "och",
        "att",
        "var",
        "kan",
        "ska",
        "har",
        "inte",
        "alla",
        "sin",
        "sitt",
        "han",
        "hon",
        "hen",
        "bort",
        "fram",
        "samma",
        "ett",
        "ens",
    }
)


def _clean(word: str) -> str | None:
    word = word.lower()
    if not word.isalpha() or len(word) > MAX_WORD_LENGTH:
        return None
    return word


def _unsyncopated(stem: str, letters: str = "rln") -> str | None:
    """The base of a syncopated stem: föräldr → förälder, fågl → fågel, vattn → vatten; None if it is not one."""
    if len(stem) >= 3 and stem[-1] in letters and stem[-2] not in _VOWELS and stem[-2] not in "rl" + stem[-1]:
        return stem[:-1] + "e" + stem[-1]
    return None


def _rule_applies(form: str, ending: str) -> bool:
    if not form.endswith(ending) or len(form) - len(ending) < 2:
        return False
    before = form[-len(ending) - 1]
    if ending == "n":
        return (before in _VOWELS or form.endswith(("eln", "ern", "orn"))) and not form.endswith(_BASE_WORDS_IN_AN)
    if ending == "t":
        return before in _VOWELS
    if ending == "r":
        return before == "e"
    if ending == "a":
        return before not in _VOWELS
    return True


# The rules by the last letter of their ending, so a word meets only the few that can apply.
_RULES_BY_LAST: dict[str, tuple[tuple[str, str, bool], ...]] = {
    letter: tuple(rule for rule in _RULES if rule[0][-1] == letter) for letter in {rule[0][-1] for rule in _RULES}
}


@functools.lru_cache(maxsize=65536)
def _candidates(word: str, safe_only: bool) -> tuple[str, ...]:
    """Base form candidates of *word*, the likeliest first (longest ending first), not yet filtered."""
    forms = [word]
    if len(word) > 4 and word.endswith("s") and word[-2] not in "sxz":
        forms.append(word[:-1])  # genitive: mödrarådgivningens → mödrarådgivningen
    out: list[str] = []
    for form in forms:
        if form in _IRREGULAR:
            out.append(_IRREGULAR[form])
        for ending, replacement, safe in _RULES_BY_LAST.get(form[-1], ()):
            if (safe or not safe_only) and _rule_applies(form, ending):
                stem = form[: -len(ending)]
                if safe_only:
                    # The longest safe ending only (händelserna → händelse, not händels). Only the plural definite
                    # -arna needs undoing a syncope: föräldrarna → förälder.
                    out.append((ending == "arna" and _unsyncopated(stem, "rl")) or stem + replacement)
                    break
                out.append(stem + replacement)
                if not replacement:
                    if stem[-2:] in ("mm", "nn"):
                        out.append(stem[:-1])  # mannen → man, ensamma → ensam
                    if (unsyncopated := _unsyncopated(stem)) is not None:
                        out.append(unsyncopated)
        if form is not word and not safe_only:
            out.append(form)  # barns → barn
    return tuple(dict.fromkeys(c for c in out if len(c) >= MIN_PART and c != word))


def swedish_base_forms(word: str, known: Known | None = None) -> list[str]:
    """Candidate base forms of a Swedish word, the likeliest first; never the word itself.

    With ``known``, every candidate of the rules that ``known`` accepts (barnen → barn, föräldrarna → förälder and
    föräldrar if both are known). Without it, only the safe rules of ``_RULES``: the plural definite -arna/-erna/-orna,
    the derivational nouns' definite and plural forms (-ningen, -ningar, -heten, -tionen, -andet, -elsen, …), -mmet
    and -mmen (hemmet → hem), irregular plurals (männen → man) and the genitive -s after any of those.
    """
    clean = _clean(word)
    if clean is None:
        return []
    candidates = _candidates(clean, safe_only=known is None)
    return list(candidates) if known is None else [c for c in candidates if known(c)]


class _Splitter:
    """One word's compound analysis; every result is memoised, so each string is examined at most once."""

    def __init__(self, known: Known):
        self._known_predicate = known
        self._known: dict[str, bool] = {}
        self._tails: dict[str, str | None] = {}
        self._heads: dict[str, str | None] = {}
        self._splits: dict[str, tuple[str, str] | None] = {}

    def known(self, word: str) -> bool:
        if word not in self._known:
            self._known[word] = bool(self._known_predicate(word))
        return self._known[word]

    def inflected_known(self, word: str, source: str) -> bool:
        """A definite or plural form of *word* other than *source* is known (hälsovård by hälsovårdar, ledare by
        ledaren): a word the corpus has only inflected. For a base form candidate (word != source) consonant-final
        words only: a vowel-final stem meets its own word's forms (barne + t is barnet)."""
        if word[-1] in _VOWELS:
            return word == source and any(self.known(word + ending) for ending in ("n", "t", "r"))
        return any(self.known(word + ending) for ending in ("en", "et", "ar", "er") if word + ending != source)

    def tail_form(self, tail: str) -> str | None:
        """The base form of a compound's tail: a base form that is known or that the corpus has only inflected, else
        the tail itself if known (or only inflected); None if none or if it is an ending or a function word."""
        if tail not in self._tails:
            form = None
            if tail not in _NOT_TAILS and tail not in _NOT_HEADS:
                candidates = [c for c in _candidates(tail, False) if c not in _NOT_TAILS and c not in _NOT_HEADS]
                form = next((c for c in candidates if self.known(c)), None)
                form = form or next((c for c in candidates if self.inflected_known(c, tail)), None)
                if form is None and (self.known(tail) or self.inflected_known(tail, tail)):
                    form = tail
            self._tails[tail] = form
        return self._tails[tail]

    def head_form(self, head: str) -> str | None:
        """The base form of a compound's head, linking letters undone, known or itself a compound; or None."""
        if head not in self._heads:
            self._heads[head] = None  # guards against re-entry while this head is examined
            if head not in _NOT_HEADS:
                variants = [v for v in _head_variants(head) if len(v) >= MIN_PART and v not in _NOT_HEADS]
                form = None
                if head[-1] == "s" and len(variants) > 1 and self.inflected_known(variants[1], head):
                    form = variants[1]  # graviditets → graviditet (by graviditeten) before the genitive itself
                form = form or next((v for v in variants if self.known(v)), None)
                if form is None:  # a compound head: barnskydds → barnskydd (barn + skydd), linking letter undone first
                    compounds = [v for v in [*variants[1:], head] if len(v) <= len(head) and len(v) >= 2 * MIN_PART]
                    form = next((v for v in compounds if self.split(v)), None)
                self._heads[head] = form
        return self._heads[head]

    def split(self, word: str) -> tuple[str, str] | None:
        """(head, tail) base forms at the first split point whose tail and head are words: the longest tail wins."""
        if word not in self._splits:
            self._splits[word] = None
            for i in range(MIN_PART, len(word) - MIN_PART + 1):
                tail_form = self.tail_form(word[i:])
                if tail_form is None:
                    continue
                head_form = self.head_form(word[:i])
                # Two three-letter words are too often an accident: kommunen ≠ kom + mun.
                if head_form is not None and len(head_form) + len(tail_form) > 2 * MIN_PART:
                    self._splits[word] = (head_form, tail_form)
                    break
        return self._splits[word]

    def parts(self, word: str) -> list[str]:
        """Head and tail of *word*, then the parts of each, recursively (a part is always shorter than its word)."""
        split = self.split(word)
        if split is None:
            return []
        head, tail = split
        return [head, tail, *self.parts(head), *self.parts(tail)]


def _head_variants(head: str) -> list[str]:
    """What a compound's head may stand for: itself or without its linking letter (skydds → skydd, familje → familj,
    hälso → hälsa, föräldra → förälder), or with the final vowel the compound dropped (skol → skola, pojk → pojke)."""
    variants = [head]
    last = head[-1]
    if last in "se":
        variants.append(head[:-1])
    elif last in "ou":
        variants.append(head[:-1] + "a")
    elif last == "a":
        variants.append(head[:-1])
        if (unsyncopated := _unsyncopated(head[:-1])) is not None:
            variants.append(unsyncopated)
    if last not in _VOWELS:
        variants += [head + "a", head + "e"]
    return variants


def swedish_compound_parts(word: str, known: Known) -> list[str]:
    """The parts of a Swedish compound, split where the tail (or its base form) is a known word; never the word.

    A tail also counts as known when the corpus has it only inflected (hälsovård by hälsovården, ledare by ledaren).

    The word's known base forms are split (or the word itself when it has none): skyddshemmet → skyddshem → skydd,
    hem. A head may carry a linking -s-, -e-, -a-, -o- or -u- (skydd+s+hem, familj+e+rådgivning, hälsa → hälso+vård)
    and may itself be a compound (barnskydd+s+anmälan → barnskydd, anmälan, barn, skydd). Heads and tails have at
    least three letters, never two three-letter words together; inflectional endings and function words are never
    tails (kristen ≠ kris + ten), prepositions never heads (förskola). Of several split points the longest known tail
    wins. The result is the head and tail base forms, then their own parts, without duplicates.
    """
    clean = _clean(word)
    if clean is None or len(clean) < 2 * MIN_PART:
        return []
    splitter = _Splitter(known)
    parts: list[str] = []
    # The likeliest base form that splits (or the word itself when it has none): one analysis, not a union.
    targets = swedish_base_forms(clean, splitter.known) or [clean]
    target = next((t for t in targets if splitter.split(t)), targets[0])
    for part in splitter.parts(target):
        if part != clean and part not in parts:
            parts.append(part)
    return parts


def swedish_word_forms(word: str, known: Known) -> list[str]:
    """What a Swedish word of the service texts is also found by: its base forms, then its compound parts."""
    forms = swedish_base_forms(word, known)
    return forms + [part for part in swedish_compound_parts(word, known) if part not in forms]
