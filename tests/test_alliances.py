"""The alliance directory, as members and staff use it in Telegram (and the CLI export)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.models import AllyProfile, AllyRequest, Flow, Profile
from bot.devapi.harness import ChatDriver, Harness, harness
from bot.settings import Settings
from tests.clock import FakeClock
from tests.conftest import STAFF_ID
from tests.test_staff_events import _cli

START = dt.datetime(2030, 1, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def bot(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    async with harness(settings, clock=clock) as running:
        yield running


async def join(user: ChatDriver, name: str, state: str = "Oaxaca", themes: tuple[str, ...] = (
        "13. Clima",), offers: tuple[str, ...] = ("capacitación",),
        seeks: tuple[str, ...] = ("financiamiento",), consent: bool = True) -> str:
    """Fill the directory form by typing and pressing, as a person would; the last reply."""
    await user.send("/aliados")
    reply = await user.press("Unirme al directorio")
    assert "nombre de su organización" in reply.text
    await user.send(name)
    await user.press("Academia")
    reply = await user.send(state)
    assert "municipio" in reply.text
    reply = await user.press("Omitir")
    for label in themes:
        reply = await user.press(label)
        assert reply.edited and not reply.messages
    reply = await user.press("Continuar")
    assert "ofrece" in reply.text
    for label in offers:
        await user.press(label)
    reply = await user.press("Continuar")
    assert "busca" in reply.text
    for label in seeks:
        await user.press(label)
    await user.press("Continuar")
    reply = await user.send(f"Trabajamos en {state} por la justicia climática y el agua.")
    assert "Antes de publicar" in reply.text
    reply = await user.press("Acepto publicarlo" if consent else "No, gracias")
    return reply.text


async def count(bot: Harness, model: type) -> int:
    async with bot.app.bot_data["services"].database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_opt_in_prefills_from_registration_and_asks_consent(bot: Harness) -> None:
    user = bot.user(username="redagua")
    async with bot.app.bot_data["services"].database.sessions.begin() as session:
        session.add(Profile(user_id=user.id, full_name="Ana Pérez", email="ana@redagua.org",
                            organization="Red de Agua A.C.", sector="osc", state="Yucatán",
                            municipality="Mérida", updated_at=START))
    reply = await user.send("/start")
    reply = await user.press("Buscar aliados")
    reply = await user.press("Unirme al directorio")
    assert reply.last.buttons[0]["text"] == "✔ Usar: Red de Agua A.C."
    for label in ("Usar: Red de Agua", "Usar: OSC", "Usar: Yucatán", "Usar: Mérida"):
        reply = await user.press(label)
    reply = await user.send("mexico")
    assert "Elija al menos" not in reply.text and "temas (ODS)" in reply.text
    reply = await user.press("Continuar")
    assert "Elija al menos un tema" in reply.text
    await user.press("6. Agua")
    for _ in range(3):
        await user.press("Continuar")
    reply = await user.send("x" * 301)
    assert "máximo 300" in reply.text
    reply = await user.send("Defendemos el derecho humano al agua en la península.")
    assert "será público" in reply.text
    assert "Nunca mostramos su Telegram ni su correo" in reply.text
    assert "el correo de su registro" in reply.text
    reply = await user.press("Acepto publicarlo")
    assert "Su perfil ya está en el directorio" in reply.text
    assert "Red de Agua A.C." in reply.text and "Yucatán, Mérida" in reply.text
    assert "ana@redagua.org" not in reply.text and "redagua" not in reply.text.replace(
        "Red de Agua", "")
    reply = await user.send("/mis_datos")
    assert "Directorio de aliados" in reply.text


async def test_refusing_consent_stores_nothing(bot: Harness) -> None:
    text = await join(bot.user(), "Colectivo Sur", consent=False)
    assert "no publicamos nada" in text
    assert await count(bot, AllyProfile) == 0 and await count(bot, Flow) == 0


async def test_search_filters_and_pagination_in_place(bot: Harness) -> None:
    for number in range(4):
        await join(bot.user(), f"Oaxaca Org {number}", themes=("13. Clima",))
    await join(bot.user(), "Yucatán Org", state="Yucatán", seeks=("datos",))
    searcher = bot.user()
    await searcher.send("/aliados")
    reply = await searcher.press("Buscar")
    reply = await searcher.press("Estado: Todos")
    reply = await searcher.press("Oaxaca")
    assert "Filtros: Oaxaca" in reply.text
    reply = await searcher.press("Ver resultados")
    message = reply.edited[0]
    assert "4</b> resultados" in reply.text or "4 resultados" in reply.text
    assert "página 1 de 2" in reply.text and "Oaxaca Org 0" in reply.text
    assert "Oaxaca Org 3" not in reply.text and "Yucatán Org" not in reply.text
    reply = await searcher.press("Siguiente")
    assert reply.edited[0].message_id == message.message_id and not reply.messages
    assert "página 2 de 2" in reply.text and "Oaxaca Org 3" in reply.text
    for user_id in range(10_001, 10_006):
        assert str(user_id) not in reply.text
        assert all(str(user_id) not in b["callback_data"] for b in reply.last.buttons)
    await searcher.press("Cambiar filtros")
    await searcher.press("Estado: Oaxaca")
    await searcher.press("Cualquiera")
    await searcher.press("Ofrece/busca")
    await searcher.press("Busca datos")
    reply = await searcher.press("Ver resultados")
    assert "1 resultado" in reply.text.replace("</b>", "") and "Yucatán Org" in reply.text
    await searcher.press("Cambiar filtros")
    await searcher.press("Tema: Todos")
    reply = await searcher.press("1. Fin de la pobreza")
    reply = await searcher.press("Ver resultados")
    assert "No encontramos perfiles" in reply.text


async def request_contact(bot: Harness, requester: ChatDriver, target: str) -> str:
    await requester.send("/aliados")
    await requester.press("Buscar")
    reply = await requester.press("Ver resultados")
    while f"Solicitar contacto: {target}" not in str(reply.last.buttons):
        reply = await requester.press("Siguiente")
    reply = await requester.press(f"Solicitar contacto: {target}")
    if "Escriba un mensaje breve" not in reply.text:
        return reply.text
    reply = await requester.send("Hola, queremos colaborar en un proyecto de agua.")
    await bot.drain()
    return reply.text


async def test_accepted_request_gives_both_contact_details(bot: Harness) -> None:
    ana, beto = bot.user(username="ana_osc"), bot.user(first_name="Beto", username="beto_gob")
    await join(ana, "Red de Agua A.C.")
    await join(beto, "Municipio Verde")
    sent = await request_contact(bot, ana, "Municipio Verde")
    assert "Enviamos su solicitud a <b>" not in sent and "Enviamos su solicitud" in sent
    request = beto.messages[-1]
    assert "Solicitud de contacto" in (request.text or "")
    assert "Red de Agua A.C." in (request.text or "") and "colaborar" in (request.text or "")
    assert "ana_osc" not in (request.text or "")
    reply = await beto.press("Aceptar", request)
    assert "Aceptó la solicitud" in reply.text and "@ana_osc" in reply.text
    await bot.drain()
    assert "aceptó su solicitud" in ana.messages[-1].text and "@beto_gob" in ana.messages[-1].text
    reply = await beto.press_data("ac:yes:1", request)
    assert reply.answer == {"text": "Esta opción ya no está disponible.", "show_alert": False}


async def test_declined_request_leaks_nothing(bot: Harness) -> None:
    ana, beto = bot.user(username="ana_osc"), bot.user(username="beto_gob")
    await join(ana, "Red de Agua A.C.")
    await join(beto, "Municipio Verde")
    await request_contact(bot, ana, "Municipio Verde")
    reply = await beto.press("Rechazar", beto.messages[-1])
    assert "Rechazó la solicitud" in reply.text and "ana_osc" not in reply.text
    await bot.drain()
    assert "no puede atender su solicitud" in ana.messages[-1].text
    assert all("beto_gob" not in (m.text or "") for m in ana.messages)
    assert all("ana_osc" not in (m.text or "") for m in beto.messages)


async def test_blocking_and_pausing_stop_requests(bot: Harness) -> None:
    ana, beto, carla = bot.user(), bot.user(), bot.user()
    for user, name in ((ana, "Red de Agua A.C."), (beto, "Municipio Verde"),
                       (carla, "Universidad del Sur")):
        await join(user, name)
    await request_contact(bot, ana, "Municipio Verde")
    reply = await beto.press("Bloquear solicitudes", beto.messages[-1])
    assert "Bloqueó las solicitudes" in reply.text
    await bot.drain()
    assert "no puede atender" in ana.messages[-1].text
    assert "no está recibiendo solicitudes" in await request_contact(bot, ana, "Municipio Verde")
    assert "Enviamos su solicitud" in await request_contact(bot, carla, "Municipio Verde")
    await beto.send("/aliados")
    reply = await beto.press("Pausar solicitudes")
    assert "en pausa" in reply.text
    assert "no está recibiendo solicitudes" in await request_contact(bot, carla,
                                                                     "Municipio Verde")


async def test_leaving_removes_the_profile_at_once(bot: Harness) -> None:
    ana, beto = bot.user(), bot.user()
    await join(ana, "Red de Agua A.C.")
    await join(beto, "Municipio Verde")
    await request_contact(bot, ana, "Municipio Verde")
    request = beto.messages[-1]
    await beto.send("/aliados")
    reply = await beto.press("Salir del directorio")
    assert "ya no aparece en el directorio" in reply.text
    assert await count(bot, AllyProfile) == 1
    reply = await beto.press("Aceptar", request)
    assert reply.answer == {"text": "Esta opción ya no está disponible.", "show_alert": False}
    await ana.send("/aliados")
    await ana.press("Buscar")
    reply = await ana.press("Ver resultados")
    assert "Municipio Verde" not in reply.text and "No encontramos perfiles" in reply.text


async def test_at_most_five_requests_a_day(bot: Harness, clock: FakeClock) -> None:
    ana = bot.user()
    await join(ana, "Red de Agua A.C.")
    for number in range(6):
        await join(bot.user(), f"Aliada {number}")
    for number in range(5):
        assert "Enviamos su solicitud" in await request_contact(bot, ana, f"Aliada {number}")
    assert "máximo de 5 solicitudes" in await request_contact(bot, ana, "Aliada 5")
    assert await count(bot, AllyRequest) == 5
    clock.set(START + dt.timedelta(hours=25))
    assert "Enviamos su solicitud" in await request_contact(bot, ana, "Aliada 5")


async def test_requester_must_be_listed_and_forged_buttons_are_refused(bot: Harness) -> None:
    await join(bot.user(), "Municipio Verde")
    outsider = bot.user()
    assert "primero únase al directorio" in await request_contact(bot, outsider,
                                                                  "Municipio Verde")
    for data in ("ac:yes:999", "ay:f:themes:toggle:18", "as:l:XX:_:_:_:0", "ay:f:name:keep"):
        reply = await outsider.press_data(data)
        assert reply.answer == {"text": "Esta opción ya no está disponible.", "show_alert": False}


async def test_erasing_my_data_removes_profile_and_requests(bot: Harness) -> None:
    ana, beto = bot.user(), bot.user()
    await join(ana, "Red de Agua A.C.")
    await join(beto, "Municipio Verde")
    await request_contact(bot, ana, "Municipio Verde")
    await ana.send("/borrar_mis_datos")
    reply = await ana.press("Sí, borrar mis datos")
    assert "directorio de aliados" in reply.text
    assert await count(bot, AllyProfile) == 1 and await count(bot, AllyRequest) == 0


async def test_staff_stats_and_csv_export(bot: Harness, database_url: str,
                                          tmp_path: Path) -> None:
    user = bot.user(username="secreto")
    await join(user, "Red, «Agua» A.C.", themes=("13. Clima", "6. Agua"))
    await join(bot.user(), "Municipio Verde", state="Yucatán")
    reply = await user.send("/aliados_stats")
    assert reply.text.startswith("No reconozco el comando /aliados_stats.")
    reply = await user.press_data("ax:csv")
    assert reply.answer == {"text": "Esta opción ya no está disponible.", "show_alert": False}
    staff = bot.user(STAFF_ID)
    reply = await staff.send("/aliados_stats")
    assert "2 perfiles" in reply.text and "Oaxaca: 1" in reply.text
    assert "ODS 13. Clima: 2" in reply.text and "ODS 6. Agua y saneamiento: 1" in reply.text
    reply = await staff.press("Exportar directorio")
    document = reply.messages[-1].document
    assert document is not None and document.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert [(r["nombre"], r["estado"], r["temas_ods"]) for r in rows] == [
        ("Municipio Verde", "Yucatán", "13"), ("Red, «Agua» A.C.", "Oaxaca", "6; 13")]
    assert rows[0]["ofrece"] == "capacitación" and rows[0]["sector"] == "Academia"
    assert "secreto" not in document.content.decode("utf-8-sig")
    assert str(user.id) not in document.content.decode("utf-8-sig")
    output = tmp_path / "aliados.csv"
    done = _cli("export", "allies", "--output", str(output), url=database_url)
    assert done.returncode == 0, done.stderr
    assert output.read_bytes() == document.content
