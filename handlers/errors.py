"""The error handler: log with context, tell the user something failed, no details.

It writes only to private chats: a group or channel never sees an apology.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.constants import ChatType, ParseMode
from telegram.error import Forbidden, TelegramError

from bot.context import BotContext
from handlers import texts

log = logging.getLogger(__name__)


async def error_occurred(update: object, context: BotContext) -> None:
    """Log the failure and apologise to the user."""
    error = context.error
    if not isinstance(update, Update):
        log.error("error outside an update", exc_info=error)
        return
    chat = update.effective_chat
    private = chat is not None and chat.type == ChatType.PRIVATE
    if isinstance(error, Forbidden) and chat is not None and private:
        log.info("user blocked the bot (update %s)", update.update_id)
        await context.services.users.mark_blocked(chat.id, context.services.clock())
        return
    kind = "callback" if update.callback_query else "message"
    log.error("error handling %s update %s", kind, update.update_id, exc_info=error)
    if update.callback_query is not None:  # the client skips it if the handler answered
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    if chat is not None and private:
        try:
            await context.bot.send_message(chat.id, texts.error(), parse_mode=ParseMode.HTML)
        except TelegramError:
            log.warning("could not send the apology for update %s", update.update_id)
