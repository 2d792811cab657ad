"""Registration for conversatorios: entry points, typed answers and form buttons."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update

from bot.context import BotContext
from bot.db.models import Cycle, EventSession
from bot.events import calendar_file
from bot.registrations import SeatStatus
from bot.signup import Closed, Confirmed, Declined, FormView, NothingChosen, Stale, Step
from handlers import events_views, register_views, texts

log = logging.getLogger(__name__)


async def _send_form(message: Message, view: FormView, context: BotContext) -> None:
    text, markup = register_views.form_screen(view, context.services.settings.timezone)
    await message.reply_html(text, reply_markup=markup)


async def start_registration(message: Message, user_id: int, context: BotContext,
                             cycle: Cycle | None = None,
                             event: EventSession | None = None) -> None:
    """Begin (or resume) the registration form in this chat."""
    services = context.services
    now = services.clock()
    if cycle is None and event is None:
        resumed = await services.signup.resume(user_id, now)
        if resumed is not None:
            await message.reply_html(texts.resuming())
            await _send_form(message, resumed, context)
            return
    if await _answered_without_form(message, user_id, context, cycle, event):
        return
    started = await services.signup.start(user_id, now, cycle, event)
    if isinstance(started, Closed):
        cycle = started.cycle
        if cycle is None:
            latest = await services.events.cycles()
            cycle = latest[0] if latest else None
        found = (cycle, await services.events.sessions(cycle.id)) if cycle else None
        text, markup = events_views.closed_screen(found, now, services.settings.timezone)
        await message.reply_html(text, reply_markup=markup)
        return
    await _send_form(message, started, context)


async def _answered_without_form(message: Message, user_id: int, context: BotContext,
                                 cycle: Cycle | None, event: EventSession | None) -> bool:
    """Answer what needs no form: a session already held, a cycle over, a choice of cycles."""
    services = context.services
    now, zone = services.clock(), services.settings.timezone
    if event is not None:
        held = [seat for e, seat in await services.registrations.of_user(user_id)
                if e.id == event.id]
        if held:
            text, markup = events_views.already_registered_screen(event, held[0], zone)
            await message.reply_html(text, reply_markup=markup)
            return True
    open_cycles = await services.events.open_cycles(now)
    if cycle is None and len(open_cycles) > 1:
        text, markup = events_views.choose_cycle_screen(open_cycles)
    elif cycle is not None and all(c.id != cycle.id for c in open_cycles) and open_cycles:
        text, markup = events_views.cycle_over_screen(cycle, open_cycles)
    else:
        return False
    await message.reply_html(text, reply_markup=markup)
    return True


async def register_command(update: Update, context: BotContext) -> None:
    """/registro: start or resume registering for the next cycle."""
    assert update.effective_message is not None and update.effective_user is not None
    await start_registration(update.effective_message, update.effective_user.id, context)


async def form_text_received(update: Update, context: BotContext) -> None:
    """Take a typed answer to the current question of the form."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    services = context.services
    view = await services.signup.answer(user.id, message.text, services.clock())
    if view is not None:
        await _send_form(message, view, context)


async def form_button_pressed(update: Update, context: BotContext) -> None:
    """Take a button of the form: choices, skip, back, summary, confirm."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services = context.services
    parts = (query.data or "").split(":")
    step, action, value = parts[1], parts[2] if len(parts) > 2 else "", ":".join(parts[3:])
    now = services.clock()
    if step in ("summary", "state") and action in ("menu", "unfix", "list", "typed"):
        await _swap_keyboard(query.message, query.from_user.id, step, action, context)
        await query.answer()
        return
    try:
        outcome = await services.signup.press(query.from_user.id, step, action, value, now)
    except Stale:
        log.info("refused a stale registration button (update %s)", update.update_id)
        await query.answer(texts.stale_button())
        return
    except NothingChosen:
        await query.answer(register_views.no_session_chosen(), show_alert=True)
        return
    except Declined:
        await query.answer()
        await query.message.reply_html(texts.consent_declined())
        return
    await query.answer()
    if isinstance(outcome, Confirmed):
        await _confirmed(query.message, query.from_user.id, outcome, context)
    elif outcome.step is Step.SESSIONS and action in ("toggle", "all"):
        text, markup = register_views.form_screen(outcome, services.settings.timezone)
        await query.edit_message_text(text, reply_markup=markup)
    else:
        await _send_form(query.message, outcome, context)


async def _swap_keyboard(message: Message, user_id: int, step: str, action: str,
                         context: BotContext) -> None:
    view = await context.services.signup.resume(user_id, context.services.clock())
    if view is None or view.step.value != step:
        return
    if action == "menu":
        markup: InlineKeyboardMarkup | None = register_views.fix_keyboard(view)
    elif action == "list":
        markup = register_views.states_keyboard()
    else:
        markup = register_views.form_screen(view, context.services.settings.timezone)[1]
    await message.edit_reply_markup(markup)


async def _confirmed(message: Message, user_id: int, done: Confirmed,
                     context: BotContext) -> None:
    services = context.services
    await message.reply_html(register_views.confirmation(done, services.settings.timezone))
    confirmed = [event for event, seat in done.seats if seat.status is SeatStatus.CONFIRMED]
    if confirmed:
        sequences = {event.id: seat.sequence for event, seat in done.seats}
        name, content = calendar_file(done.cycle, confirmed, user_id, services.clock(),
                                      sequences)
        await message.reply_document(content, filename=name, caption=texts.calendar_caption())


async def cancel_pressed(update: Update, context: BotContext) -> None:
    """Abandon the form from its ✖ button."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    had = await context.services.flows.end(query.from_user.id)
    await query.answer()
    await query.message.reply_html(texts.cancelled(had))


async def notice_pressed(update: Update, context: BotContext) -> None:
    """Send the full privacy notice."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    await query.answer()
    for part in texts.privacy_notice(context.services.settings):
        await query.message.reply_html(part)
