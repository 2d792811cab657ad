"""Group similar user questions (for the curator's report of unanswered questions)."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from knowledge.text import normalize
from knowledge.vocab import lexicon

DEFAULT_THRESHOLD = 0.7


def _key(text: str) -> str:
    """Return the canonical terms of a question, sorted (or its folded words if none)."""
    terms = sorted(set(lexicon().terms(text)))
    return " ".join(terms) or normalize(text)


def group_similar(texts: list[str], threshold: float = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Group indexes of similar texts (similarity 0-1 >= threshold), biggest groups first."""
    keys = [_key(t) for t in texts]
    leaders: list[str] = []
    groups: list[list[int]] = []
    for i, key in enumerate(keys):
        # rapidfuzz >= 3 does not normalise: keys are already folded, stemmed and sorted.
        best = process.extractOne(
            key, leaders, scorer=fuzz.ratio, processor=None, score_cutoff=threshold * 100
        )
        if best is None:
            leaders.append(key)
            groups.append([i])
        else:
            groups[best[2]].append(i)
    return sorted(groups, key=lambda g: (-len(g), g[0]))
