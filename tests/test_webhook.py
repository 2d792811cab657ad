"""Webhook mode: the secret is checked, each update is processed once, health is reported."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.devapi.harness import WEBHOOK_PATH, Harness, harness
from bot.settings import Settings
from bot.webhook import SECRET_HEADER

SECRET = "s3cret-Token_1"


@pytest.fixture
async def hooked(settings: Settings) -> AsyncIterator[Harness]:
    async with harness(settings, webhook_secret=SECRET) as running:
        yield running


def _update(update_id: int, text: str, user_id: int = 501) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Rosa"}
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": 1700000000, "text": text, "from": user,
        "chat": {"id": user_id, "type": "private", "first_name": "Rosa"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}


async def test_updates_arrive_by_webhook_and_are_answered(hooked: Harness) -> None:
    assert hooked.emulator.webhook is not None
    assert hooked.emulator.webhook["secret_token"] == SECRET
    reply = await hooked.user(first_name="Rosa").send("/start")
    assert "¡Hola, Rosa!" in reply.text


async def test_wrong_or_missing_secret_is_refused_and_nothing_is_processed(
    hooked: Harness,
) -> None:
    url = f"http://127.0.0.1:{hooked.webhook_port}{WEBHOOK_PATH}"
    hooked.emulator.chat_for({"id": 501, "first_name": "Rosa"})
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=_update(900, "/start")) as response:
            assert response.status == 401
        async with http.post(url, json=_update(901, "/start"),
                             headers={SECRET_HEADER: "nope"}) as response:
            assert response.status == 403
        async with http.post(url, data=b"{not json", headers={SECRET_HEADER: SECRET}) as r:
            assert r.status == 400
    await hooked.app.update_queue.join()
    assert hooked.emulator.chats[501].messages == []


async def test_a_resent_update_is_processed_once(hooked: Harness) -> None:
    url = f"http://127.0.0.1:{hooked.webhook_port}{WEBHOOK_PATH}"
    hooked.emulator.chat_for({"id": 502, "first_name": "Rosa"})
    async with aiohttp.ClientSession() as http:
        for _ in range(3):
            async with http.post(url, json=_update(950, "/ayuda", 502),
                                 headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 200
            await hooked.app.update_queue.join()
    assert len(hooked.emulator.chats[502].messages) == 1


async def test_healthz_reports_the_database(hooked: Harness) -> None:
    url = f"http://127.0.0.1:{hooked.webhook_port}/healthz"
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert (response.status, await response.text()) == (200, "ok")
