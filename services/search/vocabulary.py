"""The search vocabulary: every distinct word of the service texts, analysed once into base forms and compound parts.

Matching a search word against 30 000 long texts by similarity is what made the old search slow; matching it against
the corpus's distinct words (thousands of short rows) is cheap, and the service texts are then matched through the
GIN full-text index on ``Service.search_document`` with plain lexemes: no per-service similarity, no recheck.

Index time: the trigger that builds a service's search document (services/migrations/0006_search_vocabulary.py) adds
the words it has not seen to ``SearchWord`` (unanalysed). ``analyse_pending_words()`` analyses them: Finnish with
Voikko (base form, compound parts, whether the form is the base form — "lastenneuvola" → head *neuvola*, part
*lapsi*; "elatussopimuksen" → base form *elatussopimus*), Swedish with the corpus-driven rules of swedish.py
("skyddshemmet" → *skyddshem*, head *hem*, part *skydd*). A search analyses what is pending (bounded) before
expanding its words, and bulk loaders call ``refresh_vocabulary()``, so every write path is covered.

Query time (``expand()``): each search word, its base forms and its synonyms become the corpus words that stand for
it, graded: exact (the word or its base form as such), strong (a compound that ends with it: *lastenneuvola* for
"neuvola"), medium (an inflected form or a synonym: *neuvolan*), weak (another compound part, a prefix, or a typo
found by trigrams when the word itself is unknown). One SQL query per search.
"""

# ruff: noqa: S608 - the SQL is constant; words travel as array parameters.

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from . import swedish, text
from .caching import cache_key
from .text import STOP_WORDS, fold

logger = logging.getLogger(__name__)

EXACT, STRONG, MEDIUM, WEAK = 4, 3, 2, 1
# Expansions per search word, strongest first: enough for every inflection and compound of a common word.
MAX_EXPANSIONS = 300
# Words analysed while a search waits; more are left to refresh_vocabulary() (bulk loads, the periodic job).
MAX_ANALYSED_PER_SEARCH = 2000
# How long a search's expansions are kept under the data version (as long as its result pages): its next pages and
# repeats need no vocabulary query.
EXPANSIONS_SECONDS = 60
# A typo is looked for by trigrams only for words this long and only when the word itself is unknown.
MIN_FUZZY_LENGTH = 4
MIN_PREFIX_LENGTH = 5
_PART_RE = re.compile(r"\+([^+(]*)(?:\(([^)]*)\))?")
_WORD_RE = re.compile(r"[^\W_]+")


@dataclass
class Analysis:
    lemmas: set[str] = field(default_factory=set)  # base forms of the whole word
    heads: set[str] = field(default_factory=set)  # base form of the last compound part (what the word is)
    parts: set[str] = field(default_factory=set)  # base forms of all compound parts
    inflected: bool = False  # the word is not itself one of its base forms


def _finnish_analysis(word: str, result: Analysis) -> bool:
    analyses = text.voikko_analyses(word)
    for analysis in analyses[:3]:
        baseform = (analysis.get("BASEFORM") or "").lower()
        if not baseform or not _WORD_RE.fullmatch(baseform.replace("-", "")):
            continue
        result.lemmas.add(baseform)
        before, head = _compound(analysis, baseform)
        if before:
            if len(head) >= 2:
                result.heads.add(head)
                result.parts.add(head)
            for surface, base in before:
                result.parts.update(form for form in {surface, base} if len(form) >= 3)
    result.inflected = bool(result.lemmas) and word not in result.lemmas
    return bool(analyses)


def _compound(analysis: dict, baseform: str) -> tuple[list[tuple[str, str]], str]:
    """A compound's parts before the last [(surface, base)], lower case, and the last part's base form ("lasten-
    neuvolassa" → [("lasten", "lapsi")], "neuvola"); ([], "") for a simple word.

    The base form keeps the earlier parts as written (lastenneuvola), so the last part is what follows them.
    """
    parts = [(surface.lower(), base.lower()) for surface, base in _compound_parts(analysis.get("WORDBASES") or "")]
    if len(parts) < 2:
        return [], ""
    before = "".join(surface for surface, _base in parts[:-1])
    head = baseform[len(before) :] if baseform.startswith(before) else parts[-1][1]
    return parts[:-1], head


