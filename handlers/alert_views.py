"""Alert screens: the profile editor (one message, edited in place) and follow confirmations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.alert_profiles import Preferences
from bot.dates import MONTHS, when
from bot.personal_data import Snapshot
from handlers.views import APPLICANTS, ODS, Screen, short
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


def profile_screen(preferences: Preferences, view: str = "main",
                   watching: Sequence[tuple[str, str]] = ()) -> Screen:
    """The alert profile with toggle buttons for one view: main, themes, states or the sources
    followed until they open (watching: their ids and titles)."""
    if view == "watch":
        rows = [[InlineKeyboardButton(short(f"✖ {title}"), callback_data=f"al:x:{entry_id}")]
                for entry_id, title in watching]
    elif view == "themes":
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
        if watching:
            rows.append([InlineKeyboardButton(f"👀 Fuentes que sigue ({len(watching)})",
                                              callback_data="al:v:watch")])
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
    elif view == "watch" and watching:
        listed = "\n".join(f"• {escape(title)}" for _, title in watching)
        text += (f"\n\n👀 <b>Le aviso cuando abra su convocatoria:</b>\n{listed}\n\n"
                 "Toque una para dejar de seguirla.")
    elif view == "watch":
        text += "\n\nYa no sigue ninguna fuente."
    return text, InlineKeyboardMarkup(rows)


def followed(entry: Entry, reminders: list[dt.datetime], zone: ZoneInfo) -> Screen:
    """Confirm a followed call, with the way to stop following it."""
    dates = " y el ".join(when(moment, zone, year=False) for moment in reminders)
    return (f"🔔 Listo: le recordaré el cierre de «{escape(entry.title)}» el {dates}.",
            InlineKeyboardMarkup([[InlineKeyboardButton(
                "Dejar de seguir", callback_data=f"al:u:{entry.id}")]]))


def watch_started(entry: Entry) -> Screen:
    """Confirm a source followed until its call opens, with the way to stop following it."""
    months = " y ".join(", ".join(MONTHS[m - 1] for m in sorted(entry.usual_months))
                        .rsplit(", ", 1))
    return (f"🔔 Listo: le avisaré en cuanto abra la convocatoria de «{escape(entry.title)}». "
            f"Suele estar abierta en {months}.\n\nPuede dejar de seguirla aquí o en /alertas.",
            InlineKeyboardMarkup([[InlineKeyboardButton(
                "Dejar de seguir", callback_data=f"al:n:{entry.id}")]]))


def my_alerts(snapshot: Snapshot) -> str:
    """The alert data kept about a user, for /mis_datos."""
    lines = []
    if snapshot.alerts is not None:
        preferences = Preferences.of(snapshot.alerts)
        lines.append(summary(preferences) + ("" if preferences.active else "\n(desactivadas)"))
    if snapshot.follows:
        lines.append("Sigue: " + escape(", ".join(snapshot.follows)))
    if snapshot.watches:
        lines.append("Le avisamos cuando abran: " + escape(", ".join(snapshot.watches)))
    if snapshot.mutes:
        lines.append("Fuentes silenciadas: " + escape(", ".join(snapshot.mutes)))
    return "<b>Alertas de convocatorias</b> (cambiar con /alertas)\n" + "\n".join(lines)
