"""Texts the directory sends through the outbox, and the public card of an entry."""

from __future__ import annotations

from html import escape

from bot.alliance_form import EXCHANGES
from bot.db.models import AllyProfile
from bot.signup import SECTORS


def card(profile: AllyProfile) -> str:
    """The public profile: never the Telegram id nor any contact detail."""
    place = escape(profile.state) + (f", {escape(profile.municipality)}"
                                     if profile.municipality else "")
    lines = [f"🤝 <b>{escape(profile.name)}</b>",
             f"{escape(SECTORS.get(profile.sector, profile.sector))} · {place}",
             "ODS: " + ", ".join(str(t) for t in profile.themes)]
    if profile.offers:
        lines.append("Ofrece: " + ", ".join(EXCHANGES[c] for c in profile.offers))
    if profile.seeks:
        lines.append("Busca: " + ", ".join(EXCHANGES[c] for c in profile.seeks))
    lines.append(f"<i>{escape(profile.description)}</i>")
    return "\n".join(lines)


def request(requester: AllyProfile, message: str) -> str:
    """A contact request as the other party receives it."""
    return ("📨 <b>Solicitud de contacto</b> desde el directorio de aliados\n\n"
            f"{card(requester)}\n\n<b>Su mensaje:</b>\n«{escape(message)}»\n\n"
            "Si acepta, ambas partes recibirán los datos de contacto de la otra. "
            "Si no, no compartimos nada.")


def contact(profile: AllyProfile, username: str | None, email: str | None) -> str:
    """The contact details of one party, once a request is accepted."""
    details = [f"Telegram: @{escape(username)}" if username else "",
               f"Correo: {escape(email)}" if email else ""]
    shown = "\n".join(d for d in details if d) or (
        "No tiene usuario de Telegram ni correo registrado; puede esperar a que le escriba.")
    return f"<b>{escape(profile.name)}</b>\n{shown}"


def accepted(other: AllyProfile, details: str) -> str:
    """To the requester: the other party said yes."""
    return (f"✅ <b>{escape(other.name)}</b> aceptó su solicitud de contacto. "
            f"Estos son sus datos:\n\n{details}\n\n¡Que sea el inicio de una buena alianza!")


def declined(other: AllyProfile) -> str:
    """To the requester: a polite no, without any detail."""
    return (f"Gracias por su interés. Por ahora <b>{escape(other.name)}</b> no puede atender "
            "su solicitud de contacto. Le invitamos a seguir buscando aliados con /aliados.")