def _compound_parts(wordbases: str) -> list[tuple[str, str]]:
    """Voikko's WORDBASES ("+lasten(lapsi)+neuvola(neuvola)") as compound parts [(surface, base)].

    A segment whose base starts with "+" (a derivational ending: "masenn(masentaa)+us(+us)") or has no base belongs
    to the part before it; the surface of a derived part is then its base ("kasvatus").
    """
    parts: list[list[str]] = []
    for surface, base in _PART_RE.findall(wordbases):
        if base and not base.startswith("+"):
            parts.append([surface, base])
        elif parts:
            parts[-1][0] += surface
            parts[-1][1] = parts[-1][0]
    return [(surface, base) for surface, base in parts if surface]


def analyse(word: str, known_swedish=None) -> Analysis:
    """Base forms and compound parts of one lower-case corpus word (Finnish if Voikko knows it, and Swedish)."""
    result = Analysis()
    finnish = _finnish_analysis(word, result)
    if not finnish and known_swedish is not None:
        for form in swedish.swedish_base_forms(word, known_swedish):
            if form != word:
                result.lemmas.add(form)
                result.inflected = True
        # [first part, last part, then their own parts]: the last part is what the word is (skyddshem → hem).
        parts = swedish.swedish_compound_parts(word, known_swedish)
        if len(parts) > 1:
            result.heads.add(parts[1])
        elif tail := _known_tail(word, known_swedish):
            # The first part is no word of the corpus (mödra-, tal-): the known tail still says what it is.
            parts = [tail]
            result.heads.add(tail)
        result.parts.update(parts)
    return result


MIN_TAIL = 5


def _known_tail(word: str, known) -> str:
    """The longest known word (or base form of one) of at least MIN_TAIL letters that *word* ends with, after at
    least three letters; "" if none."""
    for start in range(3, len(word) - MIN_TAIL + 1):
        tail = word[start:]
        for form in [tail, *swedish.swedish_base_forms(tail, known)]:
            if len(form) >= MIN_TAIL and known(form):
                return form
    return ""


def analyse_pending_words(limit: int | None = None) -> int:
    """Analyse vocabulary words not analysed yet (at most *limit*); returns how many were analysed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM services_searchword WHERE analysed_at IS NULL ORDER BY word"
            + (" LIMIT %s" if limit else ""),
            [limit] if limit else [],
        )
        words = [row[0] for row in cursor.fetchall()]
    if not words:
        return 0
    known = _KnownSwedish()
    # Base forms first, for the whole batch, so splitting a compound never depends on the order words arrive in
    # (mödrarådgivning splits on rådgivning even when the corpus has only rådgivningens).
    # The safe endings only (no corpus needed): rådgivningens → rådgivning.
    known.add({form for word in words if not _voikko_knows(word) for form in swedish.swedish_base_forms(word)})
    rows = []
    for word in words:
        analysis = analyse(word, known)
        rows.append(
            (
                word,
                sorted(analysis.lemmas - {word}),
                sorted(analysis.heads - {word}),
                sorted(analysis.parts - {word}),
                analysis.inflected,
            )
        )
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE services_searchword w
               SET lemmas = v.lemmas::text[], heads = v.heads::text[], parts = v.parts::text[],
                   inflected = v.inflected, analysed_at = %s
              FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::boolean[])
                   AS v(word, lemmas, heads, parts, inflected)
             WHERE w.word = v.word
            """,
            [
                now,
                [r[0] for r in rows],
                [_array_literal(r[1]) for r in rows],
                [_array_literal(r[2]) for r in rows],
                [_array_literal(r[3]) for r in rows],
                [r[4] for r in rows],
            ],
        )
    return len(rows)


def _array_literal(values: list[str]) -> str:
    # unnest() of a text[][] would need equal lengths; each row's array travels as a text[] literal instead.
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


class _KnownSwedish:
    """Is this a corpus word Voikko does not know (so likely Swedish or a name)? One query loads the corpus."""

    def __init__(self):
        self._words: set[str] | None = None
        self._finnish: dict[str, bool] = {}

    def _corpus(self) -> set[str]:
        if self._words is None:
            with connection.cursor() as cursor:
                # The corpus words and the base forms found for them: a compound's tail may occur only inflected.
                cursor.execute(
                    "SELECT word FROM services_searchword UNION SELECT unnest(lemmas) FROM services_searchword"
                )
                self._words = {row[0] for row in cursor.fetchall()}
        return self._words

    def add(self, words) -> None:
        self._corpus().update(words)

    def __call__(self, candidate: str) -> bool:
        if candidate not in self._corpus():
            return False
        if candidate not in self._finnish:
            self._finnish[candidate] = _voikko_knows(candidate)
        return not self._finnish[candidate]


