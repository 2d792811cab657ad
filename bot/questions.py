"""Free-text questions: answer from the knowledge base, log them, learn from feedback."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

import knowledge
from bot.db.dialect import insert_for
from bot.db.models import QuestionLog, User
from bot.db.session import Database
from bot.kb import KnowledgeService
from knowledge.schema import Entry

GAPS_WINDOW = dt.timedelta(days=180)
GAPS_ROWS = 5000
_TEXT_LIMIT = 4096
# Questions are written in batches, off the reply path: a write per message would cost more than
# answering it. A row waits at most FLUSH_EVERY seconds (and is written at shutdown; a killed
# process loses that much); while the database is unreachable, up to _BACKLOG rows wait.
FLUSH_EVERY = 0.5
_BATCH = 500
_BACKLOG = 20_000
log = logging.getLogger(__name__)


_ID_BITS = 62


def _new_log_id() -> int:
    """A random positive 63-bit id, so any replica can name a row before writing it."""
    return secrets.randbits(_ID_BITS) + 1


def _possible(log_id: int) -> bool:
    """False for numbers no log row can have (forged buttons), which the database would refuse."""
    return 0 < log_id <= 1 << _ID_BITS


@dataclass(frozen=True)
class Asked:
    """The decision for a question and the log row that records it."""

    log_id: int
    response: knowledge.Response


@dataclass(frozen=True)
class Gap:
    """Similar questions the base did not answer well, most frequent first."""

    count: int
    example: str
    reasons: dict[str, int]


class Questions:
    """Answer questions and keep the curator's log."""

    def __init__(self, database: Database, kb: KnowledgeService) -> None:
        self._db = database
        self._kb = kb
        self._pending: list[dict[str, Any]] = []
        self._flushing = asyncio.Lock()

    def ask(self, user_id: int, text: str, now: dt.datetime) -> Asked:
        """Decide how to answer and log the question (declined ones without the user)."""
        response = self._kb.base.respond(text, now.date())
        best = response.matches[0] if response.matches else None
        log_id = _new_log_id()
        self._pending.append({
            "id": log_id,
            "asked_at": now,
            "user_id": None if response.decision == "decline" else user_id,
            "text": text[:_TEXT_LIMIT],
            "decision": response.decision,
            "best_id": best.entry.id if best else None,
            "score": best.score if best else None,
            "offered": ",".join(m.entry.id for m in response.matches[:10]) or None,
        })
        return Asked(log_id, response)

    async def flush(self) -> None:
        """Write the questions logged so far by this process."""
        async with self._flushing:
            while self._pending:
                rows = self._pending[:_BATCH]
                try:
                    await self._write(rows)
                except Exception:
                    dropped = len(self._pending) - _BACKLOG
                    if dropped > 0:
                        del self._pending[:dropped]
                        log.warning("question log backlog full: %d oldest dropped", dropped)
                    raise
                del self._pending[:len(rows)]

    async def _write(self, rows: list[dict[str, Any]]) -> None:
        async with self._db.sessions.begin() as session:
            # Someone who erased their data meanwhile, on any replica, leaves no trace here.
            asking = {row["user_id"] for row in rows} - {None}
            present = set((await session.scalars(select(User.id).where(User.id.in_(asking))))
                          if asking else ())
            await session.execute(
                insert_for(session, QuestionLog).on_conflict_do_nothing(),
                [row | {"user_id": row["user_id"] if row["user_id"] in present else None}
                 for row in rows])

    async def feedback(self, log_id: int, user_id: int, useful: bool, now: dt.datetime) -> bool:
        """Record 👍 or 👎 on the user's own answered question; False if it is not theirs."""
        if not _possible(log_id):
            return False
        await self.flush()
        async with self._db.sessions.begin() as session:
            row = await session.get(QuestionLog, log_id)
            if row is None or row.user_id != user_id:
                return False
            row.feedback, row.feedback_at = (1 if useful else -1), now
            return True

    async def pick(self, log_id: int, user_id: int, position: int) -> Entry | None:
        """Return the suggestion the user chose (recording it), or None if not theirs."""
        if not _possible(log_id):
            return None
        await self.flush()
        async with self._db.sessions.begin() as session:
            row = await session.get(QuestionLog, log_id)
            if row is None or row.user_id != user_id or not row.offered:
                return None
            offered = row.offered.split(",")
            if not 0 <= position < len(offered):
                return None
            entry = self._kb.base.get(offered[position])
            if entry is not None:
                row.best_id = entry.id
            return entry

    async def gaps(self, now: dt.datetime, limit: int = 15) -> list[Gap]:
        """Group declined, low-confidence and 👎 questions by similarity, biggest groups first."""
        await self.flush()
        async with self._db.session() as session:
            rows = (await session.execute(
                select(QuestionLog.text, QuestionLog.decision, QuestionLog.feedback)
                .where(QuestionLog.asked_at >= now - GAPS_WINDOW)
                .where(or_(QuestionLog.decision.in_(("decline", "suggest")),
                           QuestionLog.feedback == -1))
                .order_by(QuestionLog.asked_at.desc())
                .limit(GAPS_ROWS)
            )).all()
        texts = [row.text for row in rows]
        gaps = []
        for group in knowledge.group_similar(texts)[:limit]:
            reasons = Counter(_reason(rows[i].decision, rows[i].feedback) for i in group)
            gaps.append(Gap(len(group), texts[group[0]], dict(reasons)))
        return gaps


def _reason(decision: str, feedback: int | None) -> str:
    if feedback == -1:
        return "👎"
    return {"decline": "sin respuesta", "suggest": "dudosa"}.get(decision, decision)
