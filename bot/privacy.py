"""The privacy notice: its version, and its text with the operator's details filled in."""

from __future__ import annotations

import functools
import re
from importlib import resources

from bot.settings import Settings

# Operator details the notice names, by setting, with how the notice calls each one.
CONTROLLER = {
    "controller_name": ("COOPERA_CONTROLLER_NAME", "su nombre"),
    "controller_address": ("COOPERA_CONTROLLER_ADDRESS", "su domicilio"),
    "controller_contact": ("COOPERA_CONTROLLER_CONTACT", "un contacto para sus derechos ARCO"),
}
_VERSION = re.compile(r"\(versión ([0-9.-]+)\)")


@functools.cache
def _source() -> str:
    return resources.files("bot").joinpath("aviso_privacidad.md").read_text(encoding="utf-8")


def _version() -> str:
    found = _VERSION.search(_source())
    assert found is not None, "aviso_privacidad.md must say (versión …) in its title"
    return found.group(1)


# A new version asks everyone for consent again before their next registration.
NOTICE_VERSION = _version()


def missing(settings: Settings) -> list[str]:
    """The variables of operator details the notice still lacks."""
    return [variable for field, (variable, _) in CONTROLLER.items()
            if not getattr(settings, field)]


def _markdown_safe(value: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", value.strip())


def notice_markdown(settings: Settings) -> str:
    """The notice in Markdown, naming the operator, or saying plainly what is unpublished."""
    name = settings.controller_name
    controller = (f"**{_markdown_safe(name)}**" if name
                  else "La institución que opera este servicio de Coopera")
    address = settings.controller_address
    contact = settings.controller_contact
    lacking = [label for field, (_, label) in CONTROLLER.items() if not getattr(settings, field)]
    details = []
    if address:
        details.append(f"Domicilio: {_markdown_safe(address)}.")
    if contact:
        details.append("Para ejercer sus derechos ARCO o revocar su consentimiento fuera del "
                       f"bot, escriba a: {_markdown_safe(contact)}.")
    if lacking:
        details.append("**Aviso:** el operador de este servicio aún no ha publicado "
                       + _join(lacking) + ". Mientras tanto, puede ejercer sus derechos con "
                       "los comandos que se indican abajo.")
    return (_source().replace("{responsable}", controller)
            .replace("{datos_del_responsable}", " ".join(details)))


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " ni " + items[-1]
