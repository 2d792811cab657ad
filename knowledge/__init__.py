"""Coopera's knowledge base: load entries, search them and decide how to answer."""

from __future__ import annotations

from pathlib import Path

from knowledge.errors import KnowledgeError, Problem
from knowledge.filters import Facets, Filters
from knowledge.grouping import group_similar
from knowledge.loader import read_base
from knowledge.search import KnowledgeBase, Match, Response

__all__ = [
    "Facets",
    "Filters",
    "KnowledgeBase",
    "KnowledgeError",
    "Match",
    "Problem",
    "Response",
    "group_similar",
    "load",
]


def load(path: str | Path | None = None) -> KnowledgeBase:
    """Load and index the base at path (default: the shipped one); raise KnowledgeError."""
    root = Path(path) if path is not None else Path(__file__).parent
    entries, problems = read_base(root)
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(entry for _, entry in entries)
