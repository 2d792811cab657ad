"""Attendance from three sources — check-in codes, participant reports, staff — in one record."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attendance_import import ParticipantReport
from bot.db.dialect import insert_for
from bot.db.models import Attendance, CheckinCode, Cycle, EventSession, Profile, Registration
from bot.db.session import Database

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# A session whose duration is unknown is taken to last this long for the check-in window.
DEFAULT_DURATION = dt.timedelta(minutes=120)
ATTENDING = ("confirmed", "waitlisted")
# Staff may correct attendance for this long after a cycle's last session; then it is history.
CORRECTIONS = dt.timedelta(days=30)


class CheckIn(StrEnum):
    OK = "ok"
    WRONG_CODE = "wrong_code"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    NOT_REGISTERED = "not_registered"
    ALREADY = "already"


class Marked(StrEnum):
    DONE = "done"
    UNCHANGED = "unchanged"
    NOT_REGISTERED = "not_registered"
    FINISHED = "finished"


class CycleFinished(Exception):
    """The session's cycle is history: its attendance can no longer change."""


@dataclass(frozen=True)
class Imported:
    """What a participant report changed."""

    matched: int
    below_minimum: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    minimum: int = 0


def window(event: EventSession, cycle: Cycle) -> tuple[dt.datetime, dt.datetime]:
    """When a check-in counts: from the start to the end plus the cycle's grace period."""
    length = dt.timedelta(minutes=event.duration_minutes) if event.duration_minutes else (
        DEFAULT_DURATION)
    return event.starts_at, event.starts_at + length + dt.timedelta(minutes=cycle.grace_minutes)


class AttendanceBook:
    """Record and count attendance."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def new_code(self, session_id: int, now: dt.datetime) -> str:
        """A fresh short code for a session (any earlier code stops working)."""
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        async with self._db.sessions.begin() as session:
            await session.execute(delete(CheckinCode).where(CheckinCode.session_id == session_id))
            session.add(CheckinCode(code=code, session_id=session_id, created_at=now))
        return code

    async def check_in(self, user_id: int, code: str,
                       now: dt.datetime) -> tuple[CheckIn, EventSession | None]:
        """Count the user present if the code, the time and their registration are right."""
        async with self._db.sessions.begin() as session:
            found = await session.get(CheckinCode, code.strip().upper())
            if found is None:
                return CheckIn.WRONG_CODE, None
            event = await session.get(EventSession, found.session_id)
            assert event is not None
            cycle = await session.get(Cycle, event.cycle_id)
            assert cycle is not None
            opens, closes = window(event, cycle)
            if now < opens:
                return CheckIn.TOO_EARLY, event
            if now > closes:
                return CheckIn.TOO_LATE, event
            registered = await session.scalar(select(Registration.id).where(
                Registration.session_id == event.id, Registration.user_id == user_id,
                Registration.status.in_(ATTENDING)))
            if registered is None:
                return CheckIn.NOT_REGISTERED, event
            if not await self._record(session, event.id, user_id, "checkin", None, now):
                return CheckIn.ALREADY, event
            return CheckIn.OK, event

    async def _record(self, session: AsyncSession, session_id: int, user_id: int, source: str,
                      minutes: int | None, now: dt.datetime) -> bool:
        statement = insert_for(session, Attendance).values(
            session_id=session_id, user_id=user_id, source=source, minutes=minutes,
            recorded_at=now).on_conflict_do_nothing()
        return bool((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]

    async def import_report(self, session_id: int, report: ParticipantReport,
                            now: dt.datetime) -> Imported:
        """Mark registrants present whose time in the call reached the cycle's minimum."""
        async with self._db.sessions.begin() as session:
            event = await session.get(EventSession, session_id)
            assert event is not None
            cycle = await session.get(Cycle, event.cycle_id)
            assert cycle is not None
            if await _finished(session, cycle, now):
                raise CycleFinished(cycle.id)
            rows = (await session.execute(
                select(func.lower(Profile.email), Registration.user_id)
                .join(Profile, Profile.user_id == Registration.user_id)
                .where(Registration.session_id == session_id,
                       Registration.status.in_(ATTENDING)))).all()
            by_email = {email: user_id for email, user_id in rows if email}
            matched, below, unknown = 0, [], []
            for email, minutes in sorted(report.minutes_by_email.items()):
                user_id = by_email.get(email)
                if user_id is None:
                    unknown.append(email)
                elif minutes < cycle.min_minutes:
                    below.append(email)
                else:
                    matched += 1
                    await self._record(session, session_id, user_id, "import", minutes, now)
            return Imported(matched, below, unknown, cycle.min_minutes)

    async def mark(self, session_id: int, user_id: int, present: bool,
                   now: dt.datetime) -> Marked:
        """Staff mark (or unmark) one registrant of a session whose cycle is not history."""
        async with self._db.sessions.begin() as session:
            event = await session.get(EventSession, session_id)
            cycle = await session.get(Cycle, event.cycle_id) if event else None
            if cycle is None or await _finished(session, cycle, now):
                return Marked.FINISHED
            if present:
                registered = await session.scalar(select(Registration.id).where(
                    Registration.session_id == session_id, Registration.user_id == user_id,
                    Registration.status.in_(ATTENDING)))
                if registered is None:
                    return Marked.NOT_REGISTERED
                done = await self._record(session, session_id, user_id, "manual", None, now)
            else:
                result = await session.execute(delete(Attendance).where(
                    Attendance.session_id == session_id, Attendance.user_id == user_id))
                done = bool(result.rowcount)  # type: ignore[attr-defined]
            return Marked.DONE if done else Marked.UNCHANGED

    async def registrants(self, session_id: int) -> list[tuple[int, str, bool]]:
        """A session's registrants (user id, name, present?) by name, for marking by hand."""
        async with self._db.session() as session:
            rows = (await session.execute(
                select(Registration.user_id, Profile.full_name, Attendance.user_id)
                .join(Profile, Profile.user_id == Registration.user_id)
                .outerjoin(Attendance, (Attendance.session_id == Registration.session_id)
                           & (Attendance.user_id == Registration.user_id))
                .where(Registration.session_id == session_id,
                       Registration.status.in_(ATTENDING)))).all()
        people = [(int(user), name or "(sin nombre)", present is not None)
                  for user, name, present in rows if user is not None]
        return sorted(people, key=lambda p: p[1].casefold())

    async def finished(self, cycle_id: str, now: dt.datetime) -> bool:
        """True once a cycle is history (its last session ended over CORRECTIONS ago)."""
        async with self._db.session() as session:
            cycle = await session.get(Cycle, cycle_id)
            return cycle is None or await _finished(session, cycle, now)

    async def attended(self, user_id: int, cycle_id: str) -> list[EventSession]:
        """The sessions of a cycle the user attended, in order."""
        async with self._db.session() as session:
            rows = await session.scalars(
                select(EventSession).join(Attendance, Attendance.session_id == EventSession.id)
                .where(Attendance.user_id == user_id, EventSession.cycle_id == cycle_id)
                .order_by(EventSession.starts_at))
            return list(rows.all())


async def _finished(session: AsyncSession, cycle: Cycle, now: dt.datetime) -> bool:
    last = (await session.scalars(select(EventSession).where(EventSession.cycle_id == cycle.id)
                                  .order_by(EventSession.starts_at.desc()).limit(1))).first()
    return last is None or window(last, cycle)[1] + CORRECTIONS < now
