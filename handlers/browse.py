"""Browsing funding sources from the menu, in one message edited in place."""

from __future__ import annotations

from telegram import Message, Update

from bot.context import BotContext
from handlers import browse_buttons, browse_views, texts
from handlers.edits import unchanged_is_fine


async def browse_opened(update: Update, context: BotContext) -> None:
    """Start browsing in a new message (from the menu or a decline)."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    await query.answer()
    text, markup = browse_views.screen(context.services.knowledge.base,
                                       browse_buttons.Selection("a"))
    await query.message.reply_html(text, reply_markup=markup)


async def browse_pressed(update: Update, context: BotContext) -> None:
    """Move to the browse step of the pressed button, editing the same message."""
    query = update.callback_query
    assert query is not None
    selection = browse_buttons.parse(query.data or "")
    if selection is None:
        await query.answer(texts.stale_button())
        return
    await query.answer()
    text, markup = browse_views.screen(context.services.knowledge.base, selection)
    with unchanged_is_fine():
        await query.edit_message_text(text, reply_markup=markup)
