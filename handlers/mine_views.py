"""'My registrations' and 'my data' screens."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import alliance_notices
from bot.dates import short_when, when, zone_label
from bot.db.models import EventSession
from bot.personal_data import Erased, Snapshot
from bot.registrations import Seat, SeatStatus
from bot.signup import SECTORS
from handlers import alert_views
from handlers.register_views import seat_text

Screen = tuple[str, InlineKeyboardMarkup | None]
_STATUS = {"confirmed": "confirmada", "waitlisted": "lista de espera", "cancelled": "cancelada"}
_HOW = {"checkin": "con código", "import": "reporte de la videollamada",
        "manual": "registrada por el personal"}
_REQUEST = {"pending": "pendiente", "accepted": "aceptada", "declined": "rechazada",
            "blocked": "bloqueada"}


def registrations_screen(items: list[tuple[EventSession, Seat]], zone: ZoneInfo) -> Screen:
    """The user's seats and waitlist places with cancel and calendar buttons."""
    more = [InlineKeyboardButton("➕ Registrarme a más sesiones", callback_data="ev:reg:next")]
    if not items:
        return ("Aún no tiene registros activos. ¿Desea registrarse a un conversatorio?",
                InlineKeyboardMarkup([more]))
    lines, rows = [], []
    for event, seat in items:
        lines.append(f"• {when(event.starts_at, zone)} — {escape(event.title)}: "
                     f"{seat_text(seat)}{_join_link(event, seat)}")
        label = short_when(event.starts_at, zone)
        row = [InlineKeyboardButton(f"✖ Cancelar {label}",
                                    callback_data=f"mr:cancel:{seat.registration_id}")]
        if seat.status is SeatStatus.CONFIRMED:
            row.append(InlineKeyboardButton("📅 Calendario",
                                            callback_data=f"mr:ics:{seat.registration_id}"))
        rows.append(row)
    rows.append(more)
    return (f"📝 <b>Mis registros</b> ({zone_label(zone)})\n\n" + "\n".join(lines),
            InlineKeyboardMarkup(rows))


def _join_link(event: EventSession, seat: Seat) -> str:
    """The session's join link on its own line, for a confirmed seat once it is known."""
    if seat.status is not SeatStatus.CONFIRMED or not event.join_url:
        return ""
    url = escape(event.join_url)
    return f'\n  Enlace: <a href="{url}">{url}</a>'


