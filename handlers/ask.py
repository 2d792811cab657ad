"""Free-text questions and the buttons under answers (entries, suggestions, feedback)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot.context import BotContext
from handlers import events, keyboards, texts, views
from handlers.views import Screen


async def _show(message: Message, screens: list[Screen]) -> None:
    for text, markup in screens:
        await message.reply_html(text, reply_markup=markup)


async def question_received(update: Update, context: BotContext) -> None:
    """Answer a question from the knowledge base: answer, suggest, list sources or decline."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    services = context.services
    asked = services.questions.ask(user.id, message.text, services.clock())
    response, base = asked.response, services.knowledge.base
    if response.decision == "answer" and response.facets:
        entry = response.matches[0].entry
        screens = [views.facet_screen(entry, response.facets, base, asked.log_id)]
    elif response.decision == "answer":
        entry = response.matches[0].entry
        screens = views.entry_screens(entry, base, asked.log_id)
        if entry.shows_agenda:
            # Dates, times and recordings come from the live catalogue, not the entry text.
            await _show(message, screens)
            await events.send_agenda(message, context)
            return
    elif response.decision == "suggest":
        screens = [views.suggestions_screen([m.entry for m in response.matches], asked.log_id)]
    elif response.decision == "filter":
        f = response.filters
        screens = [views.sources_screen(
            [m.entry for m in response.matches],
            min(f.applicants, default=None), min(f.themes, default=None),
            min(f.statuses, default=None, key=lambda s: s.value), f.states)]
    elif response.decision == "unknown" and response.named is not None:
        screens = [views.unknown_screen(response.named.name, [m.entry for m in response.matches])]
    elif response.decision == "open":
        screens = [views.open_calls_screen([m.entry for m in response.matches])]
    elif response.decision == "redirect" and response.redirect is not None:
        screens = [(texts.redirect(response.redirect.reply), keyboards.main_menu())]
    elif response.decision == "chat" and response.chat is not None:
        screens = [(texts.chat(response.chat, services.settings.contact), keyboards.main_menu())]
    else:
        screens = [views.decline_screen(base)]
    await _show(message, screens)


async def entry_pressed(update: Update, context: BotContext) -> None:
    """Show the entry of a pressed button (related, alternative, listed source)."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    entry = context.services.knowledge.base.get((query.data or "").removeprefix("kb:e:"))
    if entry is None:
        await query.answer(texts.stale_button())
        return
    await query.answer()
    await _show(query.message, views.entry_screens(entry, context.services.knowledge.base, None))


async def full_entry_pressed(update: Update, context: BotContext) -> None:
    """Show the whole file of an entry, split into phone-sized messages."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    base = context.services.knowledge.base
    entry = base.get((query.data or "").removeprefix("kb:f:"))
    if entry is None:
        await query.answer(texts.stale_button())
        return
    await query.answer()
    await _show(query.message, views.entry_screens(entry, base, None, full=True))


async def suggestion_pressed(update: Update, context: BotContext) -> None:
    """Show the suggestion the user chose (only on their own question)."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    _, _, log_id, position = (query.data or "").split(":")
    services = context.services
    entry = await services.questions.pick(int(log_id), query.from_user.id, int(position))
    if entry is None:
        await query.answer(texts.stale_button())
        return
    await query.answer()
    await _show(query.message, views.entry_screens(entry, services.knowledge.base, int(log_id)))


async def feedback_pressed(update: Update, context: BotContext) -> None:
    """Record 👍/👎 and remove the feedback buttons."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    _, _, log_id, useful = (query.data or "").split(":")
    services = context.services
    if not await services.questions.feedback(int(log_id), query.from_user.id, useful == "1",
                                             services.clock()):
        await query.answer(texts.stale_button())
        return
    await query.answer(texts.thanks_for_feedback(useful == "1"))
    markup = query.message.reply_markup
    rows = [row for row in (markup.inline_keyboard if markup else ())
            if not any(str(b.callback_data or "").startswith("kb:fb:") for b in row)]
    await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
