"""Browse facets (applicant, ODS theme, status): reading them from questions and filtering."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import filterfalse, pairwise

from knowledge.geography import STATES
from knowledge.phrases import PhraseTable
from knowledge.schema import Applicant, Entry, Kind, Status
from knowledge.text import words
from knowledge.vocab import Lexicon, read_yaml

# Open calls first, then those that come back, then the unknown, then the gone.
STATUS_ORDER = (
    Status.ABIERTA, Status.PERIODICA, Status.SIN_CONFIRMAR, Status.CERRADA, Status.EXTINTA
)
ODS_RANGE = range(1, 18)

FacetValue = Applicant | int | Status


@dataclass(frozen=True)
class Filters:
    """Facets read from a question; an empty facet means 'any'."""

    applicants: frozenset[Applicant] = frozenset()
    themes: frozenset[int] = frozenset()
    statuses: frozenset[Status] = frozenset()
    # Mexican states: a source must cover one of them (national ones always do).
    states: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        """Tell whether any facet is set."""
        return bool(self.applicants or self.themes or self.statuses or self.states)

    def accepts(self, entry: Entry) -> bool:
        """Tell whether a fuente entry matches every set facet (any value within a facet)."""
        return (
            entry.kind is Kind.FUENTE
            and (not self.applicants or bool(self.applicants.intersection(entry.applicants)))
            and (not self.themes or bool(self.themes.intersection(entry.themes)))
            and (not self.statuses or entry.status in self.statuses)
            and (not self.states or any(entry.covers(s) for s in self.states))
        )


@dataclass(frozen=True)
class Reading:
    """Facets found in a question, and its terms that are neither facets nor list words."""

    filters: Filters
    residual: tuple[str, ...] = ()
    about_one: bool = False
    # Whether the question uses a word that asks for a list ("convocatorias", "cuáles").
    listed: bool = False


def _facet(kind: str, key: str) -> FacetValue:
    """Convert a YAML key of a facet group into its value."""
    if kind == "applicants":
        return Applicant(key)
    return int(key) if kind == "themes" else Status(key)


class FilterVocabulary:
    """Phrases of knowledge/lexicon/filters.yaml, compiled to question terms and words."""

    def __init__(self, lexicon: Lexicon) -> None:
        """Compile facet phrases through the same pipeline as questions."""
        self.lexicon = lexicon
        data = read_yaml("filters.yaml")
        phrases: dict[tuple[str, ...], set[FacetValue]] = {}
        for kind in ("applicants", "themes", "statuses"):
            for key, variants in data[kind].items():
                for variant in variants:
                    phrases.setdefault(lexicon.phrase(variant), set()).add(_facet(kind, key))
        phrases.pop((), None)
        self.table = PhraseTable(phrases)
        expressions: dict[tuple[str, ...], set[FacetValue]] = {}
        for kind, groups in data["expressions"].items():
            for key, variants in groups.items():
                for variant in variants:
                    expressions.setdefault(tuple(words(variant)), set()).add(_facet(kind, key))
        self.expressions = PhraseTable(expressions)
        self.negations = PhraseTable({tuple(words(p)): True for p in data["negations"]})
        self.about_one = PhraseTable({tuple(words(p)): True for p in data["about_one"]})
        self.listing = frozenset(t for v in data["listing"] for t in lexicon.phrase(v))
        self.funding = PhraseTable({tuple(words(p)): True for p in data["funding"]})
        self.which = frozenset(t for v in data["which"] for t in lexicon.phrase(v))
        # The same words as written: some are stop words ("hay", "algo", "cuáles").
        self.listing_words = frozenset(
            w for v in [*data["listing"], *data["which"]] for w in words(v))
        self.ods_markers = frozenset(lexicon.phrase("objetivo") + lexicon.phrase("ods"))

    def _spans(self, surface: tuple[str, ...]) -> tuple[set[FacetValue], list[str]]:
        """Read whole expressions; return their facets and the words left (negated ones out)."""
        values: set[FacetValue] = set()
        skip: set[int] = set()
        for start, end, found in self.expressions.scan(surface):
            if found:
                values |= found
                skip.update(range(start, end))
        stop = self.lexicon.stopwords
        for _, end, negated in self.negations.scan(surface):
            if negated:
                # Skip the negated noun, and its article when there is one.
                article = end < len(surface) and surface[end] in stop
                skip.update(range(end, end + (2 if article else 1)))
        return values, [w for i, w in enumerate(surface) if i not in skip]

    def read(self, surface: tuple[str, ...]) -> Reading:
        """Find the facets named in a question (its corrected, rewritten words)."""
        lex = self.lexicon
        values, left = self._spans(surface)
        terms = lex.canonical(lex.stems(left))
        used: set[int] = set()
        for start, end, found in self.table.scan(terms):
            if found:
                values |= found
                used.update(range(start, end))
        for i, (marker, number) in enumerate(pairwise(terms)):
            if marker in self.ods_markers and number.isdigit() and int(number) in ODS_RANGE:
                values.add(int(number))
                used.update((i, i + 1))
        residual = tuple(
            t for i, t in enumerate(terms) if i not in used and t not in self.listing
        )
        opening = list(self.about_one.scan(surface[:3]))
        about_one = any(v for start, _, v in opening if start <= 1)
        filters = Filters(
            frozenset(v for v in values if isinstance(v, Applicant)),
            frozenset(v for v in values if isinstance(v, int)),
            frozenset(v for v in values if isinstance(v, Status)),
        )
        listed = any(t in self.listing or t in self.which for t in terms) or any(
            w in self.listing_words for w in surface)
        return Reading(filters, residual, about_one, listed)


def _as_filters(
    applicant: Applicant | str | None,
    theme: int | None,
    status: Status | str | None,
    state: str | None = None,
) -> Filters:
    """Build filters from single optional browse values (state: a name as in STATES)."""
    if state is not None and state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    return Filters(
        frozenset([Applicant(applicant)]) if applicant is not None else frozenset(),
        frozenset([int(theme)]) if theme is not None else frozenset(),
        frozenset([Status(status)]) if status is not None else frozenset(),
        frozenset([state]) if state is not None else frozenset(),
    )


def _status_rank(entry: Entry) -> int:
    """Return the position of an entry's status in STATUS_ORDER."""
    return STATUS_ORDER.index(entry.status) if entry.status in STATUS_ORDER else len(STATUS_ORDER)


