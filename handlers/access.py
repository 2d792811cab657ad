"""Staff-only handlers: to anyone else they look exactly like an unknown command."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.context import BotContext
from handlers import texts

log = logging.getLogger(__name__)
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def staff_only(callback: Callback) -> Callback:
    """Run the callback for staff; refuse others as an unknown command or a stale button."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BotContext) -> None:
        user = update.effective_user
        if context.services.is_staff(user.id if user else None):
            await callback(update, context)
            return
        log.warning("refused %s to a non-staff user (update %s)", callback.__name__,
                    update.update_id)
        if update.callback_query is not None:
            await update.callback_query.answer(texts.stale_button())
        elif update.effective_message is not None and update.effective_message.text:
            command = update.effective_message.text.split()[0].split("@")[0]
            await update.effective_message.reply_html(texts.unknown_command(command))

    return guarded
