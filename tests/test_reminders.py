"""Reminders: made, sent on time, moved, cancelled, stale skipped, late sent or dropped, muted."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.db.models import OutboxMessage
from bot.devapi.harness import ChatDriver, Harness, harness
from bot.settings import Settings
from tests.clock import FakeClock
from tests.conftest import STAFF_ID
from tests.test_registration import fill_profile, import_cycle

UTC = dt.UTC
START = dt.datetime(2030, 3, 5, 16, 0, tzinfo=UTC)  # 10:00 in Mexico City
DAY_BEFORE, HOUR_BEFORE = START - dt.timedelta(days=1), START - dt.timedelta(hours=1)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2030, 3, 1, 12, tzinfo=UTC))


@pytest.fixture
async def bot(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    async with harness(settings, clock=clock) as running:
        await import_cycle(running)
        yield running


async def register_s1(user: ChatDriver) -> None:
    await fill_profile(user)
    await user.press("Acepto")
    await user.press("Primera sesión")
    await user.press("Continuar")
    await user.press("Confirmar")


def reminders(user: ChatDriver) -> list[str]:
    return [m.text or "" for m in user.messages if (m.text or "").startswith("⏰")]


async def outbox(bot: Harness) -> list[OutboxMessage]:
    async with bot.app.bot_data["services"].database.session() as session:
        return list((await session.scalars(select(OutboxMessage)
                                           .order_by(OutboxMessage.id))).all())


async def test_reminders_go_out_at_their_time_once(bot: Harness, clock: FakeClock) -> None:
    user = bot.user()
    await register_s1(user)
    await bot.drain()
    assert reminders(user) == []
    clock.set(DAY_BEFORE + SECOND)
    await bot.drain()
    await bot.drain()
    [first] = reminders(user)
    assert "«Primera sesión» es mañana, el martes 5 de marzo de 2030, 10:00 h" in first
    assert "Enlace para unirse (https://example.org/sala-1)" not in first
    [message] = [m for m in user.messages if (m.text or "").startswith("⏰")]
    assert {"type": "text_link", "url": "https://example.org/sala-1"} in [
        {k: e[k] for k in ("type", "url")} for e in message.entities if e["type"] == "text_link"]
    clock.set(HOUR_BEFORE + SECOND)
    await bot.drain()
    assert len(reminders(user)) == 2 and "es en 1 hora" in reminders(user)[1]
    states = {(r.kind, r.state) for r in await outbox(bot)}
    assert states == {("reminder", "sent")}


async def test_a_late_registration_gets_no_stale_reminder(bot: Harness,
                                                          clock: FakeClock) -> None:
    clock.set(DAY_BEFORE + dt.timedelta(hours=2))
    user = bot.user()
    await register_s1(user)
    rows = [r for r in await outbox(bot) if r.session_id is not None]
    assert [r.dedup_key.split(":")[2] for r in rows if r.kind == "reminder"] == ["60"]


async def test_moving_a_session_moves_its_reminders(bot: Harness, clock: FakeClock) -> None:
    user = bot.user()
    await register_s1(user)
    staff = bot.user(STAFF_ID)
    await staff.send("/sesiones")
    await staff.press("ciclo-2030/s1")
    await staff.press("📅 Fecha y hora")
    await staff.send("2030-03-06 10:00")
    clock.set(DAY_BEFORE + SECOND)
    await bot.drain()
    assert reminders(user) == []
    clock.set(DAY_BEFORE + dt.timedelta(days=1, seconds=1))
    await bot.drain()
    [text] = reminders(user)
    assert "miércoles 6 de marzo de 2030, 10:00 h" in text


async def test_cancelling_cancels_reminders(bot: Harness, clock: FakeClock) -> None:
    user = bot.user()
    await register_s1(user)
    await user.send("/mis_registros")
    await user.press("Cancelar")
    await user.press("Sí, cancelar")
    clock.set(HOUR_BEFORE + SECOND)
    await bot.drain()
    assert reminders(user) == []
    assert {r.state for r in await outbox(bot) if r.kind == "reminder"} == {"cancelled"}


async def test_after_downtime_useful_reminders_are_late_and_stale_ones_dropped(
    bot: Harness, clock: FakeClock
) -> None:
    user = bot.user()
    await register_s1(user)
    clock.set(HOUR_BEFORE + dt.timedelta(minutes=30))  # both due; the session has not started
    await bot.drain()
    assert len(reminders(user)) == 2
    other = bot.user()
    clock.set(dt.datetime(2030, 3, 1, 12, tzinfo=UTC))
    await register_s1(other)
    clock.set(START + dt.timedelta(minutes=5))  # bot "was down" until after the start
    await bot.drain()
    assert reminders(other) == []
    dropped = [r for r in await outbox(bot) if r.recipient == other.id]
    assert {r.state for r in dropped} == {"dropped"}


async def test_reminders_can_be_switched_off_and_on(bot: Harness, clock: FakeClock) -> None:
    user = bot.user()
    await register_s1(user)
    reply = await user.send("/recordatorios")
    assert "activados" in reply.text
    reply = await user.press("Desactivar")
    assert "desactivados" in reply.text
    clock.set(DAY_BEFORE + SECOND)
    await bot.drain()
    assert reminders(user) == []
    await user.press("Activar")
    clock.set(HOUR_BEFORE + SECOND)
    await bot.drain()
    assert len(reminders(user)) == 1


async def test_promotion_goes_through_the_outbox(settings: Settings, clock: FakeClock) -> None:
    async with harness(settings, clock=clock) as bot:
        await import_cycle(bot, capacity=1)
        first, second = bot.user(), bot.user()
        await register_s1(first)
        await register_s1(second)
        await first.send("/mis_registros")
        await first.press("Cancelar")
        await first.press("Sí, cancelar")
        await bot.drain()
        assert any("Se liberó un lugar" in (m.text or "") for m in second.messages)
        kinds = {(r.kind, r.recipient, r.state) for r in await outbox(bot)}
        assert ("promotion", second.id, "sent") in kinds
