"""Rank entries for a question: BM25F recall, then evidence from coverage and example questions."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from knowledge.analyzer import Slot
from knowledge.index import FieldIndex

if TYPE_CHECKING:
    from knowledge.intents import Intents

CANDIDATES = 20
# How much of the combined rank each piece of evidence carries.
# Fitted on part of the labelled questions (bench/qa_quality.py --split tune): the title and the
# other name fields weigh most, because a question names what it is about.
# "fuzzy" compares characters with the example questions, for what spelling left unfixed.
WEIGHTS = {"bm25": 0.4, "question": 0.2, "name": 0.6, "title": 0.6, "fuzzy": 0.18}
_TOTAL = sum(WEIGHTS.values())
# A question that names a funder or a country asks about the entries named after it: candidates
# whose title and funder lack the names the question gives lose up to this share of their rank
# (when some candidate has them); a name found only among the keywords (a partner) counts half.
UNNAMED_PENALTY = 0.2
KEYWORD_NAME_SHARE = 0.5


@dataclass(frozen=True)
class Evidence:
    """Why one entry matches a question; every value is in 0-1."""

    doc: int
    bm25: float
    coverage: float
    question: float
    name: float
    title: float
    fuzzy: float
    rank: float


class Ranker:
    """Scores candidate entries for analysed questions."""

    def __init__(
        self,
        index: FieldIndex,
        questions: Sequence[Sequence[frozenset[str]]],
        texts: Sequence[Sequence[str]],
        entities: frozenset[str] = frozenset(),
        intents: Intents | None = None,
    ) -> None:
        """Keep the index, example questions, the terms that name entities and the intents."""
        self.index = index
        self.entities = entities
        self.intents = intents
        self.questions = questions
        self.texts = texts
        self._norms = [[self._norm(q) for q in qs] for qs in questions]

    def importance(self, term: str) -> float:
        """Return how much a query term says; unknown words count as rare ones."""
        return self.index.idf.get(term, self.index.max_idf)

    def _norm(self, terms: frozenset[str]) -> float:
        """Return the idf-weighted Euclidean norm of a term set."""
        return math.sqrt(sum(self.importance(t) ** 2 for t in terms)) or 1.0

    def rank(self, slots: Sequence[Slot], text: str, limit: int = CANDIDATES) -> list[Evidence]:
        """Return evidence for the best candidates, best first (text: the folded question)."""
        if not slots or not self.index.size:
            return []
        weighted = [pair for slot in slots for pair in slot.weighted()]
        top = self.index.scores(weighted, CANDIDATES)
        query = _QueryWeights(slots, self.importance)
        found = [self._evidence(doc, score, query, text) for doc, score in top]
        terms = [s.term for s in slots]
        found = self._prefer_named(found, terms)
        if self.intents is not None:
            named = any(t in self.entities for t in terms)
            found = self.intents.adjust(found, self.intents.read(text.split(), named))
        found.sort(key=lambda e: (-e.rank, e.doc))
        return found[:limit]

    def _prefer_named(self, found: list[Evidence], terms: Sequence[str]) -> list[Evidence]:
        """Lower candidates that lack the funder or country names of the question."""
        named = {t: self.importance(t) for t in terms if t in self.entities}
        total = sum(named.values())
        if not total or not found:
            return found
        names, owners = self.index.name_terms, self.index.owner_terms

        def share(doc: int) -> float:
            found_in = (
                1.0 if t in owners[doc] else KEYWORD_NAME_SHARE if t in names[doc] else 0.0
                for t in named
            )
            return sum(w * f for w, f in zip(named.values(), found_in, strict=True)) / total

        shares = [share(e.doc) for e in found]
        if not any(shares):
            return found
        return [
            replace(e, rank=e.rank * (1 - UNNAMED_PENALTY * (1 - share)))
            for e, share in zip(found, shares, strict=True)
        ]

    def _evidence(self, doc: int, score: float, query: _QueryWeights, text: str) -> Evidence:
        """Compute coverage, name, title and example-question evidence for one candidate."""
        index = self.index
        coverage = query.share(index.doc_terms[doc], query.linear) / query.total
        name = query.share(index.name_terms[doc], query.linear) / query.total
        # Squared idf: a rare word of the title (a funder's name) outweighs common ones.
        title = query.share(index.title_terms[doc], query.squared) / query.norm2
        question = max(
            (
                query.share(qterms, query.squared) / (query.norm * norm)
                for qterms, norm in zip(self.questions[doc], self._norms[doc], strict=True)
            ),
            default=0.0,
        )
        # rapidfuzz >= 3 does not normalise: both sides are already folded.
        best = process.extractOne(
            text, self.texts[doc], scorer=fuzz.token_set_ratio, processor=None
        )
        fuzzy = best[1] / 100 if best else 0.0
        bm25 = min(score / query.total, 1.0)
        w = WEIGHTS
        rank = (
            w["bm25"] * bm25
            + w["question"] * question
            + w["name"] * name
            + w["title"] * title
            + w["fuzzy"] * fuzzy
        ) / _TOTAL
        return Evidence(doc, bm25, coverage, question, name, title, fuzzy, rank)


class _QueryWeights:
    """Per-question term weights, computed once and shared by all candidates."""

    def __init__(self, slots: Sequence[Slot], importance: Callable[[str], float]) -> None:
        """Weigh each slot term (and its alternatives) by idf and idf squared."""
        self.linear: dict[str, float] = {}
        self.squared: dict[str, float] = {}
        for slot in slots:
            weight = importance(slot.term)
            for term, share in slot.weighted():
                self.linear[term] = max(self.linear.get(term, 0.0), share * weight)
                self.squared[term] = max(self.squared.get(term, 0.0), share * weight * weight)
        self.terms = frozenset(self.linear)
        # Alternatives only count when their slot's own term is missing.
        self.alternatives = [
            (slot.term, frozenset(t for t, _ in slot.alternatives))
            for slot in slots
            if slot.alternatives
        ]
        self.total = sum(importance(s.term) for s in slots) or 1.0
        self.norm2 = sum(importance(s.term) ** 2 for s in slots) or 1.0
        self.norm = math.sqrt(self.norm2)

    def share(self, terms: frozenset[str], weights: dict[str, float]) -> float:
        """Return the summed weight of the question terms found in terms."""
        total = sum(weights[t] for t in self.terms & terms)
        for own, others in self.alternatives:
            hits = others & terms
            if own in terms and hits:
                total -= sum(weights[t] for t in hits)
        return total
