"""Users who block the bot are left out of broadcasts until they restart it."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.broadcasts import Audience
from bot.db.models import OutboxMessage
from bot.devapi.harness import ChatDriver, Harness, harness
from bot.settings import Settings
from tests.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2030, 3, 1, 12, tzinfo=dt.UTC))


@pytest.fixture
async def bot(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    async with harness(settings, clock=clock) as running:
        yield running


async def broadcast(bot: Harness, text: str) -> set[int]:
    """Send a broadcast to everyone; return who it was addressed to."""
    services = bot.app.bot_data["services"]
    created = await services.broadcasts.create(text, Audience(), services.clock())
    await bot.drain()
    async with services.database.session() as session:
        return set(await session.scalars(select(OutboxMessage.recipient).where(
            OutboxMessage.broadcast_id == created.id)))


async def status(user: ChatDriver, value: str) -> None:
    await user.act(lambda: user.harness.emulator.member_status(user.user, value))


async def test_a_kicked_update_leaves_the_user_out_of_the_next_broadcast(bot: Harness) -> None:
    leaving, staying = bot.user(), bot.user()
    for user in (leaving, staying):
        await user.send("/start")
    await status(leaving, "kicked")
    assert await broadcast(bot, "Aviso uno") == {staying.id}
    await status(leaving, "member")
    assert await broadcast(bot, "Aviso dos") == {leaving.id, staying.id}
    assert bot.emulator.errors == []


async def test_the_kicked_update_after_a_refused_send_keeps_the_user_blocked(
        bot: Harness, clock: FakeClock) -> None:
    leaving, staying = bot.user(), bot.user()
    for user in (leaving, staying):
        await user.send("/start")
    bot.emulator.user_blocks(leaving.id)
    assert await broadcast(bot, "Aviso uno") == {leaving.id, staying.id}  # one 403
    clock.set(clock.now + dt.timedelta(hours=2))
    await status(leaving, "kicked")  # Telegram's notice comes later
    assert await broadcast(bot, "Aviso dos") == {staying.id}
    assert [code for _, code, _ in bot.emulator.errors] == [403]
