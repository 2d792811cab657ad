"""Staff view of the alliance directory: counts and the public CSV."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.alliances import Stats
from bot.context import BotContext
from handlers.access import staff_only
from handlers.views import ODS


def _stats_text(stats: Stats) -> str:
    if not stats.total:
        return "El directorio de aliados aún no tiene perfiles."
    states = "\n".join(f"• {escape(name)}: {n}" for name, n in stats.by_state.items())
    themes = "\n".join(f"• ODS {t}. {ODS.get(t, '?')}: {n}" for t, n in stats.by_theme.items())
    return (f"🤝 <b>Directorio de aliados</b>: {stats.total} perfiles\n\n"
            f"<b>Por estado</b>\n{states}\n\n<b>Por tema</b>\n{themes}")


@staff_only
async def stats_command(update: Update, context: BotContext) -> None:
    """/aliados_stats: directory counts by state and theme, with the CSV button."""
    assert update.effective_message is not None
    stats = await context.services.directory.stats()
    button = InlineKeyboardButton("⬇️ Exportar directorio (CSV)", callback_data="ax:csv")
    await update.effective_message.reply_html(_stats_text(stats),
                                              reply_markup=InlineKeyboardMarkup([[button]]))


@staff_only
async def export_pressed(update: Update, context: BotContext) -> None:
    """Send the public directory as a CSV document."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services = context.services
    await query.answer("Preparando el archivo…")
    name, content = await services.directory.export(services.clock())
    await query.message.reply_document(content, filename=name,
                                       caption="Directorio de aliados: solo datos públicos.")
