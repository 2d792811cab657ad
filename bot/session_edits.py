"""Staff edits of sessions in Telegram: parse and check each field, then apply it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import dateparser
from sqlalchemy import func, select

from bot.calendar_updates import CALENDAR_COLUMNS, queue_updated_files
from bot.db.models import Cycle, EventSession
from bot.db.session import Database
from bot.registrations import Registrations, Seat

FIELDS = ("title", "start", "join_url", "recording_url", "capacity", "duration")
_DATE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4}))"
                   r"[ T,]+(\d{1,2}):(\d{2})\s*(?:h|hrs?)?\s*$", re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# A link typed without its scheme: "zoom.us/j/123", "www.example.org".
_BARE_LINK = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/?#]\S*)?$",
                        re.IGNORECASE)
# "a las 9", "9 h", "9 hrs": an hour without minutes, which dateparser would otherwise drop.
_BARE_HOUR = re.compile(r"\b(?:(a\s+las?)\s+(\d{1,2})|(\d{1,2})\s*(?:h|hrs?|horas))\b"
                        r"(?!\s*[:.]\d)(?!\s*(?:am|pm|a\.\s*m|p\.\s*m))", re.IGNORECASE)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|\d\s*(?:am|pm|a\.\s*m|p\.\s*m)", re.IGNORECASE)
_DATE_EXAMPLE = ("Escriba la fecha y hora, por ejemplo «14 de enero 2027 11:00», «mañana a las "
                 "9» o «2030-03-05 10:00».")
_PARSER = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "future",
           "RETURN_AS_TIMEZONE_AWARE": False}
_NONE = {"ninguno", "ninguna", "sin limite", "sin límite", "-", "no", "quitar"}


class EditError(ValueError):
    """A value staff typed that cannot be used; the message says why."""


@dataclass(frozen=True)
class Edited:
    """A session after an edit, and the people promoted if seats were added."""

    event: EventSession
    promoted: list[Seat]
    moved: bool = False


def parse_start(text: str, zone: ZoneInfo, now: dt.datetime | None = None) -> dt.datetime:
    """A local date and time in the zone, to an aware datetime: '2030-03-05 10:00',
    '5/3/2030 10:00', or Spanish words ('14 de enero 2027 11:00', 'mañana a las 9') read from
    now."""
    match = _DATE.match(text)
    if match is None:
        return _spanish(text, zone, now or dt.datetime.now(dt.UTC))
    y1, m1, d1, d2, m2, y2, hour, minute = match.groups()
    try:
        local = dt.datetime(int(y1 or y2), int(m1 or m2), int(d1 or d2), int(hour), int(minute))
    except ValueError:
        raise EditError("Esa fecha no existe. Revise el día, el mes y la hora.") from None
    return local.replace(tzinfo=zone)


def _spanish(text: str, zone: ZoneInfo, now: dt.datetime) -> dt.datetime:
    """Dates as people write them in Spanish, with dateparser; the hour is required."""
    typed = re.sub(r"^\s*(?:el|este|esta|para el)\s+", "", text.strip(), flags=re.IGNORECASE)
    typed = _BARE_HOUR.sub(lambda m: f"{m[1] or ''} {m[2] or m[3]}:00".strip(), typed)
    typed = re.sub(r"(\d{1,2})\.(\d{2})\b", r"\1:\2", typed)
    if not _HAS_TIME.search(typed) or len(typed) > 80:
        raise EditError(_DATE_EXAMPLE)
    base = now.astimezone(zone).replace(tzinfo=None)
    found = dateparser.parse(typed, languages=["es"],
                             settings={**_PARSER, "RELATIVE_BASE": base})
    if found is None:
        raise EditError(_DATE_EXAMPLE)
    return found.replace(second=0, microsecond=0, tzinfo=zone)


def parse_link(text: str) -> str:
    """A join or recording link; 'zoom.us/j/1' gets its https://."""
    if _BARE_LINK.match(text):
        text = "https://" + text
    if not _URL.match(text) or len(text) > 500:
        raise EditError("Escriba un enlace completo, por ejemplo https://zoom.us/j/123 o "
                        "zoom.us/j/123.")
    return text


