"""Keeps each running broadcast's progress message up to date and sends the final report."""

from __future__ import annotations

import logging
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.broadcasts import Broadcasts, Progress, counts_line
from bot.delivery import Clock, Dispatcher
from bot.wording import count

log = logging.getLogger(__name__)
EDIT_EVERY = 3.0


def progress_text(progress: Progress) -> str:
    """The progress message staff see."""
    b = progress.broadcast
    return f"📣 <b>Difusión #{b.id}</b> ({count(b.total, 'destinatario')})\n{counts_line(progress)}"


def stop_button(broadcast_id: int) -> InlineKeyboardMarkup:
    """The button that cancels a running broadcast."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        "⏹ Detener difusión", callback_data=f"bc:stop:{broadcast_id}")]])


class ProgressReporter:
    """A dispatcher hook: edit progress messages every few seconds; report when done."""

    def __init__(self, broadcasts: Broadcasts, dispatcher: Dispatcher, clock: Clock) -> None:
        self._broadcasts = broadcasts
        self._dispatcher = dispatcher
        self._clock = clock
        self._edited: dict[int, float] = {}

    async def __call__(self) -> None:
        """Run one round."""
        for progress in await self._broadcasts.active(self._clock()):
            b = progress.broadcast
            done = progress.open == 0
            if not done and time.monotonic() - self._edited.get(b.id, 0.0) < EDIT_EVERY:
                continue
            self._edited[b.id] = time.monotonic()
            if b.progress_chat_id and b.progress_message_id:
                await self._edit(b.progress_chat_id, b.progress_message_id, progress, done)
            if done and await self._broadcasts.finish(b.id, self._clock(), progress):
                self._edited.pop(b.id, None)

    async def _edit(self, chat_id: int, message_id: int, progress: Progress, done: bool) -> None:
        await self._dispatcher.pacer.slot(chat_id)
        try:
            await self._dispatcher.bot.edit_message_text(
                progress_text(progress), chat_id, message_id, parse_mode=ParseMode.HTML,
                reply_markup=None if done else stop_button(progress.broadcast.id))
        except BadRequest as exc:
            if "not modified" not in str(exc):
                log.warning("could not edit a broadcast progress message: %s", exc)
        except TelegramError as exc:
            log.warning("could not edit a broadcast progress message: %s", exc)
