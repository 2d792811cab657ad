"""Groups and channels: nothing personal or staff-only in public, channel traffic ignored."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.devapi.harness import Harness, harness
from bot.folios import deep_link_payload, new_folio
from bot.settings import Settings
from handlers import texts
from tests.conftest import STAFF_ID
from tests.test_mine import register_first_session
from tests.test_registration import import_cycle

LINK = "https://t.me/CooperaBot?start="
PRIVATE = "Para cuidar sus datos, platiquemos en un chat privado"


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    async with harness(settings) as running:
        await import_cycle(running)
        yield running


async def test_personal_and_staff_commands_in_a_group_point_to_a_private_chat(
        bot: Harness) -> None:
    user = bot.user(first_name="Xóchitl", username="xochitl")
    await register_first_session(user)
    group = bot.emulator.group(-100_123)
    in_group = user.in_group(group)
    for command in ("/mis_datos", "/mis_registros", "/mis_registros@CooperaBot", "/alertas"):
        reply = await in_group.send(command)
        [note] = reply.messages
        assert PRIVATE in reply.text and not note.buttons
        assert "Xóchitl" not in reply.text and "maria@ejemplo.org" not in reply.text
        assert "Primera sesión" not in reply.text and "Red de Agua" not in reply.text
    reply = await in_group.send("/registro")
    assert LINK + "registro" in reply.text and "nombre completo" not in reply.text
    unknown = await in_group.send("/no_existe")
    for staff_command in ("/inscritos", "/difundir", "/pendientes"):
        reply = await in_group.send(staff_command)
        assert reply.text == unknown.text
        reply = await bot.user(STAFF_ID).in_group(group).send(staff_command)
        assert reply.text == unknown.text
    # The form was not started in the group: in private the user is not mid-registration.
    reply = await user.send("/cancelar")
    assert reply.text == texts.cancelled(False)
    assert bot.emulator.errors == []


async def test_public_commands_in_a_group_introduce_the_bot(bot: Harness) -> None:
    group = bot.emulator.group(-100_124, kind="group")
    user = bot.user().in_group(group)
    reply = await user.send("/ayuda@CooperaBot")
    assert "Soy Coopera" in reply.text
    assert LINK + "inicio" in reply.text
    folio = new_folio()
    reply = await user.send(f"/verificar {folio.lower()}")
    assert LINK + deep_link_payload(folio) in reply.text
    for ignored in ("/start@OtroBot", "hola a todos", "¿alguien conoce fondos?"):
        reply = await user.send(ignored)
        assert reply.messages == []
    reply = await user.send("@CooperaBot ¿hay fondos para agua?")
    assert PRIVATE in reply.text
    reply = await user.press_data("mr:cancel!:1", reply.messages[0])
    assert reply.answer == {"text": texts.private_only(), "show_alert": True}
    assert reply.messages == [] and reply.edited == []
    assert bot.emulator.errors == []


async def test_channel_posts_and_their_edits_are_ignored_quietly(bot: Harness) -> None:
    channel = bot.emulator.group(-100_200, title="Avisos", kind="channel")
    driver = bot.user().in_group(channel)
    for text, edited in (("Convocatoria abierta", False), ("/mis_datos", False),
                         ("Convocatoria abierta (corregida)", True)):
        reply = await driver.act(lambda t=text, e=edited: bot.emulator.channel_posts(
            channel, t, edited=e))
        assert reply.messages == []
    assert bot.emulator.errors == []


async def test_a_failure_in_a_group_stops_there_without_apology(
        bot: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("texts on fire")

    monkeypatch.setattr(texts, "group_note", broken)
    reply = await bot.user().in_group(bot.emulator.group(-100_125)).send("/mis_datos")
    assert reply.messages == []
    assert "could not answer update" in caplog.text
