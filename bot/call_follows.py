"""Following one open call: reminders before it closes, kept in the outbox."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import alert_notices
from bot.db.dialect import insert_ignore
from bot.db.models import CallFollow, OutboxMessage, SourceMute
from bot.db.session import Database
from bot.outbox import Outgoing, cancel_pending, enqueue
from knowledge import KnowledgeBase
from knowledge.schema import Entry, Status

# Days before the closing date on which a follower is reminded.
REMINDER_DAYS = (7, 1)
# Local hour at which alerts and reminders go out.
SEND_HOUR = 9
KIND = "deadline"


def at_local(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    """The moment of an hour of a local day, in UTC."""
    return dt.datetime.combine(day, dt.time(hour), zone).astimezone(dt.UTC)


def closing_moment(entry: Entry, zone: ZoneInfo) -> dt.datetime | None:
    """The end of the closing day, local time; None when the call has no known close."""
    if entry.status is not Status.ABIERTA or entry.closes is None:
        return None
    return at_local(entry.closes + dt.timedelta(days=1), 0, zone)


def reminder_messages(user_id: int, entry: Entry, zone: ZoneInfo,
                      now: dt.datetime) -> list[Outgoing]:
    """One reminder per offset still ahead; none once the call has closed."""
    closing = closing_moment(entry, zone)
    if closing is None or entry.closes is None:
        return []
    messages = []
    for days in REMINDER_DAYS:
        due = at_local(entry.closes - dt.timedelta(days=days), SEND_HOUR, zone)
        if due <= now:
            continue
        text, buttons = alert_notices.deadline(entry, days)
        messages.append(Outgoing(
            recipient=user_id, kind=KIND, text=text, buttons=buttons, due=due,
            dedup_key=f"{KIND}:{user_id}:{entry.id}:{entry.closes.isoformat()}:{days}",
            expires_at=closing))
    return messages


async def _cancel(session: AsyncSession, user_id: int, entry_id: str) -> None:
    await cancel_pending(session, OutboxMessage.kind == KIND, OutboxMessage.recipient == user_id,
                         OutboxMessage.dedup_key.startswith(f"{KIND}:{user_id}:{entry_id}:"))


class CallFollows:
    """Follow and unfollow calls; keep reminders in step with the knowledge base."""

    def __init__(self, database: Database, zone: ZoneInfo) -> None:
        self._db = database
        self.zone = zone

    async def follow(self, user_id: int, entry: Entry, now: dt.datetime) -> list[dt.datetime]:
        """Follow a call (un-muting it); return the reminder times, empty once it has closed."""
        closing = closing_moment(entry, self.zone)
        if closing is None or closing <= now:
            return []
        messages = reminder_messages(user_id, entry, self.zone, now)
        async with self._db.sessions.begin() as session:
            await insert_ignore(session, CallFollow,
                                {"user_id": user_id, "entry_id": entry.id, "created_at": now})
            await session.execute(delete(SourceMute).where(SourceMute.user_id == user_id,
                                                           SourceMute.entry_id == entry.id))
            await enqueue(session, messages, now)
        return [m.due for m in messages]

    async def unfollow(self, user_id: int, entry_id: str) -> bool:
        """Stop following a call and cancel its pending reminders; False if not followed."""
        async with self._db.sessions.begin() as session:
            return await self.drop(session, user_id, entry_id)

    async def drop(self, session: AsyncSession, user_id: int, entry_id: str) -> bool:
        """Unfollow inside the caller's transaction."""
        result = await session.execute(delete(CallFollow).where(
            CallFollow.user_id == user_id, CallFollow.entry_id == entry_id))
        await _cancel(session, user_id, entry_id)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def calls_changed(self, session: AsyncSession, old: KnowledgeBase,
                            new: KnowledgeBase, now: dt.datetime) -> None:
        """Move the reminders of followed calls whose status or closing date changed."""
        followed = (await session.execute(select(CallFollow.user_id, CallFollow.entry_id))).all()
        for user_id, entry_id in followed:
            before, after = old.get(entry_id), new.get(entry_id)
            if _deadline(before) == _deadline(after):
                continue
            await _cancel(session, user_id, entry_id)
            if after is not None:
                # The dedup keys carry the date, so a replica doing this again changes nothing.
                await enqueue(session, reminder_messages(user_id, after, self.zone, now), now)


def _deadline(entry: Entry | None) -> tuple[Status | None, dt.date | None]:
    return (entry.status, entry.closes) if entry else (None, None)
