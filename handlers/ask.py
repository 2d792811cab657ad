"""Free-text questions and the buttons under answers (entries, suggestions, feedback)."""

from __future__ import annotations

import datetime as dt

from telegram import InlineKeyboardMarkup, Message, Update

from bot import own_sessions
from bot.context import BotContext
from bot.flows import FlowState, LastQuestion
from bot.folios import find_folio
from handlers import certificates, events, keyboards, mine_views, texts, views
from handlers.views import Screen
from knowledge.conversation import OwnSession

# After "✉️ Dejar un mensaje al equipo" the user's next text goes to staff, unless it comes so
# late that it is surely a question again.
MESSAGE_FLOW = "mensaje"
MESSAGE_WAIT = dt.timedelta(hours=1)


async def _show(message: Message, screens: list[Screen]) -> None:
    for text, markup in screens:
        await message.reply_html(text, reply_markup=markup)


async def question_received(update: Update, context: BotContext,
                            last: LastQuestion | None = None) -> None:
    """Answer a question from the knowledge base (a short one may follow up the last answer)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    services = context.services
    folio = find_folio(message.text)
    if folio is not None:
        # A folio pasted as text is a verification, whatever words come with it.
        await certificates.verify_folio(message, folio, context)
        return
    asked = services.questions.ask(user.id, message.text, services.clock(), last)
    response, base = asked.response, services.knowledge.base
    if response.own is not None and await _own_sessions(message, user.id, response.own, context):
        return
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
        screens = [views.chat_screen(response.chat, services.settings.contact)]
    else:
        screens = [views.decline_screen(base)]
    await _show(message, screens)


async def _own_sessions(message: Message, user_id: int, own: OwnSession,
                        context: BotContext) -> bool:
    """Answer a question about the user's own sessions from their registrations; False when
    they hold none the question could mean (the knowledge base answers then)."""
    services = context.services
    zone = services.settings.timezone
    items = own_sessions.pick(await services.registrations.of_user(user_id),
                              message.text or "", zone, services.clock())
    if not items:
        return False
    text, markup = mine_views.own_sessions_screen(items, own.aspects, zone)
    await message.reply_html(text, reply_markup=markup)
    return True


async def certificate_pressed(update: Update, context: BotContext) -> None:
    """"🎓 Pedir mi constancia" under the certificates guide: what /constancia does."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await certificates.certificate_command(update, context)


async def message_pressed(update: Update, context: BotContext) -> None:
    """Take the user's next text as a message for staff."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services = context.services
    now = services.clock()
    opened = FlowState(MESSAGE_FLOW, "text", {"opened": now.isoformat()})
    await services.flows.save(query.from_user.id, opened, now)
    await query.answer()
    await query.message.reply_html(texts.message_prompt())


async def message_received(update: Update, context: BotContext, flow: FlowState,
                           last: LastQuestion | None) -> None:
    """Keep the user's message for staff and thank them (a late text is a question again)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    services = context.services
    now = services.clock()
    await services.flows.end(user.id)
    opened = dt.datetime.fromisoformat(flow.data.get("opened") or now.isoformat())
    if now - opened > MESSAGE_WAIT:
        await question_received(update, context, last)
        return
    await services.questions.leave_message(user.id, message.text, now)
    await message.reply_html(texts.message_left(), reply_markup=keyboards.main_menu())


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
