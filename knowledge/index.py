"""Field-weighted BM25 (BM25F) index over entries, with per-term scores precomputed at build."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter

from knowledge.schema import Entry

K1 = 1.2
# Derived words share a long beginning ("apicultoras" / "apicultura"): a question stem missing
# from the index may stand for indexed stems that start like it (see FieldIndex.variants).
PREFIX_MIN, PREFIX_SLACK = 6, 2
COMMON_MIN, COMMON_SHARE = 50, 0.1
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
        common = [(self.common[t], w) for t, w in pairs if t in self.common]
        if not rare:
            rare, common = pairs, []
        acc: dict[int, float] = {}
        get = acc.get
        for term, weight in rare:
            for doc, value in zip(*self.postings[term], strict=True):
                acc[doc] = get(doc, 0.0) + weight * value
        pool: Iterable[tuple[int, float]] = acc.items()
        if common:
            pool = [
                (doc, score + sum(w * values.get(doc, 0.0) for values, w in common))
                for doc, score in heapq.nlargest(limit * 4, pool, key=itemgetter(1))
            ]
        return heapq.nlargest(limit, pool, key=itemgetter(1))
