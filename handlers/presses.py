"""Double taps: a button pressed again before its message changed is answered and dropped.

The bot answers the first press (and edits the message); the second carries the message as it
was before that edit, so running it again would redo the action and edit the message into
what it already shows. A deliberate second press is told apart: it comes on the edited
message, after another button, or later than DOUBLE_TAP seconds.
"""

from __future__ import annotations

import time

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop

from bot.client import PRESSED, Shown
from bot.context import BotContext

DOUBLE_TAP = 3.0
KEPT = 10_000


class Presses:
    """Remember the last press on each message."""

    def __init__(self) -> None:
        self._last: dict[tuple[int, int], tuple[str, int, float]] = {}

    async def press_received(self, update: Update, context: BotContext) -> None:
        """Answer and drop a press repeating the last one on an unchanged message."""
        query = update.callback_query
        assert query is not None
        message = query.message
        if not isinstance(message, Message):
            return
        PRESSED.set(Shown.of(message))
        key = (message.chat_id, message.message_id)
        now = time.monotonic()
        press = (query.data or "", hash(message.to_json()), now)
        last = self._last.pop(key, None)
        self._last[key] = press
        if len(self._last) > KEPT:
            del self._last[next(iter(self._last))]
        if last is not None and last[:2] == press[:2] and now - last[2] < DOUBLE_TAP:
            await query.answer()
            raise ApplicationHandlerStop
