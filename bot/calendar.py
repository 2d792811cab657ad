"""Calendar files (.ics) for conversatorio sessions, ready for Google Calendar and Outlook."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

PRODID = "-//Coopera//Conversatorios//ES"
_REMINDER = dt.timedelta(hours=-1)
# VTIMEZONE rules only need to cover the sessions; a year either side keeps the file small.
_TZ_MARGIN = dt.timedelta(days=366)


@dataclass(frozen=True)
class CalendarSession:
    """One session as it should appear in a calendar."""

    uid_key: str
    title: str
    cycle_title: str
    starts_at: dt.datetime
    duration_minutes: int | None
    timezone: str
    join_url: str | None
    description: str | None
    # RFC 5545 SEQUENCE: raised for every change, so calendars replace the older copy.
    sequence: int = 0


def _description(session: CalendarSession) -> str:
    """Compose the event's description in Spanish."""
    parts = [f"Ciclo: {session.cycle_title}"]
    if session.description:
        parts.append(session.description)
    if session.join_url:
        parts.append(f"Enlace para unirse: {session.join_url}")
    else:
        parts.append("Le compartiremos el enlace para unirse por Telegram.")
    return "\n\n".join(parts)


def _event(session: CalendarSession, user_id: int, stamp: dt.datetime,
           cancelled: bool = False) -> Event:
    """Build the VEVENT, with its reminder, for one session (or its cancellation)."""
    if session.starts_at.tzinfo is None:
        raise ValueError(f"session {session.uid_key!r} has a naive start time")
    start = session.starts_at.astimezone(ZoneInfo(session.timezone))
    event = Event()
    event.add("uid", f"{session.uid_key}-{user_id}@coopera")
    event.add("dtstamp", stamp)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("dtstart", start)
    if session.duration_minutes:
        event.add("dtend", start + dt.timedelta(minutes=session.duration_minutes))
    event.add("summary", session.title)
    event.add("description", _description(session))
    if session.join_url:
        event.add("location", session.join_url)
        event.add("url", session.join_url)
    if cancelled:
        return event
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", _REMINDER)
    alarm.add("description", f"En una hora empieza: {session.title}")
    event.add_component(alarm)
    return event


def build_ics(sessions: list[CalendarSession], user_id: int, now: dt.datetime,
              cancel: bool = False) -> bytes:
    """Return an .ics calendar with one event per session for this user.

    With ``cancel`` the file removes those events (RFC 5546 METHOD:CANCEL, the same UIDs,
    STATUS:CANCELLED); each session's ``sequence`` must then exceed the last one sent.
    """
    if not sessions:
        raise ValueError("a calendar needs at least one session")
    # A naive "now" is taken as UTC so DTSTAMP is never a floating time.
    stamp = (now if now.tzinfo else now.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancel else "PUBLISH")
    calendar.add("x-wr-calname", sessions[0].cycle_title)
    for session in sessions:
        calendar.add_component(_event(session, user_id, stamp, cancel))
    starts = [s.starts_at.date() for s in sessions]
    calendar.add_missing_timezones(
        first_date=min(starts) - _TZ_MARGIN, last_date=max(starts) + _TZ_MARGIN
    )
    return calendar.to_ical()


def ics_filename(title: str) -> str:
    """Return a safe ASCII file name ending in .ics for a title."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].rstrip("-")
    return f"{slug or 'conversatorio'}.ics"
