"""Greedy longest-match replacement of word sequences (phrases) inside token lists."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Generic, TypeVar

V = TypeVar("V")


class PhraseTable(Generic[V]):
    """Phrases (tuples of tokens) mapped to values, matched longest first."""

    def __init__(self, phrases: Mapping[tuple[str, ...], V]) -> None:
        """Index phrases by their first token so scanning touches only plausible matches."""
        self._by_first: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        for phrase, value in phrases.items():
            if phrase:
                self._by_first.setdefault(phrase[0], []).append((phrase, value))
        for options in self._by_first.values():
            options.sort(key=lambda option: -len(option[0]))

    def __contains__(self, phrase: tuple[str, ...]) -> bool:
        """Tell whether phrase is in the table."""
        return any(p == phrase for p, _ in self._by_first.get(phrase[0], ())) if phrase else False

    def scan(self, tokens: Sequence[str]) -> Iterator[tuple[int, int, V | None]]:
        """Yield (start, end, value) spans covering tokens; value is None where nothing matched."""
        i, n = 0, len(tokens)
        while i < n:
            for phrase, value in self._by_first.get(tokens[i], ()):
                end = i + len(phrase)
                if end <= n and tuple(tokens[i:end]) == phrase:
                    yield i, end, value
                    i = end
                    break
            else:
                yield i, i + 1, None
                i += 1
