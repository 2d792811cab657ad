"""Staff: counts per session and exports (Telegram and CLI call the same function)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import openpyxl
import pytest

from bot.devapi.harness import Harness, harness
from bot.settings import Settings
from tests.conftest import STAFF_ID
from tests.test_cli import _env
from tests.test_mine import register_first_session
from tests.test_registration import CYCLE, import_cycle


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    async with harness(settings) as running:
        await import_cycle(running, capacity=1)
        for name in ("Ana", "Beto"):
            await register_first_session(running.user(first_name=name))
        yield running


async def test_counts_by_session_sector_and_state(bot: Harness) -> None:
    reply = await bot.user(STAFF_ID).send("/inscritos")
    assert "ciclo-2030/s1 · Primera sesión" in reply.text
    assert "Confirmados: 1 de 1 · En espera: 1 · Cancelados: 0" in reply.text
    assert "Por sector: OSC 1" in reply.text and "Por estado: Yucatán 1" in reply.text


async def test_csv_export_opens_in_excel_with_accents(bot: Harness) -> None:
    staff = bot.user(STAFF_ID)
    await staff.send("/inscritos")
    reply = await staff.press("CSV (todas)")
    document = reply.messages[-1].document
    assert document is not None and document.file_name.endswith(".csv")
    assert document.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert [(r["nombre"], r["estatus"], r["lugar_en_espera"]) for r in rows] == [
        ("María de la Luz Pérez", "confirmada", ""),
        ("María de la Luz Pérez", "lista de espera", "1")]
    assert rows[0]["estado"] == "Yucatán" and rows[0]["sesion"] == "s1"


async def test_xlsx_export_of_one_session(bot: Harness) -> None:
    staff = bot.user(STAFF_ID)
    await staff.send("/inscritos")
    reply = await staff.press("Excel ciclo-2030/s1")
    document = reply.messages[-1].document
    assert document is not None and document.file_name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(document.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("ciclo", "sesion", "titulo")
    assert [row[11] for row in values[1:]] == ["confirmada", "lista de espera"]


async def test_non_staff_cannot_see_or_export(bot: Harness) -> None:
    user = bot.user()
    reply = await user.send("/inscritos")
    assert reply.text.startswith("No reconozco el comando /inscritos.")
    await user.send("/start")
    reply = await user.press_data("st:exp:csv:all")
    assert reply.answer == {"text": "Esta opción ya no está disponible.", "show_alert": False}
    assert not reply.messages


def _cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=_env(DATABASE_URL=url),
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_imports_idempotently_and_exports(tmp_path: Path, database_url: str) -> None:
    source = tmp_path / "ciclo.yaml"
    source.write_text(CYCLE.format(capacity=10), encoding="utf-8")
    done = _cli("events", "import", str(source), url=database_url)
    assert done.returncode == 0, done.stderr
    assert "ciclo-2030: 2 sesiones nuevas, 0 actualizadas, 0 eliminadas." in done.stdout
    done = _cli("events", "import", str(source), url=database_url)
    assert "ciclo-2030: 0 sesiones nuevas, 2 actualizadas, 0 eliminadas." in done.stdout
    output = tmp_path / "lista.xlsx"
    done = _cli("export", "registrations", "--format", "xlsx", "--session", "ciclo-2030/s1",
                "--output", str(output), url=database_url)
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(output).active is not None
    done = _cli("export", "registrations", "--session", "ciclo-2030/s9", url=database_url)
    assert done.returncode == 1 and "No existe la sesión ciclo-2030/s9" in done.stderr


def test_cli_rejects_an_invalid_file_whole(tmp_path: Path, database_url: str) -> None:
    source = tmp_path / "malo.yaml"
    source.write_text(CYCLE.format(capacity=0).replace("title: \"Primera", "titel: \"Primera"),
                      encoding="utf-8")
    done = _cli("events", "import", str(source), url=database_url)
    assert done.returncode == 1
    assert "malo.yaml:" in done.stderr and "sessions[0]" in done.stderr
    assert "No se importó nada" in done.stderr


def test_kb_check_passes_on_the_shipped_base() -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "kb", "check"], env=_env(),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout
    assert "0 errores" in done.stdout
