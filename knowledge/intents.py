"""What kind of entry a question's wording asks for (a guide, an event, the bot itself)."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.phrases import PhraseTable
from knowledge.schema import Kind
from knowledge.text import words
from knowledge.vocab import read_yaml

# Share of its rank a candidate of another kind loses when the wording asks for one kind.
INTENT_PENALTY = 0.1


class Intents:
    """Phrases of knowledge/lexicon/intents.yaml, compiled, and the kind of every entry."""

    def __init__(self, kinds: Sequence[Kind]) -> None:
        """Compile the phrases; kinds gives each entry's kind, by entry number."""
        data = read_yaml("intents.yaml")
        self.kinds = kinds
        phrases: dict[tuple[str, ...], Kind] = {}
        self.requires: dict[Kind, frozenset[str]] = {}
        for name, spec in data.items():
            kind = Kind(name)
            listed = spec["phrases"] if isinstance(spec, dict) else spec
            if isinstance(spec, dict) and "requires" in spec:
                self.requires[kind] = frozenset(w for p in spec["requires"] for w in words(p))
            for phrase in listed:
                phrases[tuple(words(phrase))] = kind
        self.table = PhraseTable(phrases)

    def read(self, surface: Sequence[str], named: bool) -> Kind | None:
        """Return the kind the wording asks for, or None (named: a funder or country is named)."""
        found = {kind for _, _, kind in self.table.scan(surface) if kind is not None}
        found = {
            k for k in found if k not in self.requires or self.requires[k].intersection(surface)
        }
        if named:
            found.discard(Kind.TEMA)
        # Two different asks cancel out: the wording does not settle anything then.
        return found.pop() if len(found) == 1 else None

    def factors(self, docs: Sequence[int], kind: Kind | None) -> list[float]:
        """Return rank factors lowering other kinds, when one candidate of kind is among docs."""
        if kind is None or not any(self.kinds[d] is kind for d in docs):
            return []
        return [1.0 if self.kinds[d] is kind else 1 - INTENT_PENALTY for d in docs]
