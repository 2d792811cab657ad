"""Registration lists for staff: counts per session and CSV/XLSX exports (one function for all)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.db.models import EventSession, Profile, Registration
from bot.db.session import Database
from bot.registrations import SeatStatus
from bot.signup import SECTORS
from bot.spreadsheets import spreadsheet

STATUS_LABELS = {SeatStatus.CONFIRMED: "confirmada", SeatStatus.WAITLISTED: "lista de espera",
                 SeatStatus.CANCELLED: "cancelada"}
COLUMNS = ("ciclo", "sesion", "titulo", "inicio", "nombre", "correo", "organizacion", "sector",
           "estado", "municipio", "cluni", "estatus", "lugar_en_espera", "registrado")


@dataclass(frozen=True)
class SessionCounts:
    """Seats of one session, with confirmed people by sector and by state."""

    event: EventSession
    confirmed: int
    waitlisted: int
    cancelled: int
    by_sector: dict[str, int]
    by_state: dict[str, int]


class Reports:
    """Read registrations for staff."""

    def __init__(self, database: Database, zone: ZoneInfo) -> None:
        self._db = database
        self._zone = zone

    async def _rows(self, session_id: int | None) -> list[tuple[EventSession, Registration,
                                                                Profile | None]]:
        statement = (select(EventSession, Registration, Profile)
                     .join(Registration, Registration.session_id == EventSession.id)
                     .outerjoin(Profile, Profile.user_id == Registration.user_id)
                     .order_by(EventSession.starts_at, Registration.queued_at, Registration.id))
        if session_id is not None:
            statement = statement.where(EventSession.id == session_id)
        async with self._db.session() as session:
            return [(e, r, p) for e, r, p in (await session.execute(statement)).all()]

    async def counts(self) -> list[SessionCounts]:
        """Per session: confirmed, waitlisted, cancelled; confirmed by sector and state."""
        grouped: dict[int, list[tuple[EventSession, Registration]]] = {}
        for event, registration, _ in await self._rows(None):
            grouped.setdefault(event.id, []).append((event, registration))
        result = []
        for items in grouped.values():
            status = Counter(r.status for _, r in items)
            confirmed = [r for _, r in items if r.status == SeatStatus.CONFIRMED]
            result.append(SessionCounts(
                items[0][0], status[SeatStatus.CONFIRMED], status[SeatStatus.WAITLISTED],
                status[SeatStatus.CANCELLED],
                dict(Counter(SECTORS.get(r.sector or "", "sin dato") for r in confirmed)),
                dict(Counter(r.state or "sin dato" for r in confirmed))))
        return result

    async def table(self, session_id: int | None = None) -> list[list[str]]:
        """One row per person and session (anonymous seats are only counted, not listed)."""
        rows: list[list[str]] = []
        position: Counter[int] = Counter()
        for event, registration, profile in await self._rows(session_id):
            waiting = ""
            if registration.status == SeatStatus.WAITLISTED:
                position[event.id] += 1
                waiting = str(position[event.id])
            if registration.user_id is None:
                continue
            p = profile
            rows.append([
                event.cycle_id, event.code, event.title,
                event.starts_at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M"),
                (p.full_name if p else None) or "", (p.email if p else None) or "",
                (p.organization if p else None) or "",
                SECTORS.get((p.sector if p else None) or "", ""), (p.state if p else None) or "",
                (p.municipality if p else None) or "", (p.cluni if p else None) or "",
                STATUS_LABELS[SeatStatus(registration.status)], waiting,
                registration.created_at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M"),
            ])
        return rows

    async def export(self, fmt: str, session_id: int | None, now: dt.datetime) -> tuple[str,
                                                                                       bytes]:
        """The registrations file (name, bytes) in CSV (UTF-8 with BOM) or XLSX."""
        rows = await self.table(session_id)
        stamp = now.astimezone(self._zone).strftime("%Y%m%d-%H%M")
        return f"registros-{stamp}.{fmt}", spreadsheet(fmt, "Registros", COLUMNS, rows)
