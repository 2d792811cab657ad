"""Staff: /pendientes groups poorly answered questions; /recargar swaps the base safely."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import string
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import insert

import knowledge
from bot import commands
from bot.db.models import QuestionLog
from bot.devapi.harness import Harness, harness
from bot.devapi.html import utf16_len
from bot.kb import KnowledgeService
from bot.settings import Settings
from knowledge.check import stats
from tests.conftest import STAFF_ID

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"


async def test_pending_groups_declined_and_disliked_questions(bot: Harness) -> None:
    for text in ["¿receta de mole poblano?", "receta del mole poblano?",
                 "¿cómo se prepara el pozole?"]:
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
    assert reply.text.startswith("No hay preguntas pendientes. 🎉\n\nEstado de la base\n")
    assert "Organizaciones sin ficha" not in reply.text and "Mensajes" not in reply.text


async def log_rows(bot: Harness, rows: list[dict[str, object]]) -> None:
    """Questions as other replicas logged them earlier (ids and times given)."""
    now = bot.app.bot_data["services"].clock()
    async with bot.app.bot_data["services"].database.sessions.begin() as session:
        await session.execute(insert(QuestionLog), [
            {"id": 900_000 + n, "asked_at": now - dt.timedelta(minutes=n), "user_id": None,
             "decision": "unknown"} | row for n, row in enumerate(rows)])


async def test_pending_shows_the_most_asked_missing_organisations_first(bot: Harness) -> None:
    await log_rows(bot, [{"text": "q", "organisation": name} for name in
                         ["fundacion walmart", "Fundación Walmart", "FUNDACIÓN WALMART",
                          "Fundación Walmart"]])
    for text in ["¿la Fundación Patito Feliz da donativos?", "¿receta de mole poblano?"]:
        await bot.user().send(text)
    reply = await bot.user(STAFF_ID).send("/pendientes")
    lines = reply.text.splitlines()
    assert lines[:3] == ["Organizaciones sin ficha más preguntadas (últimos 180 días):",
                         "• Fundación Walmart — 4 preguntas",
                         "• Fundación Patito Feliz — 1 pregunta"]
    assert reply.text.index("Organizaciones") < reply.text.index("Preguntas pendientes")


async def test_pending_shows_the_state_of_the_base(bot: Harness) -> None:
    reply = await bot.user(STAFF_ID).send("/pendientes")
    health = stats(knowledge.load())
    block = reply.text[reply.text.index("Estado de la base"):].splitlines()
    assert block[1].startswith(f"Fuentes ({health['fuentes']['total']}) por antigüedad de la "
                               "evidencia: ")
    for age, count in health["evidence age"].items():
        assert f"{age}: {count}" in block[1]
    stale, missing = health["stale periodic"], health["no official link"]
    assert block[2].startswith(f"Periódicas sin convocatoria reciente ({len(stale)}): ")
    assert block[3].startswith(f"Sin sitio oficial ({len(missing)}): ")
    for line, ids in ((block[2], stale), (block[3], missing)):
        assert ids[0] in line if ids else line.endswith(": —")


async def test_pending_fits_one_message_however_much_there_is(bot: Harness) -> None:
    letters = random.Random(7)
    unlike = [" ".join("".join(letters.choices(string.ascii_lowercase, k=9)) for _ in range(25))
              for _ in range(60)]
    await log_rows(bot, [{"text": text, "decision": "decline", "organisation": None}
                         for text in unlike]
                   + [{"text": "x", "organisation": f"Fundación Número {n} " + "Ñ" * 120}
                      for n in range(30)]
                   + [{"text": "🙏" * 500, "decision": "mensaje", "organisation": None}
                      for _ in range(8)])
    reply = await bot.user(STAFF_ID).send("/pendientes")
    [message] = reply.messages
    assert utf16_len(message.text or "") <= 4096
    assert "grupos más: coopera kb gaps" in reply.text and "Estado de la base" in reply.text


async def test_kb_gaps_lists_missing_organisations_first(
        bot: Harness, settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    await log_rows(bot, [{"text": "q", "organisation": name}
                         for name in ["Embajada de Noruega", "embajada de noruega"]])
    await bot.user().send("¿receta de mole poblano?")
    await bot.app.bot_data["services"].questions.flush()
    capsys.readouterr()
    assert await commands.kb_gaps(settings) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["Organizaciones sin ficha más preguntadas:",
                       "  Embajada de Noruega — 2 preguntas"]
    assert "¿receta de mole poblano?" in out[3]


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
