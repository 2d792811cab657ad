"""Registration journeys a first-day participant takes (issue 15): picker, going back, links."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.devapi.harness import ChatDriver, Harness, harness
from bot.events_file import load_cycle, parse_cycle
from bot.settings import Settings
from tests.test_registration import fill_profile, import_cycle


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    async with harness(settings) as running:
        await import_cycle(running)
        yield running


def labels(reply_or_buttons: object) -> list[str]:
    buttons = getattr(reply_or_buttons, "buttons", reply_or_buttons)
    return [b["text"] for b in buttons]  # type: ignore[attr-defined]


async def open_picker(user: ChatDriver) -> list[str]:
    await fill_profile(user)
    reply = await user.press("Acepto")
    assert "¿A qué sesiones" in reply.text
    return labels(reply.last)


async def test_session_picker_shows_the_state_of_every_option(bot: Harness) -> None:
    user = bot.user()
    shown = await open_picker(user)
    # Nothing is marked yet, and nothing reads as if it were.
    assert shown[0] == "☐ Todo el ciclo (2 sesiones)"
    assert all(not label.startswith(("✅", "☑")) for label in shown)
    assert not any("Continuar" in label for label in shown)
    assert "Aún no ha marcado ninguna sesión" in (user.messages[-1].text or "")
    # A Continuar left on an older keyboard is never taken silently.
    reply = await user.press_data("rg:sessions:done")
    assert reply.answer is not None and reply.answer["show_alert"] is True
    assert "ninguna sesión" in reply.answer["text"] and not reply.messages
    reply = await user.press("Primera sesión")
    edited = labels(reply.edited[0])
    assert edited[0].startswith("☐ Todo el ciclo") and edited[1].startswith("☑")
    assert edited[2].startswith("☐") and "Continuar con 1 sesión ▶" in edited
    assert "Marcó 1 sesión de 2" in reply.text
    reply = await user.press("Todo el ciclo")
    edited = labels(reply.edited[0])
    assert edited[0] == "☑ Todo el ciclo (2 sesiones)"
    assert "Continuar con 2 sesiones ▶" in edited and "todo el ciclo" in reply.text
    reply = await user.press("Todo el ciclo")  # and off again
    boxes = [label for label in labels(reply.edited[0]) if "Atrás" not in label
             and "Cancelar" not in label]
    assert len(boxes) == 3 and all(label.startswith("☐") for label in boxes)
    await user.press("Todo el ciclo")
    reply = await user.press("Continuar")
    assert "Revise su registro" in reply.text and "Segunda sesión" in reply.text


async def test_going_back_to_the_sector_asks_the_state_again(bot: Harness) -> None:
    user = bot.user()
    for text in ["/registro", "Ana López", "ana@ejemplo.org", "Colectivo del Valle"]:
        await user.send(text)
    await user.press("OSC")
    reply = await user.send("oaxaca")
    assert "municipio" in reply.text
    reply = await user.press("Atrás")
    assert "¿En qué estado" in reply.text
    reply = await user.press("Atrás")
    assert "sector" in reply.text
    reply = await user.press("Gobierno municipal")
    assert "¿En qué estado se encuentra?" in reply.text
    assert "municipio" not in reply.text
    reply = await user.send("Yucatán")
    assert "municipio" in reply.text
    reply = await user.send("Mérida")
    assert "Aviso de privacidad" in reply.text  # no CLUNI outside OSC
    await user.press("Acepto")
    await user.press("Primera sesión")
    reply = await user.press("Continuar")
    assert "Estado: Yucatán" in reply.text and "Municipio: Mérida" in reply.text
    assert "Sector: Gobierno municipal" in reply.text and "CLUNI" not in reply.text


async def test_going_back_from_the_cluni_to_the_sector_re_asks_what_follows(bot: Harness) -> None:
    user = bot.user()
    for text in ["/registro", "Ana López", "ana@ejemplo.org", "Colectivo del Valle"]:
        await user.send(text)
    await user.press("Gobierno municipal")
    await user.send("Oaxaca")
    reply = await user.send("Tlacolula de Matamoros")
    assert "Aviso de privacidad" in reply.text
    for _ in range(3):
        reply = await user.press("Atrás")
    assert "sector" in reply.text
    reply = await user.press("OSC")
    assert "estado" in reply.text
    reply = await user.send("Oaxaca")
    assert "municipio" in reply.text
    reply = await user.send("Tlacolula de Matamoros")
    assert "CLUNI" in reply.text


OTHER_CYCLE = """
id: ciclo-otono-2030
title: "Gobiernos locales y cooperación descentralizada 2030"
organizers: [Secretaría de Ejemplo]
audience: [municipio]
timezone: America/Mexico_City
sessions:
  - id: s1
    title: "Hermanamientos"
    start: 2030-09-03T10:00
    duration_minutes: 90