def _voikko_knows(word: str) -> bool:
    return bool(text.voikko_analyses(word))


def refresh_vocabulary(*, prune: bool = False, reanalyse: bool = False) -> tuple[int, int]:
    """Add every word of the search documents to the vocabulary and analyse the new ones (after bulk loads).

    With *prune*, words no service uses any more are removed; with *reanalyse*, every word is analysed again (a
    Swedish compound splits on the words the corpus has, so an early analysis may improve as the corpus grows).
    Returns (words added or pruned, words analysed).
    """
    with connection.cursor() as cursor:
        if reanalyse:
            cursor.execute("UPDATE services_searchword SET analysed_at = NULL")
        cursor.execute(
            """
            INSERT INTO services_searchword (word, folded, lemmas, heads, parts, inflected)
            SELECT word, search_fold(word), '{}', '{}', '{}', false
              FROM ts_stat('SELECT search_document FROM services_service')
             WHERE char_length(word) <= 60
             ORDER BY word COLLATE "C"
            ON CONFLICT DO NOTHING
            """
        )
        changed = cursor.rowcount
        if prune:
            cursor.execute(
                """
                DELETE FROM services_searchword w
                 WHERE NOT EXISTS (SELECT 1 FROM ts_stat('SELECT search_document FROM services_service') s
                                    WHERE s.word = w.word)
                """
            )
            changed += cursor.rowcount
    analysed = analyse_all_pending_words()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE services_searchword")
    return changed, analysed


def analyse_all_pending_words(batch: int = 5000) -> int:
    """Analyse every word waiting (after an import, so searches need not); returns how many."""
    analysed = 0
    while True:
        count = analyse_pending_words(limit=batch)
        analysed += count
        if count < batch:
            return analysed


# --- Query time ---


@dataclass
class Expansion:
    """The corpus words standing for one search word, by strength; empty when it is a stop word."""

    term: str
    words: dict[str, int] = field(default_factory=dict)  # corpus word -> STRONG / MEDIUM / WEAK
    phrases: list[list[dict[str, int]]] = field(default_factory=list)  # multi-word synonyms: all words must match
    stop_word: bool = False
    known: bool = False  # the corpus has the word in some form (else a compound may be matched by its parts)

    def at_least(self, strength: int) -> list[str]:
        return sorted(w for w, s in self.words.items() if s >= strength)


_EXPAND_SQL = """
WITH atom_variants AS (
    -- Each atom's variants travel as one text[] literal (unnest cannot take a ragged text[][]).
    SELECT atom, variants::text[] AS variants, folded, fuzzy
      FROM unnest(%(atoms)s::int[], %(variants)s::text[], %(folded)s::text[], %(fuzzy)s::boolean[])
           AS t(atom, variants, folded, fuzzy)
),
exact AS (
    SELECT a.atom, w.word,
           CASE WHEN w.word = ANY(a.variants) AND NOT w.inflected THEN 4
                WHEN (w.heads && a.variants) AND NOT w.inflected THEN 3
                WHEN w.word = ANY(a.variants) OR w.lemmas && a.variants OR w.heads && a.variants THEN 2
                ELSE 1 END AS strength
      FROM atom_variants a
      JOIN services_searchword w
        ON w.word = ANY(a.variants) OR w.lemmas && a.variants OR w.heads && a.variants OR w.parts && a.variants
),
prefixed AS (
    SELECT a.atom, w.word, 1 AS strength
      FROM atom_variants a
      JOIN LATERAL (
          SELECT word FROM services_searchword
           WHERE char_length(a.variants[1]) >= %(min_prefix)s
             AND word LIKE replace(replace(replace(a.variants[1], '\\', '\\\\'), '%%', '\\%%'), '_', '\\_') || '%%'
           ORDER BY word LIMIT %(limit)s
      ) w ON true
),
fuzzy AS (
    SELECT a.atom, w.word, 1 AS strength
      FROM atom_variants a
      JOIN LATERAL (
          SELECT word FROM services_searchword
           WHERE a.fuzzy AND NOT EXISTS (SELECT 1 FROM exact e WHERE e.atom = a.atom AND e.strength >= 2)
             AND folded %%> a.folded
           ORDER BY folded <->> a.folded LIMIT 40
      ) w ON true
),
found AS (
    SELECT atom, word, max(strength) AS strength FROM (
        SELECT * FROM exact UNION ALL SELECT * FROM prefixed UNION ALL SELECT * FROM fuzzy
    ) everything
     GROUP BY atom, word
)
SELECT f.atom, f.word, f.strength FROM found f
 WHERE NOT EXISTS (
    SELECT 1 FROM services_searchexclusion x, atom_variants a
     WHERE a.atom = f.atom AND x.word = ANY(a.variants) AND f.word = ANY(x.excluded)
 )
 ORDER BY f.atom, f.strength DESC, f.word
"""


