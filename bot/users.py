"""Who has talked to the bot: first contact, last contact and blocking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update

from bot.db.dialect import upsert
from bot.db.models import User
from bot.db.session import Database

# Writing last_seen on every update would cost a write per message; an hour is precise enough.
_SEEN_PRECISION = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Person:
    """The Telegram profile fields the bot keeps."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


class Users:
    """Record users and their reachability."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._recent: dict[int, dt.datetime] = {}

    async def seen(self, person: Person, now: dt.datetime) -> None:
        """Record contact from a user (created on first contact).

        Blocking is left alone: only Telegram's member status (see `unblocked`) tells that a
        user who blocked the bot can be written to again.
        """
        last = self._recent.get(person.id)
        if last is not None and now - last < _SEEN_PRECISION:
            return
        values = {
            "id": person.id,
            "first_name": person.first_name[:128],
            "last_name": (person.last_name or None) and person.last_name[:128],
            "username": person.username,
            "language_code": person.language_code,
        }
        changed = {**values, "last_seen": now}
        del changed["id"]
        async with self._db.sessions.begin() as session:
            await upsert(session, User, {**values, "first_seen": now, "last_seen": now}, ["id"],
                         changed)
        self._recent[person.id] = now

    async def mark_blocked(self, user_id: int, now: dt.datetime) -> None:
        """Remember that this user blocked the bot, so audiences skip them."""
        self.forget(user_id)
        async with self._db.sessions.begin() as session:
            await session.execute(
                update(User).where(User.id == user_id, User.blocked_at.is_(None))
                .values(blocked_at=now)
            )

    async def unblocked(self, user_id: int) -> None:
        """The user restarted the bot after blocking it: audiences include them again."""
        async with self._db.sessions.begin() as session:
            await session.execute(update(User).where(User.id == user_id).values(blocked_at=None))

    def forget(self, user_id: int) -> None:
        """Drop the note that this user was seen, so the next contact records them again."""
        self._recent.pop(user_id, None)

    async def get(self, user_id: int) -> User | None:
        """Return the stored user, if any."""
        async with self._db.session() as session:
            return await session.get(User, user_id)
