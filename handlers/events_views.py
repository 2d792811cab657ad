"""Conversatorio screens: the agenda, an ended cycle with its recordings."""

from __future__ import annotations

import datetime as dt
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dates import when, zone_label
from bot.db.models import Cycle, EventSession
from bot.registrations import Seat, SeatStatus
from bot.wording import fit_name

Screen = tuple[str, InlineKeyboardMarkup | None]
CycleSessions = tuple[Cycle, list[EventSession]]


def _session_line(event: EventSession, now: dt.datetime, zone: ZoneInfo) -> str:
    line = f"• {when(event.starts_at, zone)} — {escape(event.title)}"
    if event.starts_at <= now:
        if event.recording_url:
            line += f' · <a href="{escape(event.recording_url)}">grabación</a>'
        else:
            line += " · realizada"
    return line


def _cycle_block(cycle: Cycle, sessions: list[EventSession], now: dt.datetime,
                 zone: ZoneInfo) -> str:
    ended = all(s.starts_at <= now for s in sessions)
    head = f"<b>{escape(cycle.title)}</b>"
    if cycle.organizers:
        head += f"\nOrganizan: {escape(', '.join(cycle.organizers))}"
    if ended:
        head += "\n<i>Este ciclo ya terminó.</i>"
    lines = "\n".join(_session_line(s, now, zone) for s in sessions)
    return f"{head}\n{lines}"


def register_button(cycle: Cycle) -> InlineKeyboardButton:
    """'📝 Registrarme: <cycle>' with the cycle's name whole whenever it fits a button."""
    return InlineKeyboardButton(fit_name("📝 Registrarme: ", cycle.title, "📝 "),
                                callback_data=f"ev:reg:{cycle.id}")


def choose_cycle_screen(cycles: list[Cycle]) -> Screen:
    """Several cycles take registrations: ask which one."""
    names = "\n".join(f"• {escape(c.title)}" for c in cycles)
    return (f"📝 Hay {len(cycles)} ciclos de conversatorios con registro abierto:\n{names}\n\n"
            "¿A cuál desea registrarse?",
            InlineKeyboardMarkup([[register_button(c)] for c in cycles]))


def cycle_over_screen(cycle: Cycle, open_cycles: list[Cycle]) -> Screen:
    """A link to a finished cycle: say so and offer the cycles open now."""
    text = f"El ciclo «{escape(cycle.title)}» ya terminó, así que ya no recibe registros."
    if not open_cycles:
        return (text + " Le avisaremos por aquí cuando se publique el próximo ciclo.", None)
    names = " y ".join(f"«{escape(c.title)}»" for c in open_cycles[:3])
    return (f"{text}\n\nAhora tiene registro abierto {names}. ¿Desea registrarse?",
            InlineKeyboardMarkup([[register_button(c)] for c in open_cycles[:3]]))


def already_registered_screen(event: EventSession, seat: Seat, zone: ZoneInfo) -> Screen:
    """A link to a session the user already has."""
    where = ("con lugar confirmado" if seat.status is SeatStatus.CONFIRMED
             else f"en la lista de espera (lugar {seat.position})")
    return (f"✅ Ya está registrado en «{escape(event.title)}» ({when(event.starts_at, zone)}), "
            f"{where}. No necesita registrarse de nuevo.",
            InlineKeyboardMarkup([[InlineKeyboardButton("📝 Mis registros",
                                                         callback_data="menu:mine")]]))


def agenda_screen(cycles: list[CycleSessions], now: dt.datetime, zone: ZoneInfo) -> Screen:
    """Every cycle with its sessions; open ones get a registration button."""
    if not cycles:
        return "Por ahora no hay conversatorios programados. Vuelva pronto.", None
    blocks = [_cycle_block(c, s, now, zone) for c, s in cycles[:3]]
    rows = [[register_button(c)]
            for c, sessions in cycles[:3] if any(s.starts_at > now for s in sessions)]
    rows.append([InlineKeyboardButton("📝 Mis registros", callback_data="menu:mine")])
    text = (f"🗓 <b>Conversatorios</b> ({zone_label(zone)})\n\n" + "\n\n".join(blocks))
    return text, InlineKeyboardMarkup(rows)


def closed_screen(found: CycleSessions | None, now: dt.datetime, zone: ZoneInfo) -> Screen:
    """No registration is open: say so, and show the latest cycle with its recordings."""
    if found is None:
        return ("Por ahora no hay conversatorios con registro abierto. Le avisaremos por aquí "
                "cuando se publique el próximo ciclo."), None
    cycle, sessions = found
    return ("Por ahora no hay sesiones con registro abierto.\n\n"
            + _cycle_block(cycle, sessions, now, zone)), None
