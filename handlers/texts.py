"""Message templates: pure functions returning Telegram HTML (user text always escaped)."""

from __future__ import annotations

import functools
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import when
from bot.exports import SessionCounts
from bot.kb import Reload
from bot.privacy import notice_markdown
from bot.questions import Gap, Missing, StaffMessage
from bot.settings import Settings
from handlers.richtext import markdown_to_html, split_html

BOT_NAME = "Coopera"


def welcome(first_name: str) -> str:
    """Greeting shown by /start."""
    return (
        f"¡Hola, {escape(first_name)}! Soy <b>{BOT_NAME}</b>, el asistente para organizaciones "
        "de la sociedad civil y gobiernos locales interesados en la cooperación internacional "
        "para el desarrollo.\n\n"
        "Puedo ayudarle a:\n"
        "• encontrar fuentes de financiamiento y cooperación;\n"
        "• registrarse en los conversatorios y recibir recordatorios;\n"
        "• resolver dudas como la CLUNI o la donataria autorizada.\n\n"
        "Escriba su pregunta con sus propias palabras o elija una opción:"
    )


def help_text(commands: list[tuple[str, str]],
              staff: list[tuple[str, str]] | None = None) -> str:
    """The /ayuda message, listing the commands (and, for staff, theirs apart)."""
    lines = "\n".join(f"/{name} — {escape(description)}" for name, description in commands)
    return (
        "<b>¿Cómo le ayudo?</b>\n\n"
        "Escríbame su pregunta tal como la diría, por ejemplo:\n"
        "<i>«¿hay fondos para una A.C. que trabaja agua en Oaxaca?»</i>\n"
        "<i>«¿un municipio puede recibir cooperación internacional?»</i>\n\n"
        f"<b>Comandos</b>\n{lines}"
    ) + (f"\n\n{staff_section(staff)}" if staff else "")


def staff_section(commands: list[tuple[str, str]]) -> str:
    """The staff's own commands, in a section of their own."""
    lines = "\n".join(f"/{name} — {escape(description)}" for name, description in commands)
    return ("🛠 <b>Para el personal</b> (solo usted los ve)\n" + lines
            + "\nLos comandos que piden una sesión la ofrecen con botones.")


def ask_prompt() -> str:
    """Invitation to type a question."""
    return (
        "Escriba su pregunta con sus propias palabras. Por ejemplo: "
        "<i>«¿qué fondos hay para municipios sobre agua?»</i> o <i>«¿qué es la CLUNI?»</i>"
    )


def cancelled(had_flow: bool) -> str:
    """Answer to /cancelar."""
    if had_flow:
        return "Listo, cancelé la operación en curso. ¿En qué más le puedo ayudar?"
    return "No hay ninguna operación en curso. ¿En qué le puedo ayudar?"


def unknown_command(command: str) -> str:
    """Answer to a command the bot does not have (also to staff commands from non-staff)."""
    return (
        f"No reconozco el comando {escape(command)}. "
        "Escriba /ayuda para ver lo que puedo hacer."
    )


def non_text() -> str:
    """Answer to stickers, photos, voice notes, locations and the like."""
    return (
        "Gracias por su mensaje. Por ahora solo puedo leer texto: escríbame su pregunta, "
        "por favor, o use /ayuda."
    )


def stale_button() -> str:
    """Short notice for a button that no longer does anything."""
    return "Esta opción ya no está disponible."


def unknown_link() -> str:
    """A deep link that points nowhere (old or mistyped)."""
    return "Ese enlace ya no es válido o está incompleto. Le muestro el menú principal."


def group_note(link: str, *, introduce: bool) -> str:
    """The only answer in a group: personal matters continue in a private chat."""
    intro = (f"Hola 👋 Soy <b>{BOT_NAME}</b>: resuelvo dudas sobre fondos de cooperación "
             "internacional y registro a los conversatorios.\n") if introduce else ""
    return f"{intro}Para cuidar sus datos, platiquemos en un chat privado: {escape(link)}"


def private_only() -> str:
    """A button pressed in a group."""
    return "Esta opción funciona solo en un chat privado conmigo."


def error() -> str:
    """Apology when something failed while handling the user's message."""
    return (
        "Lo siento, algo salió mal al procesar su mensaje. Por favor, inténtelo de nuevo "
        "en unos momentos."
    )


def thanks_for_feedback(useful: bool) -> str:
    """Short notice after 👍 or 👎."""
    if useful:
        return "¡Gracias! Nos alegra que le haya servido."
    return "Gracias por decírnoslo: revisaremos esta respuesta para mejorarla."


