"""Conversatorio screens: the agenda, an ended cycle with its recordings."""

from __future__ import annotations

import datetime as dt
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dates import when, zone_label
from bot.db.models import Cycle, EventSession

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


def agenda_screen(cycles: list[CycleSessions], now: dt.datetime, zone: ZoneInfo) -> Screen:
    """Every cycle with its sessions; open ones get a registration button."""
    if not cycles:
        return "Por ahora no hay conversatorios programados. Vuelva pronto.", None
    blocks = [_cycle_block(c, s, now, zone) for c, s in cycles[:3]]
    rows = [[InlineKeyboardButton(f"📝 Registrarme: {c.title[:40]}",
                                  callback_data=f"ev:reg:{c.id}")]
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
