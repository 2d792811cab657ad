"""Asking for a person: the contact staff configure, or a message left for staff."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.db.models import QuestionLog
from bot.devapi.harness import Harness, harness
from bot.settings import Settings
from handlers.ask import MESSAGE_WAIT
from tests.clock import FakeClock
from tests.conftest import STAFF_ID

HUMAN = "quiero hablar con una persona"
LEAVE = "✉️ Dejar un mensaje al equipo"


async def messages_logged(bot: Harness) -> list[tuple[str, int | None]]:
    services = bot.app.bot_data["services"]
    await services.questions.flush()
    async with services.database.session() as session:
        rows = await session.execute(select(QuestionLog.text, QuestionLog.user_id)
                                     .where(QuestionLog.decision == "mensaje"))
        return [(text, user_id) for text, user_id in rows]


async def test_the_configured_contact_is_shown_as_given(settings: Settings) -> None:
    contact = "Equipo Coopera <equipo@coopera.mx>, 55 1234 5678"
    async with harness(settings.model_copy(update={"contact": contact})) as bot:
        reply = await bot.user().send(HUMAN)
    assert f"Puede comunicarse con el equipo organizador en: {contact}" in reply.text
    assert LEAVE not in [b["text"] for b in reply.last.buttons]
    assert "No encontré" not in reply.text


async def test_without_a_contact_a_message_is_left_for_staff(bot: Harness) -> None:
    user = bot.user(first_name="Lupita")
    reply = await user.send(HUMAN)
    assert "No encontré" not in reply.text
    reply = await user.press(LEAVE)
    assert "Escriba su mensaje para el equipo" in reply.text and "/cancelar" in reply.text
    reply = await user.send("Necesito ayuda con el <b>informe</b> & el presupuesto")
    assert "Su mensaje ya quedó con el equipo" in reply.text
    assert await messages_logged(bot) == [
        ("Necesito ayuda con el <b>informe</b> & el presupuesto", user.id)]
    # The flow is over: the next text is a question again.
    reply = await user.send("q es el cluni")
    assert "CLUNI" in reply.text and len(await messages_logged(bot)) == 1
    reply = await bot.user(STAFF_ID).send("/pendientes")
    line = next(li for li in reply.text.splitlines() if "Lupita" in li)
    assert f"Lupita (id {user.id}): «Necesito ayuda con el <b>informe</b> & el presupuesto»" in line
    assert reply.text.index("Mensajes para el equipo") < reply.text.index("Estado de la base")


async def test_cancel_leaves_the_message_flow(bot: Harness) -> None:
    user = bot.user()
    await user.send(HUMAN)
    await user.press(LEAVE)
    reply = await user.send("/cancelar")
    assert reply.text.startswith("Listo, cancelé la operación en curso.")
    reply = await user.send("q es el cluni")
    assert "CLUNI" in reply.text
    assert await messages_logged(bot) == []


async def test_a_text_long_after_the_button_is_a_question_again(settings: Settings) -> None:
    clock = FakeClock(dt.datetime(2030, 3, 1, 12, tzinfo=dt.UTC))
    async with harness(settings, clock=clock) as bot:
        user = bot.user()
        await user.send(HUMAN)
        await user.press(LEAVE)
        clock.set(clock.now + MESSAGE_WAIT + dt.timedelta(minutes=1))
        reply = await user.send("q es el cluni")
        assert "CLUNI" in reply.text
        assert await messages_logged(bot) == []


async def test_deleting_ones_data_deletes_the_messages_left_for_staff(bot: Harness) -> None:
    user = bot.user()
    await user.send(HUMAN)
    await user.press(LEAVE)
    await user.send("Soy Lupita, mi teléfono es 55 1234 5678")
    await user.send("/borrar_mis_datos")
    await user.press("Sí, borrar mis datos")
    assert await messages_logged(bot) == []
