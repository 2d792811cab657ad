"""Staff commands about conversatorios: counts and registration exports."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.context import BotContext
from handlers import texts
from handlers.access import staff_only
from handlers.richtext import split_html


@staff_only
async def registered_command(update: Update, context: BotContext) -> None:
    """/inscritos: counts per session, with export buttons."""
    assert update.effective_message is not None
    services = context.services
    counts = await services.reports.counts()
    rows = [[InlineKeyboardButton("⬇️ CSV (todas)", callback_data="st:exp:csv:all"),
             InlineKeyboardButton("⬇️ Excel (todas)", callback_data="st:exp:xlsx:all")]]
    for item in counts:
        label = f"{item.event.cycle_id[:20]}/{item.event.code}"
        rows.append([
            InlineKeyboardButton(f"CSV {label}", callback_data=f"st:exp:csv:{item.event.id}"),
            InlineKeyboardButton(f"Excel {label}", callback_data=f"st:exp:xlsx:{item.event.id}"),
        ])
    for part in split_html(texts.registered_counts(counts, services.settings.timezone)):
        await update.effective_message.reply_html(part)
    await update.effective_message.reply_html("Descargar la lista de registros:",
                                              reply_markup=InlineKeyboardMarkup(rows))


@staff_only
async def export_pressed(update: Update, context: BotContext) -> None:
    """Send the registrations export as a document."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    _, _, fmt, which = (query.data or "").split(":")
    services = context.services
    session_id = None if which == "all" else int(which)
    if session_id is not None and await services.events.session(session_id) is None:
        await query.answer(texts.stale_button())
        return
    await query.answer("Preparando el archivo…")
    name, content = await services.reports.export(fmt, session_id, services.clock())
    await query.message.reply_document(content, filename=name,
                                       caption="Lista de registros (una fila por persona y "
                                               "sesión).")
