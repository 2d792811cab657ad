"""Everyday Spanish and English word frequencies, to tell common words from domain words.

The counts come from pyspellchecker's frequency lists (subtitle corpora), read once and summed
by stem: the lists keep mostly one form per word ("joven" but not "jóvenes").
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

from knowledge.text import stem, stem_many, words

LANGUAGES = {"es": 1.0, "en": 0.5}  # most users write Spanish
MIN_COUNT = 20


@lru_cache(maxsize=1)
def general_counts() -> tuple[dict[str, int], int]:
    """Return stem -> count over everyday Spanish and English, and the total count."""
    counts: Counter[str] = Counter()
    for language, scale in LANGUAGES.items():
        path = resources.files("spellchecker") / "resources" / f"{language}.json.gz"
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
            data: dict[str, int] = json.load(handle)
        # Rare words change nothing here and make loading slower: skip them.
        data = {w: c for w, c in data.items() if c >= MIN_COUNT}
        # Folding is slow; only words with accents or capitals need it.
        folded = [w if w.isascii() and w.islower() else "".join(words(w)[:1]) for w in data]
        for key, count in zip(stem_many(folded), data.values(), strict=True):
            if key:
                counts[key] += int(count * scale)
    return dict(counts), max(sum(counts.values()), 1)


def is_common(word: str, minimum: int = 100) -> bool:
    """Tell whether a folded word is an everyday word (never a typo to correct)."""
    return general_counts()[0].get(stem(word), 0) >= minimum


def specificity(word: str, domain: Mapping[str, int], domain_total: int) -> float:
    """Return log(P(stem | base) / P(stem | everyday language)), clipped to [-4, 4]."""
    general, total = general_counts()
    key = stem(word)
    ratio = ((domain.get(key, 0) + 0.5) / domain_total) / ((general.get(key, 0) + 0.5) / total)
    return max(-4.0, min(4.0, math.log(ratio)))
