"""Texts for check-in, certificates and verification."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from bot.attendance import CheckIn, Imported, Marked
from bot.certificates import Standing, Verification
from bot.dates import when
from bot.db.models import Certificate, EventSession
from bot.wording import count

CHECKIN_USAGE = "Escriba el código que se anunció en la sesión, por ejemplo: /asistencia K7M3Q9"
VERIFY_USAGE = "Escriba el folio de la constancia, por ejemplo: /verificar CPA-7K3M-Q9XW-H2TD"
SESSION_USAGE = ("Indique la sesión como <code>ciclo/sesión</code>, por ejemplo "
                 "<code>cid-2030/s1</code>.")
MARK_USAGE = "Uso: /marcar ciclo/sesión ID_DE_TELEGRAM [quitar]"
SEND_ALL_USAGE = "Uso: /enviar_constancias ID_DEL_CICLO"
SEND_REPORT = ("Envíe ahora el archivo CSV de participantes que exporta la plataforma de "
               "videoconferencia (Zoom). Para salir: /cancelar")
NO_REGISTRATIONS = ("Aún no tiene registros en conversatorios. Las constancias se entregan a "
                    "quienes asisten a las sesiones; regístrese con /registro.")
FINISHED = "Ese ciclo ya terminó: es historia y su asistencia ya no se puede cambiar."
ASK_NAME = "Escriba su nombre completo tal como debe aparecer en la constancia."


def checkin(result: CheckIn, event: EventSession | None) -> str:
    """One clear answer per outcome of a check-in."""
    title = f"«{escape(event.title)}»" if event else ""
    return {
        CheckIn.OK: f"✅ Registramos su asistencia a {title}. ¡Gracias por participar!",
        CheckIn.WRONG_CODE: "Ese código no es válido. Revíselo e inténtelo de nuevo.",
        CheckIn.TOO_EARLY: f"La sesión {title} aún no empieza; registre su asistencia "
                           "durante ella.",
        CheckIn.TOO_LATE: f"El registro de asistencia de {title} ya cerró.",
        CheckIn.NOT_REGISTERED: f"No encontramos su registro en {title}; no podemos contar su "
                                "asistencia.",
        CheckIn.ALREADY: f"Su asistencia a {title} ya estaba registrada.",
    }[result]


def standing(found: Standing) -> str:
    """'Asistió a 3 de 6; necesita 4.'"""
    title = escape(found.cycle.title)
    of_total = f"{len(found.attended)} de {count(found.total, 'sesión')}"
    if found.needed is None:
        return f"{title}: asistió a {of_total}. Este ciclo no da constancia."
    if found.eligible:
        return (f"🎓 {title}: asistió a {of_total}; su constancia está "
                "lista.")
    return (f"{title}: asistió a {of_total}; necesita {found.needed} "
            "para recibir la constancia.")


def confirm_name(name: str) -> str:
    """Ask once to confirm the spelling of the name."""
    return (f"Su constancia saldrá a nombre de <b>{escape(name)}</b>. ¿Está bien escrito "
            "(acentos incluidos)?")


def caption(certificate: Certificate) -> str:
    """Caption of the PDF."""
    return (f"🎓 Constancia de participación. Folio <code>{escape(certificate.folio)}</code>; "
            "cualquiera puede verificarla con /verificar.")


def verification(found: Verification, zone: ZoneInfo) -> str:
    """Genuine, withdrawn, or not valid."""
    certificate = found.certificate
    if certificate is None:
        return "❌ Ese folio no corresponde a ninguna constancia válida."
    if certificate.revoked_at is not None:
        return (f"⚠️ La constancia <code>{escape(certificate.folio)}</code> fue retirada a "
                "petición de su titular.")
    return (f"✅ Constancia auténtica.\nFolio: <code>{escape(certificate.folio)}</code>\n"
            f"Otorgada a: <b>{escape(certificate.full_name)}</b>\n"
            f"Ciclo: {escape(found.cycle_title or certificate.cycle_id)}\n"
            f"Emitida: {when(certificate.issued_at, zone)}")


def code(value: str) -> str:
    """The check-in code for staff to announce."""
    return (f"Código de asistencia: <code>{value}</code>\nAnúncielo durante la sesión; las "
            f"personas registradas escriben /asistencia {value}")


def marked(present: bool, result: Marked) -> str:
    """After marking by hand."""
    if result is Marked.FINISHED:
        return FINISHED
    if result is Marked.NOT_REGISTERED:
        return ("Esa persona no está registrada en esta sesión; solo se marca la asistencia de "
                "quienes se registraron.")
    if result is Marked.UNCHANGED:
        return "Sin cambios: ya estaba así."
    return "Asistencia registrada." if present else "Asistencia retirada."


def imported(result: Imported) -> str:
    """How a participant report was matched."""
    lines = [f"Reporte importado: <b>{result.matched}</b> asistencias registradas.",
             f"Con menos de {result.minimum} minutos: {len(result.below_minimum)}."]
    if result.unknown:
        shown = ", ".join(escape(e) for e in result.unknown[:30])
        more = f" y {len(result.unknown) - 30} más" if len(result.unknown) > 30 else ""
        lines.append(f"Correos sin registro: {shown}{more}.")
    return "\n".join(lines)


def queued(sent: int, asked: int) -> str:
    """After queuing a cycle's certificates."""
    text = f"En cola: {count(sent, 'constancia')} (se envían a ritmo seguro)."
    if asked:
        text += (f" A {count(asked, 'persona')} le pedimos confirmar su nombre antes." if asked == 1
                 else f" A {count(asked, 'persona')} les pedimos confirmar su nombre antes.")
    return text
