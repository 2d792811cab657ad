"""Typo correction of unknown words against the vocabulary of the base."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 4
CACHE_LIMIT = 50_000


def _deletes(word: str) -> set[str]:
    """Return the word with each single letter removed."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def max_distance(word: str) -> int:
    """Return how many edits a word of this length may carry and still be corrected."""
    # Two edits turn many short Spanish words into others ("tinacos" -> "tipicos").
    return 1 if len(word) <= 8 else 2


class Speller:
    """Corrects a word to the closest known word, using a single-deletion candidate index."""

    def __init__(self, counts: Counter[str]) -> None:
        """Index the vocabulary (word -> frequency); only alphabetic words of useful length."""
        self._counts = counts
        self._deletes: dict[str, set[str]] = {}
        # Words by (first letter, length): the fallback for two edits the deletions miss.
        self._buckets: dict[tuple[str, int], list[str]] = {}
        for word in counts:
            if len(word) < MIN_LENGTH - 1 or not word.isalpha():
                continue
            for key in {word, *_deletes(word)}:
                self._deletes.setdefault(key, set()).add(word)
            self._buckets.setdefault((word[0], len(word)), []).append(word)
        self._cache: dict[str, str | None] = {}

    def __contains__(self, word: str) -> bool:
        """Tell whether word is in the vocabulary."""
        return word in self._counts

    def correct(self, word: str) -> str | None:
        """Return the best known word within reach of word, or None."""
        if word in self._cache:
            return self._cache[word]
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        result = self._correct(word) if len(word) >= MIN_LENGTH and word.isalpha() else None
        self._cache[word] = result
        return result

    def _correct(self, word: str) -> str | None:
        """Search deletion neighbours first, then the same-initial length bucket."""
        limit = max_distance(word)
        candidates: set[str] = set()
        for key in {word, *_deletes(word)}:
            candidates |= self._deletes.get(key, set())
        best = self._best(word, candidates, limit)
        if best is None and limit > 1:
            pool = [
                w
                for size in range(len(word) - limit, len(word) + limit + 1)
                for w in self._buckets.get((word[0], size), ())
            ]
            found = process.extractOne(word, pool, scorer=OSA.distance, score_cutoff=limit)
            best = found[0] if found else None
        return best

    def _best(self, word: str, candidates: Iterable[str], limit: int) -> str | None:
        """Pick the closest candidate; ties go to the same initial, then the most frequent."""
        scored = [
            (OSA.distance(word, c), c[0] != word[0], -self._counts[c], c) for c in candidates
        ]
        scored = [s for s in scored if s[0] <= limit]
        return min(scored)[3] if scored else None
