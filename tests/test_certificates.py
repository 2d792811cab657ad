"""Attendance (check-in, participant report, by hand) and certificates anyone can verify."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from bot.db.models import Profile, User
from bot.devapi.harness import Harness, harness
from bot.events_file import parse_cycle
from bot.settings import Settings
from tests.clock import FakeClock
from tests.conftest import STAFF_ID
from tests.test_cli import _env

UTC = dt.UTC
CYCLE = """
id: ciclo-2030
title: "Alianzas para el territorio 2030"
organizers: [Secretaría de Ejemplo, Agencia de Ejemplo]
audience: [osc]
timezone: America/Mexico_City
certificate: {min_sessions: 2}
attendance: {grace_minutes: 30, min_minutes: 45}
sessions:
  - {id: s1, title: "Primera sesión", start: 2030-03-05T10:00, duration_minutes: 120}
  - {id: s2, title: "Segunda sesión", start: 2030-03-12T10:00, duration_minutes: 120}
"""
S1 = dt.datetime(2030, 3, 5, 16, tzinfo=UTC)
S2 = dt.datetime(2030, 3, 12, 16, tzinfo=UTC)
PEOPLE = {3001: ("maría josé núñez peña", "maria@red.org"), 3002: ("Jorge Ramírez", "jr@ayto.mx"),
          3003: ("Lupita Hernández", "lupita@correo.mx")}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2030, 3, 1, tzinfo=UTC))


@pytest.fixture
async def bot(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    async with harness(settings, clock=clock) as running:
        services = running.app.bot_data["services"]
        await services.events.import_cycle(parse_cycle(CYCLE, "c.yaml"), clock())
        async with services.database.sessions.begin() as session:
            for user_id, (name, email) in PEOPLE.items():
                session.add(User(id=user_id, first_name="P", first_seen=clock(),
                                 last_seen=clock()))
                session.add(Profile(user_id=user_id, full_name=name, email=email,
                                    organization="Red Comunitaria del Agua, A.C.",
                                    sector="osc", state="Oaxaca", updated_at=clock()))
        for user_id in PEOPLE:
            running.emulator.chat_for({"id": user_id, "first_name": "P"})
        for event in await services.events.sessions("ciclo-2030"):
            for user_id in PEOPLE:
                await services.registrations.register(user_id, event.id, clock())
        yield running


async def staff_code(bot: Harness, ref: str) -> str:
    reply = await bot.user(STAFF_ID).send(f"/codigo {ref}")
    return reply.text.split("Código de asistencia: ")[1].split()[0]


async def test_check_in_with_right_and_wrong_codes_and_windows(bot: Harness,
                                                               clock: FakeClock) -> None:
    code = await staff_code(bot, "ciclo-2030/s1")
    user, stranger = bot.user(3001), bot.user()
    reply = await user.send(f"/asistencia {code}")
    assert "aún no empieza" in reply.text
    clock.set(S1 + dt.timedelta(minutes=10))
    reply = await user.send("/asistencia ZZZZZZ")
    assert "Ese código no es válido" in reply.text
    reply = await user.send(f"/asistencia {code.lower()}")
    assert reply.text.startswith("✅ Registramos su asistencia a «Primera sesión»")
    reply = await user.send(f"/asistencia {code}")
    assert "ya estaba registrada" in reply.text
    reply = await stranger.send(f"/asistencia {code}")
    assert "No encontramos su registro" in reply.text
    clock.set(S1 + dt.timedelta(minutes=151))
    reply = await bot.user(3002).send(f"/asistencia {code}")
    assert "ya cerró" in reply.text
    reply = await bot.user(3002).send("/asistencia")
    assert "Escriba el código" in reply.text


def zoom_report() -> bytes:
    rows = ["Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
            "María,maria@red.org,03/05/2030 10:00:00 AM,03/05/2030 10:20:00 AM,20,Yes",
            "María,MARIA@RED.ORG ,03/05/2030 10:25:00 AM,03/05/2030 10:55:00 AM,30,Yes",
            "Jorge,jr@ayto.mx,03/05/2030 10:00:00 AM,03/05/2030 10:30:00 AM,30,Yes",
            "Otro,desconocido@x.mx,03/05/2030 10:00:00 AM,03/05/2030 12:00:00 PM,120,Yes"]
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")


async def test_participant_report_upload_counts_rejoins_and_unknowns(bot: Harness) -> None:
    staff = bot.user(STAFF_ID)
    reply = await staff.send("/importar_asistencia ciclo-2030/s1")
    assert "Envíe ahora el archivo CSV" in reply.text
    reply = await staff.upload("participantes.csv", zoom_report())
    assert "Reporte importado: 1 asistencias registradas." in reply.text
    assert "Con menos de 45 minutos: 1." in reply.text
    assert "Correos sin registro: desconocido@x.mx." in reply.text
    reply = await bot.user(3001).send("/constancia")
    assert "asistió a 1 de 2 sesiones; necesita 2" in reply.text


async def test_certificate_with_confirmed_name_verified_and_revoked(bot: Harness,
                                                                   clock: FakeClock) -> None:
    staff = bot.user(STAFF_ID)
    for ref in ("ciclo-2030/s1", "ciclo-2030/s2"):
        reply = await staff.send(f"/marcar {ref} 3001")
        assert "Asistencia registrada." in reply.text
    reply = await staff.send("/marcar ciclo-2030/s2 3001 quitar")
    assert "Asistencia retirada." in reply.text
    reply = await staff.send("/marcar ciclo-2030/s2 30013001300130013001")
    assert reply.text == "Uso: /marcar ciclo/sesión ID_DE_TELEGRAM [quitar]"
    user = bot.user(3001)
    reply = await user.send("/constancia")
    assert "asistió a 1 de 2 sesiones; necesita 2" in reply.text
    await staff.send("/marcar ciclo-2030/s2 3001")
    reply = await user.send("/constancia")
    assert "asistió a 2 de 2 sesiones; su constancia está lista" in reply.text
    assert "maría josé núñez peña" in reply.text
    await user.press("Corregir")
    reply = await user.send("María José Núñez Peña")
    document = reply.messages[-1].document
    assert document is not None and document.file_name.endswith(".pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(document.content)).pages)
    flat = " ".join(text.split())
    assert "María José Núñez Peña" in flat and "Alianzas para el territorio 2030" in flat
    folio = document.file_name.removeprefix("constancia-").removesuffix(".pdf")
    assert folio in flat
    images = [Image.open(io.BytesIO(i.data)) for p in PdfReader(io.BytesIO(document.content)).pages
              for i in p.images]
    decoded = [r.text for image in images for r in zxingcpp.read_barcodes(image)]
    assert f"https://t.me/CooperaBot?start=verificar_{folio}" in decoded
    again = await user.send("/constancia")
    assert again.messages[-1].document.file_name == document.file_name  # same folio
    reply = await bot.user().send(f"/verificar {folio.lower()}")
    assert "Constancia auténtica" in reply.text and "María José Núñez Peña" in reply.text
    reply = await bot.user().send(f"/start verificar_{folio}")
    assert "Constancia auténtica" in reply.text
    reply = await bot.user().send("/verificar CPA-2222-3333-4444")
    assert "no corresponde a ninguna constancia válida" in reply.text
    reply = await bot.user().send("/verificar hola")
    assert "no corresponde a ninguna constancia válida" in reply.text
    await user.send("/borrar_mis_datos")
    reply = await user.press("Sí, borrar mis datos")
    assert "constancia(s): quedan retiradas" in reply.text
    reply = await bot.user().send(f"/verificar {folio}")
    assert "fue retirada a petición de su titular" in reply.text


async def test_bulk_sending_through_the_outbox(bot: Harness) -> None:
    staff = bot.user(STAFF_ID)
    services = bot.app.bot_data["services"]
    for ref in ("ciclo-2030/s1", "ciclo-2030/s2"):
        for user_id in (3001, 3002):
            await staff.send(f"/marcar {ref} {user_id}")
    await services.certificates.confirm_name(3002, None, services.clock())
    reply = await staff.send("/enviar_constancias ciclo-2030")
    assert "En cola: 1 constancia " in reply.text and "A 1 persona le pedimos" in reply.text
    await bot.drain()
    jorge = [m for m in bot.emulator.chats[3002].messages if m.document]
    assert jorge and jorge[0].document.file_name.endswith(".pdf")
    maria = bot.emulator.chats[3001].messages
    assert any("/constancia para confirmar su nombre" in (m.text or "") for m in maria)
    assert not bot.emulator.chats.get(3003) or not bot.emulator.chats[3003].messages


@pytest.mark.parametrize("command", ["/codigo ciclo-2030/s1", "/marcar ciclo-2030/s1 3001",
                                     "/importar_asistencia ciclo-2030/s1",
                                     "/enviar_constancias ciclo-2030"])
async def test_non_staff_refused_on_staff_paths(bot: Harness, command: str) -> None:
    reply = await bot.user().send(command)
    assert reply.text.startswith("No reconozco el comando")


async def test_cli_import_and_verify(bot: Harness, tmp_path: Path, database_url: str) -> None:
    report = tmp_path / "zoom.csv"
    report.write_bytes(zoom_report())

    async def cli(*args: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, env=_env(DATABASE_URL=database_url),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(process.communicate(), 120)
        return process.returncode or 0, out.decode()

    code, out = await cli("attendance", "import", str(report), "--session", "ciclo-2030/s1")
    assert code == 0 and "1 asistencias registradas; 1 con menos de 45 minutos" in out
    code, out = await cli("certificates", "verify", "CPA-2222-3333-4444")
    assert code == 1 and "NO VÁLIDA" in out

