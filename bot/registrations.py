"""Seats and waitlists: register, cancel, promote — correct under concurrency on both engines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot import notices
from bot.db.models import EventSession, OutboxMessage, Profile, Registration
from bot.db.session import Database
from bot.outbox import Outgoing, cancel_pending, enqueue
from bot.reminders import Reminders

_TICK = dt.timedelta(microseconds=1)
# Outbox rows carrying a seat's updated calendar file (bot/calendar_updates.py).
CALENDAR_KIND = "calendar"


class SeatStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Seat:
    """A user's place in one session: confirmed, or waitlisted at a position."""

    registration_id: int
    session_id: int
    user_id: int | None
    status: SeatStatus
    position: int | None = None
    created: bool = False
    # The iCalendar SEQUENCE for the next file sent for this seat.
    sequence: int = 0


class NotYours(Exception):
    """The registration does not exist or belongs to someone else."""


async def _lock_session(session: AsyncSession, session_id: int) -> EventSession | None:
    # PostgreSQL: a row lock on the session serialises seat decisions for it. SQLite: the
    # whole database is already locked by BEGIN IMMEDIATE.
    statement = select(EventSession).where(EventSession.id == session_id)
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def _confirmed(session: AsyncSession, session_id: int) -> int:
    return int(await session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.session_id == session_id,
               Registration.status == SeatStatus.CONFIRMED)
    ) or 0)


async def _position(session: AsyncSession, registration: Registration) -> int:
    ahead = await session.scalar(
        select(func.count()).select_from(Registration).where(
            Registration.session_id == registration.session_id,
            Registration.status == SeatStatus.WAITLISTED,
            tuple_(Registration.queued_at, Registration.id)
            < tuple_(registration.queued_at, registration.id),
        )
    )
    return int(ahead or 0) + 1


async def _seat(session: AsyncSession, registration: Registration, created: bool = False) -> Seat:
    position = None
    if registration.status == SeatStatus.WAITLISTED:
        position = await _position(session, registration)
    return Seat(registration.id, registration.session_id, registration.user_id,
                SeatStatus(registration.status), position, created,
                registration.calendar_sequence or 0)


