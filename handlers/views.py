"""Knowledge views: an entry, suggestions, source lists and browse screens as HTML + keyboard."""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dates import MONTHS
from handlers.richtext import markdown_to_html, split_html
from knowledge import KnowledgeBase
from knowledge.schema import Applicant, Entry, Status

Screen = tuple[str, InlineKeyboardMarkup | None]
BUTTON_TEXT = 48
PAGE_SIZE = 8
APPLICANTS = {
    Applicant.OSC: "OSC y asociaciones civiles",
    Applicant.MUNICIPIO: "Municipios",
    Applicant.ESTADO: "Gobiernos estatales",
    Applicant.FEDERAL: "Gobierno federal",
    Applicant.ACADEMIA: "Academia",
    Applicant.PRIVADO: "Sector privado",
    Applicant.COMUNIDAD: "Comunidades y grupos de base",
    Applicant.PERSONA: "Personas",
}
STATUSES = {
    Status.ABIERTA: ("🟢", "Convocatoria abierta"),
    Status.PERIODICA: ("🔁", "Convocatoria periódica"),
    Status.SIN_CONFIRMAR: ("❔", "Estado sin confirmar"),
    Status.CERRADA: ("⛔", "Cerrado: ya no opera en México"),
    Status.EXTINTA: ("⛔", "Extinto: ya no existe"),
}
STATUS_CODES = {Status.ABIERTA: "ab", Status.PERIODICA: "pe", Status.SIN_CONFIRMAR: "sc",
                Status.CERRADA: "ce", Status.EXTINTA: "ex"}
# Short names of the Sustainable Development Goals, sized for two buttons per row.
ODS = {
    1: "Fin de la pobreza", 2: "Hambre cero", 3: "Salud", 4: "Educación", 5: "Igualdad de género",
    6: "Agua y saneamiento", 7: "Energía limpia", 8: "Trabajo y economía", 9: "Innovación",
    10: "Menos desigualdad", 11: "Ciudades", 12: "Consumo responsable", 13: "Clima",
    14: "Vida submarina", 15: "Ecosistemas", 16: "Paz y justicia", 17: "Alianzas",
}
GUIDES = ("tema-como-encontrar-convocatorias", "tema-requisitos-elegibilidad",
          "tema-como-redactar-propuesta")


