"""Staff mark attendance in Telegram: only for registrants, never for a cycle that is history."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.db.models import Profile, Registration, User
from bot.devapi.harness import Harness, harness
from bot.devapi.state import StoredMessage
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


def _reply_to(bot: Harness, message: StoredMessage) -> dict[str, Any]:
    """The reply_to_message of a user's reply to one of the bot's messages."""
    return bot.emulator._message_dict(message)


async def test_staff_see_their_commands_apart_in_help_and_start(bot: Harness) -> None:
    staff, user = bot.user(STAFF_ID), bot.user()
    for command in ("/ayuda", "/start"):
        text = (await staff.send(command)).text
        assert "🛠 Para el personal" in text and "/marcar — Marcar asistencia a mano" in text
        assert "🛠 Para el personal" not in (await user.send(command)).text


async def test_sessions_are_picked_with_buttons_and_people_from_registrants(
        bot: Harness, clock: FakeClock) -> None:
    clock.set(dt.datetime(2030, 3, 5, 16, 30, tzinfo=UTC))
    staff = bot.user(STAFF_ID)
    reply = await staff.send("/codigo")
    assert reply.text.startswith("Uso: /codigo ciclo/sesión") and "Elija la sesión" in reply.text
    labels = [b["text"] for b in reply.last.buttons]
    assert labels[:2] == ["mar 5 mar 2030, 10:00 · Primera sesión",
                          "mar 12 mar 2030, 10:00 · Segunda sesión"]
    assert not any("Apertura del ciclo" in label for label in labels)  # 2021 is history
    reply = await staff.press("Primera sesión")
    assert "Código de asistencia:" in reply.text
    await staff.send("/marcar")
    reply = await staff.press("Primera sesión")
    assert "Asistencia a «Primera sesión»" in reply.text
    assert [b["text"] for b in reply.last.buttons] == ["☐ Lupita Hernández"]
    reply = await staff.press("Lupita")
    assert reply.answer == {"text": "Asistencia registrada.", "show_alert": False}
    assert [b["text"] for b in reply.last.buttons] == ["✅ Lupita Hernández"]
    services = bot.app.bot_data["services"]
    assert [e.code for e in await services.attendance.attended(3001, "ciclo-2030")] == ["s1"]


async def test_a_reply_to_a_usage_line_is_the_argument(bot: Harness) -> None:
    staff = bot.user(STAFF_ID)
    reply = await staff.send("/importar_asistencia")
    reply = await staff.send("ciclo-2030/s1", reply_to_message=_reply_to(bot, reply.last))
    assert "Envíe ahora el archivo CSV" in reply.text
    await staff.send("/cancelar")
    reply = await staff.send("/marcar ciclo-2030/s1 abc")
    assert reply.text.startswith("Uso: /marcar")
    reply = await staff.send("ciclo-2030/s1 3001", reply_to_message=_reply_to(bot, reply.last))
    assert reply.text == "Asistencia registrada."
