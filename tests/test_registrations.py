"""Seats under concurrency: capacity holds, the waitlist keeps its order, cancels promote."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest

from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.events import Events
from bot.events_file import parse_cycle
from bot.registrations import NotYours, Registrations, SeatStatus
from bot.reminders import Reminders

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
CYCLE = """
id: c
title: Ciclo
organizers: [X]
audience: [osc]
timezone: America/Mexico_City
sessions:
  - {id: s1, title: Uno, start: 2030-01-01T10:00, capacity: 50}
"""


@pytest.fixture
async def seats(database_url: str) -> AsyncIterator[tuple[Registrations, int]]:
    database = Database(database_url)
    await upgrade(database)
    events = Events(database)
    await events.import_cycle(parse_cycle(CYCLE, "c.yaml"), NOW)
    [event] = await events.sessions("c")
    yield Registrations(database, Reminders(ZoneInfo("America/Mexico_City"))), event.id
    await database.dispose()


async def test_200_users_for_50_seats_at_once(seats: tuple[Registrations, int]) -> None:
    registrations, session_id = seats
    results = await asyncio.gather(*(
        registrations.register(user_id, session_id, NOW + dt.timedelta(microseconds=user_id))
        for user_id in range(1, 201)))
    confirmed = [s for s in results if s.status is SeatStatus.CONFIRMED]
    waitlisted = [s for s in results if s.status is SeatStatus.WAITLISTED]
    assert (len(confirmed), len(waitlisted)) == (50, 150)
    assert sorted(s.position or 0 for s in waitlisted) == list(range(1, 151))
    by_position = sorted(waitlisted, key=lambda s: s.position or 0)
    assert [s.registration_id for s in by_position] == sorted(
        s.registration_id for s in waitlisted)


async def test_registering_twice_keeps_one_seat(seats: tuple[Registrations, int]) -> None:
    registrations, session_id = seats
    first, again = await asyncio.gather(registrations.register(7, session_id, NOW),
                                        registrations.register(7, session_id, NOW))
    assert first.registration_id == again.registration_id
    assert [s.status for _, s in await registrations.of_user(7)] == [SeatStatus.CONFIRMED]


async def test_cancel_promotes_the_first_in_line(seats: tuple[Registrations, int]) -> None:
    registrations, session_id = seats
    for user_id in range(1, 53):
        await registrations.register(user_id, session_id, NOW + dt.timedelta(seconds=user_id))
    [(_, seat)] = await registrations.of_user(3)
    cancelled, promoted = await registrations.cancel(3, seat.registration_id, NOW)
    assert cancelled.status is SeatStatus.CANCELLED
    assert promoted is not None and promoted.user_id == 51
    [(_, second)] = await registrations.of_user(52)
    assert (second.status, second.position) == (SeatStatus.WAITLISTED, 1)
    with pytest.raises(NotYours):
        await registrations.cancel(4, seat.registration_id, NOW)
    again = await registrations.register(3, session_id, NOW + dt.timedelta(minutes=5))
    assert (again.status, again.position) == (SeatStatus.WAITLISTED, 2)
