"""Search words: folding, splitting, stop words, Finnish base forms, and their match through the vocabulary.

Each search word must match: it stands for the corpus words vocabulary.py finds for it (the word, its inflections and
base forms, compounds that contain it, its synonyms, and a close spelling when the word itself is unknown), and a
service matches when its search document (names, summary, description, keywords, class and life-situation names in
every language, as plain lower-case words; services/migrations/0006_search_vocabulary.py) has one of them. The match
is one GIN-indexed ``@@`` with plain lexemes. Stop words (``ja``, ``och``) are ignored when there are other words.
"""

from __future__ import annotations

import functools
import logging
import re
import threading

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8

# Ignored when the query has other words: they would match nearly everything (and carry no meaning alone).
_STOP_WORDS_TEXT = (
    "ja tai sekä eli on ei se että kuin myös jos kun and or the of for in on to a an with "
    "och eller i på för med till av en ett att som om det den är vid"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
SEARCH_LANGUAGES = ("fi", "sv", "en")


def search_language(language: str | None) -> str:
    """The language whose vectors a search reads first (fi unless sv or en)."""
    return language if language in SEARCH_LANGUAGES else "fi"


# Mirrors the SQL function search_fold() (migration 0003); a test keeps the two in step.
_FOLD = str.maketrans("åäöæøüáàâãāéèêëēíìîïóòôõúùûūñńçčšśžźýÿđðþ", "aaoaouaaaaaeeeeeiiiioooouuuunnccsszzyyddt")
# Mirrors search_sort_key(): å ä ö after z, as in Finnish and Swedish.
_SORT = str.maketrans("åäæöøüáàâãāéèêëēíìîïóòôõúùûūñńçčšśžźýÿđðþ", "{||}}yaaaaaeeeeeiiiioooouuuunnccsszzyyddt")
_WORD_RE = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    return text.lower().translate(_FOLD)


def sort_key(text: str) -> str:
    return text.strip(" \"'«»”“").lower().translate(_SORT)


def search_terms(q: str) -> list[str]:
    """The words of a query (letters and digits only, so nothing reaches tsquery syntax)."""
    terms = []
    for word in _WORD_RE.findall(q.lower()):
        if word not in terms:
            terms.append(word[:60])
    return terms[:MAX_TERMS]


@functools.cache
def _voikko():
    """Voikko's Finnish analyser if libvoikko and a Finnish dictionary are installed, else None."""
    try:
        import libvoikko

        return libvoikko.Voikko("fi"), threading.Lock()
    except Exception:  # ImportError, OSError (no libvoikko.so), VoikkoException (no dictionary)
        logger.warning("Voikko not available; Finnish search words are matched without base forms")
        return None


def voikko_available() -> bool:
    return _voikko() is not None


def voikko_analyses(word: str) -> list[dict]:
    """Voikko's analyses of *word* (empty when Voikko is missing or does not know the word). Read-only: the same
    dicts are handed to every caller (every search reads its words' analyses for the place words, not only once)."""
    analyser = _voikko()
    if analyser is None:
        return []
    return list(_analyses(analyser, word))


@functools.lru_cache(maxsize=4096)
def _analyses(analyser, word: str) -> tuple[dict, ...]:
    voikko, lock = analyser
    with lock:  # a Voikko handle is not thread-safe
        return tuple(voikko.analyze(word))


def base_forms(term: str) -> list[str]:
    """Finnish base forms of an inflected word ("neuvolassa" → "neuvola").

    Voikko is a dependency (libvoikko with Debian's voikko-fi dictionary); where it is missing the search still works
    without base forms and ``check --deploy`` warns (perhekeskus.W005). See benchmarks/README.md for the measurements.
    """
    if len(term) < 4:
        return []
    forms = []
    for analysis in voikko_analyses(term):
        form = (analysis.get("BASEFORM") or "").lower()
        if form and form != term and form not in forms and _WORD_RE.fullmatch(form):
            forms.append(form)
    return forms[:2]


def word_classes(word: str) -> set[str]:
    """Voikko's word classes for *word* ("paikannimi" for a place name, "nimisana" for a noun); empty if unknown."""
    return {analysis.get("CLASS") or "" for analysis in voikko_analyses(word)}


def tsquery_text(words, weight: str = "") -> str:
    """Corpus words as a tsquery of lexemes ORed ("'a' | 'b'", or "'a':A | 'b':A" with a weight); quotes escaped."""
    suffix = f":{weight}" if weight else ""
    return " | ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" + suffix for w in sorted(words))


def match_tsquery(expansions) -> str:
    """The tsquery a service's search document must match: every (non-stop) word by one of its corpus words."""
    clauses = []
    for expansion in expansions:
        if expansion.stop_word:
            continue
        options = [tsquery_text(expansion.words)] if expansion.words else []
        for phrase in expansion.phrases:
            options.append(" & ".join(f"({tsquery_text(words)})" for words in phrase))
        clauses.append("(" + " | ".join(f"({option})" for option in options) + ")")
    return " & ".join(clauses)


def text_match_q(terms: list[str], language: str = "fi", *, expansions=None) -> Q:
    """Services whose search document has, for every search word, one of the corpus words standing for it."""
    from .vocabulary import expand

    if expansions is None:
        expansions = expand(terms)
    tsquery = match_tsquery(expansions)
    if not tsquery:
        return Q()
    # The tsquery goes in as a one-row subquery on purpose: the planner then cannot estimate how many rows match
    # and takes the GIN index. Given the constant, a common word looks like half the table and it chooses a
    # sequential scan, which must unpack every service's out-of-line document (ten times slower).
    return Q(
        RawSQL('"services_service"."search_document" @@ (SELECT %s::tsquery)', (tsquery,), output_field=BooleanField())
    )