PENDING_LIMIT = 4096
_IDS_SHOWN = 400


def missing_line(missing: Missing) -> str:
    """'Fundación Walmart — 7 preguntas' (plain text)."""
    plural = "pregunta" if missing.count == 1 else "preguntas"
    return f"{_cut(missing.name, 60)} — {missing.count} {plural}"


def pending(missing: list[Missing], messages: list[StaffMessage], found: list[Gap],
            base: dict[str, Any], zone: ZoneInfo) -> str:
    """The curator's /pendientes: organisations without an entry, messages for staff, questions
    the base does not answer well, and what in the base is stale; within one message."""
    tail = ["", *_base_health(base)]
    budget = PENDING_LIMIT - _units("\n".join(tail))
    lines: list[str] = []
    if missing:
        budget = _section(lines, budget, "<b>Organizaciones sin ficha más preguntadas</b> "
                          "(últimos 180 días):", [f"• {escape(missing_line(m))}" for m in missing],
                          "… y {} más")
    if messages:
        budget = _section(lines, budget, "<b>Mensajes para el equipo</b> (los más recientes):",
                          [_staff_message(m, zone) for m in messages], "… y {} más")
    if not found:
        return "\n".join([*lines, "No hay preguntas pendientes. 🎉", *tail])
    gaps = []
    for number, gap in enumerate(found, start=1):
        reasons = ", ".join(f"{reason} {count}" for reason, count in gap.reasons.items())
        gaps.append(f"{number}. <b>{gap.count}×</b> «{escape(_cut(gap.example, 150))}» — "
                    f"{reasons}")
    _section(lines, budget, "<b>Preguntas pendientes</b> (últimos 180 días), de la más "
             "frecuente:", gaps, "… y {} grupos más: <code>coopera kb gaps</code>")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join([*lines, *tail])


def _section(lines: list[str], budget: int, header: str, items: list[str], more: str) -> int:
    """Add a header and the items that fit in budget (UTF-16 units, a note says how many did
    not), then a blank line; return the budget left."""
    reserve = _units(more) + 6
    budget -= _units(header) + 2
    if budget < reserve:
        return budget
    lines.append(header)
    for number, item in enumerate(items):
        cost = _units(item) + 1
        if budget - cost < reserve:
            lines.append(more.format(len(items) - number))
            budget -= _units(lines[-1]) + 1
            break
        lines.append(item)
        budget -= cost
    lines.append("")
    return budget


def _staff_message(message: StaffMessage, zone: ZoneInfo) -> str:
    sender = (f"{escape(_cut(message.first_name or 'sin nombre', 40))} (id {message.user_id})"
              if message.user_id is not None else "remitente que borró sus datos")
    return (f"• {message.sent_at.astimezone(zone):%d/%m %H:%M} · {sender}: "
            f"«{escape(_cut(' '.join(message.text.split()), 150))}»")


def _base_health(base: dict[str, Any]) -> list[str]:
    """Funding sources by age of their evidence, stale periodic ones, missing official links."""
    ages = " · ".join(f"{age}: {count}" for age, count in base["evidence age"].items())
    lines = ["<b>Estado de la base</b>",
             f"Fuentes ({base['fuentes']['total']}) por antigüedad de la evidencia: "
             f"{escape(ages or '—')}"]
    for label, key in (("Periódicas sin convocatoria reciente", "stale periodic"),
                       ("Sin sitio oficial", "no official link")):
        ids = base[key]
        lines.append(f"{label} ({len(ids)}): {escape(_ids(ids) or '—')}")
    return lines


def _ids(ids: list[str]) -> str:
    shown = ""
    for number, entry_id in enumerate(ids):
        candidate = f"{shown}, {entry_id}" if shown else entry_id
        if len(candidate) > _IDS_SHOWN:
            return f"{shown}… y {len(ids) - number} más"
        shown = candidate
    return shown


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def reloaded(outcome: Reload) -> str:
    """Result of /recargar."""
    if outcome.ok:
        return (f"✅ Base de conocimiento recargada: {outcome.entries} entradas "
                f"(antes {outcome.previous}).")
    shown = [f"• {escape(str(p)[:200])}" for p in outcome.problems[:12]]
    more = len(outcome.problems) - len(shown)
    if more > 0:
        shown.append(f"… y {more} más.")
    return (f"⚠️ La base de conocimiento tiene errores y <b>no</b> se cargó; sigue activa la "
            f"anterior ({outcome.previous} entradas).\n\n" + "\n".join(shown))


