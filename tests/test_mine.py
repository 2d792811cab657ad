"""My registrations, waitlist promotion, and the user's data rights."""

from __future__ import annotations

from collections.abc import AsyncIterator

import icalendar
import pytest
from sqlalchemy import func, select

from bot.db.models import Profile, QuestionLog, Registration, User
from bot.devapi.harness import ChatDriver, Harness, Reply, harness
from bot.settings import Settings
from tests.test_registration import fill_profile, import_cycle


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    async with harness(settings) as running:
        await import_cycle(running, capacity=1)
        yield running


async def register_first_session(user: ChatDriver) -> str:
    await fill_profile(user)
    await user.press("Acepto")
    await user.press("Primera sesión")
    await user.press("Continuar")
    reply = await user.press("Confirmar")
    return reply.text


async def test_waitlist_position_and_promotion_on_cancel(bot: Harness) -> None:
    first, second = bot.user(first_name="Ana"), bot.user(first_name="Beto")
    assert "Primera sesión: lugar confirmado" in await register_first_session(first)
    text = await register_first_session(second)
    assert "Primera sesión: lista de espera, lugar 1" in text
    assert "Si se libera un lugar, le avisaremos" in text
    reply = await first.send("/mis_registros")
    assert "Primera sesión: lugar confirmado" in reply.text
    reply = await first.press("Cancelar")
    assert "¿Cancelar su registro a «Primera sesión»" in reply.text
    reply = await first.press("Sí, cancelar")
    assert "cancelamos su registro" in reply.text
    await bot.drain()
    promoted = second.messages[-1]
    assert "Se liberó un lugar en «Primera sesión»" in (promoted.text or "")
    reply = await second.send("/mis_registros")
    assert "Primera sesión: lugar confirmado" in reply.text
    reply = await first.send("/mis_registros")
    assert "Aún no tiene registros activos" in reply.text


async def test_calendar_again_from_my_registrations(bot: Harness) -> None:
    user = bot.user()
    await register_first_session(user)
    await user.send("/mis_registros")
    reply = await user.press("Calendario")
    document = reply.messages[-1].document
    assert document is not None
    [event] = icalendar.Calendar.from_ical(document.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Primera sesión"
    assert str(event["UID"]).endswith(f"-{user.id}@coopera")


async def test_someone_elses_registration_cannot_be_touched(bot: Harness) -> None:
    owner, other = bot.user(), bot.user()
    await register_first_session(owner)
    services = bot.app.bot_data["services"]
    [(_, seat)] = await services.registrations.of_user(owner.id)
    await other.send("/start")
    for data in [f"mr:cancel!:{seat.registration_id}", f"mr:ics:{seat.registration_id}",
                 "mr:cancel!:99999"]:
        reply = await other.press_data(data)
        assert reply.answer == {"text": "Esta opción ya no está disponible.",
                                "show_alert": False}
    assert [s.status for _, s in await services.registrations.of_user(owner.id)] == ["confirmed"]


async def test_my_data_shows_everything_then_erase_removes_it(bot: Harness) -> None:
    user, waiting = bot.user(first_name="Ana", username="ana_mx"), bot.user()
    await register_first_session(user)
    await register_first_session(waiting)
    await user.send("q es el cluni")
    reply = await user.send("/mis_datos")
    for expected in ["Telegram: Ana (@ana_mx)", "Nombre: María de la Luz Pérez",
                     "Correo: maria@ejemplo.org", "Estado: Yucatán", "Aceptó el aviso",
                     "Primera sesión: confirmada", "«q es el cluni»"]:
        assert expected in reply.text
    reply = await user.send("/borrar_mis_datos")
    assert "¿Desea borrar sus datos personales?" in reply.text
    # Before confirming, it says certificates will be withdrawn.
    assert "constancias, se retirarán" in reply.text
    reply = await user.press("Sí, borrar mis datos")
    assert "Borramos:" in reply.text and "cifras anónimas" in reply.text
    await bot.drain()
    assert "Se liberó un lugar" in (waiting.messages[-1].text or "")
    services = bot.app.bot_data["services"]
    async with services.database.session() as session:
        assert await session.get(Profile, user.id) is None
        assert await session.get(User, user.id) is None
        assert not await session.scalar(select(func.count()).select_from(Registration)
                                        .where(Registration.user_id == user.id))
        assert await session.scalar(select(func.count()).select_from(Registration)
                                    .where(Registration.user_id.is_(None))) == 1
        assert not await session.scalar(select(func.count()).select_from(QuestionLog)
                                        .where(QuestionLog.user_id == user.id))
    reply = await user.send("/mis_datos")
    assert "Telegram: Ana" in reply.text  # this new contact, recorded again
    assert "Perfil de registro" not in reply.text and "Registros" not in reply.text


async def test_erase_can_be_declined(bot: Harness) -> None:
    user = bot.user()
    await user.send("/borrar_mis_datos")
    reply = await user.press("No, conservarlos")
    assert "no borramos nada" in reply.text


def calm(bot: Harness, reply: Reply) -> bool:
    """Every press answered once, no apology, no error from the Bot API."""
    return (None not in reply.answers and "algo salió mal" not in reply.text
            and not bot.emulator.errors)


async def test_double_tap_on_cancel_cancels_once_quietly(bot: Harness) -> None:
    user = bot.user()
    await register_first_session(user)
    await user.send("/mis_registros")
    await user.press("Cancelar")
    reply = await user.tap_twice("Sí, cancelar")
    assert reply.text.count("cancelamos su registro") == 1
    assert len(reply.answers) == 2 and calm(bot, reply)
