"""Registration for conversatorios, as a user does it in Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import select

from bot.db.models import Profile, Registration
from bot.devapi.harness import ChatDriver, Harness, harness
from bot.events_file import load_cycle, parse_cycle
from bot.settings import Settings

CYCLE = """
id: ciclo-2030
title: "Alianzas para el territorio 2030"
organizers: [Secretaría de Ejemplo]
audience: [osc, municipio]
timezone: America/Mexico_City
sessions:
  - id: s1
    title: "Primera sesión"
    start: 2030-03-05T10:00
    duration_minutes: 120
    join_url: https://example.org/sala-1
    capacity: {capacity}
  - id: s2
    title: "Segunda sesión"
    start: 2030-03-12T10:00
    duration_minutes: 90
    join_url: https://example.org/sala-2
"""


async def import_cycle(bot: Harness, capacity: int = 300) -> None:
    services = bot.app.bot_data["services"]
    await services.events.import_cycle(parse_cycle(CYCLE.format(capacity=capacity), "c.yaml"),
                                       services.clock())


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    async with harness(settings) as running:
        await import_cycle(running)
        yield running


async def fill_profile(user: ChatDriver, *, sector: str = "OSC") -> None:
    reply = await user.send("/registro")
    assert "nombre completo" in reply.text
    assert "Primer" not in reply.text
    reply = await user.send("maría de la luz pérez")
    assert "correo electrónico" in reply.text
    reply = await user.send("maria@ejemplo.org")
    assert "organización o institución" in reply.text
    reply = await user.send("Red de Agua A.C.")
    assert "sector" in reply.text
    reply = await user.press(sector)
    assert "estado" in reply.text
    reply = await user.send("yucatan")
    assert "municipio" in reply.text
    reply = await user.send("Mérida")
    if sector == "OSC":
        assert "CLUNI" in reply.text
        reply = await user.press("Omitir")
    assert "Aviso de privacidad" in reply.text


async def test_full_registration_by_typing_and_buttons(bot: Harness) -> None:
    user = bot.user()
    await fill_profile(user)
    reply = await user.press("Acepto")
    assert "¿A qué sesiones" in reply.text
    await user.press("Todo el ciclo")
    reply = await user.press("Continuar")
    assert "Revise su registro" in reply.text
    assert "Nombre completo: María de la Luz Pérez" in reply.text
    assert "Estado: Yucatán" in reply.text and "Sector: OSC" in reply.text
    assert "martes 5 de marzo de 2030, 10:00 h — Primera sesión" in reply.text
    reply = await user.press("Confirmar")
    assert "¡Listo, María de la Luz Pérez!" in reply.text
    assert "Primera sesión: lugar confirmado" in reply.text
    assert "24 horas y 1 hora antes" in reply.text
    document = reply.messages[-1].document
    assert document is not None and document.file_name.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(document.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Primera sesión", "Segunda sesión"]
    start = events[0].decoded("DTSTART")
    assert (start.hour, str(start.tzinfo)) == (10, "America/Mexico_City")
    assert "https://example.org/sala-1" in str(events[0]["DESCRIPTION"])
    assert calendar.walk("VTIMEZONE") and events[0].walk("VALARM")
    services = bot.app.bot_data["services"]
    async with services.database.session() as session:
        profile = await session.get(Profile, user.id)
        rows = (await session.scalars(select(Registration))).all()
    assert profile is not None and profile.consent_version and profile.consent_at
    assert [(r.status, r.state, r.sector) for r in rows] == [
        ("confirmed", "Yucatán", "osc"), ("confirmed", "Yucatán", "osc")]


@pytest.mark.parametrize(("step_text", "bad", "error"), [
    ("nombre completo", "Ana", "nombre y al menos un apellido"),
    ("nombre completo", "Ana 123 Pérez", "números"),
])
async def test_invalid_name_is_corrected(bot: Harness, step_text: str, bad: str,
                                         error: str) -> None:
    user = bot.user()
    reply = await user.send("/registro")
    assert step_text in reply.text
    reply = await user.send(bad)
    assert reply.text.startswith("⚠️") and step_text in reply.text
    assert error in reply.text.lower() or error in reply.text


async def test_invalid_email_state_and_cluni_get_specific_corrections(bot: Harness) -> None:
    user = bot.user()
    await user.send("/registro")
    await user.send("Juan Pérez")
    reply = await user.send("juan@gmial.com")
    assert "⚠️" in reply.text and "gmail.com" in reply.text
    reply = await user.send("juan arroba correo")
    assert "⚠️" in reply.text and "correo electrónico" in reply.text
    await user.send("juan@correo.mx")
    await user.send("Colectivo Juan")
    await user.press("OSC")
    reply = await user.send("Texas")
    assert "No reconocí el estado" in reply.text
    reply = await user.press("Ver lista de estados")
    assert len(reply.edited[0].buttons) == 33
    reply = await user.press("Oaxaca")
    assert "municipio" in reply.text
    await user.press("Omitir")
    reply = await user.send("abc")
    assert "⚠️" in reply.text and "CLUNI" in reply.text


async def test_ambiguous_state_offers_options(bot: Harness) -> None:
    user = bot.user()
    for text in ["/registro", "Ana López", "ana@ejemplo.org", "Mi Org"]:
        await user.send(text)
    await user.press("Gobierno municipal")
    reply = await user.send("mexico")
    labels = [b["text"] for b in reply.last.buttons]
    assert "Ciudad de México" in labels and "Estado de México" in labels
    reply = await user.press("Estado de México")
    assert "municipio" in reply.text
    reply = await user.send("Toluca")
    assert "Aviso de privacidad" in reply.text  # no CLUNI for a municipality


async def test_back_correct_and_cancel_mid_way(bot: Harness) -> None:
    user = bot.user()
    await user.send("/registro")
    await user.send("Ana López")
    reply = await user.press("Atrás")
    assert "nombre completo" in reply.text
    await user.send("Ana María López")
    await user.send("ana@ejemplo.org")
    reply = await user.send("/cancelar")
    assert "cancelé la operación en curso" in reply.text
    reply = await user.send("q es el cluni")
    assert "CLUNI" in reply.text and "¿Le sirvió" in reply.text


async def test_resume_after_leaving(bot: Harness) -> None:
    user = bot.user()
    await user.send("/registro")
    await user.send("Ana López")
    reply = await user.send("/registro")
    assert "registro a medias" in reply.text and "correo electrónico" in reply.text


async def test_summary_correction_and_second_registration_reuses_profile(bot: Harness) -> None:
    user = bot.user()
    await fill_profile(user)
    await user.press("Acepto")
    await user.press("Primera sesión")
    reply = await user.press("Continuar")
    assert "Revise su registro" in reply.text and "Segunda sesión" not in reply.text
    reply = await user.press("Corregir")
    reply = await user.press("Organización")
    assert "organización o institución" in reply.text
    reply = await user.send("Red de Agua Limpia A.C.")
    assert "Revise su registro" in reply.text and "Red de Agua Limpia A.C." in reply.text
    await user.press("Confirmar")
    reply = await user.send("/registro")
    assert "¿A qué sesiones" in reply.text
    reply = await user.press("Segunda sesión")
    reply = await user.press("Continuar")
    assert "Red de Agua Limpia A.C." in reply.text
    reply = await user.press("Confirmar")
    assert "Segunda sesión: lugar confirmado" in reply.text


async def test_deep_link_to_a_session(bot: Harness) -> None:
    user = bot.user()
    await fill_profile(user)
    await user.press("Acepto")
    await user.press("Primera sesión")
    await user.press("Continuar")
    await user.press("Confirmar")
    reply = await user.send("/start registro_ciclo-2030_s2")
    assert "Revise su registro" in reply.text
    assert "Segunda sesión" in reply.text and "Primera sesión" not in reply.text
    reply = await user.send("/start registro_ciclo-2030_s9")
    assert "Ese enlace ya no es válido" in reply.text and "¡Hola" in reply.text
    reply = await user.send("/start registro_999999999999")
    assert "Ese enlace ya no es válido" in reply.text and "¡Hola" in reply.text


async def test_declining_consent_keeps_nothing(bot: Harness) -> None:
    user = bot.user()
    await fill_profile(user)
    reply = await user.press("No acepto")
    assert "sin su consentimiento no podemos registrarle" in reply.text
    services = bot.app.bot_data["services"]
    async with services.database.session() as session:
        assert await session.get(Profile, user.id) is None


async def test_stale_or_forged_form_buttons_are_refused(bot: Harness) -> None:
    user = bot.user()
    await fill_profile(user)
    for data in ["rg:sector:pick:osc", "rg:summary:confirm", "rg:sessions:toggle:999",
                 "rg:consent:maybe"]:
        reply = await user.press_data(data)
        assert reply.answer == {"text": "Esta opción ya no está disponible.",
                                "show_alert": False}


async def test_closed_cycle_shows_recordings(settings: Settings) -> None:
    async with harness(settings) as bot:
        services = bot.app.bot_data["services"]
        cycle = load_cycle(Path(__file__).parents[1] / "knowledge/eventos/cid-multiactor-2021.yaml")
        await services.events.import_cycle(cycle, services.clock())
        reply = await bot.user().send("/registro")
        assert "no hay sesiones con registro abierto" in reply.text
        assert "Este ciclo ya terminó." in reply.text
        assert "grabación" in reply.text


async def test_schedule_questions_are_answered_from_live_data(bot: Harness) -> None:
    user = bot.user()
    reply = await user.send("cuando es el proximo conversatorio?")
    agenda = reply.messages[-1]
    assert agenda.text is not None and agenda.text.startswith("🗓 Conversatorios")
    assert "martes 5 de marzo de 2030, 10:00 h — Primera sesión" in agenda.text
    assert "Este ciclo ya terminó." in agenda.text and "grabación" in agenda.text
    reply = await user.press("Registrarme: Alianzas para el territorio 2030", agenda)
    assert "nombre completo" in reply.text


async def test_invalid_organization_and_municipality_are_corrected(bot: Harness) -> None:
    user = bot.user()
    for text in ["/registro", "Ana López", "ana@ejemplo.org"]:
        await user.send(text)
    reply = await user.send("x")
    assert reply.text.startswith("⚠️") and "organización o institución" in reply.text
    await user.send("Colectivo Ana")
    await user.press("Gobierno municipal")
    await user.send("jalisco")
    reply = await user.send("1")
    assert reply.text.startswith("⚠️") and "municipio o alcaldía" in reply.text
    reply = await user.send("Zapopan")
    assert "Aviso de privacidad" in reply.text