def resuming() -> str:
    """Notice when a form left half-way is picked up again."""
    return "Tiene un registro a medias; continuemos donde se quedó. (Puede salir con /cancelar.)"


def consent_declined() -> str:
    """Answer when the privacy notice is not accepted."""
    return ("Entendido: sin su consentimiento no podemos registrarle, y no guardamos los datos "
            "de este formulario. Si cambia de opinión, escriba /registro.")


def calendar_caption() -> str:
    """Caption of the .ics file."""
    return "📅 Abra este archivo para agregar las sesiones a su calendario (Google, Outlook…)."


def privacy_notice(settings: Settings) -> list[str]:
    """The full privacy notice with the operator's details, split into messages."""
    return _notice(notice_markdown(settings))


@functools.lru_cache(maxsize=4)
def _notice(source: str) -> list[str]:
    return split_html(markdown_to_html(source))


def registration_cancelled(title: str) -> str:
    """After cancelling a seat."""
    return f"Listo, cancelamos su registro a «{escape(title)}»."


def registered_counts(counts: list[SessionCounts], zone: ZoneInfo) -> str:
    """Staff view of seats per session, by sector and by state."""
    if not counts:
        return "Todavía no hay registros."
    blocks = ["👥 <b>Inscritos por sesión</b>"]
    for item in counts:
        event = item.event
        sectors = ", ".join(f"{k} {v}" for k, v in sorted(item.by_sector.items())) or "—"
        states = ", ".join(f"{k} {v}" for k, v in sorted(item.by_state.items())) or "—"
        blocks.append(
            f"<b>{escape(event.cycle_id)}/{escape(event.code)}</b> · {escape(event.title)}\n"
            f"{when(event.starts_at, zone)}\n"
            f"Confirmados: {item.confirmed}"
            + (f" de {event.capacity}" if event.capacity else "")
            + f" · En espera: {item.waitlisted} · Cancelados: {item.cancelled}\n"
            f"Por sector: {escape(sectors)}\nPor estado: {escape(states)}")
    return "\n\n".join(blocks)


CHAT_REPLIES = {
    "greeting": "¡Hola! Con gusto le ayudo. Escríbame su pregunta sobre fondos o elija una opción.",
    "thanks": "¡Con mucho gusto! Aquí estoy si necesita algo más.",
    "praise": "¡Muchas gracias! Me alegra serle útil.",
    "goodbye": "¡Hasta pronto! Que tenga un excelente día.",
    "emoji": "👍 Aquí estoy si necesita algo más.",
    "complaint": ("Lamento no haberle ayudado. Puede escribirme su pregunta con otras palabras, "
                  "explorar las fuentes o pedir hablar con una persona."),
    "unclear": ("No estoy seguro de qué busca. Escríbame su pregunta completa, por ejemplo: "
                "«¿qué fondos hay para OSC de agua en Oaxaca?», o elija una opción."),
    "urgency": ("Entiendo la prisa. Dígame el nombre de la convocatoria o del financiador y le "
                "doy lo que sé de inmediato; si necesita a una persona, escriba "
                "«hablar con una persona»."),
}


def chat(intent: str, contact: str | None) -> str:
    """A short, warm reply to conversation; for "a person", how to reach the organisers."""
    if intent != "human":
        return CHAT_REPLIES.get(intent, CHAT_REPLIES["greeting"])
    if contact:
        return f"Puede comunicarse con el equipo organizador en: {escape(contact)}"
    return ("Con gusto. El equipo organizador aún no tiene un contacto directo aquí; si está "
            "registrado en un conversatorio, la invitación que recibió trae sus datos. También "
            "puede dejarle un mensaje al equipo con el botón de abajo.")


def message_prompt() -> str:
    """Invitation to write the one message that goes to staff."""
    return ("Escriba su mensaje para el equipo en un solo texto: qué necesita y, si quiere, cómo "
            "contactarle. Si prefiere no enviarlo, escriba /cancelar.")


def message_left() -> str:
    """Acknowledgement of a message for staff."""
    return ("¡Gracias! Su mensaje ya quedó con el equipo organizador. Mientras tanto, ¿le ayudo "
            "con algo más?")


def redirect(reply: str) -> str:
    """A kind pointer to the public service a personal matter belongs to."""
    return (f"{escape(reply)}\n\n"
            "¿Tiene alguna pregunta sobre fondos para su organización o municipio?")
