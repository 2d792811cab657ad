"""My registrations (cancel, calendar again) and my data (see, delete)."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.events import calendar_file
from bot.registrations import NotYours, Seat
from handlers import mine_views, texts

log = logging.getLogger(__name__)


async def show_registrations(message: Message, user_id: int, context: BotContext) -> None:
    """Send the user's registrations with their buttons."""
    services = context.services
    items = await services.registrations.of_user(user_id)
    text, markup = mine_views.registrations_screen(items, services.settings.timezone)
    await message.reply_html(text, reply_markup=markup)


async def registrations_command(update: Update, context: BotContext) -> None:
    """/mis_registros: list the user's registrations."""
    assert update.effective_message is not None and update.effective_user is not None
    await show_registrations(update.effective_message, update.effective_user.id, context)


async def registration_pressed(update: Update, context: BotContext) -> None:
    """Cancel (after confirming) or re-send the calendar of one of the user's registrations."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services = context.services
    _, action, *rest = (query.data or "").split(":")
    if action == "keep":
        await query.answer("Su registro sigue en pie.")
        await query.edit_message_reply_markup(None)
        return
    try:
        event, seat = await services.registrations.get(query.from_user.id, int(rest[0]))
    except (NotYours, IndexError, ValueError):
        log.warning("refused a registration button not of this user (update %s)",
                    update.update_id)
        await query.answer(texts.stale_button())
        return
    zone = services.settings.timezone
    await query.answer()
    if action == "cancel":
        text, markup = mine_views.confirm_cancel_screen(event, zone, seat.registration_id)
        await query.message.reply_html(text, reply_markup=markup)
    elif action == "cancel!":
        _, promoted = await services.registrations.cancel(query.from_user.id,
                                                          seat.registration_id, services.clock())
        await query.edit_message_text(texts.registration_cancelled(event.title))
        if promoted is not None:
            await notify_promoted(context, promoted, event.title)
    elif action == "ics":
        cycle = await services.events.cycle(event.cycle_id)
        assert cycle is not None
        name, content = calendar_file(cycle, [event], query.from_user.id, services.clock())
        await query.message.reply_document(content, filename=name,
                                           caption=texts.calendar_caption())


async def notify_promoted(context: BotContext, seat: Seat, title: str) -> None:
    """Tell the first person on the waitlist that they got the seat."""
    if seat.user_id is None:
        return
    try:
        await context.bot.send_message(seat.user_id, texts.promoted(title))
    except TelegramError:
        log.warning("could not tell a promoted user about their seat")


async def my_data_command(update: Update, context: BotContext) -> None:
    """/mis_datos: show everything stored about the user."""
    assert update.effective_message is not None and update.effective_user is not None
    services = context.services
    snapshot = await services.personal_data.snapshot(update.effective_user.id)
    text = mine_views.my_data(snapshot, services.settings.timezone)
    for part in texts.split(text):
        await update.effective_message.reply_html(part)


async def erase_command(update: Update, context: BotContext) -> None:
    """/borrar_mis_datos: ask for confirmation."""
    assert update.effective_message is not None
    text, markup = mine_views.confirm_erase_screen()
    await update.effective_message.reply_html(text, reply_markup=markup)


async def erase_pressed(update: Update, context: BotContext) -> None:
    """Delete the user's data after they confirmed, or keep it."""
    query = update.callback_query
    assert query is not None
    if query.data == "pd:keep":
        await query.answer()
        await query.edit_message_text("De acuerdo, no borramos nada.")
        return
    services = context.services
    result = await services.personal_data.erase(query.from_user.id, services.clock())
    log.info("personal data erased on request (update %s)", update.update_id)
    await query.answer()
    await query.edit_message_text(mine_views.erased(result))
    for seat in result.promoted:
        event = await services.events.session(seat.session_id)
        if event is not None:
            await notify_promoted(context, seat, event.title)