def parse_value(field: str, text: str, zone: ZoneInfo,
                now: dt.datetime | None = None) -> object:
    """Check one field's typed value; raise EditError with a clear message."""
    text = text.strip()
    if field == "title":
        if not 3 <= len(text) <= 300:
            raise EditError("El título debe tener entre 3 y 300 caracteres.")
        return text
    if field == "start":
        return parse_start(text, zone, now).astimezone(dt.UTC)
    if field in ("join_url", "recording_url"):
        if text.casefold() in _NONE:
            return None
        return parse_link(text)
    if field in ("capacity", "duration"):
        if field == "capacity" and text.casefold() in _NONE:
            return None
        if not text.isdigit() or not 1 <= int(text) <= (100_000 if field == "capacity" else 1440):
            raise EditError("Escriba un número entero positivo"
                            + (" o «sin límite»." if field == "capacity" else " de minutos."))
        return int(text)
    raise EditError(f"Campo desconocido: {field}")


class SessionEdits:
    """Apply staff edits and creations of sessions."""

    def __init__(self, database: Database, registrations: Registrations) -> None:
        self._db = database
        self._registrations = registrations

    async def zone_of(self, cycle_id: str) -> ZoneInfo:
        """The time zone of a cycle."""
        async with self._db.session() as session:
            cycle = await session.get(Cycle, cycle_id)
            return ZoneInfo(cycle.timezone if cycle else "America/Mexico_City")

    async def apply(self, session_id: int, field: str, text: str, now: dt.datetime) -> Edited:
        """Change one field of a session from the text staff typed."""
        async with self._db.session() as session:
            event = await session.get(EventSession, session_id)
        if event is None:
            raise EditError("Esa sesión ya no existe.")
        value = parse_value(field, text, await self.zone_of(event.cycle_id), now)
        column = {"start": "starts_at", "duration": "duration_minutes"}.get(field, field)
        async with self._db.sessions.begin() as session:
            event = await session.get(EventSession, session_id)
            assert event is not None
            moved = column == "starts_at" and event.starts_at != value
            changed = getattr(event, column) != value
            setattr(event, column, value)
            if column in ("starts_at", "title", "join_url"):
                # Reminders carry the time, title and link: replace them with the change.
                await self._registrations.reminders.reschedule(session, event, now)
            if changed and column in CALENDAR_COLUMNS:
                await queue_updated_files(session, event, self._registrations.reminders.zone,
                                          now)
        promoted = []
        if field == "capacity":
            promoted = await self._registrations.fill(session_id, now)
        return Edited(event, promoted, moved)

    async def create(self, cycle_id: str, title: str, start_text: str,
                     now: dt.datetime) -> EventSession:
        """Add a session to a cycle with the next free code (s<N>)."""
        zone = await self.zone_of(cycle_id)
        title = str(parse_value("title", title, zone))
        starts_at = parse_start(start_text, zone, now)
        if starts_at <= now:
            raise EditError("La nueva sesión debe ser en el futuro.")
        async with self._db.sessions.begin() as session:
            count = await session.scalar(select(func.count()).select_from(EventSession)
                                         .where(EventSession.cycle_id == cycle_id)) or 0
            codes = set((await session.scalars(select(EventSession.code)
                                               .where(EventSession.cycle_id == cycle_id))).all())
            number = count + 1
            while f"s{number}" in codes:
                number += 1
            event = EventSession(cycle_id=cycle_id, code=f"s{number}", title=title, topic=None,
                                 speakers=[], starts_at=starts_at.astimezone(dt.UTC),
                                 duration_minutes=None, modality="en línea", join_url=None,
                                 recording_url=None, capacity=None)
            session.add(event)
        return event
