"""Updated calendar files for the people holding a session that changed."""

from __future__ import annotations

import datetime as dt
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import when, zone_label
from bot.db.models import Cycle, EventSession, OutboxMessage, Registration
from bot.db.session import Database
from bot.events import calendar_file
from bot.outbox import Outgoing, cancel_pending, enqueue
from bot.registrations import CALENDAR_KIND, SeatStatus

# What a calendar event shows: a change to anything else needs no new file.
CALENDAR_COLUMNS = ("starts_at", "title", "join_url", "duration_minutes")


def _caption(event: EventSession, zone: ZoneInfo) -> str:
    return (f"📅 Cambió la sesión «{escape(event.title)}»: ahora es el "
            f"{when(event.starts_at, zone)} ({zone_label(zone)}). Abra este archivo para "
            "actualizarla en su calendario.")


async def queue_updated_files(session: AsyncSession, event: EventSession, zone: ZoneInfo,
                              now: dt.datetime) -> int:
    """Raise each seat's sequence and queue its new .ics, in the caller's transaction."""
    await session.execute(update(Registration).where(Registration.session_id == event.id)
                          .values(calendar_sequence=Registration.calendar_sequence + 1))
    await cancel_pending(session, OutboxMessage.kind == CALENDAR_KIND,
                         OutboxMessage.session_id == event.id)
    seats = (await session.execute(select(Registration.id, Registration.user_id,
                                          Registration.calendar_sequence).where(
        Registration.session_id == event.id, Registration.status == SeatStatus.CONFIRMED,
        Registration.user_id.is_not(None)))).all()
    if event.starts_at <= now:
        return 0
    await enqueue(session, [Outgoing(
        recipient=user_id, kind=CALENDAR_KIND, dedup_key=f"calendar:{seat_id}:{sequence}",
        text=_caption(event, zone), due=now, expires_at=event.starts_at,
        document={"source": CALENDAR_KIND, "registration": seat_id},
        session_id=event.id, registration_id=seat_id)
        for seat_id, user_id, sequence in seats if user_id is not None], now)
    return len(seats)


async def seat_file(database: Database, registration_id: int,
                    now: dt.datetime) -> tuple[str, bytes]:
    """The .ics of one seat, with its session as it is now (built when the file is sent)."""
    async with database.session() as session:
        registration = await session.get(Registration, registration_id)
        if registration is None or registration.user_id is None:
            raise LookupError("registration gone")
        event = await session.get(EventSession, registration.session_id)
        cycle = await session.get(Cycle, event.cycle_id) if event else None
        if event is None or cycle is None:
            raise LookupError("session gone")
        return calendar_file(cycle, [event], registration.user_id, now,
                             {event.id: registration.calendar_sequence})
