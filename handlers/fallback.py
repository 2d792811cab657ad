"""What the bot says to anything no other handler took."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import BotContext
from handlers import texts

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: BotContext) -> None:
    """Say the command is unknown (staff commands from non-staff land here too)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0].split("@")[0]
    await message.reply_html(texts.unknown_command(command))


async def non_text_received(update: Update, context: BotContext) -> None:
    """Answer stickers, photos, voice notes, locations and files politely."""
    assert update.effective_message is not None
    await update.effective_message.reply_html(texts.non_text())


async def unknown_button_pressed(update: Update, context: BotContext) -> None:
    """Refuse a button whose data no handler knows (stale or forged), without details."""
    query = update.callback_query
    assert query is not None
    log.warning("refused callback data of unknown shape (update %s)", update.update_id)
    await query.answer(texts.stale_button())
