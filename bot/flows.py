"""Per-user conversation state kept in the database, so any replica can take the next message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, select

from bot.db.dialect import upsert
from bot.db.models import Flow
from bot.db.session import Database

# A form left untouched this long is forgotten rather than resumed.
EXPIRY = dt.timedelta(days=14)
# Read for every text message: built once, a Core query without the ORM's bookkeeping.
_FLOW_OF = select(Flow.name, Flow.step, Flow.data, Flow.updated_at).where(
    Flow.user_id == bindparam("user_id"))


@dataclass
class FlowState:
    """The flow a user is in, its current step and the answers so far."""

    name: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


class Flows:
    """Read, save and end users' flows."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def get(self, user_id: int, now: dt.datetime) -> FlowState | None:
        """Return the user's flow, unless there is none or it expired."""
        row = await self._db.first(_FLOW_OF, {"user_id": user_id})
        if row is None or now - row.updated_at > EXPIRY:
            return None
        return FlowState(row.name, row.step, dict(row.data))

    async def save(self, user_id: int, state: FlowState, now: dt.datetime) -> None:
        """Store the flow as it is now."""
        values = {"name": state.name, "step": state.step, "data": state.data, "updated_at": now}
        async with self._db.sessions.begin() as session:
            await upsert(session, Flow, {"user_id": user_id, **values}, ["user_id"], values)

    async def end(self, user_id: int) -> bool:
        """Forget the user's flow; return True if there was one."""
        async with self._db.sessions.begin() as session:
            result = await session.execute(delete(Flow).where(Flow.user_id == user_id))
            return bool(result.rowcount)  # type: ignore[attr-defined]
