"""Calibrated confidence and the answer / suggest / decline decision."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from knowledge.analyzer import Analysis
from knowledge.filters import Reading
from knowledge.general import specificity
from knowledge.index import FieldIndex
from knowledge.phrases import PhraseTable
from knowledge.ranking import Evidence
from knowledge.text import words
from knowledge.vocab import Lexicon, number_forms, read_yaml

if TYPE_CHECKING:
    from knowledge.search import Match

# Logistic model of "this question is in scope", fitted (class-balanced logistic regression) on
# the "tune" 70 % of tests/data/preguntas.yaml; the "check" 30 % (bench/qa_quality.py --split
# check) and tests/data/preguntas_extra.yaml confirm it. Features are in 0-1 (domain in -1..1).
COEFFICIENTS = {
    "bias": -2.61,
    "rank": 1.27,
    "margin": 0.8,
    "question": 1.51,
    "title": 0.77,
    "known": 1.46,
    "domain": 1.24,
    "anchors": 0.65,
    "offtopic": -2.3,
    "personal": -0.32,
}
ANSWER_AT, SUGGEST_AT = 0.5, 0.35
SUGGESTIONS = 3
# A list question has few words besides its facets and list words ("fondos", "convocatorias").
LISTING_RESIDUAL = 2
NAMED_ANSWER_AT = 0.8


@dataclass(frozen=True)
class Signals:
    """What the question itself says about being in Coopera's domain."""

    offtopic: bool
    personal: bool
    anchors: float
    known: float
    domain: float


class Decider:
    """Turns ranking evidence into calibrated scores and a decision."""

    def __init__(
        self,
        lexicon: Lexicon,
        index: FieldIndex,
        entities: frozenset[str],
        counts: Counter[str],
        fuentes: Sequence[bool],
    ) -> None:
        """Compile the domain vocabulary; counts are the base's word counts."""
        data = read_yaml("domain.yaml")
        self.offtopic = PhraseTable(
            {tuple(words(f)): True for p in data["offtopic"] for f in number_forms(p)}
        )
        self.anchors = frozenset(t for p in data["anchors"] for t in lexicon.phrase(p))
        self.possessives = PhraseTable({tuple(words(p)): True for p in data["possessives"]})
        self.personal = frozenset(w for p in data["personal"] for w in words(p))
        self.index = index
        self.entities = entities
        self.fuentes = fuentes
        self.counts = counts
        self.total = max(sum(counts.values()), 1)

    def signals(self, analysis: Analysis) -> Signals:
        """Read the domain signals of a question."""
        terms = [s.term for s in analysis.slots]
        tokens = analysis.surface
        offtopic = any(v for _, _, v in self.offtopic.scan(tokens))
        personal = any(
            v and end < len(tokens) and tokens[end] in self.personal
            for _, end, v in self.possessives.scan(tokens)
        )
        count = len(terms) or 1
        anchors = sum(t in self.anchors for t in terms) / count
        known = sum(t in self.index for t in terms) / count
        # Mean log-ratio of the words' frequency in the base vs everyday language.
        ratios = [specificity(w, self.counts, self.total) for w in analysis.words]
        domain = sum(ratios) / len(ratios) / 4 if ratios else -1.0
        return Signals(offtopic, personal, min(anchors * 2, 1.0), known, domain)

    def features(
        self, top: Evidence, runner_up: Evidence | None, signals: Signals
    ) -> dict[str, float]:
        """Return the model's features for the best candidate."""
        return {
            "rank": top.rank,
            "margin": top.rank - (runner_up.rank if runner_up else 0.0),
            "question": top.question,
            "title": top.title,
            "known": signals.known,
            "domain": signals.domain,
            "anchors": signals.anchors,
            "offtopic": float(signals.offtopic),
            "personal": float(signals.personal),
        }

    def scores(self, analysis: Analysis, found: Sequence[Evidence]) -> list[float]:
        """Return a 0-1 confidence for each ranked candidate (the top one is calibrated)."""
        if not found:
            return []
        runner_up = found[1] if len(found) > 1 else None
        feats = self.features(found[0], runner_up, self.signals(analysis))
        z = COEFFICIENTS["bias"] + sum(COEFFICIENTS[k] * v for k, v in feats.items())
        top = 1 / (1 + math.exp(-z))
        # Others keep their rank's proportion of the top score, so order and score agree.
        return [top * (e.rank / found[0].rank if found[0].rank else 0.0) for e in found]

    def may_list(self, reading: Reading) -> bool:
        """Tell whether the wording alone allows a list (is_listing then looks at the ranking)."""
        return bool(reading.filters) and not reading.about_one and (
            len(reading.residual) <= LISTING_RESIDUAL
        )

    def is_listing(self, reading: Reading, top: Evidence | None, score: float) -> bool:
        """Tell whether a question with facets asks for a list rather than about one entry."""
        if not self.may_list(reading):
            return False
        named = top is not None and top.title >= NAMED_ANSWER_AT and score >= NAMED_ANSWER_AT
        if top is not None and named and not self.fuentes[top.doc]:
            # The question is the title of a guide ("cooperación sur-sur"): that entry, not a list.
            return False
        names = self.index.name_terms[top.doc] if top is not None else frozenset()
        # A leftover word that names a funder, or the name of a clear best entry, wins.
        return not any(
            t in self.entities or (t in names and score >= NAMED_ANSWER_AT)
            for t in reading.residual
        )

    def decide(self, scores: Sequence[float]) -> Literal["answer", "suggest", "decline"]:
        """Choose between answering with the top entry, suggesting a few, and declining."""
        if not scores:
            return "decline"
        if scores[0] >= ANSWER_AT:
            return "answer"
        return "suggest" if scores[0] >= SUGGEST_AT else "decline"

    def suggestions(self, matches: Sequence[Match]) -> list[Match]:
        """Return up to three plausible entries for a '¿Quiso decir…?' reply."""
        return [m for m in matches[:SUGGESTIONS] if m.score >= SUGGEST_AT / 2]
