"""The conversatorio catalogue: import cycles from their files, find sessions, edit them."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select

from bot.calendar import CalendarSession, build_ics, ics_filename
from bot.db.models import Cycle, EventSession, Registration
from bot.db.session import Database
from bot.events_file import CycleFile, EventFileError, load_cycle

log = logging.getLogger(__name__)
LINK_PREFIX = "registro_"
_DEEP_LINK_MAX = 64
_LINK = re.compile(r"^registro_(?:(?P<pk>\d{1,9})|(?P<cycle>[a-z0-9-]{1,40})"
                   r"(?:_(?P<code>[a-z0-9-]{1,12}))?)$")


@dataclass(frozen=True)
class Imported:
    """What an import changed."""

    cycle_id: str
    created: int
    updated: int
    removed: int
    kept: list[str] = field(default_factory=list)


def read_cycles(folder: Path) -> list[CycleFile]:
    """Load the valid cycle files of a folder, logging the invalid ones."""
    cycles = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            cycles.append(load_cycle(path))
        except (EventFileError, OSError) as exc:
            log.error("cycle file %s not imported: %s", path.name, exc)
    return cycles


def link_parameter(event: EventSession) -> str:
    """The /start parameter of a session's registration deep link (≤ 64 characters)."""
    full = f"{LINK_PREFIX}{event.cycle_id}_{event.code}"
    return full if len(full) <= _DEEP_LINK_MAX else f"{LINK_PREFIX}{event.id}"


