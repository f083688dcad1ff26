"""Time the Swedish base forms and compound splitting (services/search/swedish.py) per word.

    .venv/bin/python benchmarks/swedish_words.py               # 5 000 words, 5 rounds
    .venv/bin/python benchmarks/swedish_words.py --words 20000 --show 40

The known words are the Swedish vocabulary of the demo catalogue and of the Swedish translations (what the search
vocabulary would hold); the word list is that vocabulary, then inflected compounds made of its nouns (definite,
plural and genitive endings, linking -s-) until it has --words words. No database is needed.
"""

import argparse
import dataclasses
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perhekeskus.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from services.demo import catalogue  # noqa: E402
from services.search.swedish import swedish_base_forms, swedish_compound_parts  # noqa: E402

WORD = re.compile(r"[a-zåäö]+")


def swedish_texts(value):
    """The Swedish element of every (fi, sv, en) triple in the catalogue."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from swedish_texts(getattr(value, item.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from swedish_texts(item)
    elif isinstance(value, list | tuple):
        if len(value) == 3 and all(isinstance(item, str) for item in value):
            yield value[1]
        else:
            for item in value:
                yield from swedish_texts(item)


def vocabulary() -> set[str]:
    texts = [text for value in vars(catalogue).values() for text in swedish_texts(value)]
    po = (ROOT / "locale/sv/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    texts += re.findall(r'^msgstr "(.*)"$', po, flags=re.MULTILINE)
    return {word for text in texts for word in WORD.findall(text.lower()) if len(word) >= 2}


def word_list(known: set[str], size: int) -> list[str]:
    words = sorted(known)
    nouns = [w for w in words if len(w) >= 4]
    rng = random.Random(8)  # noqa: S311 (a repeatable word list, not a secret)
    endings = ["", "en", "et", "er", "ar", "erna", "arna", "ens", "ets", "s"]
    seen = set(words)
    while len(words) < size:
        word = rng.choice(nouns) + rng.choice(["", "s", ""]) + rng.choice(nouns) + rng.choice(endings)
        if word not in seen and len(word) <= 60:
            seen.add(word)
            words.append(word)
    return words[:size]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--show", type=int, default=0, help="print the analysis of this many corpus compounds")
    args = parser.parse_args()

    known = vocabulary()
    words = word_list(known, args.words)
    is_known = known.__contains__
    timings = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for word in words:
            swedish_base_forms(word, is_known)
            swedish_compound_parts(word, is_known)
        timings.append((time.perf_counter() - start) / len(words) * 1e6)
    slowest = max(words, key=lambda w: _time_one(w, is_known))
    long_word = "barnskyddsanmälningsmottagningsfamiljerådgivningsgrupperna"
    with_forms = sum(1 for w in words if swedish_base_forms(w, is_known))
    with_parts = sum(1 for w in words if swedish_compound_parts(w, is_known))
    print(f"{len(known)} known words, {len(words)} words, {args.rounds} rounds")
    print(f"base forms + compound parts: median {statistics.median(timings):.1f} µs/word (min {min(timings):.1f})")
    print(
        f"slowest word {slowest!r}: {_time_one(slowest, is_known):.0f} µs; {long_word!r}: "
        f"{_time_one(long_word, is_known):.0f} µs"
    )
    print(f"words with a base form: {with_forms}, split into parts: {with_parts}")
    corpus_splits = [(w, swedish_compound_parts(w, is_known)) for w in sorted(known)]
    corpus_splits = [(w, parts) for w, parts in corpus_splits if parts]
    print(f"corpus words split: {len(corpus_splits)} of {len(known)}")
    for word, parts in corpus_splits[: args.show]:
        print(f"  {word}: {swedish_base_forms(word, is_known)} {parts}")


def _time_one(word, is_known, repeat=20):
    start = time.perf_counter()
    for _ in range(repeat):
        swedish_base_forms(word, is_known)
        swedish_compound_parts(word, is_known)
    return (time.perf_counter() - start) / repeat * 1e6


if __name__ == "__main__":
    main()