def rank_fuentes(
    entries: Iterable[Entry], filters: Filters, relevance: Mapping[str, float] | None = None
) -> list[Entry]:
    """Return fuentes matching filters: open first, then by relevance, shared themes, title."""
    relevance = relevance or {}
    found = [e for e in entries if filters.accepts(e)]
    return sorted(
        found,
        key=lambda e: (
            _status_rank(e),
            -relevance.get(e.id, 0.0),
            -len(filters.themes.intersection(e.themes)),
            e.title.casefold(),
        ),
    )


class Catalogue:
    """The fuente entries of a base, pre-sorted and indexed by facet value, to list them fast."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        """Index the fuentes among entries (by entry number)."""
        self.entries = entries
        fuentes = [i for i, e in enumerate(entries) if e.kind is Kind.FUENTE]
        self.status_rank = [_status_rank(e) for e in entries]
        self.themes = [frozenset(e.themes) for e in entries]
        # Open first, then by title: the order of rank_fuentes when nothing else tells apart.
        self.order = sorted(
            fuentes, key=lambda i: (self.status_rank[i], entries[i].title.casefold())
        )
        self.position = {i: n for n, i in enumerate(self.order)}
        self._by_state: dict[str, frozenset[int]] = {}
        # Keyed by facet too: an applicant and a status could one day be spelt alike.
        self.by_value: dict[tuple[str, FacetValue], set[int]] = {}
        for i in fuentes:
            entry = entries[i]
            values: list[tuple[str, FacetValue]] = [
                *(("applicants", a) for a in entry.applicants),
                *(("themes", t) for t in entry.themes),
            ]
            if entry.status is not None:
                values.append(("statuses", entry.status))
            for value in values:
                self.by_value.setdefault(value, set()).add(i)

    def select(self, filters: Filters) -> list[int]:
        """Return the numbers of fuentes matching filters, open first then by title."""
        chosen: set[int] | None = None
        facets: dict[str, frozenset[FacetValue]] = {
            "applicants": filters.applicants,
            "themes": filters.themes,
            "statuses": filters.statuses,
        }
        for name, facet in facets.items():
            if facet:
                docs = set().union(*(self.by_value.get((name, v), ()) for v in facet))
                chosen = docs if chosen is None else chosen & docs
        if filters.states:
            docs = set().union(*(self._covering(s) for s in filters.states))
            chosen = docs if chosen is None else chosen & docs
        if chosen is None:
            return list(self.order)
        return sorted(chosen, key=self.position.__getitem__)

    def _covering(self, state: str) -> frozenset[int]:
        """The fuentes open to applicants in a state (national ones included), computed once."""
        found = self._by_state.get(state)
        if found is None:
            found = frozenset(i for i in self.order if self.entries[i].covers(state))
            self._by_state[state] = found
        return found

    def accepter(self, filters: Filters) -> Callable[[int], bool]:
        """Return a test of entry numbers: is that entry a fuente matching filters."""
        return set(self.select(filters)).__contains__

    def rank(self, filters: Filters, relevance: Mapping[int, float] | None = None) -> list[int]:
        """Return what rank_fuentes returns, as entry numbers (relevance by entry number)."""
        found = self.select(filters)
        status = self.status_rank
        if len(filters.themes) > 1:
            # Every fuente found has one of the themes; with several, those with more go first.
            rel, themes = relevance or {}, filters.themes
            found.sort(key=lambda i: (status[i], -rel.get(i, 0.0), -len(themes & self.themes[i])))
            return found
        if not relevance:
            return found
        # Only the relevant ones move: first within their status, best first (ties by title).
        chosen = set(found)
        moved = [i for i, score in relevance.items() if score > 0 and i in chosen]
        if not moved:
            return found
        moved.sort(key=lambda i: (status[i], -relevance[i], self.position[i]))
        rest = filterfalse(set(moved).__contains__, found)
        return sorted([*moved, *rest], key=status.__getitem__)

    def browse(
        self,
        applicant: Applicant | str | None = None,
        theme: int | None = None,
        status: Status | str | None = None,
        state: str | None = None,
    ) -> list[Entry]:
        """Return fuente entries matching every given facet, open ones first; with a state,
        those that work there (national ones included)."""
        filters = _as_filters(applicant, theme, status, state)
        return [self.entries[i] for i in self.rank(filters)]


def browse(
    entries: Iterable[Entry],
    applicant: Applicant | str | None = None,
    theme: int | None = None,
    status: Status | str | None = None,
    state: str | None = None,
) -> list[Entry]:
    """Return fuente entries matching every given facet, open ones first."""
    return rank_fuentes(entries, _as_filters(applicant, theme, status, state))


@dataclass(frozen=True)
class Facets:
    """How many fuente entries carry each applicant, theme and status, and work in each state."""

    applicants: dict[Applicant, int]
    themes: dict[int, int]
    statuses: dict[Status, int]
    # Every state, in STATES order; national sources count in each.
    states: dict[str, int] = field(default_factory=dict)


def facet_counts(
    entries: Iterable[Entry],
    applicant: Applicant | str | None = None,
    theme: int | None = None,
    status: Status | str | None = None,
    state: str | None = None,
) -> Facets:
    """Count fuentes per facet value among those matching the given selection."""
    chosen = browse(entries, applicant, theme, status, state)
    applicants = Counter(a for e in chosen for a in e.applicants)
    themes = Counter(t for e in chosen for t in e.themes)
    statuses = Counter(e.status for e in chosen if e.status is not None)
    return Facets(
        {a: applicants[a] for a in Applicant if applicants[a]},
        {t: themes[t] for t in sorted(themes)},
        {s: statuses[s] for s in STATUS_ORDER if statuses[s]},
        {s: sum(e.covers(s) for e in chosen) for s in STATES},
    )
