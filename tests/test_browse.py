"""Browsing sources from the menu: applicant, theme, status, pages, back — in one message."""

from __future__ import annotations

import re

import pytest

import knowledge
from bot.devapi.harness import ChatDriver, Harness
from handlers.browse_views import Selection, parse


async def _open(bot: Harness) -> tuple[ChatDriver, int]:
    user = bot.user()
    await user.send("/start")
    reply = await user.press("Explorar fuentes")
    assert "Paso 1 de 3: ¿quién solicitaría el apoyo?" in reply.text
    return user, reply.last.message_id


async def test_browse_down_to_an_entry_editing_one_message(bot: Harness) -> None:
    user, browse_id = await _open(bot)
    reply = await user.press("OSC y asociaciones civiles")
    assert [m.message_id for m in reply.edited] == [browse_id] and not reply.messages
    assert "Paso 2 de 3" in reply.text
    reply = await user.press("Cualquier tema")
    assert "Paso 3 de 3" in reply.text
    reply = await user.press("Cualquier situación")
    assert "OSC y asociaciones civiles · cualquier tema · cualquier situación" in reply.text
    assert "página 1 de " in reply.text
    first_page = [b["text"] for b in reply.last.buttons]
    reply = await user.press("Siguiente ▶")
    assert "página 2 de " in reply.text
    assert [b["text"] for b in reply.last.buttons] != first_page
    reply = await user.press("◀ Anterior")
    assert [b["text"] for b in reply.last.buttons] == first_page
    reply = await user.press(first_page[0])
    assert reply.messages and "Verificado con: " in reply.text
    listing = next(m for m in user.messages if m.message_id == browse_id)
    reply = await user.press("Cambiar filtros", listing)
    assert "Paso 3 de 3" in reply.text


async def test_counts_narrow_with_each_choice(bot: Harness) -> None:
    user, _ = await _open(bot)
    await user.press("Municipios")
    reply = await user.press("6. Agua y saneamiento")
    assert "Municipios · ODS 6 Agua y saneamiento" in reply.text
    statuses = [b["text"] for b in reply.last.buttons]
    reply = await user.press("Cualquier situación")
    total = int(re.search(r"(\d+) fuentes? · página", reply.text).group(1))  # type: ignore[union-attr]
    counted = sum(int(re.search(r"\((\d+)\)", s).group(1))  # type: ignore[union-attr]
                  for s in statuses if re.search(r"\(\d+\)", s))
    # Sources that are no call (credits, alliances, references) carry no call status.
    calls = [e for e in knowledge.load().browse("municipio", 6) if e.status is not None]
    assert counted == len(calls) and total >= counted


async def test_back_returns_to_the_previous_step(bot: Harness) -> None:
    user, _ = await _open(bot)
    await user.press("Academia")
    reply = await user.press("↩ Atrás")
    assert "Paso 1 de 3" in reply.text


async def test_same_page_twice_is_harmless(bot: Harness) -> None:
    user, _ = await _open(bot)
    await user.press("Cualquiera")
    await user.press("Cualquier tema")
    await user.press("Cualquier situación")
    reply = await user.press_data("br:l:*:*:*:0")
    assert reply.answer is not None and "Lo siento" not in reply.text


@pytest.mark.parametrize("data", ["br:l:marcianos:6:*:0", "br:t:osc:5", "br:s:osc:99",
                                  "br:l:osc:6:zz:0", "br:x", "br:l:*:*:*:99999"])
async def test_forged_browse_data_is_refused(bot: Harness, data: str) -> None:
    user, _ = await _open(bot)
    reply = await user.press_data(data)
    assert reply.answer == {"text": "Esta opción ya no está disponible.", "show_alert": False}
    assert not reply.edited and not reply.messages


def test_parse_reads_only_well_formed_data() -> None:
    assert parse("br:a") == Selection("a")
    assert parse("br:l:osc:6:ab:2") is not None
    assert parse("br:l:osc:6:ab") is None
    assert parse("br:t:*") == Selection("t")
