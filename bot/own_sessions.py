"""A user's own sessions, picked out by what a question says ("el del sábado", "el del 19")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.db.models import EventSession
from bot.registrations import Seat
from knowledge.text import normalize

WEEKDAYS = {"lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5,
            "domingo": 6}
# "el del 19", "el día 19", "del 19 de marzo", "el martes 12": a day of the month.
_DAY = re.compile(rf"\b(?:del|el|dia|{'|'.join(WEEKDAYS)})\s+(\d{{1,2}})\b")
_LASTS = dt.timedelta(hours=2)

Item = tuple[EventSession, Seat]


def named_days(text: str) -> tuple[set[int], set[int]]:
    """The weekdays (0 = Monday) and the days of the month a question names."""
    folded = normalize(text)
    weekdays = {n for name, n in WEEKDAYS.items() if re.search(rf"\b{name}\b", folded)}
    days = {int(d) for d in _DAY.findall(folded) if 1 <= int(d) <= 31}
    return weekdays, days


def pick(items: Sequence[Item], text: str, zone: ZoneInfo, now: dt.datetime) -> list[Item]:
    """The user's sessions not yet over that the question points at; all of them when it names
    no day, or when no session falls on the day it names."""
    def ends(event: EventSession) -> dt.datetime:
        length = dt.timedelta(minutes=event.duration_minutes) if event.duration_minutes else _LASTS
        return event.starts_at + length

    upcoming = [item for item in items if ends(item[0]) >= now]
    weekdays, days = named_days(text)
    if not (weekdays or days):
        return upcoming

    def named(event: EventSession) -> bool:
        local = event.starts_at.astimezone(zone)
        return (not weekdays or local.weekday() in weekdays) and (not days or local.day in days)

    chosen = [item for item in upcoming if named(item[0])]
    return chosen or upcoming
