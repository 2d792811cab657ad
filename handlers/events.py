"""The conversatorios section: agenda and registration buttons."""

from __future__ import annotations

from telegram import Message, Update

from bot.context import BotContext
from handlers import events_views, texts
from handlers.registration import start_registration


async def send_agenda(message: Message, context: BotContext) -> None:
    """Send every cycle with its sessions, from live data."""
    services = context.services
    cycles = [(c, await services.events.sessions(c.id)) for c in await services.events.cycles()]
    text, markup = events_views.agenda_screen(cycles, services.clock(),
                                              services.settings.timezone)
    await message.reply_html(text, reply_markup=markup)


async def agenda_pressed(update: Update, context: BotContext) -> None:
    """Show the agenda (from the menu)."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    await query.answer()
    await send_agenda(query.message, context)


async def register_pressed(update: Update, context: BotContext) -> None:
    """Start registering for the cycle on the button ('next' = the next open cycle)."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    cycle_id = (query.data or "").removeprefix("ev:reg:")
    cycle = None
    if cycle_id != "next":
        cycle = await context.services.events.cycle(cycle_id)
        if cycle is None:
            await query.answer(texts.stale_button())
            return
    await query.answer()
    await start_registration(query.message, query.from_user.id, context, cycle)
