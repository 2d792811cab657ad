"""Free-text questions: answer from the knowledge base, log them, learn from feedback."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

import knowledge
from bot.db.dialect import insert_for
from bot.db.models import QuestionLog, User
from bot.db.session import Database
from bot.flows import FOLLOW_UP_WINDOW, MESSAGE, NOT_ASKED, LastQuestion
from bot.kb import KnowledgeService
from knowledge.schema import Entry
from knowledge.text import normalize

GAPS_WINDOW = dt.timedelta(days=180)
GAPS_ROWS = 5000
_TEXT_LIMIT = 4096
_NAME_LIMIT = 150
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


@dataclass(frozen=True)
class Missing:
    """An organisation people asked about that has no entry, and how many questions named it."""

    name: str
    count: int


@dataclass(frozen=True)
class StaffMessage:
    """A message a user left for staff; no sender once they erased their data."""

    text: str
    sent_at: dt.datetime
    user_id: int | None
    first_name: str | None


class Questions:
    """Answer questions and keep the curator's log."""

    def __init__(self, database: Database, kb: KnowledgeService) -> None:
        self._db = database
        self._kb = kb
        self._pending: list[dict[str, Any]] = []
        self._flushing = asyncio.Lock()
        # Each user's latest question logged here and not yet written, with its row's id.
        self._unwritten: dict[int, tuple[int, LastQuestion]] = {}

    def ask(self, user_id: int, text: str, now: dt.datetime,
            last: LastQuestion | None = None) -> Asked:
        """Decide how to answer and log the question (declined ones without the user).

        last: the user's latest question as the database knows it (any replica may have taken
        it); a short question soon after an answer is read as a follow-up to that answer."""
        last = self._latest(user_id, last)
        recent = last is not None and now - last.asked_at <= FOLLOW_UP_WINDOW
        previous = last.entry_id if last is not None and recent else None
        response = self._kb.base.respond(text, now.date(), previous)
        best = response.matches[0] if response.matches else None
        answered = best.entry.id if best and response.decision == "answer" else None
        named = response.named.name if response.named and response.decision == "unknown" else None
        log_id = _new_log_id()
        kept = response.decision != "decline"
        self._pending.append({
            "id": log_id,
            "asked_at": now,
            "user_id": user_id if kept else None,
            "text": text[:_TEXT_LIMIT],
            "decision": response.decision,
            "best_id": best.entry.id if best else None,
            "score": best.score if best else None,
            "offered": ",".join(m.entry.id for m in response.matches[:10]) or None,
            "organisation": named[:_NAME_LIMIT] if named else None,
        })
        if kept and response.decision not in NOT_ASKED:
            self._unwritten[user_id] = (log_id, LastQuestion(answered, now))
        return Asked(log_id, response)

    def _latest(self, user_id: int, stored: LastQuestion | None) -> LastQuestion | None:
        """The newer of the stored latest question and one this process has not written yet."""
        mine = self._unwritten.get(user_id)
        if mine is None or (stored is not None and stored.asked_at > mine[1].asked_at):
            return stored
        return mine[1]

    async def leave_message(self, user_id: int, text: str, now: dt.datetime) -> None:
        """Store a message for staff, with its sender, at once (it is acknowledged)."""
        await self._write([{
            "id": _new_log_id(), "asked_at": now, "user_id": user_id,
            "text": text[:_TEXT_LIMIT], "decision": MESSAGE, "best_id": None, "score": None,
            "offered": None, "organisation": None}])

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
                        self._settled(self._pending[:dropped])
                        del self._pending[:dropped]
                        log.warning("question log backlog full: %d oldest dropped", dropped)
                    raise
                del self._pending[:len(rows)]
                self._settled(rows)

    def _settled(self, rows: list[dict[str, Any]]) -> None:
        """Forget the unwritten latest questions among these rows (written, or dropped)."""
        for row in rows:
            mine = self._unwritten.get(row["user_id"])
            if mine is not None and mine[0] == row["id"]:
                del self._unwritten[row["user_id"]]

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

    async def missing(self, now: dt.datetime, limit: int = 10) -> list[Missing]:
        """Organisations without an entry, most asked first; spellings that differ only in case
        or accents are one organisation, shown as most often written (then as best written)."""
        await self.flush()
        async with self._db.session() as session:
            rows = (await session.execute(
                select(QuestionLog.organisation, func.count())
                .where(QuestionLog.asked_at >= now - GAPS_WINDOW)
                .where(QuestionLog.organisation.is_not(None))
                .group_by(QuestionLog.organisation)
            )).all()
        spellings: dict[str, Counter[str]] = {}
        for name, count in rows:
            if name:
                spellings.setdefault(normalize(name) or name, Counter[str]())[name] += count
        found = [Missing(max(names, key=lambda n: (names[n], *_written_well(n))), names.total())
                 for names in spellings.values()]
        found.sort(key=lambda m: (-m.count, m.name.casefold()))
        return found[:limit]

    async def messages(self, limit: int = 5) -> list[StaffMessage]:
        """The latest messages users left for staff, newest first, with the sender's name."""
        async with self._db.session() as session:
            rows = (await session.execute(
                select(QuestionLog.text, QuestionLog.asked_at, QuestionLog.user_id,
                       User.first_name)
                .outerjoin(User, User.id == QuestionLog.user_id)
                .where(QuestionLog.decision == MESSAGE)
                .order_by(QuestionLog.asked_at.desc()).limit(limit)
            )).all()
        return [StaffMessage(*row) for row in rows]


def _written_well(name: str) -> tuple[bool, int, str]:
    """How a spelling ranks among equally frequent ones: mixed case, then accents kept."""
    return name not in (name.lower(), name.upper()), sum(not c.isascii() for c in name), name


def _reason(decision: str, feedback: int | None) -> str:
    if feedback == -1:
        return "👎"
    return {"decline": "sin respuesta", "suggest": "dudosa"}.get(decision, decision)
