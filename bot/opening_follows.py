"""Following a periodic source until its call opens: one notice per opening, through the outbox."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import alert_notices
from bot.call_follows import SEND_HOUR, at_local, closing_moment
from bot.db.dialect import insert_ignore
from bot.db.models import OpeningFollow, OutboxMessage, SourceMute, User
from bot.db.session import Database
from bot.outbox import Outgoing, cancel_pending, enqueue
from knowledge.schema import Entry, Status

KIND = "opening"
# A call that opens in the evening or at night is announced the next morning at SEND_HOUR.
QUIET_FROM = 21


def can_follow(entry: Entry) -> bool:
    """Tell whether a source can be followed until it opens: a periodic call with a known
    window (the months in which past calls were open)."""
    return entry.is_call and entry.status is Status.PERIODICA and bool(entry.usual_months)


def opening_of(entry: Entry, day: dt.date) -> str:
    """What tells this opening from the source's others: its dates, else its year, else the
    day it was seen (replicas see a reload within seconds of each other)."""
    if entry.opens:
        return entry.opens.isoformat()
    if entry.closes:
        return f"c{entry.closes.isoformat()}"
    return str(entry.call_year) if entry.call_year else day.isoformat()


def notice_due(now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Now during the day; the next SEND_HOUR, local time, in the evening and at night."""
    local = now.astimezone(zone)
    if SEND_HOUR <= local.hour < QUIET_FROM:
        return now
    day = local.date() + dt.timedelta(days=1 if local.hour >= QUIET_FROM else 0)
    return at_local(day, SEND_HOUR, zone)


class OpeningFollows:
    """Follow and unfollow periodic sources; tell followers when a reload opens their call."""

    def __init__(self, database: Database, zone: ZoneInfo) -> None:
        self._db = database
        self.zone = zone

    async def follow(self, user_id: int, entry: Entry, now: dt.datetime) -> None:
        """Follow a source until it opens (un-muting it)."""
        async with self._db.sessions.begin() as session:
            await insert_ignore(session, OpeningFollow,
                                {"user_id": user_id, "entry_id": entry.id, "created_at": now})
            await session.execute(delete(SourceMute).where(SourceMute.user_id == user_id,
                                                           SourceMute.entry_id == entry.id))

    async def unfollow(self, user_id: int, entry_id: str) -> bool:
        """Stop following a source and cancel a notice not yet sent; False if not followed."""
        async with self._db.sessions.begin() as session:
            return await self.drop(session, user_id, entry_id)

    async def drop(self, session: AsyncSession, user_id: int, entry_id: str) -> bool:
        """Unfollow inside the caller's transaction."""
        result = await session.execute(delete(OpeningFollow).where(
            OpeningFollow.user_id == user_id, OpeningFollow.entry_id == entry_id))
        await cancel_pending(session, OutboxMessage.kind == KIND,
                             OutboxMessage.recipient == user_id,
                             OutboxMessage.dedup_key.startswith(f"{KIND}:{user_id}:{entry_id}:"))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def followed(self, user_id: int) -> list[str]:
        """The ids of the sources a user follows, oldest first."""
        async with self._db.session() as session:
            return list((await session.scalars(
                select(OpeningFollow.entry_id).where(OpeningFollow.user_id == user_id)
                .order_by(OpeningFollow.created_at, OpeningFollow.entry_id))).all())

    async def calls_opened(self, session: AsyncSession, opened: list[Entry],
                           now: dt.datetime) -> set[tuple[int, str]]:
        """Queue one notice per follower of each opened call (the dedup key names the opening,
        so a replica doing this again adds nothing); return the (user, entry) pairs told."""
        if not opened:
            return set()
        by_id = {e.id: e for e in opened}
        followers = (await session.execute(
            select(OpeningFollow.user_id, OpeningFollow.entry_id)
            .join(User, User.id == OpeningFollow.user_id)
            .where(OpeningFollow.entry_id.in_(by_id), User.blocked_at.is_(None)))).all()
        day, due = now.astimezone(self.zone).date(), notice_due(now, self.zone)
        messages = []
        for user_id, entry_id in followers:
            entry = by_id[entry_id]
            text, buttons = alert_notices.opened(entry)
            messages.append(Outgoing(
                recipient=user_id, kind=KIND, text=text, buttons=buttons, due=due,
                dedup_key=f"{KIND}:{user_id}:{entry.id}:{opening_of(entry, day)}",
                expires_at=closing_moment(entry, self.zone)))
        await enqueue(session, messages, now)
        return {(user_id, entry_id) for user_id, entry_id in followers}
