"""The knowledge base: search, answer and respond over the loaded entries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from knowledge.analyzer import Analysis, Analyzer
from knowledge.confidence import SUGGESTIONS, Decider
from knowledge.entities import entity_terms
from knowledge.filters import Catalogue, Facets, Filters, FilterVocabulary, facet_counts
from knowledge.index import FieldIndex, entry_fields
from knowledge.intents import Intents
from knowledge.ranking import CANDIDATES, Evidence, Ranker
from knowledge.schema import Applicant, Entry, Kind, Status
from knowledge.spelling import Speller
from knowledge.text import normalize, stem, words
from knowledge.vocab import lexicon

Decision = Literal["answer", "suggest", "decline", "filter"]



@dataclass(frozen=True)
class Match:
    """One entry found for a question, with a confidence score in 0-1."""

    entry: Entry
    score: float


@dataclass(frozen=True)
class Response:
    """What the bot should do with a question, and the entries that back it."""

    decision: Decision
    matches: list[Match] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)


class KnowledgeBase:
    """Validated entries plus the indexes built once to answer questions fast."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        """Index the entries (fields, example questions, vocabulary for typos)."""
        self.entries: list[Entry] = list(entries)
        self._by_id = {e.id: e for e in self.entries}
        lex = lexicon()
        docs, counts = [], Counter[str]()
        for entry in self.entries:
            texts = entry_fields(entry)
            doc = {name: lex.terms(text) for name, text in texts.items()}
            docs.append(doc)
            for text in texts.values():
                counts.update(words(text))
        counts.update(dict.fromkeys(lex.target_words, 1))
        self.index = FieldIndex(docs)
        questions = [[frozenset(lex.terms(q)) for q in e.questions] for e in self.entries]
        folded = [[normalize(q) for q in e.questions] for e in self.entries]
        entities = entity_terms(lex)
        intents = Intents([e.kind for e in self.entries])
        self.ranker = Ranker(self.index, questions, folded, entities, intents)
        self.analyzer = Analyzer(lex, Speller(counts), self.index)
        stems = Counter[str]()
        for word, count in counts.items():
            stems[stem(word)] += count
        fuentes = [e.kind is Kind.FUENTE for e in self.entries]
        self.decider = Decider(lex, self.index, entities, stems, fuentes)
        self.vocabulary = FilterVocabulary(lex)
        self.catalogue = Catalogue(self.entries)
        # Listed sources carry no score of their own: one shared Match per entry.
        self._listed = [Match(e, 1.0) for e in self.entries]

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        """Return the entry with this id, or None."""
        return self._by_id.get(entry_id)

    def _evidence(self, text: str, limit: int) -> tuple[Analysis, list[Evidence]]:
        """Analyse a question and rank candidates (the best limit of them)."""
        analysis = self.analyzer.analyse(text)
        return analysis, self._rank(analysis, limit)

    def _rank(self, analysis: Analysis, limit: int) -> list[Evidence]:
        """Rank candidates for an analysed question."""
        return self.ranker.rank(analysis.slots, " ".join(analysis.surface), limit)

    def search(self, text: str, limit: int = 5) -> list[Match]:
        """Return up to limit entries for a question, best first."""
        analysis, found = self._evidence(text, min(max(limit, 2), CANDIDATES))
        scores = self.decider.scores(analysis, found)
        return [Match(self.entries[e.doc], s) for e, s in zip(found, scores, strict=True)][:limit]

    def respond(self, text: str) -> Response:
        """Decide between answer, suggestions, a filtered list of sources, or declining."""
        analysis = self.analyzer.analyse(text)
        reading = self.vocabulary.read(analysis.surface)
        filters = reading.filters
        # A list orders its sources by their candidates' scores; otherwise a few are shown.
        listing = self.decider.may_list(reading)
        wanted = self.catalogue.accepter(filters) if listing else None
        found = self.ranker.rank(analysis.slots, " ".join(analysis.surface), SUGGESTIONS, wanted)
        scores = self.decider.scores(analysis, found)
        top = found[0] if found else None
        if listing and self.decider.is_listing(reading, top, scores[0] if scores else 0.0):
            relevance = {e.doc: s for e, s in zip(found, scores, strict=True)}
            ranked = self.catalogue.rank(filters, relevance)
            return Response("filter", list(map(self._listed.__getitem__, ranked)), filters)
        decision = self.decider.decide(scores)
        matches = [Match(self.entries[e.doc], s) for e, s in zip(found, scores, strict=True)]
        if decision == "answer":
            return Response("answer", matches[:1], filters)
        if decision == "suggest":
            return Response("suggest", self.decider.suggestions(matches), filters)
        return Response("decline", [], filters)

    def answer(self, text: str) -> Match | None:
        """Return the one entry that answers the question, or None to decline."""
        response = self.respond(text)
        return response.matches[0] if response.decision == "answer" else None

    def browse(
        self,
        applicant: Applicant | str | None = None,
        theme: int | None = None,
        status: Status | str | None = None,
    ) -> list[Entry]:
        """Return the fuente entries matching every given facet, best status first."""
        return self.catalogue.browse(applicant, theme, status)

    def facets(
        self,
        applicant: Applicant | str | None = None,
        theme: int | None = None,
        status: Status | str | None = None,
    ) -> Facets:
        """Count fuente entries per applicant, theme and status within the given selection."""
        return facet_counts(self.entries, applicant, theme, status)
