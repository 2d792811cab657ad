"""Turn a user question into weighted query terms: spelling, rewrites, synonyms, expansions."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.general import is_common
from knowledge.index import FieldIndex
from knowledge.spelling import Speller
from knowledge.text import stem, words
from knowledge.vocab import Lexicon

# Weight of an indexed word that starts like a question word the base lacks.
VARIANT_WEIGHT = 0.6


@dataclass(frozen=True)
class Slot:
    """One concept of the question: its term plus weaker alternatives (acronym -> country)."""

    term: str
    alternatives: tuple[tuple[str, float], ...] = ()

    def weighted(self) -> tuple[tuple[str, float], ...]:
        """Return (term, weight) pairs, the slot's own term first."""
        return ((self.term, 1.0), *self.alternatives)


@dataclass(frozen=True)
class Analysis:
    """An analysed question: concepts, content words, and all words (spelling fixed)."""

    slots: list[Slot]
    words: tuple[str, ...]
    surface: tuple[str, ...]


class Analyzer:
    """Analyses questions against one base: its vocabulary decides what counts as a typo."""

    def __init__(self, lexicon: Lexicon, speller: Speller, index_terms: FieldIndex) -> None:
        """Keep the lexicon, the base's speller and the set of indexed terms."""
        self.lexicon = lexicon
        self.speller = speller
        self.index_terms = index_terms

    def known(self, word: str) -> bool:
        """Tell whether a folded word needs no spelling correction."""
        return (
            word in self.speller
            or word in self.lexicon.known_words
            or not word.isalpha()
            or stem(word) in self.index_terms
            or is_common(word)
        )

    def correct(self, text: str) -> list[str]:
        """Return the folded words of text with unknown words replaced by their correction."""
        out = []
        for word in words(text):
            if not self.known(word):
                word = self.speller.correct(word) or word
            out.append(word)
        return out

    def analyse(self, text: str) -> Analysis:
        """Return the concepts of a question and its content words."""
        lex = self.lexicon
        surface = tuple(lex.rewrite(self.correct(text)))
        content = tuple(w for w in surface if w not in lex.stopwords)
        return Analysis(self._slots(lex.canonical(lex.stems(content))), content, surface)

    def slots(self, text: str) -> list[Slot]:
        """Return the concepts of a question, once each, in order."""
        return self.analyse(text).slots

    def _slots(self, terms: list[str]) -> list[Slot]:
        """Turn canonical terms into slots with their expansions, dropping repeats."""
        lex = self.lexicon
        seen: set[str] = set()
        slots = []
        for term in terms:
            if term in seen:
                continue
            seen.add(term)
            extra = tuple((t, lex.expansion_weight) for t in lex.expansions.get(term, ()))
            if term not in self.index_terms:
                # A derived form the base does not use: its indexed relatives stand in, weaker.
                extra += tuple((t, VARIANT_WEIGHT) for t in self.index_terms.variants(term))
            slots.append(Slot(term, extra))
        return slots
