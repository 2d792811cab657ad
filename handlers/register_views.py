"""The registration form's questions, summary and confirmation as HTML + keyboards."""

from __future__ import annotations

import datetime as dt
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dates import short_when, when, zone_label
from bot.db.models import EventSession
from bot.events import offsets_text
from bot.registrations import Seat, SeatStatus
from bot.signup import FIELDS, SECTORS, Confirmed, FormView, Step
from bot.wording import count, fit_label
from knowledge.geography import STATE_CODES, STATES

Screen = tuple[str, InlineKeyboardMarkup | None]
CHECKED, UNCHECKED = "☑", "☐"
LABELS = {
    Step.NAME: "Nombre completo", Step.EMAIL: "Correo electrónico",
    Step.ORGANIZATION: "Organización", Step.SECTOR: "Sector", Step.STATE: "Estado",
    Step.MUNICIPALITY: "Municipio", Step.CLUNI: "CLUNI",
}
QUESTIONS = {
    Step.NAME: "¿Cuál es su <b>nombre completo</b>? Así aparecerá en su constancia.",
    Step.EMAIL: "¿Cuál es su <b>correo electrónico</b>?",
    Step.ORGANIZATION: "¿En qué <b>organización o institución</b> participa?",
    Step.SECTOR: "¿A qué <b>sector</b> pertenece su organización?",
    Step.STATE: ("¿En qué <b>estado</b> se encuentra? Escríbalo (por ejemplo «Yucatán» o "
                 "«CDMX») o elíjalo de la lista."),
    Step.MUNICIPALITY: "¿En qué <b>municipio o alcaldía</b>? (opcional)",
    Step.CLUNI: "Si su organización tiene <b>CLUNI</b>, escríbala, por favor. (opcional)",
    Step.CONSENT: (
        "🔒 <b>Aviso de privacidad</b>\n\n"
        "Para registrarle guardamos su nombre, correo, organización, sector, estado y, si los "
        "da, municipio y CLUNI. Los usamos solo para su registro, los recordatorios y su "
        "constancia. Los reciben las instituciones que organizan el conversatorio, para "
        "administrar el registro, la asistencia y las constancias; no los vendemos ni los "
        "compartimos con nadie más.\n\n"
        "Puede consultarlos con /mis_datos y borrarlos cuando quiera con /borrar_mis_datos.\n\n"
        "¿Acepta el aviso de privacidad?"
    ),
    Step.SESSIONS: ("¿A qué <b>sesiones</b> desea registrarse? Toque una sesión para marcarla "
                    f"({CHECKED}) o desmarcarla ({UNCHECKED}); luego, «Continuar»."),
}


def _button(text: str, step: str, action: str, value: str = "") -> InlineKeyboardButton:
    data = f"rg:{step}:{action}" + (f":{value}" if value else "")
    return InlineKeyboardButton(text, callback_data=data)


def _session_line(event: EventSession, zone: ZoneInfo) -> str:
    return f"{when(event.starts_at, zone)} — {escape(event.title)}"


def form_screen(view: FormView, zone: ZoneInfo) -> Screen:
    """The current question of the form, with its error and buttons."""
    step = view.step.value
    if view.step is Step.SUMMARY:
        text, rows = _summary(view, zone)
    else:
        text = f"📝 <b>Registro</b> · {escape(view.cycle.title)}\n\n{QUESTIONS[view.step]}"
        if view.step is Step.SESSIONS:
            text += f"\n\n{sessions_status(view)}"
        rows = _step_buttons(view, zone)
    if view.error:
        text = f"⚠️ {escape(view.error)}\n\n{text}"
    nav = []
    if view.can_go_back and view.step is not Step.SUMMARY:
        nav.append(_button("↩ Atrás", step, "back"))
    nav.append(InlineKeyboardButton("✖ Cancelar", callback_data="rg:cancel"))
    rows.append(nav)
    return text, InlineKeyboardMarkup(rows)


def _step_buttons(view: FormView, zone: ZoneInfo) -> list[list[InlineKeyboardButton]]:
    step = view.step.value
    if view.step is Step.SECTOR:
        buttons = [_button(label, step, "pick", code) for code, label in SECTORS.items()]
        return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if view.step is Step.STATE:
        if view.options:
            return [[_button(name, step, "pick", STATE_CODES[name])] for name in view.options]
        return [[_button("📋 Ver lista de estados", step, "list")]]
    if view.step in (Step.MUNICIPALITY, Step.CLUNI):
        return [[_button("Omitir ▶", step, "skip")]]
    if view.step is Step.CONSENT:
        return [[_button("✅ Acepto", step, "yes"), _button("❌ No acepto", step, "no")],
                [InlineKeyboardButton("📄 Leer el aviso completo", callback_data="rg:notice")]]
    if view.step is Step.SESSIONS:
        return _session_buttons(view, zone)
    return []


