"""Terms that name specific entries (a country, a funder), as opposed to topics."""

from __future__ import annotations

from knowledge.vocab import Lexicon, read_yaml


def entity_terms(lexicon: Lexicon) -> frozenset[str]:
    """Return the canonical terms of names.yaml, less the generic words of domain.yaml."""
    # Rare words of entry titles were tried too: too many are topics ("jóvenes", "social").
    generic = {t for p in read_yaml("domain.yaml")["generic"] for t in lexicon.phrase(p)}
    return frozenset(lexicon.names - generic)
