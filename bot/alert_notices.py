"""Texts and buttons of funding-call alerts and deadline reminders sent through the outbox."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from bot.coverage import where
from bot.dates import MONTHS
from bot.wording import fit_title
from knowledge.schema import Entry

# A digest lists at most this many calls in full, and fewer if they would not fit one message.
DIGEST_MAX = 8
TEXT_LIMIT = 4096
MUTE = "al:m:"
Buttons = list[list[dict[str, str]]]


def long_date(day: dt.date) -> str:
    """'31 de marzo de 2030'."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def _closing(entry: Entry) -> str:
    return f"\nCierra el {long_date(entry.closes)}." if entry.closes else ""


def place(entry: Entry) -> str:
    """Where the source works, as a line of its own (empty when unknown)."""
    found = where(entry)
    return f"\n📍 {escape(found)}" if found else ""


def _digest_text(entries: list[Entry], shown: list[Entry]) -> str:
    plural = len(entries) != 1
    lines = [f"🔔 <b>{'Se abrieron convocatorias' if plural else 'Se abrió una convocatoria'} "
             "que le pueden interesar</b>"]
    lines += [f"🟢 <b>{escape(e.title)}</b>\n<i>{escape(e.summary)}</i>{place(e)}{_closing(e)}"
              for e in shown]
    if len(entries) > len(shown):
        lines.append(f"Y {len(entries) - len(shown)} más: búsquelas en 📚 Explorar fuentes.")
    lines.append("Ajuste sus alertas con /alertas.")
    return "\n\n".join(lines)


def digest(entries: list[Entry]) -> tuple[str, Buttons]:
    """The daily digest of newly open calls, with open and 'not interested' buttons."""
    shown = entries[:DIGEST_MAX]
    text = _digest_text(entries, shown)
    while len(text) > TEXT_LIMIT and len(shown) > 1:
        shown = shown[:-1]
        text = _digest_text(entries, shown)
    buttons = [[{"text": fit_title(f"📖 {e.title}", 44), "callback_data": f"kb:e:{e.id}"},
                {"text": "🔕 No me interesa", "callback_data": f"{MUTE}{e.id}"}] for e in shown]
    return text, buttons


def digest_entries(payload: dict[str, Any]) -> list[str]:
    """The entry ids a digest already announces (read back from its buttons)."""
    return [button["callback_data"].removeprefix(MUTE)
            for row in payload.get("buttons", []) for button in row
            if button.get("callback_data", "").startswith(MUTE)]


def deadline(entry: Entry, days: int) -> tuple[str, Buttons]:
    """A reminder that a followed call closes soon."""
    assert entry.closes is not None
    lead = "mañana" if days == 1 else f"en {days} días"
    text = (f"⏳ <b>Recordatorio</b>: la convocatoria «{escape(entry.title)}» cierra {lead}, "
            f"el {long_date(entry.closes)}.")
    link = entry.call_url or entry.official_url
    if link:
        text += f'\n\n<a href="{escape(str(link))}">Ver la convocatoria</a>'
    return text, [[{"text": "📖 Ver ficha", "callback_data": f"kb:e:{entry.id}"},
                   {"text": "Dejar de seguir", "callback_data": f"al:u:{entry.id}"}]]


def opened(entry: Entry) -> tuple[str, Buttons]:
    """The call of a followed source has opened: what it is, where, until when; with the offer
    of deadline reminders when it has a closing date."""
    text = (f"🟢 <b>¡Ya abrió la convocatoria que usted sigue!</b>\n\n<b>{escape(entry.title)}</b>"
            f"\n<i>{escape(entry.summary)}</i>{place(entry)}{_closing(entry)}")
    link = entry.call_url or entry.official_url
    if link:
        text += f'\n\n<a href="{escape(str(link))}">Ver la convocatoria</a>'
    buttons = [[{"text": "📖 Ver ficha", "callback_data": f"kb:e:{entry.id}"}]]
    if entry.closes:
        text += "\n\n¿Quiere que le recuerde el cierre unos días antes?"
        buttons.append([{"text": "🔔 Avisarme antes del cierre",
                         "callback_data": f"al:f:{entry.id}"}])
    buttons.append([{"text": "Dejar de seguir esta fuente", "callback_data": f"al:n:{entry.id}"}])
    return text, buttons
