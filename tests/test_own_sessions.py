"""Questions about one's own sessions are answered from one's registrations."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.devapi.harness import ChatDriver, Harness, harness
from bot.settings import Settings
from tests.test_registration import fill_profile, import_cycle


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    async with harness(settings) as running:
        await import_cycle(running)
        yield running


async def register_both(user: ChatDriver) -> None:
    await fill_profile(user)
    await user.press("Acepto")
    await user.press("Primera sesión")
    await user.press("Segunda sesión")
    await user.press("Continuar")
    await user.press("Confirmar")


async def test_time_and_link_of_the_session_named_by_its_day(bot: Harness) -> None:
    user = bot.user()
    await register_both(user)
    # 12 March 2030 is a Tuesday: the second session.
    reply = await user.send("a q hora es el conversatorio del 12 y cual es el link de zoom?")
    assert "Sus sesiones" in reply.text
    assert "Segunda sesión" in reply.text and "Primera sesión" not in reply.text
    assert "10:00 h" in reply.text and "https://example.org/sala-2" in reply.text
    assert "No encontré" not in reply.text


async def test_cancelling_from_a_question_offers_the_cancel_buttons(bot: Harness) -> None:
    user = bot.user()
    await register_both(user)
    reply = await user.send("quiero cancelar mi registro del martes 12")
    labels = [b["text"] for b in reply.last.buttons]
    assert any(label.startswith("✖ Cancelar") for label in labels)
    reply = await user.press("✖ Cancelar")
    assert "¿Cancelar su registro a «Segunda sesión»" in reply.text


async def test_my_registrations_show_the_join_link(bot: Harness) -> None:
    user = bot.user()
    await register_both(user)
    reply = await user.send("/mis_registros")
    assert "Enlace: " in reply.text and "https://example.org/sala-1" in reply.text


async def test_without_registrations_the_knowledge_base_answers(bot: Harness) -> None:
    reply = await bot.user().send("a que hora es mi conversatorio?")
    assert "Sus sesiones" not in reply.text