"""

MEXICO = ZoneInfo("America/Mexico_City")
SOON_CYCLE = """
id: ciclo-pronto
title: "Ciclo que empieza pronto"
organizers: [Secretaría de Ejemplo]
audience: [osc]
timezone: America/Mexico_City
sessions:
  - id: s1
    title: "Sesión pronta"
    start: {start}
    duration_minutes: 60
"""


async def register_first_session(user: ChatDriver) -> None:
    await open_picker(user)
    await user.press("Primera sesión")
    await user.press("Continuar")
    reply = await user.press("Confirmar")
    assert "Primera sesión: lugar confirmado" in reply.text


async def test_link_to_a_session_already_held_says_so(bot: Harness) -> None:
    user = bot.user()
    await register_first_session(user)
    reply = await user.send("/start registro_ciclo-2030_s1")
    assert "Ya está registrado en «Primera sesión»" in reply.text
    assert "lugar confirmado" in reply.text and "Revise su registro" not in reply.text
    assert "📝 Mis registros" in labels(reply.last)


async def test_link_to_a_past_cycle_offers_the_open_one(bot: Harness) -> None:
    services = bot.app.bot_data["services"]
    cycle = load_cycle(Path(__file__).parents[1] / "knowledge/eventos/cid-multiactor-2021.yaml")
    await services.events.import_cycle(cycle, services.clock())
    user = bot.user()
    reply = await user.send("/start registro_cid-multiactor-2021_s1")
    assert "ya terminó" in reply.text and "Ahora tiene registro abierto" in reply.text
    assert "Alianzas para el territorio 2030" in reply.text
    reply = await user.press("Alianzas para el territorio 2030")
    assert "nombre completo" in reply.text and "Alianzas para el territorio 2030" in reply.text


async def test_two_open_cycles_registro_asks_which(bot: Harness) -> None:
    services = bot.app.bot_data["services"]
    await services.events.import_cycle(parse_cycle(OTHER_CYCLE, "o.yaml"), services.clock())
    user = bot.user()
    reply = await user.send("/registro")
    assert "Hay 2 ciclos de conversatorios con registro abierto" in reply.text
    shown = labels(reply.last)
    # Whole names on the buttons, never cut mid-word.
    assert "📝 Registrarme: Alianzas para el territorio 2030" in shown
    assert "📝 Gobiernos locales y cooperación descentralizada 2030" in shown
    reply = await user.press("Gobiernos locales")
    assert "nombre completo" in reply.text and "descentralizada 2030" in reply.text


async def test_confirmation_promises_only_reminders_still_ahead(bot: Harness) -> None:
    services = bot.app.bot_data["services"]
    soon = (services.clock() + dt.timedelta(hours=3)).astimezone(MEXICO)
    await services.events.import_cycle(parse_cycle(SOON_CYCLE.format(
        start=soon.strftime("%Y-%m-%dT%H:%M")), "p.yaml"), services.clock())
    user = bot.user()
    reply = await user.send("/start registro_ciclo-pronto_s1")
    assert "nombre completo" in reply.text
    for text in ["Ana López", "ana@ejemplo.org", "Red de Agua A.C."]:
        await user.send(text)
    await user.press("Academia")
    await user.send("Yucatán")
    await user.press("Omitir")
    reply = await user.press("Acepto")
    assert "Revise su registro" in reply.text  # the linked session is already chosen
    reply = await user.press("Confirmar")
    assert "Sesión pronta: lugar confirmado" in reply.text
    assert "Le recordaremos la sesión 1 hora antes." in reply.text
    assert "24 horas" not in reply.text


async def test_a_sentence_is_no_name_and_an_unknown_domain_ending_no_email(bot: Harness) -> None:
    user = bot.user()
    await user.send("/registro")
    reply = await user.send("No acepto nada")
    assert reply.text.startswith("⚠️ Eso no parece un nombre") and "nombre completo" in reply.text
    reply = await user.send("Me llamo Ana López")
    assert "correo electrónico" in reply.text
    reply = await user.send("ana@tlacolula.gob")
    assert "⚠️" in reply.text and "«.gob» sola no existe" in reply.text
    assert "ana@tlacolula.gob.mx" in reply.text
    reply = await user.send("ana@tlacolula.gob.mx")
    assert "organización o institución" in reply.text
    await user.send("Municipio de Tlacolula")
    await user.press("Gobierno municipal")
    await user.send("Oaxaca")
    await user.send("Tlacolula de Matamoros")
    await user.press("Acepto")
    await user.press("Primera sesión")
    reply = await user.press("Continuar")
    assert "Nombre completo: Ana López" in reply.text
    assert "Correo electrónico: ana@tlacolula.gob.mx" in reply.text
