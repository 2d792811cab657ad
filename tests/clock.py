"""A clock the tests move by hand."""

from __future__ import annotations

import datetime as dt


class FakeClock:
    """Returns a fixed moment until moved."""

    def __init__(self, moment: dt.datetime) -> None:
        self.now = moment

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, moment: dt.datetime) -> None:
        """Jump to a moment."""
        self.now = moment
