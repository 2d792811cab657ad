"""Per-user conversation state kept in the database, so any replica can take the next message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, literal_column, select, true

from bot.db.dialect import upsert
from bot.db.models import Flow, QuestionLog
from bot.db.session import Database

# A form left untouched this long is forgotten rather than resumed.
EXPIRY = dt.timedelta(days=14)
# A short question this soon after an answer may be a follow-up to it ("¿y de cuánto es?").
FOLLOW_UP_WINDOW = dt.timedelta(minutes=30)
# A message left for staff is logged as a question with this decision (user kept).
MESSAGE = "mensaje"
# Rows of the question log that are no question about funding: they leave the context alone.
NOT_ASKED = ("chat", MESSAGE)
_FLOW_OF = select(Flow.name, Flow.step, Flow.data, Flow.updated_at).where(
    Flow.user_id == bindparam("user_id"))
_LAST_ASKED = (
    select(QuestionLog.decision, QuestionLog.best_id, QuestionLog.asked_at)
    # Constants written into the SQL: an expanding IN would render the statement on every read.
    .where(QuestionLog.user_id == bindparam("user_id"),
           QuestionLog.decision.not_in([literal_column(f"'{d}'") for d in NOT_ASKED]),
           # Bounds the walk over a chatty user's rows to the window that matters.
           QuestionLog.asked_at >= bindparam("since"))
    .order_by(QuestionLog.asked_at.desc()).limit(1))
# Read for every text message, built once (a Core query without the ORM's bookkeeping): the
# open form and the latest question, in one round trip; one row whether or not either exists.
_flow, _last = _FLOW_OF.subquery("flow"), _LAST_ASKED.subquery("last")
_TURN_OF = select(_flow.c.name, _flow.c.step, _flow.c.data, _flow.c.updated_at,
                  _last.c.decision, _last.c.best_id, _last.c.asked_at).select_from(
    select(literal_column("1").label("one")).subquery("one")
    .outerjoin(_flow, true()).outerjoin(_last, true()))


@dataclass
class FlowState:
    """The flow a user is in, its current step and the answers so far."""

    name: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LastQuestion:
    """A user's latest question about funding: the one entry its answer showed (None for a
    list, suggestions or a decline), and when it was asked."""

    entry_id: str | None
    asked_at: dt.datetime


@dataclass(frozen=True)
class Turn:
    """What the next text message of a user continues: an open form, or their last question."""

    flow: FlowState | None
    last: LastQuestion | None


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

    async def turn(self, user_id: int, now: dt.datetime) -> Turn:
        """Return the user's open form (unless expired) and their latest question within the
        follow-up window, in one read."""
        row = await self._db.first(_TURN_OF, {"user_id": user_id,
                                              "since": now - FOLLOW_UP_WINDOW})
        assert row is not None
        flow = None
        if row.name is not None and now - row.updated_at <= EXPIRY:
            flow = FlowState(row.name, row.step, dict(row.data))
        last = None
        if row.asked_at is not None:
            last = LastQuestion(row.best_id if row.decision == "answer" else None, row.asked_at)
        return Turn(flow, last)

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
