"""Alert screens: the profile editor (one message, edited in place) and follow confirmations."""

from __future__ import annotations

import datetime as dt
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.alert_profiles import Preferences
from bot.dates import when
from bot.personal_data import Snapshot
from handlers.views import APPLICANTS, ODS, Screen
from knowledge.geography import STATE_CODES
from knowledge.schema import Applicant, Entry

STATE_NAMES = {code: name for name, code in STATE_CODES.items()}


def _mark(on: bool) -> str:
    return "☑" if on else "☐"


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def summary(preferences: Preferences) -> str:
    """The choices in words."""
    applicants = ", ".join(APPLICANTS[Applicant(a)] for a in preferences.applicants)
    themes = ", ".join(f"{n} {ODS[n]}" for n in preferences.themes)
    states = ", ".join(STATE_NAMES.get(c, c) for c in preferences.states)
    return (f"<b>Solicitante:</b> {escape(applicants or 'sin elegir')}\n"
            f"<b>Temas (ODS):</b> {escape(themes or 'todos')}\n"
            f"<b>Estados:</b> {escape(states or 'todo el país')}")


def _status(preferences: Preferences) -> str:
    if not preferences.active:
        return "🔕 Sus alertas están <b>desactivadas</b>."
    if not preferences.applicants:
        return "Elija qué tipo de solicitante es usted para empezar a recibirlas."
    return "✅ Sus alertas están <b>activadas</b>."


def profile_screen(preferences: Preferences, view: str = "main") -> Screen:
    """The alert profile with toggle buttons for one view: main, themes or states."""
    if view == "themes":
        rows = _pairs([InlineKeyboardButton(f"{_mark(n in preferences.themes)} {n} {name}",
                                            callback_data=f"al:t:o:{n}")
                       for n, name in ODS.items()])
    elif view == "states":
        rows = _pairs([InlineKeyboardButton(f"{_mark(code in preferences.states)} {name}",
                                            callback_data=f"al:t:e:{code}")
                       for name, code in STATE_CODES.items()])
    else:
        rows = _pairs([InlineKeyboardButton(f"{_mark(a.value in preferences.applicants)} {label}",
                                            callback_data=f"al:t:a:{a.value}")
                       for a, label in APPLICANTS.items()])
        rows.append([InlineKeyboardButton("🎯 Temas (ODS)", callback_data="al:v:themes"),
                     InlineKeyboardButton("📍 Estados", callback_data="al:v:states")])
        rows.append([InlineKeyboardButton("🔕 Desactivar alertas", callback_data="al:off")
                     if preferences.active else
                     InlineKeyboardButton("🔔 Activar alertas", callback_data="al:on")])
    if view != "main":
        rows.append([InlineKeyboardButton("⬅ Listo", callback_data="al:v:main")])
    text = ("🔔 <b>Alertas de convocatorias</b>\nLe aviso cuando se abra una convocatoria para "
            "usted; como máximo un mensaje al día.\n\n"
            f"{summary(preferences)}\n\n{_status(preferences)}")
    if view == "states":
        text += ("\n\nElija los estados donde trabaja. Las fuentes de alcance nacional le "
                 "llegarán siempre; sin estados elegidos, le aviso de todo el país.")
    return text, InlineKeyboardMarkup(rows)


def followed(entry: Entry, reminders: list[dt.datetime], zone: ZoneInfo) -> Screen:
    """Confirm a followed call, with the way to stop following it."""
    dates = " y el ".join(when(moment, zone, year=False) for moment in reminders)
    return (f"🔔 Listo: le recordaré el cierre de «{escape(entry.title)}» el {dates}.",
            InlineKeyboardMarkup([[InlineKeyboardButton(
                "Dejar de seguir", callback_data=f"al:u:{entry.id}")]]))


def my_alerts(snapshot: Snapshot) -> str:
    """The alert data kept about a user, for /mis_datos."""
    lines = []
    if snapshot.alerts is not None:
        preferences = Preferences.of(snapshot.alerts)
        lines.append(summary(preferences) + ("" if preferences.active else "\n(desactivadas)"))
    if snapshot.follows:
        lines.append("Sigue: " + escape(", ".join(snapshot.follows)))
    if snapshot.mutes:
        lines.append("Fuentes silenciadas: " + escape(", ".join(snapshot.mutes)))
    return "<b>Alertas de convocatorias</b> (cambiar con /alertas)\n" + "\n".join(lines)
