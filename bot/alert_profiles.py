"""Alert profiles: which open calls each user wants to hear about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from bot.db.models import AlertProfile, OutboxMessage
from bot.db.session import Database
from bot.outbox import cancel_pending
from knowledge.geography import STATE_CODES, state_from_code
from knowledge.schema import Applicant, Entry

KIND = "alert"
APPLICANT_CODES = tuple(a.value for a in Applicant)
THEMES = range(1, 18)
T = TypeVar("T")


@dataclass(frozen=True)
class Preferences:
    """A user's choices: applicant types, ODS themes (none = any), states, and on/off."""

    applicants: tuple[str, ...] = ()
    themes: tuple[int, ...] = ()
    states: tuple[str, ...] = ()
    active: bool = True

    @classmethod
    def of(cls, row: AlertProfile | None) -> Preferences:
        """The preferences stored in a row (defaults when there is none)."""
        if row is None:
            return cls()
        return cls(tuple(row.applicants), tuple(row.themes), tuple(row.states), row.active)

    def matches(self, entry: Entry) -> bool:
        """Tell whether the user may apply to the entry (confirmed applicants only: a possible
        one is no match), it shares a theme and works in one of the states (if any chosen;
        national sources work in all)."""
        if not any(a.value in self.applicants for a in entry.applicants):
            return False
        if self.themes and not set(entry.themes) & set(self.themes):
            return False
        states = (state_from_code(c) for c in self.states)
        return not self.states or any(s is not None and entry.covers(s) for s in states)


def _toggled(values: tuple[T, ...], value: T, order: tuple[T, ...]) -> list[T]:
    chosen = set(values) ^ {value}
    return [v for v in order if v in chosen]


class AlertProfiles:
    """Read and edit alert profiles."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def get(self, user_id: int) -> Preferences:
        """The user's preferences (defaults if never set)."""
        async with self._db.session() as session:
            return Preferences.of(await session.get(AlertProfile, user_id))

    async def toggle(self, user_id: int, facet: str, value: str, now: dt.datetime) -> Preferences:
        """Add or remove one applicant type ('a'), theme ('o') or state code ('e')."""
        async with self._db.sessions.begin() as session:
            row = await session.get(AlertProfile, user_id)
            if row is None:
                row = AlertProfile(user_id=user_id, applicants=[], themes=[], states=[],
                                   active=True, updated_at=now)
                session.add(row)
            current = Preferences.of(row)
            if facet == "a" and value in APPLICANT_CODES:
                row.applicants = _toggled(current.applicants, value, APPLICANT_CODES)
            elif facet == "o" and value.isdigit() and int(value) in THEMES:
                row.themes = _toggled(current.themes, int(value), tuple(THEMES))
            elif facet == "e" and value in STATE_CODES.values():
                row.states = _toggled(current.states, value, tuple(STATE_CODES.values()))
            else:
                raise ValueError(f"unknown alert choice {facet}:{value}")
            row.updated_at = now
            return Preferences.of(row)

    async def switch(self, user_id: int, on: bool, now: dt.datetime) -> Preferences:
        """Turn alerts on or off; off also cancels a digest not yet sent."""
        async with self._db.sessions.begin() as session:
            row = await session.get(AlertProfile, user_id)
            if row is None:
                row = AlertProfile(user_id=user_id, applicants=[], themes=[], states=[],
                                   updated_at=now)
                session.add(row)
            row.active, row.updated_at = on, now
            if not on:
                await cancel_pending(session, OutboxMessage.kind == KIND,
                                     OutboxMessage.recipient == user_id)
            return Preferences.of(row)
