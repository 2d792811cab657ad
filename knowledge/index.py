"""Field-weighted BM25 (BM25F) index over entries, with per-term scores precomputed at build."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress, repeat
from operator import add, itemgetter, mul

from knowledge.schema import Entry

K1 = 1.2
# Derived words share a long beginning ("apicultoras" / "apicultura"): a question stem missing
# from the index may stand for indexed stems that start like it (see FieldIndex.variants).
PREFIX_MIN, PREFIX_SLACK = 6, 2
COMMON_MIN, COMMON_SHARE = 50, 0.1
# Relative margin for float rounding when upper bounds decide that an entry cannot make the top.
SLACK = 1e-9
# Weight and length normalisation per field: the title, keywords and the funder name say what an
# entry is about; the example questions say how people ask; the body only says it in passing.
FIELD_WEIGHTS = {
    "title": 3.0,
    "keywords": 2.5,
    "funder": 2.0,
    "questions": 2.0,
    "summary": 1.5,
    "details": 0.7,
    "body": 1.0,
}
# Fields that name an entry: a question term found there points at that entry.
NAME_FIELDS = ("title", "keywords", "funder")
FIELD_B = {
    "title": 0.3,
    "keywords": 0.3,
    "funder": 0.3,
    "questions": 0.6,
    "summary": 0.5,
    "details": 0.5,
    "body": 0.75,
}


def entry_fields(entry: Entry) -> dict[str, str]:
    """Return the searchable text of each field of an entry."""
    details = [entry.scope, entry.amounts, entry.cycle, *entry.support_type]
    return {
        "title": entry.title,
        "keywords": " . ".join(entry.keywords),
        "funder": entry.funder or "",
        "questions": " . ".join(entry.questions),
        "summary": entry.summary,
        "details": " . ".join(d for d in details if d),
        "body": entry.body,
    }


class FieldIndex:
    """Inverted index: term -> (doc numbers, precomputed BM25F contributions)."""

    def __init__(self, docs: Sequence[Mapping[str, Sequence[str]]]) -> None:
        """Build from documents given as field -> list of terms."""
        self.size = len(docs)
        total = Counter[str]()
        for doc in docs:
            for field in FIELD_WEIGHTS:
                total[field] += len(doc.get(field, ()))
        avg = {f: max(total[f] / max(self.size, 1), 1.0) for f in FIELD_WEIGHTS}
        pseudo: list[dict[str, float]] = []
        df = Counter[str]()
        for doc in docs:
            tf: dict[str, float] = {}
            for field, weight in FIELD_WEIGHTS.items():
                terms = doc.get(field, ())
                if not terms:
                    continue
                norm = weight / (1 - FIELD_B[field] + FIELD_B[field] * len(terms) / avg[field])
                for term, count in Counter(terms).items():
                    tf[term] = tf.get(term, 0.0) + count * norm
            pseudo.append(tf)
            df.update(tf.keys())
        self.idf = {t: math.log(1 + (self.size - n + 0.5) / (n + 0.5)) for t, n in df.items()}
        self.max_idf = math.log(1 + (self.size + 0.5) / 0.5)
        self.postings: dict[str, tuple[list[int], list[float]]] = {}
        for number, tf in enumerate(pseudo):
            for term, value in tf.items():
                docs_of, scores = self.postings.setdefault(term, ([], []))
                docs_of.append(number)
                scores.append(self.idf[term] * value / (K1 + value))
        # Terms in many entries are looked up per candidate instead of scanned: they add little
        # to the ranking and would cost a pass over most of the base on every question.
        common_df = max(COMMON_MIN, int(self.size * COMMON_SHARE))
        self.common = {
            term: dict(zip(*posting, strict=True))
            for term, posting in self.postings.items()
            if len(posting[0]) > common_df
        }
        # For questions made only of common terms: each term's best contribution (an upper
        # bound) and its entries, best first, to find a few good entries before scoring.
        self.ceiling = {t: max(values.values()) for t, values in self.common.items()}
        self.best_first = {
            t: sorted(values, key=lambda d, v=values: (-v[d], d))  # type: ignore[misc]
            for t, values in self.common.items()
        }
        self.doc_terms = [frozenset(tf) for tf in pseudo]
        self.name_terms = [
            frozenset(t for f in NAME_FIELDS for t in doc.get(f, ())) for doc in docs
        ]
        self.title_terms = [frozenset(doc.get("title", ())) for doc in docs]
        # The title and the funder say whose entry it is; keywords may name partners too.
        self.owner_terms = [
            frozenset((*doc.get("title", ()), *doc.get("funder", ()))) for doc in docs
        ]

        self._by_prefix: dict[str, list[str]] = {}
        for term in self.idf:
            if len(term) >= PREFIX_MIN and term.isalpha():
                self._by_prefix.setdefault(term[:PREFIX_MIN], []).append(term)

    def variants(self, term: str) -> list[str]:
        """Return indexed terms that share all but the last few letters with term."""
        if len(term) < PREFIX_MIN or not term.isalpha():
            return []
        out = []
        for other in self._by_prefix.get(term[:PREFIX_MIN], ()):
            need = max(PREFIX_MIN, min(len(term), len(other)) - PREFIX_SLACK)
            if other != term and term[:need] == other[:need]:
                out.append(other)
        return out

    def __contains__(self, term: object) -> bool:
        """Tell whether any document has term."""
        return term in self.idf

    def scores(self, query: Iterable[tuple[str, float]], limit: int) -> list[tuple[int, float]]:
        """Return the best (doc number, BM25F score) pairs for weighted query terms."""
        pairs = [(t, w) for t, w in query if t in self.postings]
        rare = [(t, w) for t, w in pairs if t not in self.common]
        if not rare:
            return self._dense_scores(pairs, limit)
        common = [(self.common[t], w) for t, w in pairs if t in self.common]
        acc: dict[int, float] = {}
        get = acc.get
        for term, weight in rare:
            for doc, value in zip(*self.postings[term], strict=True):
                acc[doc] = get(doc, 0.0) + weight * value
        pool: Iterable[tuple[int, float]] = acc.items()
        if common:
            best = heapq.nlargest(limit * 4, pool, key=itemgetter(1))
            docs = [doc for doc, _ in best]
            columns = [
                map(mul, repeat(w), map(values.get, docs, repeat(0.0))) for values, w in common
            ]
            # sum() per entry, like sum(w * value for each common term) would.
            extra = map(sum, zip(*columns, strict=True))
            pool = list(zip(docs, map(add, map(itemgetter(1), best), extra), strict=True))
        return heapq.nlargest(limit, pool, key=itemgetter(1))

    def _column_scores(self, pairs: Sequence[tuple[str, float]], docs: list[int]) -> list[float]:
        """Return the scores of docs, adding the terms in query order as the postings do."""
        total: Iterable[float] = repeat(0.0, len(docs))
        for term, weight in pairs:
            column: Iterable[float] = map(self.common[term].get, docs, repeat(0.0))
            if weight != 1.0:
                column = map(mul, column, repeat(weight))
            total = map(add, total, column)
        return list(total)

    def _dense_scores(self, pairs: list[tuple[str, float]], limit: int) -> list[tuple[int, float]]:
        """Score only common terms without scoring every entry that has one.

        First the best entries of each term (threshold algorithm): when the limit-th score among
        them beats what any other entry could reach, they hold the answer. Otherwise entries
        whose score cannot reach that limit-th score are skipped (MaxScore). Either way the
        result is the one accumulating every posting would give, ties included.
        """
        if not pairs:
            return []
        seeds = list({d for t, _ in pairs for d in self.best_first[t][:limit]})
        known = dict(zip(seeds, self._column_scores(pairs, seeds), strict=True))
        floor = 0.0
        if len(known) >= limit:
            floor = sorted(known.values(), reverse=True)[limit - 1]
            # No entry outside the seeds scores above the sum of the values at this depth.
            unseen = sum(
                w * self.common[t][self.best_first[t][limit]]
                for t, w in pairs
                if limit < len(self.best_first[t])
            )
            if floor > unseen * (1 + SLACK):
                return self._top(known, pairs, limit)
        # MaxScore: add terms best ceiling first; an entry whose partial score plus the ceilings
        # of the terms still to add stays under the floor cannot make the top. Entries with
        # none of the first terms whose ceilings reach the floor are never even looked at.
        order = sorted(pairs, key=lambda p: -p[1] * self.ceiling[p[0]])
        left = [0.0] * (len(order) + 1)
        for n in range(len(order) - 1, -1, -1):
            term, weight = order[n]
            left[n] = left[n + 1] + weight * self.ceiling[term]
        head = next(
            (n for n in range(len(order)) if left[n + 1] < floor * (1 - SLACK)), len(order) - 1
        )
        docs = list(set().union(*(self.postings[t][0] for t, _ in order[: head + 1])))
        partial = self._column_scores(order[: head + 1], docs)
        if len(docs) > limit:
            # The entries best on those first terms, fully scored, usually raise the floor.
            ranked = heapq.nlargest(limit, zip(partial, docs, strict=True))
            best = [d for _, d in ranked if d not in known]
            known.update(zip(best, self._column_scores(pairs, best), strict=True))
            if len(known) >= limit:
                floor = max(floor, sorted(known.values(), reverse=True)[limit - 1])
        floor *= 1 - SLACK
        for n in range(head, len(order)):
            if n > head:
                partial = list(map(add, partial, self._column_scores(order[n : n + 1], docs)))
            keep = list(map(floor.__le__, map(add, partial, repeat(left[n + 1]))))
            docs, partial = list(compress(docs, keep)), list(compress(partial, keep))
            if len(docs) <= limit:
                break
        scored = dict(zip(docs, self._column_scores(pairs, docs), strict=True))
        return self._top(scored, pairs, limit)

    def _top(
        self, acc: dict[int, float], pairs: list[tuple[str, float]], limit: int
    ) -> list[tuple[int, float]]:
        """Return the best limit of acc, ties going to the entry accumulation meets first."""
        found = list(acc)
        if len(found) > limit:
            kth = sorted(acc.values(), reverse=True)[limit - 1]
            found = [d for d in found if acc[d] > kth]
            tied = {d for d, score in acc.items() if score == kth}
            # Accumulating postings meets entries term by term, each posting in entry order.
            for term, _ in pairs:
                if len(found) >= limit or not tied:
                    break
                met = [d for d in self.postings[term][0] if d in tied]
                found += met[: limit - len(found)]
                tied.difference_update(met)
        terms = [self.common[t] for t, _ in pairs]
        first = {d: next(i for i, values in enumerate(terms) if d in values) for d in found}
        found.sort(key=lambda d: (-acc[d], first[d], d))
        return [(d, acc[d]) for d in found[:limit]]
