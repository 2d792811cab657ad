"""Staff: /pendientes groups poorly answered questions; /recargar swaps the base safely."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import knowledge
from bot.devapi.harness import Harness, harness
from bot.kb import KnowledgeService
from bot.settings import Settings
from tests.conftest import STAFF_ID

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"


async def test_pending_groups_declined_and_disliked_questions(bot: Harness) -> None:
    for text in ["receta de mole poblano?", "¿receta del mole poblano?", "clima en merida"]:
        await bot.user().send(text)
    asker = bot.user()
    await asker.send("q es el cluni")
    await asker.press("👎 No")
    reply = await bot.user(STAFF_ID).send("/pendientes")
    assert "Preguntas pendientes" in reply.text
    lines = [line for line in reply.text.splitlines() if line[:1].isdigit()]
    assert lines[0].startswith("1. 2× «")
    assert "mole" in lines[0] and "sin respuesta 2" in lines[0]
    assert any("q es el cluni" in line and "👎 1" in line for line in lines)


async def test_pending_with_nothing_to_show(bot: Harness) -> None:
    reply = await bot.user(STAFF_ID).send("/pendientes")
    assert reply.text == "No hay preguntas pendientes. 🎉"


@pytest.mark.parametrize("command", ["/pendientes", "/recargar"])
async def test_non_staff_get_the_unknown_command_answer(bot: Harness, command: str) -> None:
    reply = await bot.user().send(command)
    assert reply.text.startswith(f"No reconozco el comando {command}.")


@pytest.fixture
async def editable(settings: Settings, tmp_path: Path) -> AsyncIterator[tuple[Harness, Path]]:
    base = tmp_path / "kb"
    shutil.copytree(SHIPPED, base, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    local = settings.model_copy(update={"knowledge_dir": base})
    async with harness(local) as running:
        yield running, base


async def test_reload_picks_up_an_edit(editable: tuple[Harness, Path]) -> None:
    bot, base = editable
    entry = base / "fuentes" / "fondo-semillas.md"
    entry.write_text(entry.read_text().replace("title: ", "title: Nuevo nombre — ", 1))
    staff = bot.user(STAFF_ID)
    reply = await staff.send("/recargar")
    size = len(knowledge.load(SHIPPED))
    done = f"✅ Base de conocimiento recargada: {size} entradas (antes {size})."
    assert reply.text.startswith(done)
    reply = await bot.user().send("fondo semillas para mujeres")
    assert "Nuevo nombre — " in reply.text


async def test_a_broken_base_never_replaces_the_good_one(editable: tuple[Harness, Path]) -> None:
    bot, base = editable
    (base / "temas" / "roto.md").write_text("---\nid: roto\nkind: tema\n---\nsin campos\n")
    entry = base / "fuentes" / "fondo-semillas.md"
    entry.write_text(entry.read_text().replace("verified: ", "verified: ayer # ", 1))
    reply = await bot.user(STAFF_ID).send("/recargar")
    size = len(knowledge.load(SHIPPED))
    assert f"tiene errores y no se cargó; sigue activa la anterior ({size} entradas)" in reply.text
    assert "roto.md" in reply.text and "fondo-semillas.md" in reply.text
    reply = await bot.user().send("q es el cluni")
    assert "CLUNI" in reply.text


async def test_other_replicas_follow_a_reload(editable: tuple[Harness, Path]) -> None:
    bot, base = editable
    services = bot.app.bot_data["services"]
    other = await KnowledgeService.open(services.database, base)
    assert not await other.follow()
    await services.knowledge.reload(services.clock())
    assert await other.follow()
    assert other.version == services.knowledge.version
