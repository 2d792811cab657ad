"""Where a funding source works, in a few words: for cards, lists and alerts alike."""

from __future__ import annotations

from knowledge.schema import NATIONAL, Entry


def where(entry: Entry) -> str | None:
    """'todo México', 'solo Chiapas y Yucatán', with the entry's own caveat; None if unknown."""
    if entry.coverage is None:
        return None
    if entry.coverage == NATIONAL:
        place = "todo México"
    else:
        names = list(entry.coverage)
        place = "solo " + (", ".join(names[:-1]) + " y " + names[-1] if len(names) > 1
                           else names[0])
    return f"{place} ({entry.coverage_note})" if entry.coverage_note else place
