"""Knowledge views: an entry, suggestions, source lists and browse screens as HTML + keyboard."""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import wording
from bot.coverage import where
from bot.dates import MONTHS
from handlers import keyboards, texts
from handlers.richtext import markdown_to_html, split_html
from knowledge import KnowledgeBase
from knowledge.check import last_call_is_stale
from knowledge.geography import STATE_CODES
from knowledge.schema import Applicant, Entry, Instrument, Status
from knowledge.search import Facet

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
    Status.SIN_CONFIRMAR: ("❔", "Situación sin confirmar"),
    Status.CERRADA: ("⛔", "Cerrado: ya no opera en México"),
    Status.EXTINTA: ("⛔", "Extinto: ya no existe"),
}
# What a fuente that takes no applications on calls is, said first so nobody reads it as a call.
INSTRUMENTS = {
    Instrument.CREDITO: ("🏦", "Crédito, no donación"),
    Instrument.TRANSFERENCIA: ("🏛", "Fondo federal por fórmula, no concursable"),
    Instrument.ALIANZA: ("🤝", "Sin convocatoria abierta: trabaja por alianzas o invitación"),
    Instrument.GOBIERNOS: ("🏛", "Solo con gobiernos: no recibe solicitudes de OSC"),
    Instrument.ASISTENCIA: ("🧭", "Asistencia técnica, no dinero"),
    Instrument.REFERENCIA: ("📘", "Referencia: no es una convocatoria"),
}
# Short answers stay within a phone screen; a card within two.
FACET_LIMIT = 600
CARD_LIMIT = 1200
FULL_PART = 2000
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
    return wording.fit_title(text, limit)  # whole words, the funder's name kept


def entry_button(entry: Entry, prefix: str = "") -> InlineKeyboardButton:
    """A button that opens an entry."""
    label = headline(entry)
    mark = label[0] + " " if label else ""
    return InlineKeyboardButton(short(f"{prefix}{mark}{entry.title}"),
                                callback_data=f"kb:e:{entry.id}")


def month_year(day: dt.date) -> str:
    """'noviembre de 2026'."""
    return f"{MONTHS[day.month - 1]} de {day.year}"


def headline(entry: Entry) -> tuple[str, str] | None:
    """The icon and words that say what a source is: its call status, or what it is instead."""
    if entry.status in (Status.CERRADA, Status.EXTINTA) or (entry.is_call and entry.status):
        return STATUSES[entry.status] if entry.status else None
    return INSTRUMENTS.get(entry.instrument) if entry.instrument else None


def _link(url: str) -> str:
    return f'<a href="{escape(url)}">{escape(_domain(url))}</a>'


def _domain(url: str) -> str:
    return urlsplit(url).netloc.removeprefix("www.") or url


def official(entry: Entry) -> str | None:
    """The official site line, or the plain statement that none was found."""
    if entry.official_url:
        return f"<b>Sitio oficial:</b> {_link(str(entry.official_url))}"
    if entry.official_url_missing:
        return "<b>Sitio oficial:</b> no encontramos uno; confirme con el financiador."
    return None


