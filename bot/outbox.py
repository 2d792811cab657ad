"""The outbox: messages to many users are rows first, written in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert_for
from bot.db.models import OutboxMessage

# Rows are inserted in chunks so that 100,000 recipients do not become one huge statement.
CHUNK = 2000


class State(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNDELIVERABLE = "undeliverable"
    CANCELLED = "cancelled"
    DROPPED = "dropped"


OPEN = (State.PENDING, State.SENDING)
_REVIVED = ("state", "attempts", "payload", "next_attempt_at", "expires_at", "last_error")


@dataclass(frozen=True)
class Outgoing:
    """A message to enqueue: who, what (Telegram HTML, optional buttons/document), when."""

    recipient: int
    kind: str
    dedup_key: str
    text: str
    due: dt.datetime
    buttons: list[list[dict[str, str]]] = field(default_factory=list)
    document: dict[str, Any] | None = None
    expires_at: dt.datetime | None = None
    broadcast_id: int | None = None
    session_id: int | None = None
    registration_id: int | None = None

    def row(self, now: dt.datetime) -> dict[str, Any]:
        """The outbox row values."""
        payload: dict[str, Any] = {"text": self.text}
        if self.buttons:
            payload["buttons"] = self.buttons
        if self.document:
            payload["document"] = self.document
        return {
            "kind": self.kind, "recipient": self.recipient, "payload": payload,
            "dedup_key": self.dedup_key, "state": State.PENDING.value, "attempts": 0,
            "next_attempt_at": self.due, "expires_at": self.expires_at, "created_at": now,
            "broadcast_id": self.broadcast_id, "session_id": self.session_id,
            "registration_id": self.registration_id, "last_error": None, "sent_at": None,
        }


async def enqueue(session: AsyncSession, messages: Iterable[Outgoing], now: dt.datetime) -> None:
    """Add messages in the caller's transaction.

    A dedup key already present is left alone (never sent twice), except a cancelled one,
    which comes back to life: a reminder switched off and on again, a seat taken again.
    """
    rows = [m.row(now) for m in messages]
    for start in range(0, len(rows), CHUNK):
        statement = insert_for(session, OutboxMessage)
        revived = {name: getattr(statement.excluded, name) for name in _REVIVED}
        statement = statement.on_conflict_do_update(
            index_elements=["dedup_key"], set_=revived,
            where=OutboxMessage.state == State.CANCELLED.value)
        await session.execute(statement, rows[start : start + CHUNK])


async def cancel_pending(session: AsyncSession, *conditions: Any) -> int:
    """Cancel messages not yet sent that match the conditions; return how many."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.state == State.PENDING.value, *conditions)
        .values(state=State.CANCELLED.value)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
