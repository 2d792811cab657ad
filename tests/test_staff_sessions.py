"""Staff create sessions and change their date, link and capacity in Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.devapi.harness import Harness, harness
from bot.settings import Settings
from tests.conftest import STAFF_ID
from tests.test_mine import register_first_session
from tests.test_registration import import_cycle


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    async with harness(settings) as running:
        await import_cycle(running, capacity=1)
        yield running


async def test_change_date_link_and_capacity(bot: Harness) -> None:
    staff = bot.user(STAFF_ID)
    reply = await staff.send("/sesiones")
    reply = await staff.press("ciclo-2030/s1")
    assert "Cupo: 1" in reply.text
    assert "Registro: https://t.me/CooperaBot?start=registro_ciclo-2030_s1" in reply.text
    await staff.press("📅 Fecha y hora")
    reply = await staff.send("mañana temprano")
    assert "⚠️ Escriba la fecha y hora, por ejemplo" in reply.text
    reply = await staff.send("31/02/2030 10:00")
    assert "Esa fecha no existe" in reply.text
    reply = await staff.send("2030-03-06 17:30")
    assert "Cambio guardado" in reply.text
    assert "miércoles 6 de marzo de 2030, 17:30 h" in reply.text
    await staff.send("/sesiones")
    await staff.press("ciclo-2030/s1")
    await staff.press("🔗 Enlace")
    reply = await staff.send("https://example.org/nueva-sala")
    assert "Enlace: https://example.org/nueva-sala" in reply.text


async def test_more_seats_promote_the_waitlist(bot: Harness) -> None:
    first, second = bot.user(), bot.user()
    await register_first_session(first)
    await register_first_session(second)
    staff = bot.user(STAFF_ID)
    await staff.send("/sesiones")
    await staff.press("ciclo-2030/s1")
    await staff.press("👥 Cupo")
    reply = await staff.send("cero")
    assert "número entero positivo" in reply.text
    reply = await staff.send("sin límite")
    assert "Cupo: sin límite" in reply.text
    await bot.drain()
    assert "Se liberó un lugar en «Primera sesión»" in (second.messages[-1].text or "")


async def test_create_a_session(bot: Harness) -> None:
    staff = bot.user(STAFF_ID)
    await staff.send("/sesiones")
    await staff.press("Nueva sesión en ciclo-2030")
    reply = await staff.send("Tercera sesión: alianzas locales")
    assert "fecha y hora" in reply.text
    reply = await staff.send("2020-01-01 10:00")
    assert "debe ser en el futuro" in reply.text
    reply = await staff.send("2030-03-19 10:00")
    assert "Sesión creada" in reply.text and "ciclo-2030/s3" in reply.text
    services = bot.app.bot_data["services"]
    assert [e.code for e in await services.events.sessions("ciclo-2030")] == ["s1", "s2", "s3"]


async def test_non_staff_cannot_edit(bot: Harness) -> None:
    user = bot.user()
    reply = await user.send("/sesiones")
    assert reply.text.startswith("No reconozco el comando /sesiones.")
    await user.send("/start")
    services = bot.app.bot_data["services"]
    [event, _] = await services.events.sessions("ciclo-2030")
    for data in [f"se:edit:{event.id}", f"se:f:{event.id}:capacity", "se:new:ciclo-2030"]:
        reply = await user.press_data(data)
        assert reply.answer == {"text": "Esta opción ya no está disponible.",
                                "show_alert": False}
    assert await services.flows.get(user.id, services.clock()) is None
