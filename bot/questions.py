"""Free-text questions: answer from the knowledge base, log them, learn from feedback."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import insert, or_, select

import knowledge
from bot.db.models import QuestionLog
from bot.db.session import Database
from bot.kb import KnowledgeService
from knowledge.schema import Entry

GAPS_WINDOW = dt.timedelta(days=180)
GAPS_ROWS = 5000
_TEXT_LIMIT = 4096


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

    async def ask(self, user_id: int, text: str, now: dt.datetime) -> Asked:
        """Decide how to answer and log the question (declined ones without the user)."""
        response = self._kb.base.respond(text)
        best = response.matches[0] if response.matches else None
        values = {
            "asked_at": now,
            "user_id": None if response.decision == "decline" else user_id,
            "text": text[:_TEXT_LIMIT],
            "decision": response.decision,
            "best_id": best.entry.id if best else None,
            "score": best.score if best else None,
            "offered": ",".join(m.entry.id for m in response.matches[:10]) or None,
        }
        async with self._db.engine.begin() as connection:
            log_id = await connection.scalar(
                insert(QuestionLog).values(**values).returning(QuestionLog.id))
        return Asked(int(log_id or 0), response)

    async def feedback(self, log_id: int, user_id: int, useful: bool, now: dt.datetime) -> bool:
        """Record 👍 or 👎 on the user's own answered question; False if it is not theirs."""
        async with self._db.sessions.begin() as session:
            row = await session.get(QuestionLog, log_id)
            if row is None or row.user_id != user_id:
                return False
            row.feedback, row.feedback_at = (1 if useful else -1), now
            return True

    async def pick(self, log_id: int, user_id: int, position: int) -> Entry | None:
        """Return the suggestion the user chose (recording it), or None if not theirs."""
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
