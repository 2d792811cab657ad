"""First contact: welcome, menu, help, cancel, unknown commands and non-text messages."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.db.models import User
from bot.devapi.harness import Harness


async def test_start_greets_by_name_and_shows_the_main_menu(bot: Harness) -> None:
    reply = await bot.user(first_name="María <José>").send("/start")
    message = reply.last
    assert "¡Hola, María <José>!" in message.text
    assert "Coopera" in message.text
    labels = [b["text"] for b in message.buttons]
    assert labels == ["💬 Preguntar sobre fondos", "📚 Explorar fuentes de financiamiento",
                      "🗓 Conversatorios", "📝 Mis registros", "🔔 Alertas de convocatorias",
                      "🤝 Buscar aliados", "❓ Ayuda"]
    bold = {"type": "bold", "offset": message.text.index("Coopera"), "length": 7}
    assert bold in message.entities


async def test_command_menu_is_set_in_spanish(bot: Harness) -> None:
    commands = {c["command"]: c["description"] for c in bot.emulator.commands}
    assert commands["start"] == "Inicio y menú principal"
    assert {"ayuda", "cancelar"} <= set(commands)


@pytest.mark.parametrize("command", ["/ayuda", "/help"])
async def test_help_lists_commands(bot: Harness, command: str) -> None:
    reply = await bot.user().send(command)
    assert "/cancelar — Cancelar la operación en curso" in reply.text
    assert "¿Cómo le ayudo?" in reply.text


@pytest.mark.parametrize("command", ["/cancelar", "/cancel"])
async def test_cancel_without_flow_says_there_is_nothing_to_cancel(bot: Harness,
                                                                    command: str) -> None:
    reply = await bot.user().send(command)
    assert "No hay ninguna operación en curso" in reply.text


async def test_unknown_command_is_named_and_escaped(bot: Harness) -> None:
    reply = await bot.user().send("/inscritos<b>")
    assert reply.text == ("No reconozco el comando /inscritos<b>. "
                          "Escriba /ayuda para ver lo que puedo hacer.")


@pytest.mark.parametrize("content", [
    {"sticker": {"file_id": "S1", "file_unique_id": "S1", "type": "regular", "width": 512,
                 "height": 512, "is_animated": False, "is_video": False}},
    {"photo": [{"file_id": "P1", "file_unique_id": "P1", "width": 90, "height": 90}]},
    {"voice": {"file_id": "V1", "file_unique_id": "V1", "duration": 3}},
    {"location": {"latitude": 20.97, "longitude": -89.62}},
    {"contact": {"phone_number": "+529991234567", "first_name": "Ana"}},
])
async def test_non_text_messages_get_a_polite_answer(bot: Harness,
                                                     content: dict[str, object]) -> None:
    reply = await bot.user().send(None, **content)
    assert "solo puedo leer texto" in reply.text


async def test_menu_buttons_answer_and_help_button_shows_help(bot: Harness) -> None:
    user = bot.user()
    await user.send("/start")
    reply = await user.press("Ayuda")
    assert reply.answer is not None
    assert "¿Cómo le ayudo?" in reply.text
    reply = await user.press("Menú principal")
    assert "Escriba su pregunta" in reply.text


async def test_forged_callback_data_is_refused_quietly(bot: Harness,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    user = bot.user()
    await user.send("/start")
    for data in ["menu:../../etc", "reg:confirm:999999", "x" * 64, "💥",
                 # Numbers no row can have, beyond what the database's columns hold.
                 "mr:cancel:999999999999", "mr:ics:99999999999", "ac:yes:999999999999"]:
        reply = await user.press_data(data)
        assert reply.answer == {"text": "Esta opción ya no está disponible.",
                                "show_alert": False}
        assert not reply.messages
    assert "refused callback data" in caplog.text


async def test_first_contact_records_the_user(bot: Harness) -> None:
    user = bot.user(first_name="Lupita", last_name="Pech", username="lupita",
                    language_code="es")
    await user.send("/start")
    services = bot.app.bot_data["services"]
    stored = await services.users.get(user.id)
    assert stored is not None
    assert (stored.first_name, stored.last_name, stored.username) == ("Lupita", "Pech", "lupita")
    assert stored.first_seen == stored.last_seen
    assert stored.blocked_at is None
    async with services.database.session() as session:
        count = len((await session.scalars(select(User))).all())
    assert count == 1


async def test_a_failing_handler_gets_an_apology_and_a_log_without_personal_data(
    bot: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = bot.app.bot_data["services"]

    async def broken(*_args: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services.users, "seen", broken)
    caplog.set_level(logging.INFO)
    reply = await bot.user(first_name="Xóchitl").send("/start mi secreto")
    assert reply.text.startswith("Lo siento, algo salió mal")
    assert "database on fire" not in reply.text
    assert "error handling message update" in caplog.text
    assert "Xóchitl" not in caplog.text and "mi secreto" not in caplog.text
