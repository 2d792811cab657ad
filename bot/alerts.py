"""Alerts when funding calls open: at most one digest per user and day, through the outbox."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import alert_notices
from bot.alert_profiles import KIND, Preferences
from bot.call_follows import SEND_HOUR, CallFollows, at_local
from bot.db.dialect import insert_ignore
from bot.db.models import AlertProfile, OutboxMessage, SourceMute, User
from bot.db.session import Database
from bot.opening_follows import OpeningFollows
from bot.outbox import Outgoing, State, enqueue
from knowledge import KnowledgeBase
from knowledge.schema import Entry, Kind, Status


def openings(old: KnowledgeBase, new: KnowledgeBase) -> list[Entry]:
    """Fuentes that are open now and were not before (changed status, or new)."""
    found = []
    for entry in new.entries:
        before = old.get(entry.id)
        if entry.kind is Kind.FUENTE and entry.status is Status.ABIERTA and (
                before is None or before.status is not Status.ABIERTA):
            found.append(entry)
    return found


def next_digest_day(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The local day of the next digest time strictly after now."""
    today = now.astimezone(zone).date()
    return today if at_local(today, SEND_HOUR, zone) > now else today + dt.timedelta(days=1)


class Alerts:
    """Tell users about newly open calls and remember the sources they muted."""

    def __init__(self, database: Database, follows: CallFollows, openings: OpeningFollows,
                 zone: ZoneInfo) -> None:
        self._db = database
        self._follows = follows
        self._openings = openings
        self.zone = zone

    async def calls_changed(self, old: KnowledgeBase, new: KnowledgeBase,
                            now: dt.datetime) -> None:
        """After a reload (here or on another replica): tell followers of the calls that opened,
        queue digests, move deadline reminders."""
        opened = openings(old, new)
        async with self._db.sessions.begin() as session:
            await self._follows.calls_changed(session, old, new, now)
            if not opened:
                return
            # Who follows a source hears of its opening at once, not again in the digest.
            told = await self._openings.calls_opened(session, opened, now)
            profiles = (await session.scalars(
                select(AlertProfile).join(User, User.id == AlertProfile.user_id)
                .where(AlertProfile.active.is_(True), User.blocked_at.is_(None)))).all()
            muted = set((await session.execute(
                select(SourceMute.user_id, SourceMute.entry_id)
                .where(SourceMute.entry_id.in_([e.id for e in opened])))).all())
            skipped = muted | told
            for row in profiles:
                preferences = Preferences.of(row)
                matched = [e for e in opened if preferences.matches(e)
                           and (row.user_id, e.id) not in skipped]
                if matched:
                    await self._add_to_digest(session, row.user_id, matched, new, now)

    async def _add_to_digest(self, session: AsyncSession, user_id: int, entries: list[Entry],
                             base: KnowledgeBase, now: dt.datetime) -> None:
        """Put entries in the user's next digest; calls it already announces are left out."""
        day = next_digest_day(now, self.zone)
        for _ in range(2):  # today's digest, or tomorrow's if today's is already on its way
            key = f"{KIND}:{user_id}:{day.isoformat()}"
            row = await session.scalar(select(OutboxMessage).where(OutboxMessage.dedup_key == key))
            known = alert_notices.digest_entries(row.payload) if row is not None else []
            entries = [e for e in entries if e.id not in known]
            if not entries:
                return
            if row is None or row.state == State.CANCELLED.value:
                await enqueue(session, [self._digest(user_id, key, entries, day)], now)
                return
            if row.state == State.PENDING.value:
                merged = [e for e in (base.get(i) for i in known) if e is not None] + entries
                message = self._digest(user_id, key, merged, day)
                await session.execute(update(OutboxMessage).where(
                    OutboxMessage.id == row.id, OutboxMessage.state == State.PENDING.value)
                    .values(payload=message.row(now)["payload"]))
                return
            day += dt.timedelta(days=1)

    def _digest(self, user_id: int, key: str, entries: list[Entry], day: dt.date) -> Outgoing:
        text, buttons = alert_notices.digest(entries)
        return Outgoing(recipient=user_id, kind=KIND, dedup_key=key, text=text, buttons=buttons,
                        due=at_local(day, SEND_HOUR, self.zone))

    async def mute(self, user_id: int, entry_id: str, now: dt.datetime) -> None:
        """Never tell the user about this source again (and stop following it)."""
        async with self._db.sessions.begin() as session:
            await insert_ignore(session, SourceMute,
                                {"user_id": user_id, "entry_id": entry_id, "created_at": now})
            await self._follows.drop(session, user_id, entry_id)
            await self._openings.drop(session, user_id, entry_id)