def own_sessions_screen(items: list[tuple[EventSession, Seat]], aspects: tuple[str, ...],
                        zone: ZoneInfo) -> Screen:
    """A question about the user's own sessions, answered from their registrations: date and
    time always, the join link (or when it comes), and cancel buttons when asked."""
    lines = [f"📝 <b>Sus sesiones</b> ({zone_label(zone)})"]
    rows = []
    for event, seat in items:
        line = f"• {when(event.starts_at, zone)} — {escape(event.title)}: {seat_text(seat)}"
        link = _join_link(event, seat)
        if "link" in aspects and not link and seat.status is SeatStatus.CONFIRMED:
            link = "\n  Enlace: aún no publicado; se lo enviaremos en cuanto el equipo lo tenga."
        lines.append(line + link)
        if "cancel" in aspects:
            rows.append([InlineKeyboardButton(f"✖ Cancelar {short_when(event.starts_at, zone)}",
                                              callback_data=f"mr:cancel:{seat.registration_id}")])
    rows.append([InlineKeyboardButton("📝 Mis registros", callback_data="menu:mine")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def confirm_cancel_screen(event: EventSession, zone: ZoneInfo, registration_id: int) -> Screen:
    """Ask before cancelling a seat."""
    return (f"¿Cancelar su registro a «{escape(event.title)}» del "
            f"{when(event.starts_at, zone)}?",
            InlineKeyboardMarkup([[
                InlineKeyboardButton("Sí, cancelar", callback_data=f"mr:cancel!:{registration_id}"),
                InlineKeyboardButton("No", callback_data="mr:keep"),
            ]]))


def my_data(snapshot: Snapshot, zone: ZoneInfo) -> str:
    """Everything stored about the user, in plain words."""
    parts = ["🔎 <b>Sus datos en Coopera</b>"]
    user = snapshot.user
    if user is not None:
        names = " ".join(x for x in (user.first_name, user.last_name) if x)
        parts.append(
            "<b>Telegram:</b> " + escape(names)
            + (f" (@{escape(user.username)})" if user.username else "")
            + f"\nPrimer contacto: {when(user.first_seen, zone)}"
            + f"\nÚltimo contacto: {when(user.last_seen, zone)}")
    profile = snapshot.profile
    if profile is not None:
        fields = [("Nombre", profile.full_name), ("Correo", profile.email),
                  ("Organización", profile.organization),
                  ("Sector", SECTORS.get(profile.sector or "", profile.sector)),
                  ("Estado", profile.state), ("Municipio", profile.municipality),
                  ("CLUNI", profile.cluni)]
        lines = [f"{label}: {escape(value)}" for label, value in fields if value]
        if profile.consent_at is not None:
            lines.append(f"Aceptó el aviso de privacidad (versión "
                         f"{escape(profile.consent_version or '')}) el "
                         f"{when(profile.consent_at, zone)}")
        parts.append("<b>Perfil de registro</b>\n" + "\n".join(lines))
    if snapshot.ally is not None:
        parts.append("<b>Directorio de aliados</b> (público; salir con /aliados)\n"
                     + alliance_notices.card(snapshot.ally))
    if snapshot.alerts is not None or snapshot.follows or snapshot.mutes or snapshot.watches:
        parts.append(alert_views.my_alerts(snapshot))
    if snapshot.registrations:
        parts.append("<b>Registros</b>\n" + "\n".join(
            f"• {when(e.starts_at, zone)} — {escape(e.title)}: {_STATUS.get(r.status, r.status)}"
            for e, r in snapshot.registrations))
    if snapshot.attendance:
        parts.append("<b>Asistencia</b>\n" + "\n".join(
            f"• {when(e.starts_at, zone)} — {escape(e.title)} ({_HOW.get(a.source, a.source)})"
            for e, a in snapshot.attendance))
    if snapshot.certificates:
        parts.append("<b>Constancias</b>\n" + "\n".join(
            f"• Folio <code>{escape(c.folio)}</code> a nombre de {escape(c.full_name)}, "
            f"emitida el {when(c.issued_at, zone)}"
            + (" (retirada)" if c.revoked_at else "") for c in snapshot.certificates))
    if snapshot.requests or snapshot.blocks:
        user_id = snapshot.user.id if snapshot.user else None
        lines = [f"• {'Enviada' if r.requester_id == user_id else 'Recibida'} el "
                 f"{when(r.created_at, zone)} ({_REQUEST.get(r.state, r.state)}): "
                 f"«{escape(r.message[:120])}»" for r in snapshot.requests]
        if snapshot.blocks:
            lines.append(f"• Perfiles que bloqueó: {snapshot.blocks}")
        parts.append("<b>Solicitudes de contacto en el directorio</b>\n" + "\n".join(lines))
    if snapshot.queued or snapshot.delivered:
        parts.append(f"<b>Mensajes del bot</b>\nPor enviarle (recordatorios, avisos…): "
                     f"{snapshot.queued}. Ya enviados: {snapshot.delivered}.")
    if snapshot.questions:
        recent = snapshot.questions[-10:]
        parts.append(f"<b>Preguntas guardadas</b> ({len(snapshot.questions)}; últimas "
                     f"{len(recent)})\n" + "\n".join(f"• «{escape(q.text[:120])}»" for q in recent))
    if snapshot.in_flow:
        parts.append("Tiene un formulario a medias (se borra con /cancelar).")
    if len(parts) == 1:
        parts.append("No tenemos datos suyos guardados.")
    parts.append("Para borrar todo, escriba /borrar_mis_datos.")
    return "\n\n".join(parts)


def confirm_erase_screen() -> Screen:
    """Ask before deleting the user's data."""
    return ("⚠️ ¿Desea <b>borrar sus datos personales</b>? Se borrarán su perfil, su nombre y "
            "usuario de Telegram, y sus registros quedarán solo como cifras anónimas (los de "
            "sesiones futuras se cancelan). Si tiene <b>constancias</b>, se retirarán: quien "
            "verifique su folio verá que fue retirada. Esta acción no se puede deshacer.",
            InlineKeyboardMarkup([[
                InlineKeyboardButton("Sí, borrar mis datos", callback_data="pd:erase!"),
                InlineKeyboardButton("No, conservarlos", callback_data="pd:keep"),
            ]]))


def erased(result: Erased) -> str:
    """What was deleted."""
    items = []
    if result.account:
        items.append("su nombre y usuario de Telegram")
    if result.profile:
        items.append("su perfil de registro (nombre, correo, organización, sector, estado…)")
    if result.alerts:
        items.append("sus alertas de convocatorias, las que sigue y las fuentes silenciadas")
    if result.directory:
        items.append("su perfil en el directorio de aliados y sus solicitudes de contacto")
    if result.registrations:
        items.append(f"el vínculo con sus {result.registrations} registro(s), que quedan como "
                     "cifras anónimas")
    if result.questions:
        items.append(f"el vínculo con sus {result.questions} pregunta(s) guardada(s)")
    if result.certificates:
        items.append(f"sus {result.certificates} constancia(s): quedan retiradas y así lo dirá "
                     "su verificación")
    if not items:
        return "No teníamos datos personales suyos guardados. Nada que borrar."
    return ("✅ Listo. Borramos:\n" + "\n".join(f"• {item}" for item in items)
            + "\n\nSi vuelve a escribirnos, empezaremos desde cero.")


def reminders_screen(on: bool | None) -> Screen:
    """Whether reminders are on, and the button to switch them."""
    if on is None:
        return ("Los recordatorios llegan 24 horas y 1 hora antes de cada sesión a la que se "
                "registre. Aún no tiene registros: use /registro.", None)
    if on:
        return ("🔔 Sus recordatorios están <b>activados</b>: le avisamos antes de cada sesión.",
                InlineKeyboardMarkup([[InlineKeyboardButton("🔕 Desactivar",
                                                            callback_data="rm:off")]]))
    return ("🔕 Sus recordatorios están <b>desactivados</b>.",
            InlineKeyboardMarkup([[InlineKeyboardButton("🔔 Activar", callback_data="rm:on")]]))
