"""Rank entries for a question: BM25F recall, then evidence from coverage and example questions."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
_W_BM25, _W_QUESTION, _W_NAME, _W_TITLE, _W_FUZZY = (
    WEIGHTS[k] for k in ("bm25", "question", "name", "title", "fuzzy")
)
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
        # Every term of an entry's example questions: most candidates share none with a question.
        self._question_terms = [frozenset().union(*qs) for qs in questions]

    def importance(self, term: str) -> float:
        """Return how much a query term says; unknown words count as rare ones."""
        return self.index.idf.get(term, self.index.max_idf)

    def _norm(self, terms: frozenset[str]) -> float:
        """Return the idf-weighted Euclidean norm of a term set."""
        return math.sqrt(sum(self.importance(t) ** 2 for t in terms)) or 1.0

    def rank(
        self,
        slots: Sequence[Slot],
        text: str,
        limit: int = CANDIDATES,
        wanted: Callable[[int], bool] | None = None,
    ) -> list[Evidence]:
        """Return evidence for the best limit candidates, best first (text: the folded question).

        The candidates are always the best CANDIDATES of BM25F, whatever the limit: the limit
        only spares the character comparison (the costliest evidence) of candidates that cannot
        make the first limit places. Candidates whose entry number wanted accepts come too,
        wherever they rank.
        """
        if not slots or not self.index.size:
            return []
        weighted = [pair for slot in slots for pair in slot.weighted()]
        top = self.index.scores(weighted, CANDIDATES)
        query = _QueryWeights(slots, self.importance)
        found = [self._partial(doc, score, query) for doc, score in top]
        terms = [s.term for s in slots]
        factors: list[list[float]] = [[] for _ in found]
        for n, factor in enumerate(self._prefer_named([e.doc for e in found], terms)):
            factors[n].append(factor)
        if self.intents is not None:
            named = any(t in self.entities for t in terms)
            kind = self.intents.read(text.split(), named)
            for n, factor in enumerate(self.intents.factors([e.doc for e in found], kind)):
                factors[n].append(factor)
        return self._resolve(found, factors, query, text, limit, wanted)

    def _resolve(
        self,
        found: list[_Partial],
        factors: list[list[float]],
        query: _QueryWeights,
        text: str,
        limit: int,
        wanted: Callable[[int], bool] | None,
    ) -> list[Evidence]:
        """Compare characters best ceiling first, until no other candidate can reach the top."""

        def final(n: int, fuzzy: float) -> float:
            rank = (found[n].base + _W_FUZZY * fuzzy) / _TOTAL
            for factor in factors[n]:
                rank = rank * factor
            return rank

        # Rounding is monotonic: a candidate's rank never exceeds its rank with fuzzy = 1.
        ceiling = [final(n, 1.0) for n in range(len(found))]
        order = sorted(range(len(found)), key=lambda n: (-ceiling[n], found[n].doc))
        done: list[Evidence] = []
        best_ranks: list[float] = []  # the limit best ranks so far, as a min-heap
        settled = False
        for n in order:
            e = found[n]
            if not settled and len(best_ranks) >= limit:
                settled = ceiling[n] < best_ranks[0]
            if settled and (wanted is None or not wanted(e.doc)):
                continue
            # rapidfuzz >= 3 does not normalise: both sides are already folded.
            best = process.extractOne(
                text, self.texts[e.doc], scorer=fuzz.token_set_ratio, processor=None
            )
            fuzzy = best[1] / 100 if best else 0.0
            rank = final(n, fuzzy)
            coverage = query.share(self.index.doc_terms[e.doc], query.linear) / query.total
            done.append(
                Evidence(e.doc, e.bm25, coverage, e.question, e.name, e.title, fuzzy, rank)
            )
            if len(best_ranks) < limit:
                heapq.heappush(best_ranks, rank)
            elif rank > best_ranks[0]:
                heapq.heapreplace(best_ranks, rank)
        done.sort(key=lambda e: (-e.rank, e.doc))
        return done if wanted is not None else done[:limit]

    def _prefer_named(self, docs: list[int], terms: Sequence[str]) -> list[float]:
        """Return rank factors that lower candidates lacking the question's funder or country."""
        named = {t: self.importance(t) for t in terms if t in self.entities}
        total = sum(named.values())
        if not total or not docs:
            return []
        names, owners = self.index.name_terms, self.index.owner_terms

        def share(doc: int) -> float:
            found_in = (
                1.0 if t in owners[doc] else KEYWORD_NAME_SHARE if t in names[doc] else 0.0
                for t in named
            )
            return sum(w * f for w, f in zip(named.values(), found_in, strict=True)) / total

        shares = [share(doc) for doc in docs]
        if not any(shares):
            return []
        return [1 - UNNAMED_PENALTY * (1 - share) for share in shares]

    def _partial(self, doc: int, score: float, query: _QueryWeights) -> _Partial:
        """Compute the name, title and example-question evidence of one candidate."""
        index = self.index
        name = query.share(index.name_terms[doc], query.linear) / query.total
        # Squared idf: a rare word of the title (a funder's name) outweighs common ones.
        title = query.share(index.title_terms[doc], query.squared) / query.norm2
        question = 0.0
        if not query.terms.isdisjoint(self._question_terms[doc]):
            qnorm, squared = query.norm, query.squared
            for qterms, norm in zip(self.questions[doc], self._norms[doc], strict=True):
                if not query.terms.isdisjoint(qterms):
                    question = max(question, query.share(qterms, squared) / (qnorm * norm))
        bm25 = min(score / query.total, 1.0)
        # The weighted sum in the order of the full rank, all but the character comparison.
        base = _W_BM25 * bm25 + _W_QUESTION * question + _W_NAME * name + _W_TITLE * title
        return _Partial(doc, bm25, question, name, title, base)


@dataclass(frozen=True)
class _Partial:
    """Evidence of a candidate before the character comparison with its example questions."""

    doc: int
    bm25: float
    question: float
    name: float
    title: float
    base: float


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
        total = sum(map(weights.__getitem__, self.terms & terms))
        for own, others in self.alternatives:
            if own in terms:
                hits = others & terms
                if hits:
                    total -= sum(map(weights.__getitem__, hits))
        return total
