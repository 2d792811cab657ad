"""A local Bot API server: enough of Telegram for the bot, its tests and the demo."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import BodyPartReader, ClientSession, ClientTimeout, web

from bot.devapi import validate as v
from bot.devapi.flood import FloodControl
from bot.devapi.state import Chat, StoredFile, StoredMessage, UpdateQueue

log = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:TEST-token"
Method = Callable[[dict[str, Any]], Awaitable[Any]]


class BotApiEmulator:
    """Serve the Bot API at http://127.0.0.1:PORT/bot<token>/<method> plus a user-side API."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, bot_username: str = "CooperaBot") -> None:
        self.token = token
        self.bot_id = int(token.split(":")[0])
        self.bot_username = bot_username
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands: list[dict[str, str]] = []
        self.callback_answers: dict[str, dict[str, Any] | None] = {}
        self.webhook: dict[str, Any] | None = None
        self.requests: list[tuple[str, dict[str, Any]]] = []
        # Every error answered to the bot: (method, code, description).
        self.errors: list[tuple[str, int, str]] = []
        self.updates = UpdateQueue()
        self.flood = FloodControl()
        # Errors to answer instead of sending, per chat: (status, description).
        self.faults: dict[int, list[tuple[int, str]]] = {}
        self._file_ids = itertools.count(1)
        self._poller: asyncio.Future[None] | None = None
        self._runner: web.AppRunner | None = None
        self._http: ClientSession | None = None
        self._deliveries: set[asyncio.Future[None]] = set()
        self.port = 0
        self._methods: dict[str, Method] = {
            name.removeprefix("m_").lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith("m_")
        }

    # ----- lifecycle -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The value for TELEGRAM_API_URL."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1 (port 0 picks a free one)."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{file_id}", self._file)
        app.router.add_post("/_user/{action}", self._user_api)
        app.router.add_get("/_user/messages", self._user_messages)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Stop serving."""
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ----- HTTP plumbing ---------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _answer(v.ApiError(401, "Unauthorized"))
        method = self._methods.get(request.match_info["method"].lower())
        if method is None:
            return _answer(v.ApiError(404, "Not Found: method not found"))
        try:
            params = v.coerce(await _read_params(request))
            self.requests.append((request.match_info["method"], params))
            result = await method(params)
        except v.ApiError as exc:
            self.errors.append((request.match_info["method"], exc.code, exc.description))
            return _answer(exc)
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.Response:
        stored = self.files.get(request.match_info["file_id"])
        if request.match_info["token"] != self.token or stored is None:
            return web.Response(status=404)
        return web.Response(body=stored.content, content_type=stored.mime_type)

    # ----- bot-side methods ------------------------------------------------------------------

    def me(self) -> dict[str, Any]:
        """The bot's own User object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Coopera",
            "username": self.bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def m_getMe(self, _params: dict[str, Any]) -> dict[str, Any]:
        return self.me()

    async def m_logOut(self, _params: dict[str, Any]) -> bool:
        return True

    async def m_close(self, _params: dict[str, Any]) -> bool:
        return True

    async def m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            await self.updates.confirm(self.updates.next_id())
        return True

    async def m_setWebhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self.m_deleteWebhook(params)
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise v.bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": url, "secret_token": params.get("secret_token")}
        return True

    async def m_getWebhookInfo(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates.pending),
        }

    async def m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook:
            raise v.ApiError(
                409, "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first"
            )
        if self._poller is not None and not self._poller.done():
            # Telegram ends the older request when a second poller appears.
            self._poller.set_exception(v.ApiError(
                409, "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            ))
        offset = int(params.get("offset") or 0)
        if offset > 0:
            await self.updates.confirm(offset)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(max(int(params.get("timeout") or 0), 0), 50)
        poller: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._poller = poller
        waiter = asyncio.ensure_future(self.updates.wait_for(limit, timeout))
        racing: list[asyncio.Future[Any]] = [waiter, poller]
        done, _ = await asyncio.wait(racing, return_when=asyncio.FIRST_COMPLETED)
        if poller in done:
            waiter.cancel()
            poller.result()  # raises the 409
        poller.cancel()
        return waiter.result()

    async def m_setMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands = v.commands(params)
        return True

    async def m_getMyCommands(self, _params: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands

    async def m_deleteMyCommands(self, _params: dict[str, Any]) -> bool:
        self.commands = []
        return True

    async def m_sendChatAction(self, params: dict[str, Any]) -> bool:
        self._chat(params)
        if params.get("action") not in v.CHAT_ACTIONS:
            raise v.bad_request("wrong parameter action in request")
        return True

    async def m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params, sending=True)
        text, entities = v.formatted(params, "text", v.MAX_TEXT)
        markup = v.reply_markup(params)
        message = chat.add(StoredMessage(chat.take_id(), chat.id, True, _now(), text, entities,
                                         markup))
        return self._message_dict(message)

    async def m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params, sending=True)
        document = params.get("document")
        if isinstance(document, StoredFile):
            stored = document
            self.files[stored.file_id] = stored
        elif isinstance(document, str) and document in self.files:
            stored = self.files[document]
        else:
            raise v.bad_request("wrong file identifier/HTTP URL specified")
        caption, entities = v.formatted(params, "caption", v.MAX_CAPTION)
        markup = v.reply_markup(params)
        message = chat.add(StoredMessage(chat.take_id(), chat.id, True, _now(), None, entities,
                                         markup, stored, caption or None))
        return self._message_dict(message)

    async def m_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self.files.get(str(params.get("file_id")))
        if stored is None:
            raise v.bad_request("invalid file_id")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_id,
                "file_size": len(stored.content), "file_path": stored.file_id}

    async def m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(params)
        if message.document is not None:
            raise v.bad_request("there is no text in the message to edit")
        text, entities = v.formatted(params, "text", v.MAX_TEXT)
        markup = v.reply_markup(params)
        if (text, entities, markup) == (message.text, message.entities, message.reply_markup):
            raise _not_modified()
        message.text, message.entities, message.reply_markup = text, entities, markup
        message.edits += 1
        return self._message_dict(message)

    async def m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(params)
        markup = v.reply_markup(params)
        if markup == message.reply_markup:
            raise _not_modified()
        message.reply_markup = markup
        message.edits += 1
        return self._message_dict(message)

    async def m_deleteMessage(self, params: dict[str, Any]) -> bool:
        message = self._bot_message(params)
        self.chats[message.chat_id].messages.remove(message)
        return True

    async def m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self.callback_answers or self.callback_answers[query_id] is not None:
            raise v.bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text") or "")) > v.MAX_CALLBACK_ANSWER:
            raise v.bad_request("MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {
            "text": params.get("text"),
            "show_alert": bool(params.get("show_alert")),
        }
        return True

    # ----- helpers ---------------------------------------------------------------------------

    def _chat(self, params: dict[str, Any], *, sending: bool = False) -> Chat:
        chat_id = params.get("chat_id")
        if sending and isinstance(chat_id, int):
            self.flood.check(chat_id)
            faults = self.faults.get(chat_id)
            if faults:
                code, description = faults.pop(0)
                raise v.ApiError(code, description)
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise v.bad_request("chat not found")
        if sending and chat.blocked:
            raise v.ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _bot_message(self, params: dict[str, Any]) -> StoredMessage:
        if "inline_message_id" in params:
            raise v.bad_request("inline messages are not used by this bot")
        chat = self._chat(params)
        message = chat.find(int(params.get("message_id") or 0))
        if message is None:
            raise v.bad_request("message to edit not found")
        if not message.from_bot:
            raise v.bad_request("message can't be edited")
        return message

    def _message_dict(self, message: StoredMessage) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat.as_dict(),
            "from": self.me() if message.from_bot else (message.sender or chat.user),
        }
        if chat.kind == "channel":  # channel posts are signed by the channel, not a user
            del data["from"]
            data["sender_chat"] = chat.as_dict()
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.document is not None:
            data["document"] = {
                "file_id": message.document.file_id,
                "file_unique_id": message.document.file_id,
                "file_name": message.document.file_name,
                "mime_type": message.document.mime_type,
                "file_size": len(message.document.content),
            }
            if message.caption:
                data["caption"] = message.caption
                if message.entities:
                    data["caption_entities"] = message.entities
        if message.edits:
            data["edit_date"] = _now()
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = message.reply_markup
        data.update(message.extra)
        return data

    def new_file(self, name: str, mime_type: str, content: bytes) -> StoredFile:
        """Store a file under a fresh file_id."""
        stored = StoredFile(f"FILE{next(self._file_ids):06d}", name, mime_type, content)
        self.files[stored.file_id] = stored
        return stored

    # ----- user side -------------------------------------------------------------------------

    def chat_for(self, user: dict[str, Any]) -> Chat:
        """Return (creating it on first use) the private chat of this user."""
        chat = self.chats.get(int(user["id"]))
        if chat is None:
            chat = self.chats[int(user["id"])] = Chat(user=dict(user, is_bot=False))
        return chat

    def group(self, group_id: int, title: str = "Red de OSC", kind: str = "supergroup") -> Chat:
        """Return (creating it on first use) a group, supergroup or channel the bot is in."""
        chat = self.chats.get(group_id)
        if chat is None:
            chat = self.chats[group_id] = Chat(kind=kind, group_id=group_id, title=title)
        return chat

    async def user_sends(self, user: dict[str, Any], text: str | None = None, *,
                         chat: Chat | None = None, **content: Any) -> int:
        """Inject a message from a user (text, or other content such as a sticker).

        In their private chat unless another chat is given (a group they write in).
        """
        chat = chat or self.chat_for(user)
        message = chat.add(StoredMessage(chat.take_id(), chat.id, False, _now(), text,
                                         _user_entities(text), extra=content,
                                         sender=dict(user, is_bot=False)))
        return await self._enqueue({"message": self._message_dict(message)})

    async def user_edits(self, message: StoredMessage, text: str) -> int:
        """Inject the edit of a user's earlier message (edited_message)."""
        message.text, message.entities = text, _user_entities(text)
        message.edits += 1
        return await self._enqueue({"edited_message": self._message_dict(message)})

    async def channel_posts(self, channel: Chat, text: str, *, edited: bool = False) -> int:
        """Inject a post (or an edit of one) in a channel the bot was added to."""
        message = channel.add(StoredMessage(channel.take_id(), channel.id, False, _now(), text,
                                            _user_entities(text)))
        data = self._message_dict(message)
        if edited:
            data["edit_date"] = _now()
        return await self._enqueue({"edited_channel_post" if edited else "channel_post": data})

    async def member_status(self, user: dict[str, Any], status: str) -> int:
        """Inject the my_chat_member update Telegram sends when a user blocks ("kicked") or
        restarts ("member") the bot; sends to a blocked chat then fail with 403."""
        chat = self.chat_for(user)
        chat.blocked = status == "kicked"
        old = "member" if chat.blocked else "kicked"
        bot = self.me()
        member = {"status": status, "user": bot} | ({"until_date": 0} if chat.blocked else {})
        return await self._enqueue({"my_chat_member": {
            "chat": chat.as_dict(), "from": dict(user, is_bot=False), "date": _now(),
            "old_chat_member": {"status": old, "user": bot} | (
                {} if chat.blocked else {"until_date": 0}),
            "new_chat_member": member}})

    async def raw_update(self, payload: dict[str, Any]) -> int:
        """Inject any update body (e.g. a malformed one); the update_id is added."""
        return await self._enqueue(payload)

    async def user_uploads(self, user: dict[str, Any], name: str, content: bytes,
                           mime_type: str = "application/octet-stream",
                           caption: str | None = None) -> int:
        """Inject a document sent by a user."""
        stored = self.new_file(name, mime_type, content)
        chat = self.chat_for(user)
        message = chat.add(StoredMessage(chat.take_id(), chat.id, False, _now(), None,
                                         document=stored, caption=caption))
        return await self._enqueue({"message": self._message_dict(message)})

    async def user_presses(self, user: dict[str, Any], message: StoredMessage,
                           data: str) -> int:
        """Inject a button press (callback query) on a bot message."""
        query_id = uuid.uuid4().hex[:16]
        self.callback_answers[query_id] = None
        query = {
            "id": query_id,
            "from": dict(user, is_bot=False),
            "message": self._message_dict(message),
            "chat_instance": str(message.chat_id),
            "data": data,
        }
        return await self._enqueue({"callback_query": query})

    def user_blocks(self, user_id: int, blocked: bool = True) -> None:
        """Make the user block (or unblock) the bot: sends then fail with 403."""
        self.chats[user_id].blocked = blocked

    async def _enqueue(self, payload: dict[str, Any]) -> int:
        update = {"update_id": self.updates.next_id(), **payload}
        if self.webhook:
            task = asyncio.ensure_future(self._deliver(update))
            self._deliveries.add(task)
            task.add_done_callback(self._deliveries.discard)
        else:
            await self.updates.put(update)
        return int(update["update_id"])

    async def _deliver(self, update: dict[str, Any]) -> None:
        """Post an update to the webhook, retrying like Telegram while it fails."""
        assert self.webhook is not None
        if self._http is None:
            self._http = ClientSession(timeout=ClientTimeout(total=60))
        headers = {}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(self.webhook["secret_token"])
        for attempt in range(5):
            try:
                async with self._http.post(self.webhook["url"], json=update,
                                           headers=headers) as response:
                    if response.status < 300:
                        await self.updates.confirm(int(update["update_id"]) + 1)
                        return
            except OSError:
                pass
            await asyncio.sleep(0.2 * 2**attempt)
        log.warning("webhook delivery of update %s failed", update["update_id"])

    async def _user_api(self, request: web.Request) -> web.Response:
        body = await request.json()
        user = body.get("user") or {}
        if not isinstance(user.get("id"), int) or not user.get("first_name"):
            return web.json_response({"ok": False, "description": "user needs id and first_name"},
                                     status=400)
        action = request.match_info["action"]
        if action == "sendMessage":
            update_id = await self.user_sends(user, body.get("text"))
        elif action == "pressButton":
            chat = self.chat_for(user)
            message = chat.find(int(body.get("message_id") or 0))
            if message is None:
                return web.json_response({"ok": False, "description": "no such message"},
                                         status=400)
            update_id = await self.user_presses(user, message, str(body.get("data")))
        elif action == "block":
            self.user_blocks(user["id"], bool(body.get("blocked", True)))
            return web.json_response({"ok": True})
        else:
            return web.json_response({"ok": False, "description": "unknown action"}, status=404)
        return web.json_response({"ok": True, "update_id": update_id})

    async def _user_messages(self, request: web.Request) -> web.Response:
        chat = self.chats.get(int(request.query.get("chat_id", "0")))
        messages = [self._message_dict(m) for m in chat.messages] if chat else []
        return web.json_response({"ok": True, "messages": messages})


