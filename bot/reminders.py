"""Reminders before sessions, kept in the outbox and moved when sessions or seats change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import notices
from bot.db.models import Cycle, EventSession, OutboxMessage, Profile, Registration
from bot.outbox import Outgoing, cancel_pending, enqueue

CONFIRMED = "confirmed"


def reminder_messages(event: EventSession, offsets: list[int], registration_id: int,
                      user_id: int, zone: ZoneInfo, now: dt.datetime) -> list[Outgoing]:
    """One reminder per offset still ahead; none for an offset that has already passed."""
    stamp = int(event.starts_at.timestamp())
    messages = []
    for minutes in offsets:
        due = event.starts_at - dt.timedelta(minutes=minutes)
        if due <= now:
            continue
        messages.append(Outgoing(
            recipient=user_id, kind="reminder",
            dedup_key=f"reminder:{registration_id}:{minutes}:{stamp}",
            text=notices.reminder(event, minutes, zone), due=due, expires_at=event.starts_at,
            session_id=event.id, registration_id=registration_id))
    return messages


class Reminders:
    """Create, move and cancel reminders inside the caller's transaction."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    async def _offsets(self, session: AsyncSession, event: EventSession) -> list[int]:
        cycle = await session.get(Cycle, event.cycle_id)
        return list(cycle.reminder_offsets) if cycle else [1440, 60]

    async def schedule(self, session: AsyncSession, registration: Registration,
                       event: EventSession, now: dt.datetime) -> None:
        """Reminders for a confirmed seat, unless its holder switched them off."""
        if registration.user_id is None or registration.status != CONFIRMED:
            return
        profile = await session.get(Profile, registration.user_id)
        if profile is not None and not profile.reminders:
            return
        offsets = await self._offsets(session, event)
        await enqueue(session, reminder_messages(event, offsets, registration.id,
                                                 registration.user_id, self.zone, now), now)

    async def cancel_for(self, session: AsyncSession, registration_id: int) -> None:
        """Cancel the pending reminders of one registration."""
        await cancel_pending(session, OutboxMessage.kind == "reminder",
                             OutboxMessage.registration_id == registration_id)

    async def reschedule(self, session: AsyncSession, event: EventSession,
                         now: dt.datetime) -> None:
        """Replace the pending reminders of a session (its time, title or link changed)."""
        await cancel_pending(session, OutboxMessage.kind == "reminder",
                             OutboxMessage.session_id == event.id)
        seats = await session.scalars(select(Registration).where(
            Registration.session_id == event.id, Registration.status == CONFIRMED))
        for registration in seats.all():
            await self.schedule(session, registration, event, now)

    async def switch(self, session: AsyncSession, user_id: int, on: bool,
                     now: dt.datetime) -> None:
        """Turn a user's reminders on (recreating future ones) or off (cancelling them)."""
        if not on:
            await cancel_pending(session, OutboxMessage.kind == "reminder",
                                 OutboxMessage.recipient == user_id)
            return
        rows = (await session.execute(
            select(Registration, EventSession)
            .join(EventSession, EventSession.id == Registration.session_id)
            .where(Registration.user_id == user_id, Registration.status == CONFIRMED,
                   EventSession.starts_at > now))).all()
        for registration, event in rows:
            await self.schedule(session, registration, event, now)