def _any_word(_word: str) -> bool:
    return True


def _corpus_words(atoms: list[tuple[list[str], bool]]) -> list[tuple[int, str, int]]:
    """(atom index, corpus word, strength) for each atom: a word's variants, and whether to look for typos."""
    with connection.cursor() as cursor:
        cursor.execute(
            _EXPAND_SQL,
            {
                "atoms": list(range(len(atoms))),
                "variants": [_array_literal(variants) for variants, _fuzzy in atoms],
                "folded": [fold(variants[0]) for variants, _fuzzy in atoms],
                "fuzzy": [fuzzy for _variants, fuzzy in atoms],
                "min_prefix": MIN_PREFIX_LENGTH,
                "limit": MAX_EXPANSIONS,
            },
        )
        return cursor.fetchall()


def _query_variants(term: str) -> list[str]:
    """The search word and its base forms (Finnish by Voikko, Swedish candidates by rule)."""
    variants = [term]
    # Every Swedish candidate: only those the corpus has can match, so over-generation costs nothing.
    for form in [*text.base_forms(term), *swedish.swedish_base_forms(term, _any_word)]:
        if form not in variants:
            variants.append(form)
    return variants


def _synonym_groups_and_pending() -> tuple[list[list[list[str]]], bool]:
    """Each synonym group (members, each a list of words), and whether words wait for analysis: one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ARRAY(SELECT words FROM services_searchsynonym ORDER BY id),"
            " EXISTS(SELECT 1 FROM services_searchword WHERE analysed_at IS NULL)"
        )
        texts, pending = cursor.fetchone()
    groups = []
    for group_text in texts:
        members = []
        for member in re.split(r"[,;\n]", group_text):
            words = [w for w in _WORD_RE.findall(member.lower()) if w not in STOP_WORDS]
            if words:
                members.append(words)
        if len(members) > 1:
            groups.append(members)
    return groups, pending


def expand(
    terms: list[str], *, pending_limit: int = MAX_ANALYSED_PER_SEARCH, version: int | None = None
) -> list[Expansion]:
    """The corpus words for each search word: two queries (more only when new words wait for analysis, or when a
    compound the corpus lacks is matched by its parts).

    With the search data *version* (caching.data_version(); None: no cache) the answer is cached under the words and
    the version for EXPANSIONS_SECONDS, unless words were waiting for analysis (analysing them moves the version).
    """
    if not terms:
        return []
    key = cache_key("search-expansions", version, tuple(terms), pending_limit) if version is not None else None
    if key:
        found = cache.get(key)
        if found is not None:
            return found
    expansions = _expand(terms, pending_limit=pending_limit)
    if key and not expansions.pending:
        cache.set(key, expansions, EXPANSIONS_SECONDS)
    return expansions


class _Expansions(list):
    """expand()'s list, remembering whether words waited for analysis (then it is not cached)."""

    pending = False