def _when(value: str) -> str:
    """A partial date as words: "2025", "mayo de 2025", "23 de mayo de 2025"."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    day = f"{parts[2]} de " if len(parts) == 3 else ""
    return f"{day}{MONTHS[parts[1] - 1]} de {parts[0]}"


def evidence(entry: Entry) -> str:
    """Who the facts were checked with (publisher and date) and when we checked."""
    seen = []
    for source in entry.sources[:3]:
        name = escape(source.publisher or _domain(str(source.shown)))
        when = f" ({_when(source.date)})" if source.date else ""
        seen.append(f'<a href="{escape(str(source.shown))}">{name}</a>{when}')
    checked = f"revisado en {month_year(entry.verified)}"
    return f"Verificado con: {'; '.join(seen)} · {checked}" if seen else checked.capitalize()


def last_call(entry: Entry, today: dt.date | None = None) -> str | None:
    """The last documented call, and a plain warning when it is old."""
    if entry.closes:
        verb = "cierra" if entry.status is Status.ABIERTA else "cerró"
        text = f"Última convocatoria documentada: {verb} el {long_day(entry.closes)}."
    elif entry.opens:
        text = f"Última convocatoria documentada: abrió el {long_day(entry.opens)}."
    elif entry.call_year:
        text = f"Última convocatoria documentada: {entry.call_year}."
    else:
        return None
    if entry.usual_months:
        months = ", ".join(MONTHS[m - 1] for m in sorted(entry.usual_months))
        text += f" Suele estar abierta en: {months}."
    if last_call_is_stale(entry, today or dt.date.today()):
        text += " No encontramos una convocatoria reciente: confirme en el sitio oficial."
    return text


def long_day(day: dt.date) -> str:
    """'23 de mayo de 2025'."""
    return f"{day.day} de {month_year(day)}"


def _who(entry: Entry) -> str | None:
    confirmed = ", ".join(APPLICANTS[a] for a in entry.applicants)
    possible = ", ".join(APPLICANTS[a] for a in entry.applicants_possible)
    if possible:
        return f"{confirmed or 'sin confirmar'} (posible, sin confirmar: {possible})"
    return confirmed or None


def places(entries: list[Entry]) -> str:
    """One line per listed source saying where it works ("• Fondo X: solo Chiapas y Yucatán")."""
    return "\n".join(f"• {escape(e.title)}: {escape(where(e) or 'cobertura sin confirmar')}"
                     for e in entries)


def _facts(entry: Entry, full: bool) -> list[str]:
    rows = [
        ("Quién puede solicitar", _who(entry)),
        ("Dónde", where(entry)),
        ("Montos", entry.amounts),
    ]
    if full:
        rows = [("Quién financia", entry.funder),
                ("Tipo de apoyo", ", ".join(entry.support_type) or None), *rows,
                ("Temas (ODS)", ", ".join(f"{n} {ODS[n]}" for n in entry.themes) or None),
                ("Ciclo", entry.cycle), ("Cómo solicitar", entry.how_to_apply)]
    lines = [f"<b>{label}:</b> {escape(value)}" for label, value in rows if value]
    call = last_call(entry)
    if call:
        lines.append(escape(call))
    return lines


def _head(entry: Entry) -> str:
    head = []
    label = headline(entry)
    if label:
        head.append(f"{label[0]} <b>{label[1]}</b>")
    head.append(f"<b>{escape(entry.title)}</b>\n<i>{escape(entry.summary)}</i>")
    return "\n".join(head)


# The step an entry offers (Entry.action), as a button.
ACTIONS = {
    "constancia": InlineKeyboardButton("🎓 Pedir mi constancia", callback_data="kb:do:constancia"),
    "registro": InlineKeyboardButton("📝 Registrarme a un conversatorio",
                                     callback_data="ev:reg:next"),
}


def _buttons(entry: Entry, base: KnowledgeBase, feedback_log: int | None,
             full: bool) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    if entry.action is not None:
        rows.append([ACTIONS[entry.action]])
    if not full:
        rows.append([InlineKeyboardButton("📄 Ver ficha completa",
                                          callback_data=f"kb:f:{entry.id}")])
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
    if entry.is_call and entry.status is Status.PERIODICA and entry.usual_months:
        rows.append([InlineKeyboardButton("🔔 Avísenme cuando abra",
                                          callback_data=f"al:w:{entry.id}")])
    if feedback_log is not None:
        rows.append([InlineKeyboardButton("👍 Sí", callback_data=f"kb:fb:{feedback_log}:1"),
                     InlineKeyboardButton("👎 No", callback_data=f"kb:fb:{feedback_log}:0")])
    return InlineKeyboardMarkup(rows) if rows else None


def entry_screens(entry: Entry, base: KnowledgeBase, feedback_log: int | None,
                  full: bool = False) -> list[Screen]:
    """An entry: a short card (a guide's text, a source's key facts), or the whole file split
    into phone-sized messages; buttons on the last message."""
    parts = [_head(entry)]
    link = official(entry)
    if link:
        parts.append(link)
    if full or entry.kind.value != "fuente":
        parts.append(markdown_to_html(entry.body))
    facts = _facts(entry, full)
    if facts:
        parts.append("\n".join(facts))
    parts.append(evidence(entry))
    if feedback_log is not None:
        parts.append("¿Le sirvió esta respuesta?")
    messages = split_html("\n\n".join(parts), FULL_PART)
    screens: list[Screen] = [(text, None) for text in messages]
    screens[-1] = (messages[-1], _buttons(entry, base, feedback_log, full or len(messages) > 1))
    return screens


FACET_TITLES: dict[Facet, str] = {
    "amount": "Montos", "dates": "Fechas", "applicants": "Quién puede solicitar",
    "how_to_apply": "Cómo solicitar", "official_site": "Sitio oficial", "status": "Situación",
}


def _facet_text(entry: Entry, facet: Facet) -> str:
    unknown = "sin confirmar"
    if facet == "amount":
        return escape(entry.amounts or unknown)
    if facet == "dates":
        return escape(last_call(entry) or entry.cycle or unknown)
    if facet == "applicants":
        return escape(_who(entry) or unknown)
    if facet == "how_to_apply":
        return escape(entry.how_to_apply or "sin confirmar: consulte el sitio oficial.")
    if facet == "official_site":
        return (official(entry) or "sin confirmar").removeprefix("<b>Sitio oficial:</b> ")
    label = headline(entry)
    return escape(label[1] if label else unknown)


def facet_screen(entry: Entry, facets: tuple[Facet, ...], base: KnowledgeBase,
                 feedback_log: int | None) -> Screen:
    """The facets a question asked for, first and short, with the way to the whole card; a
    source that ended says so before anything else."""
    lines = [f"<b>{escape(entry.title)}</b>"]
    label = headline(entry)
    if label and entry.status in (Status.CERRADA, Status.EXTINTA):
        lines.insert(0, f"{label[0]} <b>{label[1]}</b>")
    lines += [f"<b>{FACET_TITLES[f]}:</b> {_facet_text(entry, f)}" for f in facets]
    link = official(entry)
    if link and "official_site" not in facets:
        lines.append(link)
    lines.append(f"<i>{evidence(entry)}</i>")
    text = "\n".join(lines)
    if len(text) > FACET_LIMIT * 2:
        text = split_html(text, FACET_LIMIT * 2)[0]
    return text, _buttons(entry, base, feedback_log, full=False)


def unknown_screen(name: str, similar: list[Entry]) -> Screen:
    """An honest "I have nothing verified about X", other funders clearly labelled as such."""
    text = f"No tengo información verificada sobre «{escape(name)}»."
    rows = []
    if similar:
        text += "\n\nFuentes parecidas que sí conozco (son <b>otros</b> financiadores):"
        rows = [[entry_button(e)] for e in similar]
    text += ("\n\nAnoté su pregunta para que el equipo considere agregarla. Puede explorar las "
             "fuentes que sí tengo:")
    rows.append([InlineKeyboardButton("📚 Explorar fuentes de financiamiento",
                                      callback_data="menu:browse")])
    return text, InlineKeyboardMarkup(rows)


def chat_screen(intent: str, contact: str | None) -> Screen:
    """A warm reply to conversation with the menu; asked for a person while no contact is set,
    a way to leave staff a message."""
    rows = list(keyboards.main_menu().inline_keyboard)
    if intent == "human" and not contact:
        rows.insert(0, (InlineKeyboardButton("✉️ Dejar un mensaje al equipo",
                                             callback_data="kb:msg"),))
    return texts.chat(intent, contact), InlineKeyboardMarkup(rows)


def open_calls_screen(entries: list[Entry]) -> Screen:
    """Calls open now (closing soonest first), then periodic ones by their usual window."""
    now = [e for e in entries if e.status is Status.ABIERTA]
    usual = [e for e in entries if e.status is not Status.ABIERTA]
    if now:
        lines = ["<b>Convocatorias abiertas según la base:</b>"]
        lines += [f"🟢 {escape(e.title)}" + (f" — cierra el {long_day(e.closes)}" if e.closes
                                              else "") for e in now[:PAGE_SIZE]]
    else:
        lines = ["Hoy no tengo registrada ninguna convocatoria abierta con fecha confirmada."]
    if usual:
        lines.append("\n<b>Suelen abrir en estos meses</b> (confirme en el sitio oficial):")
        lines += [f"🔁 {escape(e.title)} — "
                  f"{', '.join(MONTHS[m - 1] for m in sorted(e.usual_months))}"
                  for e in usual[:PAGE_SIZE]]
    lines.append("\nCon 🔔 Alertas le aviso cuando abra una que le interese.")
    rows = [[entry_button(e)] for e in (now + usual)[:PAGE_SIZE]]
    rows.append([InlineKeyboardButton("🔔 Alertas de convocatorias", callback_data="menu:alerts")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


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
             STATUSES[status][1].lower() if status else "cualquier situación"]
    return " · ".join(parts)


def sources_screen(entries: list[Entry], applicant: Applicant | None, theme: int | None,
                   status: Status | None, states: frozenset[str] = frozenset()) -> Screen:
    """Sources matching a filter question, with a way to browse them all; with states, where
    each source works."""
    selection = describe(applicant, theme, status)
    if states:
        selection += " · en " + ", ".join(sorted(states))
    # One state travels with the list; several (a region) leave it to the whole country.
    state = next(iter(states)) if len(states) == 1 else None
    browse = InlineKeyboardButton("📚 Ver todas y cambiar filtros",
                                  callback_data=list_data(applicant, theme, status, 0, state))
    if not entries:
        return (f"No encontré fuentes para: {escape(selection)}. Pruebe con menos filtros.",
                InlineKeyboardMarkup([[browse]]))
    rows = [[entry_button(e)] for e in entries[:PAGE_SIZE]]
    rows.append([browse])
    text = (f"Encontré <b>{wording.count(len(entries), 'fuente')}</b> para: "
            f"{escape(selection)}. Las abiertas y periódicas van primero:")
    if states:
        text += "\n" + places(entries[:PAGE_SIZE])
    return text, InlineKeyboardMarkup(rows)


def code(value: Applicant | int | Status | None) -> str:
    """A facet value as it travels in callback data ('*' for any)."""
    if value is None:
        return "*"
    if isinstance(value, Status):
        return STATUS_CODES[value]
    return str(value.value if isinstance(value, Applicant) else value)


def list_data(applicant: Applicant | None, theme: int | None, status: Status | None,
              page: int, state: str | None = None) -> str:
    """Callback data of a browse result page (grammar in handlers/browse_buttons.py)."""
    where = f":{STATE_CODES[state]}" if state else ""
    return f"br:l:{code(applicant)}:{code(theme)}:{code(status)}:{page}{where}"

