"""The outbox dispatcher: claims due rows, sends them paced, records every outcome.

Crash safety: a row is marked `sending` (committed) before its request and `sent` after
Telegram answers. After a crash the next dispatcher puts `sending` rows back to `pending`,
so nothing is lost; a row is sent twice only if the crash fell between Telegram's answer and
the write of its outcome — at most the requests in flight plus outcomes not yet flushed
(MAX_IN_FLIGHT + one flush interval of sends).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.db.models import OutboxMessage, User
from bot.db.session import Database
from bot.leader import Leadership
from bot.outbox import State
from bot.pacing import Pacer

log = logging.getLogger(__name__)
MAX_IN_FLIGHT = 16
MAX_ATTEMPTS = 6
FLUSH_EVERY = 0.05
IDLE_POLL = 1.0
Clock = Callable[[], dt.datetime]
DocumentSource = Callable[[dict[str, Any]], Awaitable[tuple[str, bytes]]]


@dataclass
class Outcome:
    """What happened to one row."""

    row_id: int
    state: State
    error: str | None = None
    retry_at: dt.datetime | None = None
    recipient: int | None = None
    attempts_back: bool = False


def _seconds(value: object) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(str(value))


def _markup(rows: list[list[dict[str, str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(b["text"], callback_data=b.get("callback_data"), url=b.get("url"))
         for b in row] for row in rows])


class Dispatcher:
    """Send outbox rows at the configured rate, in this process while it holds leadership."""

    def __init__(self, database: Database, bot: Bot, rate: float, clock: Clock) -> None:
        self._db = database
        self.bot = bot
        self._clock = clock
        self.pacer = Pacer(rate)
        self.leadership = Leadership(database)
        self.documents: dict[str, DocumentSource] = {}
        self.hooks: list[Callable[[], Awaitable[None]]] = []
        self._outcomes: list[Outcome] = []
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._tasks: set[asyncio.Task[None]] = set()
        self.wake = asyncio.Event()

    async def run(self) -> None:
        """Dispatch forever (cancel to stop); `hooks` run between batches (progress reports)."""
        flusher = asyncio.create_task(self._flush_loop())
        try:
            while True:
                if not self.leadership.held:
                    if not await self.leadership.acquire():
                        await asyncio.sleep(2.0)
                        continue
                    await self.recover_if_leader()
                elif not await self.leadership.alive():
                    continue
                try:
                    sent = await self.dispatch_due()
                    for hook in self.hooks:
                        await hook()
                except Exception:
                    # A database hiccup must not stop delivery for good: try again shortly.
                    log.exception("delivery round failed")
                    await asyncio.sleep(1.0)
                    continue
                if not sent:
                    self.wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.wake.wait(), IDLE_POLL)
        finally:
            # The flusher may hold outcomes mid-write: let it put them back before the last flush.
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self.flush()

    async def close(self) -> None:
        """Release the lock and the HTTP client."""
        await self.leadership.release()
        await self.bot.shutdown()

    async def recover_if_leader(self) -> int:
        """As the dispatcher, put rows a dead one left in `sending` back to `pending`."""
        if not await self.leadership.acquire():
            return 0
        async with self._db.sessions.begin() as session:
            result = await session.execute(
                update(OutboxMessage).where(OutboxMessage.state == State.SENDING.value)
                .values(state=State.PENDING.value))
            return int(result.rowcount)  # type: ignore[attr-defined]

    async def dispatch_due(self) -> int:
        """Claim the rows due now and send them; return how many were started."""
        rows = await self._claim()
        for row in _interleave(rows):
            # A free request first, then the slot: the request leaves at its slot's moment.
            await self._slots.acquire()
            await self.pacer.slot(row.recipient)
            task = asyncio.create_task(self._send(row))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return len(rows)

    async def idle(self) -> bool:
        """True when nothing is in flight, unrecorded, or due now."""
        if self._tasks or self._outcomes:
            return False
        async with self._db.session() as session:
            due = await session.scalar(
                select(OutboxMessage.id).where(
                    (OutboxMessage.state == State.SENDING.value)
                    | ((OutboxMessage.state == State.PENDING.value)
                       & (OutboxMessage.next_attempt_at <= self._clock()))).limit(1))
        return due is None

    async def _claim(self) -> list[OutboxMessage]:
        now = self._clock()
        batch = max(10, int(2 / self.pacer.interval))
        async with self._db.sessions.begin() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.state == State.PENDING.value,
                       OutboxMessage.expires_at <= now)
                .values(state=State.DROPPED.value, last_error="expired before sending"))
            due = (select(OutboxMessage.id)
                   .where(OutboxMessage.state == State.PENDING.value,
                          OutboxMessage.next_attempt_at <= now)
                   .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(batch))
            if not self._db.is_sqlite:
                due = due.with_for_update(skip_locked=True)
            ids = list((await session.scalars(due)).all())
            if not ids:
                return []
            claimed = await session.scalars(
                update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                .values(state=State.SENDING.value, attempts=OutboxMessage.attempts + 1)
                .returning(OutboxMessage))
            return sorted(claimed.all(), key=lambda r: (r.next_attempt_at, r.id))

    async def _send(self, row: OutboxMessage) -> None:
        try:
            outcome = await self._attempt(row)
        except Exception as exc:
            # Whatever went wrong, the row must not stay in `sending` for ever.
            log.exception("unexpected error sending outbox row %s", row.id)
            outcome = self._retry(row, repr(exc))
        finally:
            self._slots.release()
        self._outcomes.append(outcome)

    async def _attempt(self, row: OutboxMessage) -> Outcome:
        payload = row.payload
        try:
            document = payload.get("document")
            if document:
                await self._send_document(row.recipient, payload, document)
            else:
                await self.bot.send_message(
                    row.recipient, payload["text"], parse_mode=ParseMode.HTML,
                    reply_markup=_markup(payload.get("buttons", [])),
                    link_preview_options=LinkPreviewOptions(is_disabled=True))
        except RetryAfter as exc:
            with warnings.catch_warnings():
                # Its type changes from int to timedelta in a later version; both are read.
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                wait = _seconds(exc.retry_after)
            self.pacer.pause(wait)
            log.warning("flood control: pausing all sends for %.1f s", wait)
            return Outcome(row.id, State.PENDING, "429 retry_after",
                           self._clock() + dt.timedelta(seconds=wait), attempts_back=True)
        except Forbidden as exc:
            return Outcome(row.id, State.UNDELIVERABLE, str(exc)[:500], recipient=row.recipient)
        except BadRequest as exc:
            return Outcome(row.id, State.FAILED, str(exc)[:500])
        except (TelegramError, OSError) as exc:
            return self._retry(row, str(exc))
        return Outcome(row.id, State.SENT)

    async def _send_document(self, chat_id: int, payload: dict[str, Any],
                             document: dict[str, Any]) -> None:
        if "file_id" in document:
            content: Any = document["file_id"]
            name = None
        else:
            name, content = await self.documents[document["source"]](document)
        await self.bot.send_document(chat_id, content, filename=name,
                                      caption=payload.get("text") or None,
                                      parse_mode=ParseMode.HTML)

    def _retry(self, row: OutboxMessage, error: str) -> Outcome:
        if row.attempts >= MAX_ATTEMPTS:
            return Outcome(row.id, State.FAILED, f"gave up: {error}"[:500])
        backoff = min(300.0, 2.0 ** row.attempts) * random.uniform(0.8, 1.2)
        return Outcome(row.id, State.PENDING, error[:500],
                       self._clock() + dt.timedelta(seconds=backoff))

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_EVERY)
            try:
                await self.flush()
            except Exception:
                log.exception("could not record delivery outcomes; will retry")

    async def flush(self) -> None:
        """Write the outcomes collected so far in one transaction."""
        outcomes, self._outcomes = self._outcomes, []
        if not outcomes:
            return
        try:
            await self._record(outcomes)
        except BaseException:
            self._outcomes = outcomes + self._outcomes
            raise

    async def _record(self, outcomes: list[Outcome]) -> None:
        now = self._clock()
        sent = [o.row_id for o in outcomes if o.state is State.SENT]
        others = [o for o in outcomes if o.state is not State.SENT]
        async with self._db.sessions.begin() as session:
            if sent:
                # The common case in one statement, so outcomes are written as fast as sent.
                await session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(sent))
                                      .values(state=State.SENT.value, sent_at=now,
                                              last_error=None))
            for item in others:
                values: dict[str, Any] = {"state": item.state.value, "last_error": item.error}
                if item.retry_at is not None:
                    values["next_attempt_at"] = item.retry_at
                if item.attempts_back:
                    values["attempts"] = OutboxMessage.attempts - 1
                await session.execute(update(OutboxMessage)
                                      .where(OutboxMessage.id == item.row_id).values(**values))
                if item.recipient is not None:
                    await session.execute(update(User).where(User.id == item.recipient,
                                                             User.blocked_at.is_(None))
                                          .values(blocked_at=now))


def _interleave(rows: list[OutboxMessage]) -> list[OutboxMessage]:
    """Round-robin across chats so one chat's 1 s spacing does not hold the others back."""
    queues: dict[int, list[OutboxMessage]] = {}
    for row in rows:
        queues.setdefault(row.recipient, []).append(row)
    ordered = []
    while queues:
        for chat in list(queues):
            ordered.append(queues[chat].pop(0))
            if not queues[chat]:
                del queues[chat]
    return ordered
