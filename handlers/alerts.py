"""Funding-call alerts: the profile editor, following a call, muting a source."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot.context import BotContext
from bot.opening_follows import can_follow
from handlers import alert_views, texts, views
from knowledge.schema import Status

_VIEWS = {"a": "main", "o": "themes", "e": "states"}


async def _watching(context: BotContext, user_id: int) -> list[tuple[str, str]]:
    """The sources the user follows until they open: ids and titles (the id if gone)."""
    base = context.services.knowledge.base
    ids = await context.services.opening_follows.followed(user_id)
    return [(i, entry.title if (entry := base.get(i)) else i) for i in ids]


async def show_profile(message: Message, user_id: int, context: BotContext) -> None:
    """Send the user's alert profile with its toggles."""
    preferences = await context.services.alert_profiles.get(user_id)
    text, markup = alert_views.profile_screen(preferences,
                                              watching=await _watching(context, user_id))
    await message.reply_html(text, reply_markup=markup)


async def alerts_command(update: Update, context: BotContext) -> None:
    """/alertas: show the user's alert profile."""
    assert update.effective_message is not None and update.effective_user is not None
    await show_profile(update.effective_message, update.effective_user.id, context)


async def alerts_opened(update: Update, context: BotContext) -> None:
    """Open the alert profile from the main menu."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    await query.answer()
    await show_profile(query.message, query.from_user.id, context)


async def profile_pressed(update: Update, context: BotContext) -> None:
    """Toggle a choice, switch views or switch alerts on/off, editing the same message."""
    query = update.callback_query
    assert query is not None
    services, user_id = context.services, query.from_user.id
    action, *rest = (query.data or "").split(":")[1:]
    view = "main"
    if action == "t":
        facet, value = rest
        try:
            preferences = await services.alert_profiles.toggle(user_id, facet, value,
                                                               services.clock())
        except ValueError:
            await query.answer(texts.stale_button())
            return
        view = _VIEWS[facet]
    elif action == "v":
        preferences, view = await services.alert_profiles.get(user_id), rest[0]
    elif action == "x":
        await services.opening_follows.unfollow(user_id, rest[0])
        preferences, view = await services.alert_profiles.get(user_id), "watch"
    else:
        preferences = await services.alert_profiles.switch(user_id, action == "on",
                                                           services.clock())
    await query.answer()
    text, markup = alert_views.profile_screen(preferences, view,
                                              await _watching(context, user_id))
    await query.edit_message_text(text, reply_markup=markup)


async def follow_pressed(update: Update, context: BotContext) -> None:
    """Follow a call (reminders before it closes) or stop following it."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services, user_id = context.services, query.from_user.id
    _, action, entry_id = (query.data or "").split(":")
    if action == "u":
        await services.call_follows.unfollow(user_id, entry_id)
        await query.answer("Listo: ya no le recordaré esta convocatoria.")
        await _drop_buttons(query.message, f"al:u:{entry_id}")
        return
    entry = services.knowledge.base.get(entry_id)
    if entry is None:
        await query.answer(texts.stale_button())
        return
    reminders = await services.call_follows.follow(user_id, entry, services.clock())
    if not reminders:
        await query.answer("Esta convocatoria ya no tiene recordatorios pendientes: "
                           "cierra muy pronto o ya cerró.", show_alert=True)
        return
    await query.answer()
    text, markup = alert_views.followed(entry, reminders, services.settings.timezone)
    await query.message.reply_html(text, reply_markup=markup)


async def watch_pressed(update: Update, context: BotContext) -> None:
    """'Avísenme cuando abra' on a periodic source's card ('w'), or stop following it ('n')."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message) and context.match
    services, user_id = context.services, query.from_user.id
    action, entry_id = context.match["action"], context.match["entry"]
    if action == "n":
        await services.opening_follows.unfollow(user_id, entry_id)
        await query.answer("Listo: ya no le avisaré cuando abra.")
        await _drop_buttons(query.message, f"al:n:{entry_id}")
        return
    base = services.knowledge.base
    entry = base.get(entry_id)
    if entry is not None and entry.status is Status.ABIERTA:
        # A card shown before the call opened: the open call's card offers its reminders.
        await query.answer("¡Esta convocatoria ya está abierta!")
        for text, markup in views.entry_screens(entry, base, None):
            await query.message.reply_html(text, reply_markup=markup)
        return
    if entry is None or not can_follow(entry):
        await query.answer(texts.stale_button())
        return
    await services.opening_follows.follow(user_id, entry, services.clock())
    await query.answer()
    text, markup = alert_views.watch_started(entry)
    await query.message.reply_html(text, reply_markup=markup)


async def mute_pressed(update: Update, context: BotContext) -> None:
    """'No me interesa' on an alert: never mention that source to this user again."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services = context.services
    entry_id = (query.data or "").removeprefix("al:m:")
    await services.alerts.mute(query.from_user.id, entry_id, services.clock())
    await query.answer("Entendido: no le avisaré más de esta fuente.")
    await _drop_buttons(query.message, f"al:m:{entry_id}")


async def _drop_buttons(message: Message, data: str) -> None:
    """Remove the keyboard row holding the button with this callback data."""
    markup = message.reply_markup
    rows = [row for row in (markup.inline_keyboard if markup else ())
            if not any(b.callback_data == data for b in row)]
    await message.edit_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
