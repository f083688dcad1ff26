"""Search words: folding, splitting, Finnish base forms and the full-text/trigram match of each word.

Each search word must match, in one of two ways:
- full-text search on the precomputed per-language vectors (``finnish`` on the Finnish fields, ``swedish`` on the
  Swedish ones, ``english`` on the English ones; weights name A, summary B, description C, keywords + class +
  life-situation names D) with prefix matching on the stem: ``lastenneuvolassa`` → ``lastenneuvol:*``;
- trigram word similarity (``%>``) against ``search_text``, the folded names, keywords, class and life-situation
  names: finds words inside Finnish and Swedish compounds (``neuvola`` in *lastenneuvola*, ``rådgivning`` in
  *barnrådgivning*) and survives a typo (``lastenneuvla``); with Voikko installed (optional), also by the word's
  Finnish base form (``neuvolassa``).
Stop words (``ja``, ``och``) are ignored. Swedish pages search the Swedish and the Finnish vectors, English pages the
English and the Finnish ones; the page's language ranks first. The precomputed columns are maintained by triggers
(services/migrations/0003_search.py).
"""

from __future__ import annotations

import functools
import logging
import re
import threading

from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8

# The page language's text search configuration first, then the fallback.
TEXT_SEARCH = {
    "fi": (("fi", "finnish"),),
    "sv": (("sv", "swedish"), ("fi", "finnish")),
    "en": (("en", "english"), ("fi", "finnish")),
}


def search_language(language: str | None) -> str:
    """The language whose vectors a search reads first (fi unless sv or en)."""
    return language if language in TEXT_SEARCH else "fi"


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


def _stopword_free(config: str, term: str):
    """True in SQL when *term* is only a stop word in *config* (then it must not block a match)."""
    return RawSQL("numnode(to_tsquery(%s::regconfig, %s)) = 0", (config, term), output_field=BooleanField())


def _prefix_tsquery(config: str, terms: list[str], operator: str = "&") -> PgSearchQuery:
    return PgSearchQuery(f" {operator} ".join(f"{t}:*" for t in terms), search_type="raw", config=config)


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


def base_forms(term: str) -> list[str]:
    """Finnish base forms of an inflected word ("neuvolassa" → "neuvola").

    Trigram matching already finds words inside compounds and survives typos, but an inflected compound part
    ("neuvolassa", "puheterapeutille") is too far from the compound by trigrams; its base form is not. Voikko is a
    dependency (libvoikko with Debian's voikko-fi dictionary); where it is missing the search still works without
    base forms and ``check --deploy`` warns (perhekeskus.W005). See benchmarks/README.md for the measurements.
    """
    analyser = _voikko()
    if analyser is None or len(term) < 4:
        return []
    voikko, lock = analyser
    with lock:  # a Voikko handle is not thread-safe
        analyses = voikko.analyze(term)
    forms = []
    for analysis in analyses:
        form = (analysis.get("BASEFORM") or "").lower()
        if form and form != term and form not in forms and _WORD_RE.fullmatch(form):
            forms.append(form)
    return forms[:2]


def word_classes(word: str) -> set[str]:
    """Voikko's word classes for *word* ("paikannimi" for a place name, "nimisana" for a noun); empty if unknown."""
    analyser = _voikko()
    if analyser is None:
        return set()
    voikko, lock = analyser
    with lock:
        return {analysis.get("CLASS") or "" for analysis in voikko.analyze(word)}


def text_match_q(terms: list[str], language: str) -> Q:
    """Every term matches the page language's (or fallback) vector, or a folded name by trigrams."""
    condition = Q()
    for term in terms:
        term_q = Q()
        for lang, config in TEXT_SEARCH.get(language, TEXT_SEARCH["fi"]):
            term_q |= Q(**{f"search_vector_{lang}": _prefix_tsquery(config, [term])})
        for variant in [term, *base_forms(term)]:
            if len(variant) >= 3:
                term_q |= Q(search_text__trigram_word_similar=fold(variant))
        # A stop word matches nothing by itself; let it pass instead of sinking the whole query.
        for _lang, config in TEXT_SEARCH.get(language, TEXT_SEARCH["fi"])[:1]:
            term_q |= Q(_stopword_free(config, term))
        condition &= term_q
    return condition
