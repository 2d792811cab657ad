"""Staff pick a session (or a cycle) with buttons instead of typing 'ciclo/sesión'."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.context import BotContext
from bot.dates import short_when, when
from bot.db.models import EventSession
from bot.wording import fit_label

# The commands that need a session, and the usage line each picker starts with.
USAGE = {
    "codigo": "Uso: /codigo ciclo/sesión",
    "marcar": "Uso: /marcar ciclo/sesión [ID_DE_TELEGRAM] [quitar]",
    "importar_asistencia": "Uso: /importar_asistencia ciclo/sesión",
    "enviar_constancias": "Uso: /enviar_constancias ID_DEL_CICLO",
}
# Buttons at most per picker (Telegram allows 100 per keyboard).
LIMIT = 40


async def ask_session(message: Message, command: str, context: BotContext) -> None:
    """Offer the sessions of cycles that are not history, newest cycle first."""
    services = context.services
    now, zone = services.clock(), services.settings.timezone
    rows = []
    for cycle in await services.events.cycles():
        if await services.attendance.finished(cycle.id, now):
            continue
        for event in await services.events.sessions(cycle.id):
            label = f"{short_when(event.starts_at, zone, year=True)} · {event.title}"
            rows.append([InlineKeyboardButton(fit_label(label),
                                              callback_data=f"sp:{command}:{event.id}")])
    text = f"{USAGE[command]}\n\n"
    if not rows:
        await message.reply_html(text + "No hay sesiones de ciclos en curso.")
        return
    await message.reply_html(text + "Elija la sesión (o responda a este mensaje con "
                             "<code>ciclo/sesión</code>):",
                             reply_markup=InlineKeyboardMarkup(rows[:LIMIT]))


async def ask_cycle(message: Message, command: str, context: BotContext) -> None:
    """Offer the cycles that give certificates."""
    services = context.services
    rows = [[InlineKeyboardButton(fit_label(cycle.title), callback_data=f"sp:{command}:{cycle.id}")]
            for cycle in await services.events.cycles() if cycle.certificate_min_sessions]
    text = f"{USAGE[command]}\n\n"
    if not rows:
        await message.reply_html(text + "Ningún ciclo da constancias.")
        return
    await message.reply_html(text + "Elija el ciclo (o responda a este mensaje con su id):",
                             reply_markup=InlineKeyboardMarkup(rows[:LIMIT]))


def registrants_screen(event: EventSession, people: list[tuple[int, str, bool]],
                       context: BotContext) -> tuple[str, InlineKeyboardMarkup | None]:
    """A session's registrants as toggles: ✅ present, ☐ not yet."""
    zone = context.services.settings.timezone
    head = (f"✍️ <b>Asistencia a «{escape(event.title)}»</b>\n{when(event.starts_at, zone)}\n\n")
    if not people:
        return head + "Nadie está registrado en esta sesión.", None
    rows = [[InlineKeyboardButton(fit_label(f"{'✅' if present else '☐'} {name}"),
                                  callback_data=f"mk:{event.id}:{user_id}")]
            for user_id, name, present in people[:LIMIT]]
    more = (f"\n\nSe muestran {LIMIT} de {len(people)}; para otras personas use "
            "<code>/marcar ciclo/sesión ID</code>.") if len(people) > LIMIT else ""
    return (head + "Toque un nombre para marcar o quitar su asistencia." + more,
            InlineKeyboardMarkup(rows))
