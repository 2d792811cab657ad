"""Each update is processed once, even when Telegram re-sends it or two replicas receive it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from bot.db.dialect import insert_ignore
from bot.db.models import ProcessedUpdate
from bot.db.session import Database

# Telegram gives up re-sending an update after 24 hours; keep ids a little longer.
RETENTION = dt.timedelta(hours=48)


class Intake:
    """Claim update ids in the database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def claim(self, update_id: int, now: dt.datetime) -> bool:
        """Return True the first time an update id is claimed, False afterwards."""
        async with self._db.sessions.begin() as session:
            return await insert_ignore(
                session, ProcessedUpdate, {"update_id": update_id, "received_at": now}
            )

    async def prune(self, now: dt.datetime) -> int:
        """Forget update ids older than the retention period."""
        async with self._db.sessions.begin() as session:
            result = await session.execute(
                delete(ProcessedUpdate).where(ProcessedUpdate.received_at < now - RETENTION)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]
