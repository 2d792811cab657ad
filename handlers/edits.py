"""Editing a message in place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from telegram.error import BadRequest


@contextmanager
def unchanged_is_fine() -> Iterator[None]:
    """Ignore Telegram's refusal to 'edit' a message into what it already shows."""
    try:
        yield
    except BadRequest as exc:
        # Pressing the same button twice changes nothing; Telegram says so, and that is fine.
        if "not modified" not in str(exc):
            raise
