"""What the local Bot API remembers: chats, messages, pending updates, files."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class StoredFile:
    """A file the bot sent or a user uploaded."""

    file_id: str
    file_name: str
    mime_type: str
    content: bytes


@dataclass
class StoredMessage:
    """One message in a chat, as Telegram would keep it."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    caption: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    edits: int = 0
    # Who wrote it, in a group; in a private chat it is the chat's user.
    sender: dict[str, Any] | None = None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons, row by row flattened."""
        if not self.reply_markup:
            return []
        return [b for row in self.reply_markup.get("inline_keyboard", []) for b in row]


@dataclass
class Chat:
    """A private chat with one user, or a group, supergroup or channel (kind, id and title)."""

    user: dict[str, Any] = field(default_factory=dict)
    messages: list[StoredMessage] = field(default_factory=list)
    blocked: bool = False
    next_message_id: int = 1
    # Messages the bot has sent here, deleted ones included.
    bot_messages: int = 0
    bot_sent: asyncio.Event = field(default_factory=asyncio.Event)
    kind: str = "private"
    group_id: int = 0
    title: str = ""

    @property
    def id(self) -> int:
        return int(self.user["id"]) if self.kind == "private" else self.group_id

    def as_dict(self) -> dict[str, Any]:
        if self.kind != "private":
            return {"id": self.id, "type": self.kind, "title": self.title}
        chat = {"id": self.id, "type": "private", "first_name": self.user["first_name"]}
        for key in ("last_name", "username"):
            if self.user.get(key):
                chat[key] = self.user[key]
        return chat

    def add(self, message: StoredMessage) -> StoredMessage:
        self.messages.append(message)
        if message.from_bot:
            self.bot_messages += 1
            self.bot_sent.set()
        return message

    async def wait_bot_messages(self, count: int) -> None:
        """Wait until the bot has sent at least `count` messages to this chat."""
        while self.bot_messages < count:
            self.bot_sent.clear()
            await self.bot_sent.wait()

    def take_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def find(self, message_id: int) -> StoredMessage | None:
        for message in reversed(self.messages):
            if message.message_id == message_id:
                return message
        return None


class UpdateQueue:
    """Pending updates with getUpdates offset semantics and long polling."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.pending: list[dict[str, Any]] = []
        self.confirmed_below = 0
        self._changed = asyncio.Condition()

    def next_id(self) -> int:
        return next(self._ids)

    async def put(self, update: dict[str, Any]) -> None:
        async with self._changed:
            self.pending.append(update)
            self._changed.notify_all()

    async def confirm(self, offset: int) -> None:
        """Forget updates below offset (Telegram's confirmation by offset)."""
        async with self._changed:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
            self.confirmed_below = max(self.confirmed_below, offset)
            self._changed.notify_all()

    async def wait_for(self, limit: int, seconds: float) -> list[dict[str, Any]]:
        """Return up to limit pending updates, waiting up to `seconds` for the first one."""
        deadline = time.monotonic() + seconds
        async with self._changed:
            while not self.pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    return []
            return self.pending[:limit]

    async def wait_confirmed(self, update_id: int) -> None:
        """Wait until the bot has confirmed (taken for good) this update."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.confirmed_below > update_id)
