"""Rank entries for a question: BM25F recall, then evidence from coverage and example questions."""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.analyzer import Slot
from knowledge.index import FieldIndex

CANDIDATES = 30
# How much of the combined rank each piece of evidence carries.
# Fitted on part of the labelled questions (bench/qa_quality.py --split tune): the title and the
# other name fields weigh most, because a question names what it is about.
WEIGHTS = {"bm25": 0.4, "question": 0.2, "name": 0.6, "title": 0.6}
_TOTAL = sum(WEIGHTS.values())


@dataclass(frozen=True)
class Evidence:
    """Why one entry matches a question; every value is in 0-1."""

    doc: int
    bm25: float
    coverage: float
    question: float
    name: float
    title: float
    rank: float


def _hit(slot: Slot, terms: frozenset[str]) -> float:
    """Return the weight with which a slot (or one of its alternatives) is in terms."""
    return max((w for t, w in slot.weighted() if t in terms), default=0.0)


class Ranker:
    """Scores candidate entries for analysed questions."""

    def __init__(self, index: FieldIndex, questions: Sequence[Sequence[frozenset[str]]]) -> None:
        """Keep the index and each entry's example questions as term sets."""
        self.index = index
        self.questions = questions
        self._norms = [[self._norm(q) for q in qs] for qs in questions]

    def importance(self, term: str) -> float:
        """Return how much a query term says; unknown words count as rare ones."""
        return self.index.idf.get(term, self.index.max_idf)

    def _norm(self, terms: frozenset[str]) -> float:
        """Return the idf-weighted Euclidean norm of a term set."""
        return math.sqrt(sum(self.importance(t) ** 2 for t in terms)) or 1.0

    def rank(self, slots: Sequence[Slot], limit: int = CANDIDATES) -> list[Evidence]:
        """Return evidence for the best candidates, best first."""
        if not slots or not self.index.size:
            return []
        weighted = [pair for slot in slots for pair in slot.weighted()]
        scores = self.index.scores(weighted)
        top = heapq.nlargest(CANDIDATES, scores.items(), key=lambda item: item[1])
        total = sum(self.importance(s.term) for s in slots) or 1.0
        query_norm = math.sqrt(sum(self.importance(s.term) ** 2 for s in slots)) or 1.0
        found = [self._evidence(doc, score, slots, total, query_norm) for doc, score in top]
        found.sort(key=lambda e: (-e.rank, e.doc))
        return found[:limit]

    def _evidence(
        self, doc: int, score: float, slots: Sequence[Slot], total: float, query_norm: float
    ) -> Evidence:
        """Compute coverage and example-question similarity for one candidate."""
        index = self.index
        terms, names, title = index.doc_terms[doc], index.name_terms[doc], index.title_terms[doc]
        covered = named = titled = 0.0
        for slot in slots:
            weight = self.importance(slot.term)
            covered += weight * _hit(slot, terms)
            named += weight * _hit(slot, names)
            # Squared idf: a rare word of the title (a funder's name) outweighs common ones.
            titled += weight * weight * _hit(slot, title)
        coverage, name, title_share = covered / total, named / total, titled / query_norm**2
        question = 0.0
        for qterms, norm in zip(self.questions[doc], self._norms[doc], strict=True):
            shared = 0.0
            for slot in slots:
                shared += _hit(slot, qterms) * self.importance(slot.term) ** 2
            question = max(question, shared / (query_norm * norm))
        bm25 = min(score / total, 1.0)
        w = WEIGHTS
        rank = (
            w["bm25"] * bm25 + w["question"] * question + w["name"] * name + w["title"] * title_share
        ) / _TOTAL
        return Evidence(doc, bm25, coverage, question, name, title_share, rank)
