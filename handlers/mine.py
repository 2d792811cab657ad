"""My registrations (cancel, calendar again) and my data (see, delete)."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.context import BotContext
from bot.db.models import EventSession
from bot.events import calendar_file
from bot.registrations import NotYours, Seat
from handlers import mine_views, texts
from handlers.richtext import split_html

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
        cancelled, _ = await services.registrations.cancel(
            query.from_user.id, seat.registration_id, services.clock())
        await query.edit_message_text(texts.registration_cancelled(event.title))
        if event.starts_at > services.clock():
            await _send_calendar(query.message, event, cancelled, context, cancel=True)
    elif action == "ics":
        await _send_calendar(query.message, event, seat, context)


async def _send_calendar(message: Message, event: EventSession, seat: Seat,
                         context: BotContext, cancel: bool = False) -> None:
    """Send the seat's .ics: the session, or (cancel) the file that removes it."""
    services = context.services
    cycle = await services.events.cycle(event.cycle_id)
    assert cycle is not None and seat.user_id is not None
    name, content = calendar_file(cycle, [event], seat.user_id, services.clock(),
                                  {event.id: seat.sequence}, cancel=cancel)
    caption = ("📅 Abra este archivo para quitar la sesión de su calendario." if cancel
               else texts.calendar_caption())
    await message.reply_document(content, filename=name, caption=caption)


async def my_data_command(update: Update, context: BotContext) -> None:
    """/mis_datos: show everything stored about the user."""
    assert update.effective_message is not None and update.effective_user is not None
    services = context.services
    snapshot = await services.personal_data.snapshot(update.effective_user.id)
    text = mine_views.my_data(snapshot, services.settings.timezone)
    for part in split_html(text):
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


async def reminders_command(update: Update, context: BotContext) -> None:
    """/recordatorios: show whether reminders are on, with a button to switch."""
    assert update.effective_message is not None and update.effective_user is not None
    state = await context.services.registrations.reminders_on(update.effective_user.id)
    text, markup = mine_views.reminders_screen(state)
    await update.effective_message.reply_html(text, reply_markup=markup)


async def reminders_pressed(update: Update, context: BotContext) -> None:
    """Switch reminders on or off."""
    query = update.callback_query
    assert query is not None
    services = context.services
    on = query.data == "rm:on"
    if not await services.registrations.set_reminders(query.from_user.id, on, services.clock()):
        await query.answer(texts.stale_button())
        return
    await query.answer("Recordatorios activados." if on else "Recordatorios desactivados.")
    text, markup = mine_views.reminders_screen(on)
    await query.edit_message_text(text, reply_markup=markup)
