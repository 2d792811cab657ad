"""Problems found in a knowledge base and the error that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Problem(NamedTuple):
    """One problem: the file (relative to the base), the field, and what is wrong."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        """Render as 'file: field: message'."""
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class KnowledgeError(Exception):
    """The base cannot be loaded; .problems lists every (file, field, message)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Keep the problems and build a readable Spanish message."""
        self.problems = list(problems)
        count = len(self.problems)
        head = f"La base de conocimiento tiene {count} problema{'s' if count != 1 else ''}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))
