"""Staff type dates as they say them ("14 de enero 2031 11:00", "mañana a las 9") and links
without https://."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.devapi.harness import Harness, harness
from bot.settings import Settings
from tests.clock import FakeClock
from tests.conftest import STAFF_ID
from tests.test_broadcasts import add_people, compose
from tests.test_registration import import_cycle

NOW = dt.datetime(2030, 1, 10, 15, tzinfo=dt.UTC)  # Thursday 10 January 2030, 09:00 in Mexico


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def bot(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    async with harness(settings, clock=clock) as running:
        await import_cycle(running)
        await add_people(running)
        yield running


async def _edit(bot: Harness, field: str, value: str) -> str:
    staff = bot.user(STAFF_ID)
    await staff.send("/sesiones")
    await staff.press("ciclo-2030/s1")
    await staff.press(field)
    return (await staff.send(value)).text


async def test_session_dates_in_spanish_and_links_without_scheme(bot: Harness) -> None:
    reply = await _edit(bot, "📅 Fecha y hora", "14 de enero 2031 11:00")
    assert "Cambio guardado" in reply and "martes 14 de enero de 2031, 11:00 h" in reply
    reply = await _edit(bot, "📅 Fecha y hora", "mañana a las 9")
    assert "viernes 11 de enero de 2030, 09:00 h" in reply
    reply = await _edit(bot, "📅 Fecha y hora", "mañana temprano")
    assert "⚠️ Escriba la fecha y hora, por ejemplo «14 de enero 2027 11:00»" in reply
    reply = await _edit(bot, "🔗 Enlace", "zoom.us/j/123456")
    assert "Enlace: https://zoom.us/j/123456" in reply


async def test_broadcast_scheduled_for_tomorrow_at_nine(bot: Harness) -> None:
    staff = bot.user(STAFF_ID)
    await compose(staff, "Vista previa", "Programar")
    reply = await staff.send("mañana a las 9")
    assert "programada para el viernes 11 de enero de 2030, 09:00 h" in reply.text
