"""A short question right after an answer is read against it, whichever replica takes it."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from bot.db.models import QuestionLog
from bot.devapi.harness import Harness, harness
from bot.flows import FOLLOW_UP_WINDOW
from bot.questions import FLUSH_EVERY
from bot.settings import Settings
from tests.clock import FakeClock

CANADA_CARD = "que es el fondo canada para iniciativas locales"
FOLLOW_UP = "¿y de cuánto es?"
REFUSAL = "No encontré una respuesta confiable"


def answers_canada_amount(text: str) -> bool:
    return text.startswith("Fondo Canadá para Iniciativas Locales") and "Montos: " in text


async def written(bot: Harness, user_id: int) -> None:
    """Wait, as another replica would, until the user's questions reach the database."""
    database = bot.app.bot_data["services"].database

    async def until_written() -> None:
        while True:
            async with database.session() as session:
                if await session.scalar(select(QuestionLog.id)
                                        .where(QuestionLog.user_id == user_id).limit(1)):
                    return
            await asyncio.sleep(FLUSH_EVERY / 5)

    await asyncio.wait_for(until_written(), FLUSH_EVERY * 10)


async def test_a_follow_up_is_answered_about_the_entry_just_shown(bot: Harness) -> None:
    user = bot.user()
    await user.send(CANADA_CARD)
    reply = await user.send(FOLLOW_UP)
    assert answers_canada_amount(reply.text)
    assert "📄 Ver ficha completa" in [b["text"] for b in reply.last.buttons]
    # The same words with nothing shown before are no question the base can answer.
    assert REFUSAL in (await bot.user().send(FOLLOW_UP)).text


async def test_another_replica_answers_the_follow_up(settings: Settings) -> None:
    async with harness(settings) as first, harness(settings) as second:
        await first.user(777, "Rosa").send(CANADA_CARD)
        await written(first, 777)
        reply = await second.user(777, "Rosa").send(FOLLOW_UP)
        assert answers_canada_amount(reply.text)
        # The second replica read it from the database, not from anything of its own.
        services = second.app.bot_data["services"]
        await services.questions.flush()
        async with services.database.session() as session:
            rows = (await session.execute(select(QuestionLog.text, QuestionLog.best_id)
                                          .order_by(QuestionLog.asked_at))).all()
        canada = "fondo-canada-iniciativas-locales"
        assert [tuple(r) for r in rows] == [(CANADA_CARD, canada), (FOLLOW_UP, canada)]


async def test_a_follow_up_after_the_window_is_a_new_question(settings: Settings) -> None:
    clock = FakeClock(dt.datetime(2030, 3, 1, 12, tzinfo=dt.UTC))
    async with harness(settings, clock=clock) as bot:
        user = bot.user()
        await user.send(CANADA_CARD)
        await written(bot, user.id)
        clock.set(clock.now + FOLLOW_UP_WINDOW + dt.timedelta(minutes=1))
        reply = await user.send(FOLLOW_UP)
        assert REFUSAL in reply.text


async def test_a_list_in_between_ends_the_context_a_thank_you_does_not(bot: Harness) -> None:
    user = bot.user()
    await user.send(CANADA_CARD)
    await user.send("gracias!!")
    assert answers_canada_amount((await user.send(FOLLOW_UP)).text)
    await user.send("fondos para municipios")
    assert not answers_canada_amount((await user.send(FOLLOW_UP)).text)


async def test_a_follow_up_naming_the_support_is_read_against_the_card(bot: Harness) -> None:
    user = bot.user()
    await user.send(CANADA_CARD)
    assert answers_canada_amount((await user.send("¿y de cuánto es el apoyo?")).text)


@pytest.mark.parametrize("question", ["¿cuándo es el próximo conversatorio?",
                                      "quien gano el partido del america anoche",
                                      "¿cuánto cuesta un taco?"])
async def test_a_new_question_after_a_card_is_no_follow_up(bot: Harness, question: str) -> None:
    user = bot.user()
    await user.send(CANADA_CARD)
    reply = await user.send(question)
    assert "Fondo Canadá para Iniciativas Locales" not in reply.text
