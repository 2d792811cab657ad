"""Staff mark attendance in Telegram: only for registrants, never for a cycle that is history."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.db.models import Profile, Registration, User
from bot.devapi.harness import Harness, harness
from bot.events_file import parse_cycle
from bot.settings import Settings
from tests.clock import FakeClock
from tests.conftest import STAFF_ID

UTC = dt.UTC
CYCLE = """
id: ciclo-2030
title: "Alianzas para el territorio 2030"
organizers: [Secretaría de Ejemplo]
audience: [osc]
timezone: America/Mexico_City
certificate: {min_sessions: 1}
sessions:
  - {id: s1, title: "Primera sesión", start: 2030-03-05T10:00, duration_minutes: 120}
  - {id: s2, title: "Segunda sesión", start: 2030-03-12T10:00, duration_minutes: 120}
"""
PEOPLE = {3001: "Lupita Hernández", 3002: "Jorge Ramírez"}
HISTORY = "cid-multiactor-2021"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2030, 3, 1, tzinfo=UTC))


@pytest.fixture
async def bot(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    async with harness(settings, clock=clock) as running:
        services = running.app.bot_data["services"]
        await services.events.import_cycle(parse_cycle(CYCLE, "c.yaml"), clock())
        async with services.database.sessions.begin() as session:
            for user_id, name in PEOPLE.items():
                session.add(User(id=user_id, first_name="P", first_seen=clock(),
                                 last_seen=clock()))
                session.add(Profile(user_id=user_id, full_name=name, email=f"{user_id}@red.org",
                                    sector="osc", state="Oaxaca", updated_at=clock()))
        first = (await services.events.sessions("ciclo-2030"))[0]
        await services.registrations.register(3001, first.id, clock())
        yield running


async def test_the_shipped_2021_cycle_is_history(bot: Harness, clock: FakeClock) -> None:
    services = bot.app.bot_data["services"]
    cycle = await services.events.cycle(HISTORY)
    assert cycle is not None and cycle.certificate_min_sessions is None
    event = (await services.events.sessions(HISTORY))[0]
    async with services.database.sessions.begin() as session:
        before = event.starts_at - dt.timedelta(days=3)
        session.add(Registration(session_id=event.id, user_id=3002, status="confirmed",
                                 sector="osc", state="Oaxaca", queued_at=before,
                                 created_at=before, updated_at=before))
    reply = await bot.user(STAFF_ID).send(f"/marcar {HISTORY}/s1 3002")
    assert "ya terminó" in reply.text and "Asistencia registrada" not in reply.text
    reply = await bot.user(3002).send("/constancia")
    assert "Este ciclo no da constancia" in reply.text


async def test_marking_by_hand_needs_a_registration(bot: Harness, clock: FakeClock) -> None:
    clock.set(dt.datetime(2030, 3, 5, 18, tzinfo=UTC))
    staff = bot.user(STAFF_ID)
    reply = await staff.send("/marcar ciclo-2030/s1 3002")
    assert "no está registrada en esta sesión" in reply.text
    reply = await staff.send("/marcar ciclo-2030/s1 3001")
    assert reply.text == "Asistencia registrada."
    clock.set(dt.datetime(2030, 5, 1, tzinfo=UTC))
    reply = await staff.send("/marcar ciclo-2030/s1 3001 quitar")
    assert "ya terminó" in reply.text
