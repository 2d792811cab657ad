"""The knowledge base: search, answer and respond over the loaded entries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from knowledge.analyzer import Analysis, Analyzer
from knowledge.confidence import LISTING_RESIDUAL, SUGGESTIONS, Decider
from knowledge.conversation import ANYWHERE, Conversation, OwnSession, Redirect
from knowledge.entities import entity_terms
from knowledge.filters import (
    Catalogue,
    Facets,
    Filters,
    FilterVocabulary,
    Reading,
    facet_counts,
)
from knowledge.geography import states_in
from knowledge.index import FieldIndex, entry_fields
from knowledge.intents import Intents
from knowledge.organisations import Named, Organisations
from knowledge.phrases import PhraseTable
from knowledge.ranking import CANDIDATES, Evidence, Ranker
from knowledge.schema import Applicant, Entry, Kind, Status
from knowledge.spelling import Speller
from knowledge.text import normalize, stem, words
from knowledge.vocab import lexicon, read_yaml

# answer/suggest/decline/filter as always; unknown: names an organisation the base lacks;
# redirect: a personal matter for another service; chat: conversation; open: "what is open?".
Decision = Literal["answer", "suggest", "decline", "filter", "unknown", "redirect", "chat", "open"]
Facet = Literal["amount", "dates", "applicants", "how_to_apply", "official_site", "status"]
# A follow-up ("¿y de cuánto es el apoyo?") has at most this many words besides the facet and
# the words any fund shares (facets.yaml, follow_up_generic).
FOLLOW_UP_WORDS = 1
SIMILAR = 3
# A message of at most this many content words, none of them the base's, is no question.
SMALL_TALK_WORDS = 3
# An answer this confident is a question of its own, whatever mood words come with it.
CLEAR = 0.8



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
    # The organisation the question names (known: the answer is about it; else none is).
    named: Named | None = None
    # The facets of the answered source the question asks for, in the order asked.
    facets: tuple[Facet, ...] = ()
    redirect: Redirect | None = None
    chat: str | None = None
    # True when the answer reads a short follow-up against the entry shown just before.
    follow_up: bool = False
    # Set when the question is about the asker's own registration: what it asks. Whoever holds
    # registrations is answered from them; the decision is what the base says otherwise.
    own: OwnSession | None = None


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
        self.organisations = Organisations(
            self.entries,
            lambda w: frozenset(lex.terms(" ".join(self.analyzer.correct(w)))),
            self.index.__contains__)
        self.conversation = Conversation()
        facet_data = dict(read_yaml("facets.yaml"))
        single = facet_data.pop("words")
        self.how_words = frozenset(facet_data.pop("how_words"))
        self.apply_verbs = frozenset(facet_data.pop("apply_verbs"))
        self.follow_up_generic = frozenset(
            w for p in facet_data.pop("follow_up_generic") for w in words(p)) | self.apply_verbs
        self.facet_table: PhraseTable[Facet] = PhraseTable({
            tuple(words(p)): name for name, phrases in facet_data.items() for p in phrases})
        self.facet_words: PhraseTable[Facet] = PhraseTable({
            tuple(words(p)): name for name, phrases in single.items() for p in phrases})
        self._number = {e.id: i for i, e in enumerate(self.entries)}
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

    def respond(
        self, text: str, today: dt.date | None = None, previous: str | None = None
    ) -> Response:
        """Decide how to answer: an entry, suggestions, a list, an honest "I don't know about
        that organisation", a redirect, a conversational reply or the calls open on today; and
        whether the question is about the asker's own registration.
        previous: the id of the entry shown to this user just before, for follow-ups."""
        # The question's words, folded once for every reading below.
        tokens = words(text)
        response = self._decide(text, tokens, today, previous)
        own = self.conversation.own_session(tokens)
        if own is not None and response.decision != "redirect" and not (
                response.named is not None and response.named.known):
            return replace(response, own=own)
        return response

    def _decide(
        self, text: str, tokens: list[str], today: dt.date | None, previous: str | None
    ) -> Response:
        """The decision of respond(), without the question's own-registration reading."""
        analysis = self.analyzer.analyse(text)
        named = self.organisations.read(text, tokens, analysis.surface)
        intent = self.conversation.intent(text, tokens)
        if intent is not None and not (intent in ANYWHERE and named):
            if intent in ANYWHERE:
                # "Fondo de Acción Urgente" is a fund, not a hurry: a clear answer wins.
                found = self._search(analysis, self.vocabulary.read(analysis.surface))
                if found.decision == "answer" and found.matches[0].score >= CLEAR:
                    return found
            return Response("chat", chat=intent)
        first = named[0] if named else None
        known = first if first is not None and first.known else None
        redirect = self.conversation.redirect(tokens)
        if redirect is not None and (known is None or redirect.always):
            # A job at the UN or a visa for Canada is personal, whoever is named.
            return Response("redirect", redirect=redirect)
        states, _ = states_in(tokens)
        _, used = states_in(list(analysis.surface))
        surface = tuple(w for i, w in enumerate(analysis.surface) if i not in used)
        reading = self.vocabulary.read(surface)
        filters = replace(reading.filters, states=frozenset(states))
        facets = self._facets(tokens)
        if known is not None:
            return self._about(known, analysis, filters, facets)
        if first is not None and self.organisations.new_to_base(first):
            return Response("unknown", self._similar(filters), filters, named=first)
        if self._asks_open(reading, filters):
            return Response("open", self._open(today or dt.date.today()), filters)
        if (states and self._asks_sources(tokens)
                and not any(v for _, _, v in self.decider.offtopic.scan(tokens))):
            return self._list(analysis, filters)
        response = self._search(analysis, replace(reading, filters=filters))
        if facets and previous and self._follows_up(tokens):
            entry = self.get(previous)
            if entry is not None:
                return Response("answer", [Match(entry, 1.0)], filters, facets=facets,
                                follow_up=True)
        if first is not None and response.decision in ("answer", "suggest") and not any(
                self.organisations.is_about(first, m.entry) for m in response.matches):
            # The question names an organisation and these entries are about others.
            return Response("unknown", self._similar(filters), filters, named=first)
        if response.decision == "answer" and response.matches[0].entry.kind is Kind.FUENTE:
            return replace(response, facets=facets)
        if response.decision == "decline" and self._small_talk(text, analysis):
            # "No encontré una respuesta" is for real questions: a few loose words get an offer.
            return Response("chat", chat="unclear")
        return response

    def _small_talk(self, text: str, analysis: Analysis) -> bool:
        """Tell whether a message is too short and loose to be a question of its own."""
        return "?" not in text and len(analysis.words) <= SMALL_TALK_WORDS and not any(
            s.term in self.index for s in analysis.slots)

    def _search(self, analysis: Analysis, reading: Reading) -> Response:
        """The ranked answer, suggestions, list or decline for a question naming nobody."""
        filters = reading.filters
        # A list orders its sources by their candidates' scores; otherwise a few are shown. A
        # state alone makes no list ("¿va a llover en Monterrey?"): respond() decides that.
        bare = replace(reading, filters=replace(filters, states=frozenset()))
        listing = self.decider.may_list(bare)
        wanted = self.catalogue.accepter(filters) if listing else None
        found = self.ranker.rank(analysis.slots, " ".join(analysis.surface), SUGGESTIONS, wanted)
        scores = self.decider.scores(analysis, found)
        top = found[0] if found else None
        if listing and self.decider.is_listing(bare, top, scores[0] if scores else 0.0):
            return self._listing(filters, found, scores)
        decision = self.decider.decide(scores)
        matches = [Match(self.entries[e.doc], s) for e, s in zip(found, scores, strict=True)]
        if decision == "answer":
            return Response("answer", matches[:1], filters)
        if decision == "suggest":
            return Response("suggest", self.decider.suggestions(matches), filters)
        return Response("decline", [], filters)

    def _listing(
        self, filters: Filters, found: list[Evidence], scores: list[float]
    ) -> Response:
        """The sources matching filters, the ranking's candidates first."""
        relevance = {e.doc: s for e, s in zip(found, scores, strict=True)}
        ranked = self.catalogue.rank(filters, relevance)
        return Response("filter", list(map(self._listed.__getitem__, ranked)), filters)

    def _list(self, analysis: Analysis, filters: Filters) -> Response:
        """List the sources for a question that names a state and asks who funds."""
        accept = self.catalogue.accepter(filters)
        found = self.ranker.rank(
            analysis.slots, " ".join(analysis.surface), SUGGESTIONS, accept)
        return self._listing(filters, found, self.decider.scores(analysis, found))

    def _asks_sources(self, tokens: list[str]) -> bool:
        """Tell whether a question asks who funds ("¿hay fondos…?", "¿qué fundaciones…?")."""
        return any(found for _, _, found in self.vocabulary.funding.scan(tokens))

    def _about(
        self, named: Named, analysis: Analysis, filters: Filters, facets: tuple[Facet, ...]
    ) -> Response:
        """Answer with the named organisation's own entry, the best of them if it has several."""
        docs = {self._number[i] for i in self.organisations.entries_about(named)}
        ranked = self.ranker.rank(
            analysis.slots, " ".join(analysis.surface), SUGGESTIONS, docs.__contains__)
        # Its own entries, or a guide (a guide about Cemefi's accreditation is about Cemefi);
        # never another funder's card.
        found = [e for e in ranked if e.doc in docs or self.entries[e.doc].kind is not Kind.FUENTE]
        best = self.entries[found[0].doc] if found else self._by_id[named.entries[0]]
        return Response("answer", [Match(best, 1.0)], filters, named=named, facets=facets)

    def _similar(self, filters: Filters) -> list[Match]:
        """A few sources the base knows for the question's applicants, themes and states."""
        if not (filters.applicants or filters.themes or filters.states):
            return []
        chosen = replace(filters, statuses=frozenset())
        return [self._listed[i] for i in self.catalogue.rank(chosen)[:SIMILAR]]

    @staticmethod
    def _asks_open(reading: Reading, filters: Filters) -> bool:
        """Tell whether a question only asks which calls are open now."""
        return (filters.statuses == {Status.ABIERTA} and reading.listed
                and len(reading.residual) <= LISTING_RESIDUAL
                and not (filters.applicants or filters.themes or filters.states))

    def _open(self, today: dt.date) -> list[Match]:
        """Calls open today (closing soonest first), then periodic calls by their usual window."""
        open_now = [e for e in self.entries if e.status is Status.ABIERTA
                    and (e.closes is None or e.closes >= today)]
        open_now.sort(key=lambda e: (e.closes or dt.date.max, e.title.casefold()))
        periodic = [e for e in self.entries if e.status is Status.PERIODICA and e.usual_months]

        def months_away(entry: Entry) -> int:
            return min((m - today.month) % 12 for m in entry.usual_months)

        periodic.sort(key=lambda e: (months_away(e), e.title.casefold()))
        return [Match(e, 1.0) for e in [*open_now, *periodic]]

    def _facets(self, tokens: list[str]) -> tuple[Facet, ...]:
        """The facets a question asks for, in the order it asks them."""
        found: list[Facet] = [f for _, _, f in self.facet_table.scan(tokens) if f]
        if not found:
            found = [f for _, _, f in self.facet_words.scan(tokens) if f]
            # "¿cómo le hacemos para aplicar?": a question word, then an applying verb.
            for i, token in enumerate(tokens):
                if token in self.how_words and self.apply_verbs.intersection(tokens[i + 1:i + 5]):
                    found.insert(0, "how_to_apply")
                    break
        return tuple(dict.fromkeys(found))

    def _follows_up(self, tokens: list[str]) -> bool:
        """Tell whether a question asks a facet of the entry just shown rather than something of
        its own: besides the facet and words any fund shares, it says next to nothing."""
        stop = self.vocabulary.lexicon.stopwords
        own = [w for w in self._facet_free(tokens) if w not in stop]
        return len(own) <= FOLLOW_UP_WORDS

    def _facet_free(self, tokens: list[str]) -> Iterator[str]:
        """The question's words that are neither a facet nor a word any fund shares."""
        for start, end, facet in self.facet_table.scan(tokens):
            if facet is None:
                yield from (w for w in tokens[start:end] if w not in self.follow_up_generic
                            and (w,) not in self.facet_words)

    def answer(self, text: str) -> Match | None:
        """Return the one entry that answers the question, or None to decline."""
        response = self.respond(text)
        return response.matches[0] if response.decision == "answer" else None

    def browse(
        self,
        applicant: Applicant | str | None = None,
        theme: int | None = None,
        status: Status | str | None = None,
        state: str | None = None,
    ) -> list[Entry]:
        """Return the fuente entries matching every given facet, best status first; with a
        state (a name as in geography.STATES), those that work there, national ones included."""
        return self.catalogue.browse(applicant, theme, status, state)

    def facets(
        self,
        applicant: Applicant | str | None = None,
        theme: int | None = None,
        status: Status | str | None = None,
        state: str | None = None,
    ) -> Facets:
        """Count fuente entries per applicant, theme, status and state within the selection."""
        return facet_counts(self.entries, applicant, theme, status, state)