def _expand(terms: list[str], *, pending_limit: int) -> _Expansions:
    groups, pending = _synonym_groups_and_pending()
    if pending and pending_limit:
        try:
            with transaction.atomic():
                analyse_pending_words(limit=pending_limit)
        except Exception:  # a read-only replica or a lock: the search still works on what is analysed
            logger.exception("Could not analyse new search words")
    expansions = _Expansions(Expansion(term) for term in terms)
    expansions.pending = pending
    atoms: list[tuple[int, list[str], bool]] = []  # (expansion index or -1 for a synonym word, variants, fuzzy)
    synonym_atoms: list[tuple[int, int, int, int]] = []  # (expansion, phrase, word in phrase, atom)
    for index, expansion in enumerate(expansions):
        if expansion.term in STOP_WORDS and len(terms) > 1:
            expansion.stop_word = True
            continue
        variants = _query_variants(expansion.term)
        atoms.append((index, variants, len(expansion.term) >= MIN_FUZZY_LENGTH))
        for group in groups:
            if not any(len(member) == 1 and member[0] in variants for member in group):
                continue
            for member in group:
                if len(member) == 1 and member[0] in variants:
                    continue
                expansion.phrases.append([{} for _word in member])
                for word_index, word in enumerate(member):
                    synonym_atoms.append((index, len(expansion.phrases) - 1, word_index, len(atoms)))
                    atoms.append((-1, _query_variants(word), False))
    if not atoms:
        return expansions
    rows = _corpus_words([(variants, fuzzy) for _index, variants, fuzzy in atoms])
    by_atom: dict[int, dict[str, int]] = {}
    for atom, word, strength in rows:
        words = by_atom.setdefault(atom, {})
        if len(words) < MAX_EXPANSIONS:
            words[word] = strength
    for atom_index, (index, variants, _fuzzy) in enumerate(atoms):
        if index >= 0:
            found = by_atom.get(atom_index, {})
            expansions[index].known = any(strength >= MEDIUM for strength in found.values())
            expansions[index].words.update(found)
            # A word typed that the corpus does not have still matches itself if it appears later.
            expansions[index].words.setdefault(variants[0], EXACT)
    for index, phrase_index, word_index, atom_index in synonym_atoms:
        words = {w: min(s, MEDIUM) for w, s in by_atom.get(atom_index, {}).items() if s >= MEDIUM}
        expansions[index].phrases[phrase_index][word_index] = words
    for expansion in expansions:
        expansion.phrases = [p for p in expansion.phrases if all(p)]
    _add_compound_fallbacks(expansions)
    return expansions


def query_compound_parts(term: str) -> list[list[str]]:
    """A Finnish compound search word as its parts, each part's forms ("elatussopimus" → [[elatus], [sopimus]])."""
    if len(term) < 6:
        return []
    for analysis in text.voikko_analyses(term)[:1]:
        before, head = _compound(analysis, (analysis.get("BASEFORM") or "").lower())
        forms = [sorted({surface, base}) for surface, base in before] + [[head]]
        if before and all(len(form) >= 3 for part in forms for form in part):
            return forms
    return []


def _swedish_query_parts(term: str) -> list[list[str]]:
    """A Swedish compound search word split where the corpus knows the tail ("underhållsavtal" → underhåll, avtal)."""
    if len(term) < 6:
        return []
    with connection.cursor() as cursor:
        # The corpus words (and base forms) the word starts or ends with: all the splitter may ask about.
        cursor.execute(
            """
            SELECT word FROM services_searchword WHERE %(t)s LIKE word || '%%' OR %(t)s LIKE '%%' || word
            UNION SELECT form FROM services_searchword, unnest(lemmas) AS form WHERE %(t)s LIKE '%%' || form
            """,
            {"t": term},
        )
        known = {row[0] for row in cursor.fetchall()}
    parts = swedish.swedish_compound_parts(term, known.__contains__)
    if len(parts) < 2:
        return []
    return [[parts[0]], [parts[1]]]


def _add_compound_fallbacks(expansions: list[Expansion]) -> None:
    """A compound the corpus has in no form ("elatussopimus") matches a service that has all its parts instead."""
    atoms, owners = [], []
    for index, expansion in enumerate(expansions):
        # Only when the corpus has the word in no form and no synonym stands for it.
        if expansion.stop_word or expansion.known or expansion.phrases:
            continue
        parts = query_compound_parts(expansion.term) or _swedish_query_parts(expansion.term)
        if not parts:
            continue
        expansion.phrases.append([{} for _part in parts])
        for part_index, forms in enumerate(parts):
            owners.append((index, len(expansion.phrases) - 1, part_index))
            atoms.append(forms)
    if not atoms:
        return
    rows = _corpus_words([(forms, False) for forms in atoms])
    for atom, word, strength in rows:
        index, phrase_index, part_index = owners[atom]
        if strength >= MEDIUM:
            expansions[index].phrases[phrase_index][part_index][word] = MEDIUM
    for expansion in expansions:
        expansion.phrases = [p for p in expansion.phrases if all(p)]
