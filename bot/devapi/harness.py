"""Drive the real Application through the emulator as users would: send, press, read."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.app import build_application
from bot.context import DISPATCHER_KEY, CooperaApp
from bot.devapi.server import BotApiEmulator
from bot.devapi.state import Chat, StoredMessage
from bot.runtime import running
from bot.services import Clock, utc_now
from bot.settings import Settings
from bot.webhook import start_webhook_server, webhook_app

SETTLE_TIMEOUT = 15.0
WEBHOOK_PATH = "/telegram/webhook"


@dataclass
class Reply:
    """What the bot did in a chat in answer to one user action."""

    messages: list[StoredMessage] = field(default_factory=list)
    edited: list[StoredMessage] = field(default_factory=list)
    answer: dict[str, Any] | None = None
    # Every button press's answer (None: never answered), in order.
    answers: list[dict[str, Any] | None] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All new and edited message texts (and captions), joined."""
        parts = [m.text or m.caption or "" for m in [*self.messages, *self.edited]]
        return "\n".join(parts)

    @property
    def last(self) -> StoredMessage:
        """The newest message, edited or new."""
        return [*self.messages, *self.edited][-1]


class ChatDriver:
    """One user's side of a chat with the bot: their private chat, or a group they are in."""

    def __init__(self, harness: Harness, user: dict[str, Any], chat: Chat | None = None) -> None:
        self.harness = harness
        self.user = user
        self.id = int(user["id"])
        self.chat = chat

    def in_group(self, chat: Chat) -> ChatDriver:
        """The same user writing in a group (or supergroup) instead."""
        return ChatDriver(self.harness, self.user, chat)

    @property
    def messages(self) -> list[StoredMessage]:
        """Every message the bot has in this chat now."""
        chat = self.chat or self.harness.emulator.chats.get(self.id)
        return [m for m in chat.messages if m.from_bot] if chat else []

    async def send(self, text: str | None = None, **content: Any) -> Reply:
        """Send a text (or other content, e.g. sticker={...}) and wait for the bot."""
        return await self.act(lambda: self.harness.emulator.user_sends(
            self.user, text, chat=self.chat, **content))

    async def upload(self, name: str, content: bytes, mime_type: str = "text/csv",
                     caption: str | None = None) -> Reply:
        """Send a document and wait for the bot."""
        return await self.act(lambda: self.harness.emulator.user_uploads(
            self.user, name, content, mime_type, caption))

    async def press(self, label: str, message: StoredMessage | None = None) -> Reply:
        """Press the button whose text contains label (or whose data equals it)."""
        message = message or self._last_with_buttons()
        for button in message.buttons:
            if "callback_data" in button and (label in button["text"]
                                              or label == button["callback_data"]):
                return await self.press_data(button["callback_data"], message)
        labels = [b["text"] for b in message.buttons]
        raise AssertionError(f"no button {label!r} in {labels}")

    async def press_data(self, data: str, message: StoredMessage | None = None) -> Reply:
        """Press a button with arbitrary callback data (forged data included)."""
        message = message or self._last_with_buttons()
        return await self.act(lambda: self.harness.emulator.user_presses(self.user, message,
                                                                           data))

    async def tap_twice(self, label: str) -> Reply:
        """Press a button twice before the bot answers the first (an impatient double tap)."""
        message = self._last_with_buttons()
        data = next(b["callback_data"] for b in message.buttons
                    if label in b["text"] and "callback_data" in b)
        emulator = self.harness.emulator

        async def both() -> int:
            await emulator.user_presses(self.user, message, data)
            return await emulator.user_presses(self.user, message, data)

        return await self.act(both)

    def _last_with_buttons(self) -> StoredMessage:
        for message in reversed(self.messages):
            if message.buttons:
                return message
        raise AssertionError("the bot has shown no buttons in this chat")

    async def act(self, action: Any) -> Reply:
        """Run an action that injects an update, wait for the bot, return what it did here."""
        before = {m.message_id: m.edits for m in self.messages}
        answers = self.harness.emulator.callback_answers
        known = set(answers)
        update_id = await action()
        await self.harness.settle(update_id)
        reply = Reply()
        for message in self.messages:
            if message.message_id not in before:
                reply.messages.append(message)
            elif message.edits != before[message.message_id]:
                reply.edited.append(message)
        reply.answers = [answers[q] for q in answers if q not in known]
        reply.answer = reply.answers[0] if reply.answers else None
        return reply


class Harness:
    """The emulator plus a running bot polling it."""

    def __init__(self, emulator: BotApiEmulator, app: CooperaApp,
                 webhook_port: int | None = None) -> None:
        self.emulator = emulator
        self.app = app
        self.webhook_port = webhook_port
        self._users = 0

    def user(self, user_id: int | None = None, first_name: str = "Ana",
             **profile: Any) -> ChatDriver:
        """A chat driver for a user (a fresh id unless one is given)."""
        if user_id is None:
            self._users += 1
            user_id = 10_000 + self._users
        return ChatDriver(self, {"id": user_id, "first_name": first_name, **profile})

    async def drain(self) -> None:
        """Let the outbox dispatcher send everything due now (by the bot's clock)."""
        dispatcher = self.app.bot_data[DISPATCHER_KEY]

        async def until_idle() -> None:
            while True:
                dispatcher.wake.set()
                await asyncio.sleep(0.02)
                if await dispatcher.idle():
                    return

        await asyncio.wait_for(until_idle(), SETTLE_TIMEOUT)
        for hook in dispatcher.hooks:  # progress reports of what was just sent
            await hook()
        await asyncio.wait_for(until_idle(), SETTLE_TIMEOUT)

    async def settle(self, update_id: int) -> None:
        """Wait until the bot has taken the update and finished processing it."""
        await asyncio.wait_for(self.emulator.updates.wait_confirmed(update_id), SETTLE_TIMEOUT)
        await asyncio.wait_for(self.app.update_queue.join(), SETTLE_TIMEOUT)


@asynccontextmanager
async def harness(settings: Settings, *, clock: Clock = utc_now,
                  emulator: BotApiEmulator | None = None,
                  webhook_secret: str | None = None) -> AsyncIterator[Harness]:
    """Start an emulator (unless given) and the bot; polling, or by webhook given a secret."""
    own = emulator is None
    emulator = emulator or BotApiEmulator()
    if own:
        await emulator.start()
    settings = settings.model_copy(update={"telegram_api_url": emulator.base_url})
    app = build_application(settings, token=emulator.token, clock=clock)
    try:
        async with running(app, polling=webhook_secret is None):
            if webhook_secret is None:
                yield Harness(emulator, app)
                return
            server = await start_webhook_server(webhook_app(app, WEBHOOK_PATH, webhook_secret),
                                                0, host="127.0.0.1")
            try:
                port = server.addresses[0][1]
                await app.bot.set_webhook(f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
                                          secret_token=webhook_secret)
                yield Harness(emulator, app, webhook_port=port)
            finally:
                await server.cleanup()
    finally:
        if own:
            await emulator.stop()