def _user_entities(text: str | None) -> list[dict[str, Any]]:
    """The entities Telegram marks in a user's text: a leading command, @mentions."""
    if not text:
        return []
    entities = []
    if text.startswith("/"):
        entities.append({"type": "bot_command", "offset": 0, "length": _utf16(text.split()[0])})
    for found in re.finditer(r"(?<!\S)@\w{5,32}", text):
        entities.append({"type": "mention", "offset": _utf16(text[:found.start()]),
                         "length": _utf16(found.group())})
    return entities


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _not_modified() -> v.ApiError:
    return v.bad_request(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )


def _now() -> int:
    return int(time.time())


def _answer(error: v.ApiError) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": error.code,
                            "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.Response(status=error.code, text=json.dumps(body), content_type="application/json")


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Read query string, JSON, urlencoded or multipart parameters (files become StoredFile)."""
    params: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                raise v.bad_request("nested multipart is not supported")
            if part.filename:
                content = await part.read(decode=False)
                mime = part.headers.get("Content-Type", "application/octet-stream")
                params[part.name or ""] = StoredFile("", part.filename, mime, bytes(content))
            else:
                params[part.name or ""] = await part.text()
        return _attach_files(params)
    params.update(dict(await request.post()))
    return params


def _attach_files(params: dict[str, Any]) -> dict[str, Any]:
    # PTB sends a file as "attach://name" in the field and the bytes in the part "name".
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = params.pop(value.removeprefix("attach://"), value)
    for value in params.values():
        if isinstance(value, StoredFile) and not value.file_id:
            value.file_id = f"FILE{uuid.uuid4().hex[:12]}"
    return params
