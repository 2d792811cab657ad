"""Searching the directory and asking for contact through the bot."""

from __future__ import annotations

import logging
from html import escape

from telegram import Message, Update

from bot.alliance_contacts import InvalidMessage, Refused
from bot.context import BotContext
from handlers import alliance_search_views, alliance_views, texts

log = logging.getLogger(__name__)


async def search_pressed(update: Update, context: BotContext) -> None:
    """Move to the search screen of the pressed button, editing the same message."""
    query = update.callback_query
    assert query is not None
    search = alliance_search_views.parse(query.data or "")
    if search is None:
        await query.answer(texts.stale_button())
        return
    await query.answer()
    if search.view == "m":
        text, markup = alliance_search_views.filters_screen(search)
    elif search.view == "l":
        found = await context.services.directory.search(search.filters, search.page,
                                                        query.from_user.id)
        text, markup = alliance_search_views.results_screen(search, found)
    else:
        text, markup = alliance_search_views.picker_screen(search)
    await query.edit_message_text(text, reply_markup=markup)


async def request_pressed(update: Update, context: BotContext) -> None:
    """Start a contact request to the profile on the button: ask for the message."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services = context.services
    profile_id = int((query.data or "").rsplit(":", 1)[1])
    await query.answer()
    try:
        target = await services.contacts.begin(query.from_user.id, profile_id, services.clock())
    except Refused as refused:
        await query.message.reply_html(alliance_views.REFUSALS[refused.reason])
        return
    await query.message.reply_html(alliance_views.ask_message(target))


async def message_received(update: Update, context: BotContext) -> None:
    """Send the contact request with the message just typed."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    services = context.services
    try:
        target = await services.contacts.send(user.id, message.text, services.clock())
    except InvalidMessage as invalid:
        await message.reply_html(f"⚠️ {escape(str(invalid))}")
        return
    except Refused as refused:
        await message.reply_html(alliance_views.REFUSALS[refused.reason])
        return
    if target is not None:
        await message.reply_html(alliance_views.request_sent(target))


async def answer_pressed(update: Update, context: BotContext) -> None:
    """Accept, decline or block a contact request received."""
    query = update.callback_query
    assert query is not None
    services = context.services
    _, action, request_id = (query.data or "").split(":")
    try:
        done = await services.contacts.answer(query.from_user.id, int(request_id), action,
                                              services.clock())
    except Refused as refused:
        log.info("refused an answer to a request (%s, update %s)", refused.reason,
                 update.update_id)
        await query.answer(texts.stale_button())
        return
    await query.answer()
    await query.edit_message_text(alliance_views.answered(done))

