"""Broadcasts: compose in Telegram, audiences, blocked and failing users, 429, cancel, CLI."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.db.models import OutboxMessage, Profile, User
from bot.devapi.harness import ChatDriver, Harness, harness
from bot.settings import Settings
from tests.clock import FakeClock
from tests.conftest import STAFF_ID
from tests.test_cli import _env
from tests.test_registration import import_cycle

NOW = dt.datetime(2030, 1, 10, 15, tzinfo=dt.UTC)
PEOPLE = [(2001, "osc", "Yucatán"), (2002, "osc", "Oaxaca"), (2003, "municipal", "Yucatán"),
          (2004, "osc", "Yucatán")]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def bot(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    async with harness(settings, clock=clock) as running:
        await add_people(running)
        yield running


async def add_people(bot: Harness) -> None:
    """People who registered earlier (users with a profile), each with a chat."""
    services = bot.app.bot_data["services"]
    async with services.database.sessions.begin() as session:
        for user_id, sector, state in PEOPLE:
            bot.emulator.chat_for({"id": user_id, "first_name": f"P{user_id}"})
            session.add(User(id=user_id, first_name=f"P{user_id}", first_seen=NOW,
                             last_seen=NOW))
            session.add(Profile(user_id=user_id, full_name=f"Persona {user_id}", sector=sector,
                                state=state, updated_at=NOW))


def received(bot: Harness, user_id: int) -> list[str]:
    chat = bot.emulator.chats.get(user_id)
    return [m.text or m.caption or "" for m in chat.messages if m.from_bot] if chat else []


async def rows(bot: Harness) -> list[OutboxMessage]:
    async with bot.app.bot_data["services"].database.session() as session:
        return list((await session.scalars(select(OutboxMessage)
                                           .order_by(OutboxMessage.id))).all())


def final_report(staff: ChatDriver) -> str:
    [report] = [m.text for m in staff.messages if "terminada" in (m.text or "")]
    return report or ""


async def compose(staff: ChatDriver, *presses: str) -> None:
    await staff.send("/difundir")
    bold = [{"type": "bold", "offset": 0, "length": 5}]
    reply = await staff.send("Aviso importante: cambia la sede.", entities=bold)
    assert "¿A quién se envía?" in reply.text and "Destinatarios ahora: 5" in reply.text
    for label in presses:
        await staff.press(label)


async def test_compose_preview_send_and_report(bot: Harness) -> None:
    staff = bot.user(STAFF_ID, first_name="Staff")
    await staff.send("/start")
    await compose(staff, "Por sector")
    reply = await staff.press("☐ OSC")
    assert "Destinatarios ahora: 3" in reply.text
    await staff.press("Por estado")
    reply = await staff.press("☐ Yucatán")
    assert "Destinatarios ahora: 2" in reply.text
    reply = await staff.press("Vista previa")
    preview = reply.messages[0]
    assert preview.text == "Aviso importante: cambia la sede."
    assert {"type": "bold", "offset": 0, "length": 5} in preview.entities
    assert "Así lo recibirán 2 personas" in reply.text
    reply = await staff.press("Enviar ahora")
    assert "Difusión #1" in reply.text and "(2 destinatarios)" in reply.text
    await bot.drain()
    await bot.drain()
    assert received(bot, 2001) == ["Aviso importante: cambia la sede."]
    assert received(bot, 2004) == ["Aviso importante: cambia la sede."]
    assert received(bot, 2002) == [] and received(bot, 2003) == []
    report = final_report(staff)
    assert "enviados 2 · pendientes 0" in report


async def test_blocked_failing_and_unknown_recipients(bot: Harness, clock: FakeClock) -> None:
    bot.emulator.user_blocks(2001)
    bot.emulator.faults[2002] = [(500, "Internal Server Error")] * 20
    del bot.emulator.chats[2003]  # Telegram no longer knows this chat: 400, not retried
    staff = bot.user(STAFF_ID)
    await compose(staff, "Vista previa", "Enviar ahora")
    for _ in range(8):
        await bot.drain()
        clock.set(clock.now + dt.timedelta(minutes=5))
    states = {r.recipient: (r.state, r.attempts) for r in await rows(bot)}
    assert states[2001] == ("undeliverable", 1)
    assert states[2002] == ("failed", 6)
    assert states[2003] == ("failed", 1)
    assert states[2004][0] == "sent" and states[STAFF_ID][0] == "sent"
    services = bot.app.bot_data["services"]
    assert (await services.users.get(2001)).blocked_at is not None
    report = final_report(staff)
    assert "enviados 2 · pendientes 0 · bloqueados 1 · fallidos 2" in report
    from bot.broadcasts import Audience

    assert await services.broadcasts.count(Audience()) == 4  # the blocked user is skipped


async def test_429_pauses_every_send(bot: Harness) -> None:
    bot.emulator.flood.forced.append(1)
    staff = bot.user(STAFF_ID)
    await compose(staff, "Vista previa", "Enviar ahora")
    await bot.drain()
    await bot.drain()
    stats = bot.emulator.flood.stats
    assert stats.too_many == 1 and stats.inside_retry_window == 0
    assert all(received(bot, user_id) for user_id, _, _ in PEOPLE)


async def test_schedule_then_stop(bot: Harness, clock: FakeClock) -> None:
    staff = bot.user(STAFF_ID)
    await compose(staff, "Vista previa", "Programar")
    reply = await staff.send("ayer")
    assert "⚠️" in reply.text
    reply = await staff.send("2030-01-11 09:00")
    assert "programada para el viernes 11 de enero de 2030, 09:00 h" in reply.text
    reply = await staff.press("Detener difusión")
    assert "¿Detener la difusión #1, programada para el viernes 11 de enero de 2030" in reply.text
    reply = await staff.press("Sí, detenerla")
    assert "detenida" in reply.text and "cancelados 5" in reply.text
    clock.set(clock.now + dt.timedelta(days=2))
    await bot.drain()
    assert all(received(bot, user_id) == [] for user_id, _, _ in PEOPLE)


async def test_a_scheduled_broadcast_is_kept_unless_confirmed(bot: Harness) -> None:
    staff = bot.user(STAFF_ID)
    await compose(staff, "Vista previa", "Programar")
    await staff.send("mañana a las 9")
    await staff.press("Detener difusión")
    reply = await staff.press("No, mantenerla")
    assert reply.answer == {"text": "La difusión sigue en pie.", "show_alert": False}
    assert [r.state for r in await rows(bot)] == ["pending"] * 5


async def test_preview_names_the_chosen_sessions(bot: Harness) -> None:
    await import_cycle(bot)
    staff = bot.user(STAFF_ID)
    await compose(staff, "Por sesión")
    reply = await staff.press("☐ mar 5 mar 2030, 10:00 · Primera sesión")
    assert "☑ mar 5 mar 2030, 10:00 · Primera sesión" in [b["text"] for b in reply.last.buttons]
    reply = await staff.press("Vista previa")
    assert "Sesiones elegidas:\n• Primera sesión (martes 5 de marzo de 2030, 10:00 h)" in (
        reply.text)
    assert "Segunda sesión" not in reply.text


async def test_non_staff_cannot_broadcast(bot: Harness) -> None:
    user = bot.user()
    reply = await user.send("/difundir")
    assert reply.text.startswith("No reconozco el comando /difundir.")
    await user.send("/start")
    for data in ["bc:send", "bc:stop:1", "bc:t:all:-"]:
        reply = await user.press_data(data)
        assert reply.answer == {"text": "Esta opción ya no está disponible.",
                                "show_alert": False}
    assert await rows(bot) == []


async def test_cli_broadcast_is_delivered_by_the_running_bot(settings: Settings,
                                                             database_url: str) -> None:
    async with harness(settings) as bot:
        await add_people(bot)
        code, out, err = await cli("broadcast", "--text", "<b>Hola</b> a las OSC", "--audience",
                                   "sector=osc", "--audience", "state=yucatan", url=database_url)
        assert code == 0, err
        assert "Difusión #1 en cola para 2 destinatarios." in out
        await bot.drain()
        assert received(bot, 2001) == ["Hola a las OSC"]
        _, out, _ = await cli("broadcast", "status", "1", url=database_url)
        assert "enviados 2 · pendientes 0" in out
        code, _, err = await cli("broadcast", "--text", "<b>x", url=database_url)
        assert code == 1 and "formato HTML no válido" in err


async def cli(*args: str, url: str) -> tuple[int, str, str]:
    """Run the coopera command without blocking the bot that runs in this loop."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=_env(DATABASE_URL=url),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode or 0, out.decode(), err.decode()
