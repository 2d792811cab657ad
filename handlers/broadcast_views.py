"""Screens of the broadcast composer."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.broadcast_progress import progress_text, stop_button
from bot.broadcasts import Audience, Progress, counts_line
from bot.dates import short_when, when
from bot.db.models import EventSession
from bot.signup import SECTORS
from knowledge.geography import STATE_CODES, STATES

Screen = tuple[str, InlineKeyboardMarkup | None]
COMPOSE = ("📣 <b>Nueva difusión</b>\n\nEscriba el mensaje tal como quiere que llegue (puede usar "
           "negritas, cursivas y enlaces). También puede enviar un documento con un texto al "
           "pie. Para salir: /cancelar")
SCHEDULE = ("🕒 Escriba la fecha y hora de envío, por ejemplo <code>mañana a las 9</code> o "
            "<code>14 de enero 2027 11:00</code> (hora del centro de México).")
__all__ = ["COMPOSE", "SCHEDULE", "stop_button"]


def describe(audience: Audience) -> str:
    """The audience in words."""
    parts = []
    if audience.sessions or audience.cycles:
        parts.append(f"registrados en {len(audience.sessions) + len(audience.cycles)} "
                     "sesión(es)/ciclo(s)")
    if audience.sectors:
        parts.append("sector: " + ", ".join(SECTORS[s] for s in audience.sectors))
    if audience.states:
        parts.append("estado: " + ", ".join(audience.states))
    return escape(" · ".join(parts)) if parts else "todas las personas que usan Coopera"


def _mark(on: bool) -> str:
    return "☑" if on else "☐"


def audience_screen(audience: Audience, count: int, menu: str, sessions: list[EventSession],
                    zone: ZoneInfo) -> Screen:
    """Choose who receives it; toggles stay on screen until the preview."""
    rows: list[list[InlineKeyboardButton]] = []
    if menu == "sessions":
        rows = [[InlineKeyboardButton(
            f"{_mark(e.id in audience.sessions)} {short_when(e.starts_at, zone, year=True)} · "
            f"{e.title}"[:60],
            callback_data=f"bc:t:s:{e.id}")] for e in sessions]
    elif menu == "sectors":
        rows = [[InlineKeyboardButton(f"{_mark(code in audience.sectors)} {label}",
                                      callback_data=f"bc:t:r:{code}")]
                for code, label in SECTORS.items()]
    elif menu == "states":
        buttons = [InlineKeyboardButton(f"{_mark(name in audience.states)} {name}",
                                        callback_data=f"bc:t:e:{STATE_CODES[name]}")
                   for name in STATES]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows += [
        [InlineKeyboardButton("👥 Todos", callback_data="bc:t:all:-"),
         InlineKeyboardButton("🗓 Por sesión", callback_data="bc:menu:sessions")],
        [InlineKeyboardButton("🏢 Por sector", callback_data="bc:menu:sectors"),
         InlineKeyboardButton("📍 Por estado", callback_data="bc:menu:states")],
        [InlineKeyboardButton("👁 Vista previa", callback_data="bc:preview"),
         InlineKeyboardButton("✖ Descartar", callback_data="bc:cancel")],
    ]
    return (f"<b>¿A quién se envía?</b>\nAudiencia: {describe(audience)}\n"
            f"Destinatarios ahora: <b>{count}</b>", InlineKeyboardMarkup(rows))


def confirm_screen(audience: Audience, count: int, sessions: list[EventSession],
                   zone: ZoneInfo) -> Screen:
    """After the preview: send, schedule, change or discard; the sessions chosen by name."""
    named = "".join(f"\n• {escape(e.title)} ({when(e.starts_at, zone)})" for e in sessions)
    if named:
        named = "\nSesiones elegidas:" + named
    return (f"Así lo recibirán <b>{count}</b> personas ({describe(audience)}).{named}\n\n"
            "¿Lo envío?",
            InlineKeyboardMarkup([
                [InlineKeyboardButton("✅ Enviar ahora", callback_data="bc:send"),
                 InlineKeyboardButton("🕒 Programar", callback_data="bc:schedule")],
                [InlineKeyboardButton("👥 Cambiar audiencia", callback_data="bc:menu:main"),
                 InlineKeyboardButton("✖ Descartar", callback_data="bc:cancel")],
            ]))


def started(progress: Progress, zone: ZoneInfo) -> str:
    """The progress message, first version."""
    b = progress.broadcast
    if b.state == "scheduled":
        return (f"🕒 <b>Difusión #{b.id}</b> programada para el {when(b.scheduled_at, zone)} "
                f"({b.total} destinatarios).")
    return progress_text(progress)


def confirm_stop_screen(progress: Progress, zone: ZoneInfo) -> Screen:
    """Ask before stopping a scheduled broadcast."""
    b = progress.broadcast
    return (f"¿Detener la difusión #{b.id}, programada para el {when(b.scheduled_at, zone)}? "
            f"No se enviará a nadie.",
            InlineKeyboardMarkup([[
                InlineKeyboardButton("Sí, detenerla", callback_data=f"bc:stop!:{b.id}"),
                InlineKeyboardButton("No, mantenerla", callback_data="bc:keep"),
            ]]))


def stopped(progress: Progress) -> str:
    """After staff stop a broadcast."""
    return f"⏹ Difusión #{progress.broadcast.id} detenida.\n{counts_line(progress)}"