def short(text: str, limit: int = BUTTON_TEXT) -> str:
    """Shorten a button label."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def entry_button(entry: Entry, prefix: str = "") -> InlineKeyboardButton:
    """A button that opens an entry."""
    mark = STATUSES[entry.status][0] + " " if entry.status is not None else ""
    return InlineKeyboardButton(short(f"{prefix}{mark}{entry.title}"),
                                callback_data=f"kb:e:{entry.id}")


def month_year(day: dt.date) -> str:
    """'noviembre de 2026'."""
    return f"{MONTHS[day.month - 1]} de {day.year}"


def _facts(entry: Entry) -> list[str]:
    rows = [
        ("Quién financia", entry.funder),
        ("Tipo de apoyo", ", ".join(entry.support_type) or None),
        ("Quién puede solicitar", ", ".join(APPLICANTS[a] for a in entry.applicants) or None),
        ("Temas (ODS)", ", ".join(f"{n} {ODS[n]}" for n in entry.themes) or None),
        ("Ámbito", entry.scope),
        ("Montos", entry.amounts),
        ("Ciclo o cierre", entry.cycle),
    ]
    lines = [f"<b>{label}:</b> {escape(value)}" for label, value in rows if value]
    if entry.official_url:
        url = str(entry.official_url)
        lines.append(f'<b>Sitio oficial:</b> <a href="{escape(url)}">{escape(_domain(url))}</a>')
    return lines


def _domain(url: str) -> str:
    return urlsplit(url).netloc.removeprefix("www.") or url


def _footer(entry: Entry) -> str:
    links = [f'<a href="{escape(str(u))}">{escape(_domain(str(u)))}</a>' for u in entry.sources[:2]]
    verified = f"verificado {month_year(entry.verified)}"
    return f"Fuente: {', '.join(links)} · {verified}" if links else verified.capitalize()


def entry_screens(entry: Entry, base: KnowledgeBase, feedback_log: int | None) -> list[Screen]:
    """An entry as one or more messages; buttons (related, alternatives, 👍 👎) on the last."""
    head: list[str] = []
    if entry.status is not None:
        icon, label = STATUSES[entry.status]
        head.append(f"{icon} <b>{label}</b>")
    head.append(f"<b>{escape(entry.title)}</b>\n<i>{escape(entry.summary)}</i>")
    parts = ["\n".join(head), markdown_to_html(entry.body)]
    facts = _facts(entry)
    if facts:
        parts.append("\n".join(facts))
    parts.append(_footer(entry))
    if feedback_log is not None:
        parts.append("¿Le sirvió esta respuesta?")
    rows: list[list[InlineKeyboardButton]] = []
    for other_id in entry.replaced_by:
        other = base.get(other_id)
        if other is not None:
            rows.append([entry_button(other, "➡ En su lugar: ")])
    for other_id in entry.related[:3]:
        other = base.get(other_id)
        if other is not None and other_id not in entry.replaced_by:
            rows.append([entry_button(other, "🔗 ")])
    if entry.status is Status.ABIERTA and entry.closes is not None:
        rows.append([InlineKeyboardButton("🔔 Avisarme antes del cierre",
                                          callback_data=f"al:f:{entry.id}")])
    if feedback_log is not None:
        rows.append([InlineKeyboardButton("👍 Sí", callback_data=f"kb:fb:{feedback_log}:1"),
                     InlineKeyboardButton("👎 No", callback_data=f"kb:fb:{feedback_log}:0")])
    messages = split_html("\n\n".join(parts))
    screens: list[Screen] = [(text, None) for text in messages]
    screens[-1] = (messages[-1], InlineKeyboardMarkup(rows) if rows else None)
    return screens


def suggestions_screen(options: list[Entry], log_id: int) -> Screen:
    """'¿Quiso decir…?' with up to three options."""
    rows = [[InlineKeyboardButton(short(e.title), callback_data=f"kb:s:{log_id}:{i}")]
            for i, e in enumerate(options[:3])]
    return ("No estoy seguro de haber entendido. <b>¿Quiso decir…?</b>",
            InlineKeyboardMarkup(rows))


def decline_screen(base: KnowledgeBase) -> Screen:
    """An honest 'I don't know' with ways to keep looking."""
    rows = [[InlineKeyboardButton("📚 Explorar fuentes de financiamiento",
                                  callback_data="menu:browse")]]
    rows += [[entry_button(e, "📘 ")] for e in (base.get(i) for i in GUIDES) if e is not None]
    return (
        "No encontré una respuesta confiable para su pregunta y prefiero no adivinar. "
        "Puede escribirla con otras palabras, explorar las fuentes por tipo de organización "
        "y tema, o revisar estas guías:",
        InlineKeyboardMarkup(rows),
    )


def describe(applicant: Applicant | None, theme: int | None, status: Status | None) -> str:
    """A short description of a browse selection."""
    parts = [APPLICANTS[applicant] if applicant else "cualquier solicitante",
             f"ODS {theme} {ODS[theme]}" if theme else "cualquier tema",
             STATUSES[status][1].lower() if status else "cualquier estado"]
    return " · ".join(parts)


def sources_screen(entries: list[Entry], applicant: Applicant | None, theme: int | None,
                   status: Status | None) -> Screen:
    """Sources matching a filter question, with a way to browse them all."""
    selection = describe(applicant, theme, status)
    browse = InlineKeyboardButton("📚 Ver todas y cambiar filtros",
                                  callback_data=list_data(applicant, theme, status, 0))
    if not entries:
        return (f"No encontré fuentes para: {escape(selection)}. Pruebe con menos filtros.",
                InlineKeyboardMarkup([[browse]]))
    rows = [[entry_button(e)] for e in entries[:PAGE_SIZE]]
    rows.append([browse])
    text = (f"Encontré <b>{len(entries)}</b> fuente{'s' if len(entries) != 1 else ''} para: "
            f"{escape(selection)}. Las abiertas y periódicas van primero:")
    return text, InlineKeyboardMarkup(rows)


def code(value: Applicant | int | Status | None) -> str:
    """A facet value as it travels in callback data ('*' for any)."""
    if value is None:
        return "*"
    if isinstance(value, Status):
        return STATUS_CODES[value]
    return str(value.value if isinstance(value, Applicant) else value)


def list_data(applicant: Applicant | None, theme: int | None, status: Status | None,
              page: int) -> str:
    """Callback data of a browse result page."""
    return f"br:l:{code(applicant)}:{code(theme)}:{code(status)}:{page}"