class Registrations:
    """Register users for sessions, keeping capacity and waitlist order."""

    def __init__(self, database: Database, reminders: Reminders) -> None:
        self._db = database
        self.reminders = reminders

    async def register(self, user_id: int, session_id: int, now: dt.datetime) -> Seat:
        """Give the user a seat, or a waitlist place when the session is full."""
        async with self._db.sessions.begin() as session:
            event = await _lock_session(session, session_id)
            if event is None:
                raise LookupError(f"no session {session_id}")
            existing = await session.scalar(select(Registration).where(
                Registration.session_id == session_id, Registration.user_id == user_id))
            if existing is not None and existing.status != SeatStatus.CANCELLED:
                return await _seat(session, existing)
            full = event.capacity is not None and await _confirmed(session, session_id) >= (
                event.capacity)
            status = SeatStatus.WAITLISTED if full else SeatStatus.CONFIRMED
            profile = await session.get(Profile, user_id)
            # The waitlist keeps the order of these (locked) decisions, whatever the clocks say.
            last = await session.scalar(select(func.max(Registration.queued_at))
                                        .where(Registration.session_id == session_id))
            if existing is None:
                existing = Registration(session_id=session_id, user_id=user_id, created_at=now,
                                        calendar_sequence=0)
                session.add(existing)
            else:
                # Taken again after a cancellation: the new file must outrank the CANCEL.
                existing.calendar_sequence += 1
            existing.status, existing.updated_at = status, now
            existing.queued_at = max(now, last + _TICK) if last is not None else now
            existing.sector = profile.sector if profile else None
            existing.state = profile.state if profile else None
            await session.flush()
            await self.reminders.schedule(session, existing, event, now)
            return await _seat(session, existing, created=True)

    async def cancel(self, user_id: int, registration_id: int,
                     now: dt.datetime) -> tuple[Seat, Seat | None]:
        """Cancel the user's registration; return it and whoever was promoted from the list."""
        async with self._db.sessions.begin() as session:
            registration = await session.get(Registration, registration_id)
            if registration is None or registration.user_id != user_id:
                raise NotYours(registration_id)
            await _lock_session(session, registration.session_id)
            await session.refresh(registration)
            was_confirmed = registration.status == SeatStatus.CONFIRMED
            registration.status, registration.updated_at = SeatStatus.CANCELLED, now
            registration.calendar_sequence += 1
            await self.reminders.cancel_for(session, registration.id)
            await cancel_pending(session, OutboxMessage.kind == CALENDAR_KIND,
                                 OutboxMessage.registration_id == registration.id)
            promoted = None
            if was_confirmed:
                promoted = await self._promote(session, registration.session_id, now)
            return await _seat(session, registration), promoted

    async def _promote(self, session: AsyncSession, session_id: int,
                       now: dt.datetime) -> Seat | None:
        event = await session.get(EventSession, session_id)
        if event is None or (event.capacity is not None
                             and await _confirmed(session, session_id) >= event.capacity):
            return None
        first = await session.scalar(
            select(Registration)
            .where(Registration.session_id == session_id,
                   Registration.status == SeatStatus.WAITLISTED)
            .order_by(Registration.queued_at, Registration.id).limit(1)
        )
        if first is None:
            return None
        first.status, first.updated_at = SeatStatus.CONFIRMED, now
        await session.flush()
        if first.user_id is not None:
            # The news and the reminders go out with the change, in the same transaction.
            await enqueue(session, [Outgoing(
                recipient=first.user_id, kind="promotion", dedup_key=f"promotion:{first.id}:"
                f"{int(now.timestamp() * 1000)}", text=notices.promoted(event, self.reminders.zone),
                due=now, session_id=session_id, registration_id=first.id)], now)
        await self.reminders.schedule(session, first, event, now)
        return await _seat(session, first)

    async def fill(self, session_id: int, now: dt.datetime) -> list[Seat]:
        """Promote people from the waitlist while the session has free seats."""
        promoted = []
        async with self._db.sessions.begin() as session:
            await _lock_session(session, session_id)
            while (seat := await self._promote(session, session_id, now)) is not None:
                promoted.append(seat)
        return promoted

    async def set_reminders(self, user_id: int, on: bool, now: dt.datetime) -> bool:
        """Switch the user's reminders; False when they have no registration profile."""
        async with self._db.sessions.begin() as session:
            profile = await session.get(Profile, user_id)
            if profile is None:
                return False
            profile.reminders = on
            await self.reminders.switch(session, user_id, on, now)
            return True

    async def reminders_on(self, user_id: int) -> bool | None:
        """Whether the user gets reminders (None without a registration profile)."""
        async with self._db.session() as session:
            profile = await session.get(Profile, user_id)
            return None if profile is None else profile.reminders

    async def of_user(self, user_id: int) -> list[tuple[EventSession, Seat]]:
        """The user's active registrations (confirmed and waitlisted), by session start."""
        async with self._db.session() as session:
            rows = (await session.execute(
                select(EventSession, Registration)
                .join(Registration, Registration.session_id == EventSession.id)
                .where(Registration.user_id == user_id,
                       Registration.status != SeatStatus.CANCELLED)
                .order_by(EventSession.starts_at)
            )).all()
            return [(event, await _seat(session, registration)) for event, registration in rows]

    async def get(self, user_id: int, registration_id: int) -> tuple[EventSession, Seat]:
        """One of the user's registrations with its session."""
        async with self._db.session() as session:
            registration = await session.get(Registration, registration_id)
            if registration is None or registration.user_id != user_id:
                raise NotYours(registration_id)
            event = await session.get(EventSession, registration.session_id)
            assert event is not None
            return event, await _seat(session, registration)
