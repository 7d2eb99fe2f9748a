"""What a search query may mean: its words as typed, with i/y spelling variants (kí/ký), and the
catalog's wording for common phrasings ("làm giấy khai sinh" → "đăng ký khai sinh") read from the
synonym list ``search_data/synonyms.json``, which is data: edited without touching code."""

from __future__ import annotations

import json
from functools import cache
from itertools import product
from pathlib import Path

from motcua.core.text import fold_words, spelling_key, spelling_variants

SYNONYMS_FILE = Path(__file__).resolve().parent / "search_data" / "synonyms.json"
MAX_READINGS = 8  # alternative word lists per query: enough for real phrasings, bounded for the database
MAX_PHRASES = 16  # spelled-out phrases a query's ranking compares names with


Pairs = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


def synonyms() -> Pairs:
    """(phrase words, meant words) pairs of the list, phrase words in ``spelling_key`` form, longest
    phrases first so that "sang tên sổ đỏ" wins over "sổ đỏ"."""
    return _load(SYNONYMS_FILE)


@cache  # read once per process and file
def _load(path: Path) -> Pairs:
    entries = json.loads(path.read_text(encoding="utf-8"))["synonyms"]
    pairs = {
        (tuple(spelling_key(w) for w in fold_words(phrase)), tuple(fold_words(entry["means"])))
        for entry in entries
        for phrase in entry["phrases"]
        if fold_words(phrase)
    }
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair)))


def _find(words: tuple[str, ...], phrase: tuple[str, ...]) -> int:
    for start in range(len(words) - len(phrase) + 1):
        if words[start : start + len(phrase)] == phrase:
            return start
    return -1


def readings(words: list[str]) -> list[tuple[str, ...]]:
    """The query as typed, then the query with each known phrasing replaced by the catalog's words."""
    typed = tuple(words)
    keyed = tuple(spelling_key(w) for w in words)
    found: list[tuple[str, ...]] = [typed]
    for phrase, meant in synonyms():
        start = _find(keyed, phrase)
        if start < 0:
            continue
        reading = typed[:start] + meant + typed[start + len(phrase) :]
        if reading not in found:
            found.append(reading)
        if len(found) >= MAX_READINGS:
            break
    return found


def spelled_phrases(reading: tuple[str, ...]) -> list[str]:
    """The reading as phrases, once per i/y spelling of its words (bounded)."""
    combos = product(*(spelling_variants(word) for word in reading))
    return [" ".join(combo) for _n, combo in zip(range(MAX_PHRASES), combos, strict=False)]
