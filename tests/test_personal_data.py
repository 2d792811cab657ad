"""Personal data: /mis_datos shows everything kept; the notice names who is responsable and
who receives the data, and a new version of it asks for consent again."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.db.models import Cycle, Profile, User
from bot.devapi.harness import ChatDriver, Harness, harness
from bot.privacy import NOTICE_VERSION
from bot.settings import Settings
from bot.signup import PRIVACY_VERSION
from tests.clock import FakeClock
from tests.conftest import STAFF_ID
from tests.test_registration import fill_profile, import_cycle

UTC = dt.UTC
BEFORE = dt.datetime(2030, 3, 1, tzinfo=UTC)
DURING = dt.datetime(2030, 3, 5, 16, 30, tzinfo=UTC)
OPERATOR = {"controller_name": "Secretaría de Ejemplo del Estado",
            "controller_address": "Av. Siempre Viva 742, Centro, 68000 Oaxaca, Oax.",
            "controller_contact": "datos.personales@ejemplo.gob.mx"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(BEFORE)


@pytest.fixture
async def bot(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    async with harness(settings, clock=clock) as running:
        await import_cycle(running)
        yield running


async def test_my_data_shows_attendance_and_certificates(bot: Harness, clock: FakeClock) -> None:
    user = bot.user()
    await fill_profile(user)
    await user.press("Acepto")
    await user.press("Primera sesión")
    await user.press("Continuar")
    await user.press("Confirmar")
    services = bot.app.bot_data["services"]
    async with services.database.sessions.begin() as session:
        cycle = await session.get(Cycle, "ciclo-2030")
        assert cycle is not None
        cycle.certificate_min_sessions = 1
    clock.set(DURING)
    reply = await bot.user(STAFF_ID).send("/codigo ciclo-2030/s1")
    code = reply.text.split("Código de asistencia: ")[1].split()[0]
    await user.send(f"/asistencia {code}")
    await user.send("/constancia")
    reply = await user.press("Sí, es correcto")
    folio = reply.messages[-1].document.file_name.removeprefix("constancia-").removesuffix(".pdf")
    reply = await user.send("/mis_datos")
    assert "<b>" not in reply.text
    assert "Asistencia\n• martes 5 de marzo de 2030, 10:00 h — Primera sesión (con código)" in (
        reply.text)
    assert f"Constancias\n• Folio {folio} a nombre de María de la Luz Pérez" in reply.text
    assert "Mensajes del bot\nPor enviarle (recordatorios, avisos…): " in reply.text
    assert f"versión {NOTICE_VERSION}" in reply.text


async def _notice(user: ChatDriver) -> str:
    await fill_profile(user)
    reply = await user.press("Leer el aviso completo")
    return reply.text


async def test_notice_says_plainly_when_the_operator_is_unpublished(bot: Harness) -> None:
    text = await _notice(bot.user())
    assert "el operador de este servicio aún no ha publicado su nombre, su domicilio ni un " \
           "contacto para sus derechos ARCO" in text
    assert "Las instituciones que organizan el conversatorio al que se registra" in text
    assert "reciben sus datos de registro y de asistencia" in text


async def test_notice_names_the_operator(settings: Settings, clock: FakeClock) -> None:
    configured = settings.model_copy(update=OPERATOR)
    async with harness(configured, clock=clock) as bot:
        await import_cycle(bot)
        text = await _notice(bot.user())
    assert "Secretaría de Ejemplo del Estado es responsable del tratamiento" in text
    assert "Domicilio: Av. Siempre Viva 742, Centro, 68000 Oaxaca, Oax." in text
    assert "fuera del bot, escriba a: datos.personales@ejemplo.gob.mx" in text
    assert "aún no ha publicado" not in text


async def test_a_new_notice_version_asks_for_consent_again(bot: Harness,
                                                          clock: FakeClock) -> None:
    assert PRIVACY_VERSION == NOTICE_VERSION
    services = bot.app.bot_data["services"]
    async with services.database.sessions.begin() as session:
        session.add(User(id=7001, first_name="Rosa", first_seen=clock(), last_seen=clock()))
        session.add(Profile(user_id=7001, full_name="Rosa Díaz", email="rosa@red.org",
                            organization="Red A.C.", sector="osc", state="Oaxaca",
                            municipality="Oaxaca de Juárez", consent_version="2026-11.2",
                            consent_at=clock(), updated_at=clock()))
    reply = await bot.user(7001, first_name="Rosa").send("/registro")
    assert "¿Acepta el aviso de privacidad?" in reply.text
