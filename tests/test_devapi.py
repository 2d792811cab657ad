"""The local Bot API answers as Telegram does, errors included."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.devapi import DEFAULT_TOKEN, BotApiEmulator
from bot.devapi.html import HtmlError, parse_html

USER = {"id": 77, "first_name": "Ana"}


@pytest.fixture
async def api() -> AsyncIterator[tuple[BotApiEmulator, aiohttp.ClientSession]]:
    emulator = BotApiEmulator()
    await emulator.start()
    async with aiohttp.ClientSession() as http:
        yield emulator, http
    await emulator.stop()


async def call(api: tuple[BotApiEmulator, aiohttp.ClientSession], method: str,
               token: str = DEFAULT_TOKEN, **params: Any) -> tuple[int, dict[str, Any]]:
    emulator, http = api
    url = f"{emulator.base_url}{token}/{method}"
    async with http.post(url, json=params) as response:
        return response.status, await response.json()


async def test_get_me_and_unknown_token_or_method(api: Any) -> None:
    status, body = await call(api, "getMe")
    assert status == 200 and body["result"]["is_bot"] is True
    status, body = await call(api, "getMe", token="999:wrong")
    assert (status, body["description"]) == (401, "Unauthorized")
    status, body = await call(api, "sendTelepathy")
    assert status == 404


async def test_send_message_to_unknown_chat_is_refused(api: Any) -> None:
    status, body = await call(api, "sendMessage", chat_id=5, text="hola")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")


async def test_text_limits_and_html_are_enforced(api: Any) -> None:
    emulator, _ = api
    await emulator.user_sends(USER, "hola")
    status, body = await call(api, "sendMessage", chat_id=77, text="x" * 4097)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, _ = await call(api, "sendMessage", chat_id=77, text="ñ" * 4096)
    assert status == 200
    status, body = await call(api, "sendMessage", chat_id=77, text="<b>x" + "y" * 4094 + "</b>",
                              parse_mode="HTML")
    assert status == 200, body
    status, body = await call(api, "sendMessage", chat_id=77, text="a < b", parse_mode="HTML")
    assert status == 400 and "can't parse entities" in body["description"]
    status, body = await call(api, "sendMessage", chat_id=77, text="   ")
    assert body["description"] == "Bad Request: message text is empty"


async def test_callback_data_over_64_bytes_is_refused(api: Any) -> None:
    emulator, _ = api
    await emulator.user_sends(USER, "hola")
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "ñ" * 33}]]}
    status, body = await call(api, "sendMessage", chat_id=77, text="t", reply_markup=markup)
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "ñ" * 32}]]}
    status, _ = await call(api, "sendMessage", chat_id=77, text="t", reply_markup=markup)
    assert status == 200


async def test_edit_requires_a_change_and_an_existing_bot_message(api: Any) -> None:
    emulator, _ = api
    await emulator.user_sends(USER, "hola")
    _, sent = await call(api, "sendMessage", chat_id=77, text="uno")
    message_id = sent["result"]["message_id"]
    status, body = await call(api, "editMessageText", chat_id=77, message_id=message_id,
                              text="uno")
    assert status == 400 and "message is not modified" in body["description"]
    status, body = await call(api, "editMessageText", chat_id=77, message_id=message_id,
                              text="dos")
    assert status == 200 and body["result"]["text"] == "dos"
    status, body = await call(api, "editMessageText", chat_id=77, message_id=1, text="x")
    assert body["description"] == "Bad Request: message can't be edited"


async def test_get_updates_honours_offset_and_long_polls(api: Any) -> None:
    emulator, _ = api
    first = await emulator.user_sends(USER, "/start")
    second = await emulator.user_sends(USER, "hola")
    _, body = await call(api, "getUpdates")
    assert [u["update_id"] for u in body["result"]] == [first, second]
    assert body["result"][0]["message"]["entities"] == [
        {"type": "bot_command", "offset": 0, "length": 6}]
    _, body = await call(api, "getUpdates", offset=second)
    assert [u["update_id"] for u in body["result"]] == [second]
    poll = asyncio.ensure_future(call(api, "getUpdates", offset=second + 1, timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    third = await emulator.user_sends(USER, "otra")
    _, body = await asyncio.wait_for(poll, 2)
    assert [u["update_id"] for u in body["result"]] == [third]


async def test_a_second_poller_ends_the_first_with_conflict(api: Any) -> None:
    first = asyncio.ensure_future(call(api, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    second = asyncio.ensure_future(call(api, "getUpdates", timeout=0))
    status, body = await asyncio.wait_for(first, 2)
    assert status == 409 and "terminated by other getUpdates" in body["description"]
    await second


async def test_blocked_user_gets_forbidden(api: Any) -> None:
    emulator, _ = api
    await emulator.user_sends(USER, "hola")
    emulator.user_blocks(77)
    status, body = await call(api, "sendMessage", chat_id=77, text="hola")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")


async def test_callback_query_can_be_answered_once(api: Any) -> None:
    emulator, _ = api
    await emulator.user_sends(USER, "hola")
    markup = {"inline_keyboard": [[{"text": "Sí", "callback_data": "yes"}]]}
    await call(api, "sendMessage", chat_id=77, text="¿Seguro?", reply_markup=markup)
    message = emulator.chats[77].messages[-1]
    await emulator.user_presses(USER, message, "yes")
    _, body = await call(api, "getUpdates")
    query_id = body["result"][-1]["callback_query"]["id"]
    status, _ = await call(api, "answerCallbackQuery", callback_query_id=query_id, text="Listo")
    assert status == 200
    status, body = await call(api, "answerCallbackQuery", callback_query_id=query_id)
    assert status == 400 and "query is too old" in body["description"]


async def test_set_my_commands_validates_names(api: Any) -> None:
    status, body = await call(api, "setMyCommands",
                              commands=[{"command": "Mis-Datos", "description": "x"}])
    assert body["description"] == "Bad Request: BOT_COMMAND_INVALID"
    status, _ = await call(api, "setMyCommands",
                           commands=[{"command": "mis_datos", "description": "Ver mis datos"}])
    assert status == 200


async def test_form_encoded_requests_and_documents(api: Any) -> None:
    emulator, http = api
    await emulator.user_sends(USER, "hola")
    form = aiohttp.FormData()
    form.add_field("chat_id", "77")
    form.add_field("caption", "<b>Su archivo</b>")
    form.add_field("parse_mode", "HTML")
    form.add_field("document", b"a,b\n1,2\n", filename="lista.csv", content_type="text/csv")
    async with http.post(f"{emulator.base_url}{DEFAULT_TOKEN}/sendDocument", data=form) as r:
        body = await r.json()
    assert body["result"]["document"]["file_name"] == "lista.csv"
    assert emulator.chats[77].messages[-1].document.content == b"a,b\n1,2\n"


async def test_user_side_http_api(api: Any) -> None:
    emulator, http = api
    async with http.post(f"http://127.0.0.1:{emulator.port}/_user/sendMessage",
                         json={"user": USER, "text": "hola"}) as response:
        sent = await response.json()
    _, updates = await call(api, "getUpdates")
    assert updates["result"][0]["update_id"] == sent["update_id"]
    await call(api, "sendMessage", chat_id=77, text="respuesta")
    async with http.get(f"http://127.0.0.1:{emulator.port}/_user/messages",
                        params={"chat_id": "77"}) as response:
        messages = (await response.json())["messages"]
    assert [m.get("text") for m in messages] == ["hola", "respuesta"]


@pytest.mark.parametrize(("source", "error"), [
    ("<b>sin cerrar", "Can't find end tag"),
    ("<div>x</div>", 'Unsupported start tag "div"'),
    ("<b><i>x</b></i>", "Unmatched end tag"),
    ("AT&T", "Can't find end of the entity"),
    ("&nbsp;", "Unsupported HTML entity"),
    ('<a>x</a>', "without href"),
])
def test_html_errors(source: str, error: str) -> None:
    with pytest.raises(HtmlError, match=error):
        parse_html(source)


def test_html_entities_are_in_utf16_units() -> None:
    text, entities = parse_html('👍 <b>sí</b> &lt;ok&gt; <a href="https://x.mx">liga</a>')
    assert text == "👍 sí <ok> liga"
    assert entities == [{"type": "bold", "offset": 3, "length": 2},
                        {"type": "text_link", "url": "https://x.mx", "offset": 11,
                         "length": 4}]
    assert json.dumps(entities)
