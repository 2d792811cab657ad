"""The application's Bot API client, as users meet it: failures after an answer."""

from __future__ import annotations

import pytest

from bot.devapi.harness import Harness


async def test_a_press_failing_after_its_answer_is_answered_once(
        bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*_args: object) -> None:
        raise RuntimeError("database on fire")

    user = bot.user()
    await user.send("/start")
    monkeypatch.setattr(bot.app.bot_data["services"].alert_profiles, "get", broken)
    reply = await user.press("Alertas de convocatorias")
    assert reply.text.startswith("Lo siento, algo salió mal")
    assert reply.answers == [{"text": None, "show_alert": False}]
    assert bot.emulator.errors == []


async def test_forged_presses_never_edit_a_message_into_what_it_shows(bot: Harness) -> None:
    user = bot.user()
    await user.send("/start")
    menu = user.messages[-1]
    # 'Keep my registration' and 'not interested' pressed (forged) on the menu: the first takes
    # the buttons away, the second finds none to take; neither asks Telegram for a no-op edit.
    await user.press_data("mr:keep", menu)
    assert menu.buttons == []
    reply = await user.press_data("mr:keep", menu)
    assert reply.answers == [{"text": "Su registro sigue en pie.", "show_alert": False}]
    await user.send("¿qué es la amexcid?")
    card = user.messages[-1]
    await user.press_data("al:m:no-existe", card)
    assert bot.emulator.errors == []
