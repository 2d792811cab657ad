"""The alliance directory: home, the opt-in form, leaving and pausing requests."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.alliance_form import Declined, FormView, Stale, Step
from bot.context import BotContext
from handlers import alliance_views, keyboards, texts

log = logging.getLogger(__name__)


async def show_home(message: Message, user_id: int, context: BotContext) -> None:
    """Send the directory's home screen for this user."""
    mine = await context.services.directory.mine(user_id)
    text, markup = alliance_views.home_screen(mine)
    await message.reply_html(text, reply_markup=markup)


async def allies_command(update: Update, context: BotContext) -> None:
    """/aliados: the directory's home screen."""
    assert update.effective_message is not None and update.effective_user is not None
    await show_home(update.effective_message, update.effective_user.id, context)


async def menu_opened(update: Update, context: BotContext) -> None:
    """The main menu's 🤝 button: the directory's home screen."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    await query.answer()
    await show_home(query.message, query.from_user.id, context)


async def home_pressed(update: Update, context: BotContext) -> None:
    """Join (start the form), leave, pause or resume requests, or cancel the form."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services, user_id = context.services, query.from_user.id
    action = (query.data or "").removeprefix("ay:")
    await query.answer()
    if action == "join":
        view = await services.ally_form.start(user_id, services.clock())
        text, markup = alliance_views.form_screen(view)
        await query.message.reply_html(text, reply_markup=markup)
    elif action == "leave":
        left = await services.directory.leave(user_id)
        await query.edit_message_text(
            "Listo: su perfil ya no aparece en el directorio." if left else
            "Su perfil no estaba en el directorio.", reply_markup=keyboards.back_to_menu())
    elif action in ("pause", "resume"):
        await services.directory.set_accepting(user_id, action == "resume", services.clock())
        text, markup = alliance_views.home_screen(await services.directory.mine(user_id))
        await query.edit_message_text(text, reply_markup=markup)
    elif action == "cancel":
        had = await services.flows.end(user_id)
        await query.message.reply_html(texts.cancelled(had))


async def form_text_received(update: Update, context: BotContext) -> None:
    """Take a typed answer to the current question of the directory form."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    services = context.services
    view = await services.ally_form.answer(user.id, message.text, services.clock())
    if view is not None:
        text, markup = alliance_views.form_screen(view)
        await message.reply_html(text, reply_markup=markup)


async def form_button_pressed(update: Update, context: BotContext) -> None:
    """Take a button of the directory form: choices, toggles, keep, skip, consent."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services = context.services
    _, _, step, action, *value = (query.data or "").split(":")
    try:
        outcome = await services.ally_form.press(query.from_user.id, step, action,
                                                 "".join(value), services.clock())
    except Stale:
        log.info("refused a stale directory form button (update %s)", update.update_id)
        await query.answer(texts.stale_button())
        return
    except Declined:
        await query.answer()
        await query.message.reply_html("Entendido: no publicamos nada ni guardamos sus "
                                       "respuestas. Puede buscar aliados sin aparecer en el "
                                       "directorio con /aliados.")
        return
    await query.answer()
    if not isinstance(outcome, FormView):
        await query.message.reply_html(alliance_views.saved(outcome))
        return
    text, markup = alliance_views.form_screen(outcome)
    if action == "toggle" and outcome.step in (Step.THEMES, Step.OFFERS, Step.SEEKS):
        await query.edit_message_text(text, reply_markup=markup)
    else:
        await query.message.reply_html(text, reply_markup=markup)
