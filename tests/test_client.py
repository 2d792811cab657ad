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