def _session_buttons(view: FormView, zone: ZoneInfo) -> list[list[InlineKeyboardButton]]:
    """One checkbox per session (and one for the whole cycle); Continuar once one is marked."""
    step = view.step.value
    chosen = [e for e in view.sessions if e.id in view.selected]
    rows = []
    if len(view.sessions) > 1:
        mark = CHECKED if len(chosen) == len(view.sessions) else UNCHECKED
        rows.append([_button(f"{mark} Todo el ciclo ({count(len(view.sessions), 'sesión')})",
                             step, "all")])
    for event in view.sessions:
        mark = CHECKED if event in chosen else UNCHECKED
        label = fit_label(f"{mark} {short_when(event.starts_at, zone)} · {event.title}")
        rows.append([_button(label, step, "toggle", str(event.id))])
    if chosen:
        rows.append([_button(f"Continuar con {count(len(chosen), 'sesión')} ▶", step, "done")])
    return rows


def no_session_chosen() -> str:
    """Alert for Continuar on the session picker with nothing marked."""
    return "Aún no ha marcado ninguna sesión. Toque las que le interesan o «Todo el ciclo»."


def sessions_status(view: FormView) -> str:
    """What is marked now, in words, under the picker's question."""
    chosen = sum(1 for e in view.sessions if e.id in view.selected)
    if not chosen:
        return "Aún no ha marcado ninguna sesión."
    if chosen == len(view.sessions) and chosen > 1:
        return f"Marcó <b>todo el ciclo</b> ({count(chosen, 'sesión')})."
    return f"Marcó <b>{count(chosen, 'sesión')}</b> de {len(view.sessions)}."


def states_keyboard() -> InlineKeyboardMarkup:
    """All 32 states, two per row."""
    buttons = [_button(name, Step.STATE.value, "pick", STATE_CODES[name]) for name in STATES]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button("↩ Escribirlo", Step.STATE.value, "typed")])
    return InlineKeyboardMarkup(rows)


def _value(view: FormView, step: Step) -> str:
    value = view.form.get(step.value)
    if step is Step.SECTOR and value:
        value = SECTORS.get(value, value)
    return escape(value) if value else "—"


def _summary(view: FormView, zone: ZoneInfo) -> tuple[str, list[list[InlineKeyboardButton]]]:
    fields = [s for s in FIELDS if s is not Step.CLUNI or view.form.get(Step.SECTOR.value) == "osc"]
    lines = [f"<b>{LABELS[s]}:</b> {_value(view, s)}" for s in fields]
    chosen = [e for e in view.sessions if e.id in view.selected]
    sessions = "\n".join(f"• {_session_line(e, zone)}" for e in chosen)
    text = (f"📝 <b>Revise su registro</b> · {escape(view.cycle.title)}\n\n" + "\n".join(lines)
            + f"\n\n<b>Sesiones</b> ({zone_label(zone)}):\n{sessions}\n\n"
            "¿Todo está correcto?")
    rows = [[_button("✅ Confirmar", "summary", "confirm"),
             _button("✏️ Corregir", "summary", "menu")]]
    return text, rows


def fix_keyboard(view: FormView) -> InlineKeyboardMarkup:
    """Which answer to correct, from the summary."""
    fields = [s for s in FIELDS if s is not Step.CLUNI or view.form.get(Step.SECTOR.value) == "osc"]
    buttons = [_button(LABELS[s], "summary", "fix", s.value) for s in fields]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button("Sesiones", "summary", "fix", "sessions")])
    rows.append([_button("↩ Volver al resumen", "summary", "unfix")])
    return InlineKeyboardMarkup(rows)


def seat_text(seat: Seat) -> str:
    """A seat's status in words."""
    if seat.status is SeatStatus.CONFIRMED:
        return "<b>lugar confirmado</b>"
    if seat.status is SeatStatus.WAITLISTED:
        return f"<b>lista de espera, lugar {seat.position}</b>"
    return "cancelado"


def confirmation(done: Confirmed, zone: ZoneInfo) -> str:
    """The message after confirming: each session with its status and join link."""
    lines = []
    for event, seat in done.seats:
        line = f"• {_session_line(event, zone)}: {seat_text(seat)}"
        if seat.status is SeatStatus.CONFIRMED and event.join_url:
            line += f'\n  <a href="{escape(event.join_url)}">Enlace para unirse</a>'
        lines.append(line)
    waiting = any(seat.status is SeatStatus.WAITLISTED for _, seat in done.seats)
    note = ("\n\nSi se libera un lugar, le avisaremos por aquí." if waiting else "")
    return (f"✅ <b>¡Listo, {escape(done.form.get('full_name') or '')}!</b> Su registro quedó "
            f"guardado.\n\n{escape(done.cycle.title)} ({zone_label(zone)}):\n"
            + "\n".join(lines) + note + reminders_note(done) +
            "\n\nPuede ver o cancelar sus registros con /mis_registros.")


def reminders_note(done: Confirmed) -> str:
    """The reminders that will really be sent: none past, none when switched off."""
    confirmed = [event for event, seat in done.seats if seat.status is SeatStatus.CONFIRMED]
    if not confirmed:
        return ""
    if not done.reminders:
        return "\n\nTiene los recordatorios desactivados; puede activarlos con /recordatorios."
    now = done.confirmed_at
    ahead = [minutes for minutes in done.cycle.reminder_offsets if now is None or any(
        event.starts_at - dt.timedelta(minutes=minutes) > now for event in confirmed)]
    if not ahead:
        return "\n\nLa sesión empieza muy pronto: ya no hay tiempo para recordatorios."
    every = "cada sesión " if len(confirmed) > 1 else "la sesión "
    return f"\n\nLe recordaremos {every}{offsets_text(ahead)} antes."