class Events:
    """Cycles and sessions in the database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def import_cycle(self, cycle: CycleFile, now: dt.datetime) -> Imported:
        """Create or update a cycle and its sessions from a validated file (idempotent)."""
        values = {
            "title": cycle.title, "organizers": list(cycle.organizers),
            "audience": [str(a) for a in cycle.audience], "description": cycle.description,
            "timezone": cycle.timezone, "reminder_offsets": list(cycle.reminder_offsets_minutes),
            "certificate_min_sessions": cycle.certificate.min_sessions if cycle.certificate
            else None,
            "grace_minutes": cycle.attendance.grace_minutes,
            "min_minutes": cycle.attendance.min_minutes,
            "sources": [str(u) for u in cycle.sources], "updated_at": now,
        }
        created = updated = removed = 0
        kept: list[str] = []
        async with self._db.sessions.begin() as session:
            row = await session.get(Cycle, cycle.id)
            if row is None:
                session.add(Cycle(id=cycle.id, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            existing = {e.code: e for e in (await session.scalars(
                select(EventSession).where(EventSession.cycle_id == cycle.id))).all()}
            for item in cycle.sessions:
                fields = {
                    "title": item.title, "topic": item.topic, "speakers": list(item.speakers),
                    "starts_at": item.starts_at.astimezone(dt.UTC),
                    "duration_minutes": item.duration_minutes, "modality": item.modality,
                    "join_url": str(item.join_url) if item.join_url else None,
                    "recording_url": str(item.recording_url) if item.recording_url else None,
                    "capacity": item.capacity,
                }
                event = existing.pop(item.id, None)
                if event is None:
                    session.add(EventSession(cycle_id=cycle.id, code=item.id, **fields))
                    created += 1
                else:
                    for key, value in fields.items():
                        setattr(event, key, value)
                    updated += 1
            for code, event in existing.items():
                # A session someone registered for is kept, so nobody loses a seat silently.
                if await session.scalar(select(func.count()).select_from(Registration)
                                        .where(Registration.session_id == event.id)):
                    kept.append(code)
                else:
                    await session.execute(delete(EventSession).where(EventSession.id == event.id))
                    removed += 1
        return Imported(cycle.id, created, updated, removed, kept)

    async def seed(self, cycles: list[CycleFile], now: dt.datetime) -> list[str]:
        """Import the cycles that are not in the database yet."""
        seeded = []
        for cycle in cycles:
            if await self.cycle(cycle.id) is None:
                await self.import_cycle(cycle, now)
                seeded.append(cycle.id)
        return seeded

    async def cycles(self) -> list[Cycle]:
        """Every cycle, newest first."""
        async with self._db.session() as session:
            first = (select(EventSession.cycle_id, func.min(EventSession.starts_at).label("s"))
                     .group_by(EventSession.cycle_id).subquery())
            rows = await session.scalars(select(Cycle).join(first, first.c.cycle_id == Cycle.id)
                                         .order_by(first.c.s.desc()))
            return list(rows.all())

    async def cycle(self, cycle_id: str) -> Cycle | None:
        """One cycle by id."""
        async with self._db.session() as session:
            return await session.get(Cycle, cycle_id)

    async def sessions(self, cycle_id: str) -> list[EventSession]:
        """The sessions of a cycle, in order."""
        async with self._db.session() as session:
            rows = await session.scalars(select(EventSession)
                                         .where(EventSession.cycle_id == cycle_id)
                                         .order_by(EventSession.starts_at, EventSession.code))
            return list(rows.all())

    async def session(self, session_id: int) -> EventSession | None:
        """One session by its database id."""
        async with self._db.session() as session:
            return await session.get(EventSession, session_id)

    async def by_ref(self, ref: str) -> EventSession | None:
        """A session by '<cycle id>/<session id>'."""
        cycle_id, _, code = ref.partition("/")
        async with self._db.session() as session:
            return await session.scalar(select(EventSession).where(
                EventSession.cycle_id == cycle_id, EventSession.code == code))

    async def from_link(self, parameter: str) -> tuple[Cycle | None, EventSession | None]:
        """Resolve a registration deep-link parameter to its cycle and (optional) session."""
        match = _LINK.match(parameter)
        if match is None:
            return None, None
        async with self._db.session() as session:
            event: EventSession | None = None
            if match.group("pk"):
                event = await session.get(EventSession, int(match.group("pk")))
            elif match.group("code"):
                event = await session.scalar(select(EventSession).where(
                    EventSession.cycle_id == match.group("cycle"),
                    EventSession.code == match.group("code")))
                if event is None:
                    return None, None
            cycle_id = event.cycle_id if event else match.group("cycle")
            return await session.get(Cycle, cycle_id), event

    async def open_cycles(self, now: dt.datetime) -> list[Cycle]:
        """Cycles with a session still to come, the soonest first."""
        async with self._db.session() as session:
            first = (select(EventSession.cycle_id, func.min(EventSession.starts_at).label("s"))
                     .where(EventSession.starts_at > now)
                     .group_by(EventSession.cycle_id).subquery())
            rows = await session.scalars(select(Cycle).join(first, first.c.cycle_id == Cycle.id)
                                         .order_by(first.c.s, Cycle.id))
            return list(rows.all())

    async def upcoming(self, now: dt.datetime, limit: int = 10) -> list[EventSession]:
        """Sessions that have not started yet, soonest first."""
        async with self._db.session() as session:
            rows = await session.scalars(select(EventSession)
                                         .where(EventSession.starts_at > now)
                                         .order_by(EventSession.starts_at).limit(limit))
            return list(rows.all())


def calendar_file(cycle: Cycle, events: list[EventSession], user_id: int,
                  now: dt.datetime, sequences: dict[int, int] | None = None,
                  cancel: bool = False) -> tuple[str, bytes]:
    """An .ics file (name, bytes) with the given sessions of a cycle, for one user.

    ``sequences`` maps a session id to its registration's calendar sequence; ``cancel``
    makes the file remove the sessions from the user's calendar.
    """
    entries = [
        CalendarSession(
            uid_key=f"{event.cycle_id}-{event.code}", title=event.title,
            cycle_title=cycle.title, starts_at=event.starts_at,
            duration_minutes=event.duration_minutes, timezone=cycle.timezone,
            join_url=event.join_url, description=event.topic,
            sequence=(sequences or {}).get(event.id, 0),
        )
        for event in events
    ]
    name = events[0].title if len(events) == 1 else cycle.title
    if cancel:
        name = f"cancelado {name}"
    return ics_filename(name), build_ics(entries, user_id, now, cancel)


def offsets_text(offsets: list[int]) -> str:
    """'24 horas y 1 hora' for reminder offsets in minutes."""
    parts = []
    for minutes in sorted(offsets, reverse=True):
        hours, rest = divmod(minutes, 60)
        if rest:
            parts.append(f"{minutes} minutos")
        elif hours % 24 == 0 and hours >= 48:
            parts.append(f"{hours // 24} días")
        else:
            parts.append(f"{hours} hora{'s' if hours != 1 else ''}")
    return " y ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)
