"""Browsing sources from the menu: applicant, theme, state, status, pages, back — in one message."""

from __future__ import annotations

import re
from itertools import product
from pathlib import Path

import pytest

import knowledge
from bot.devapi.harness import ChatDriver, Harness, Reply
from handlers.browse_buttons import LAST_PAGE, STATE_PAGES, Selection, encode, parse
from handlers.views import STATUS_CODES
from knowledge.geography import STATES
from knowledge.schema import Applicant
from tests.knowledge_fixtures import entry_data, write_entry


async def _open(bot: Harness) -> tuple[ChatDriver, int]:
    user = bot.user()
    await user.send("/start")
    reply = await user.press("Explorar fuentes")
    assert "Paso 1 de 4: ¿quién solicitaría el apoyo?" in reply.text
    return user, reply.last.message_id


async def test_browse_down_to_an_entry_editing_one_message(bot: Harness) -> None:
    user, browse_id = await _open(bot)
    reply = await user.press("OSC y asociaciones civiles")
    assert [m.message_id for m in reply.edited] == [browse_id] and not reply.messages
    assert "Paso 2 de 4" in reply.text
    reply = await user.press("Cualquier tema")
    assert "Paso 3 de 4" in reply.text
    reply = await user.press("Todo el país")
    assert "Paso 4 de 4" in reply.text
    reply = await user.press("Cualquier situación")
    assert ("OSC y asociaciones civiles · cualquier tema · cualquier situación · todo el país"
            in reply.text)
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
    assert "Paso 4 de 4" in reply.text


async def test_counts_narrow_with_each_choice(bot: Harness) -> None:
    user, _ = await _open(bot)
    await user.press("Municipios")
    await user.press("6. Agua y saneamiento")
    reply = await user.press("Todo el país")
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
    assert "Paso 1 de 4" in reply.text


async def test_same_page_twice_is_harmless(bot: Harness) -> None:
    user, _ = await _open(bot)
    await user.press("Cualquiera")
    await user.press("Cualquier tema")
    await user.press("Todo el país")
    await user.press("Cualquier situación")
    reply = await user.press_data("br:l:*:*:*:0")
    assert reply.answer is not None and "Lo siento" not in reply.text


@pytest.mark.parametrize("data", [
    "br:l:marcianos:6:*:0", "br:t:osc:5", "br:s:osc:99", "br:l:osc:6:zz:0", "br:x",
    "br:l:*:*:*:99999", "br:l:*:*:*:100", "br:l:*:*:*:9999", "br:e:*:*:3", "br:e:*:*:9999",
    "br:e:*:*", "br:s:*:*:XX", "br:s:*:*:oax", "br:l:osc:6:*:0:ATL", "br:l:osc:6:*:0:OAX:1",
    "br:l:osc:6:*:0:", "br:e:osc:6:0:OAX", "br:a:OAX"])
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


def test_parse_reads_what_encode_writes_within_64_bytes() -> None:
    applicants = [None, *Applicant]
    themes = [None, 1, 17]
    statuses = [None, *STATUS_CODES]
    for a, t, s, state in product(applicants, themes, statuses, [None, *STATES]):
        for sel in (Selection("s", a, t, state=state),
                    Selection("l", a, t, s, LAST_PAGE, state),
                    *(Selection("e", a, t, page=p) for p in range(STATE_PAGES))):
            data = encode(sel)
            assert len(data.encode()) <= 64 and parse(data) == sel, data
    # Lists written before the state step (and by answers) read as the whole country.
    assert parse("br:l:municipio:6:*:0") == Selection("l", Applicant.MUNICIPIO, 6)
    assert parse("br:s:osc:*:OAX") == Selection("s", Applicant.OSC, state="Oaxaca")
    # Pages beyond the bounds are never written.
    assert encode(Selection("l", page=LAST_PAGE + 5)).endswith(f":{LAST_PAGE}")


def _listed(reply: Reply) -> list[str]:
    return [b["callback_data"].removeprefix("kb:e:") for b in reply.last.buttons
            if b["callback_data"].startswith("kb:e:")]


async def test_a_state_keeps_national_sources_and_those_working_there(bot: Harness) -> None:
    base = knowledge.load()
    user, browse_id = await _open(bot)
    await user.press("Cualquiera")
    reply = await user.press("Cualquier tema")
    assert "Paso 3 de 4: ¿en qué estado de la República" in reply.text
    assert "Estados, página 1 de 3" in reply.text and f"Todo el país ({len(base.browse())})" in str(
        reply.last.buttons)
    assert "Oaxaca" not in str(reply.last.buttons)
    reply = await user.press("Más estados ▶")
    assert "Estados, página 2 de 3" in reply.text
    [label] = [b["text"] for b in reply.last.buttons if b["text"].startswith("Oaxaca (")]
    reply = await user.press("Oaxaca (")
    assert "Paso 4 de 4" in reply.text and "· en Oaxaca" in reply.text
    reply = await user.press("Cualquier situación")
    assert [m.message_id for m in reply.edited] == [browse_id] and not reply.messages
    assert "cualquier situación · en Oaxaca" in reply.text
    total = int(re.search(r"(\d+) fuentes · página 1 de (\d+)", reply.text).group(1))  # type: ignore[union-attr]
    assert f"Oaxaca ({total})" == label
    seen, texts = _listed(reply), [reply.text]
    while any(b["text"] == "Siguiente ▶" for b in reply.last.buttons):
        reply = await user.press("Siguiente ▶")
        seen += _listed(reply)
        texts.append(reply.text)
    assert len(seen) == total
    assert seen == [e.id for e in base.browse(state="Oaxaca")]
    entries = [base.get(i) for i in seen]
    assert all(e is not None and e.covers("Oaxaca") and e.coverage is not None
               for e in entries)
    assert {e.id for e in base.entries if isinstance(e.coverage, list)
            and "Oaxaca" not in e.coverage}.isdisjoint(seen)
    assert "fahho-home-runs-banamex" in seen and "fundacion-kellogg-mexico" not in seen
    listed = "\n".join(texts)
    assert "Dónde trabaja cada una:" in listed and ": todo México" in listed
    assert "solo Oaxaca y Ciudad de México" in listed
    # Back from the situation step returns to the page of states that holds Oaxaca.
    await user.press("Cambiar filtros")
    reply = await user.press("↩ Atrás")
    assert "Estados, página 2 de 3" in reply.text and "Oaxaca (" in str(reply.last.buttons)


async def test_state_counts_follow_applicant_and_theme(bot: Harness) -> None:
    base = knowledge.load()
    user, _ = await _open(bot)
    await user.press("OSC y asociaciones civiles")
    reply = await user.press("6. Agua y saneamiento")
    chiapas = len(base.browse("osc", 6, state="Chiapas"))
    assert f"Chiapas ({chiapas})" in [b["text"] for b in reply.last.buttons]
    reply = await user.press("Chiapas (")
    counts = [int(m) for b in reply.last.buttons
              for m in re.findall(r"\((\d+)\)$", b["text"]) if "Cualquier" not in b["text"]]
    with_status = [e for e in base.browse("osc", 6, state="Chiapas") if e.status is not None]
    assert sum(counts) == len(with_status)


async def test_a_list_from_an_answer_still_opens_for_the_whole_country(bot: Harness) -> None:
    user, _ = await _open(bot)
    reply = await user.press_data("br:l:municipio:6:*:0")
    assert "Municipios · ODS 6 Agua y saneamiento · cualquier situación · todo el país" in (
        reply.text)


def test_browse_and_facets_take_a_state(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("nacional", themes=[6]))
    write_entry(tmp_path, entry_data("sureste", coverage=["Chiapas", "Yucatán"], themes=[6]))
    write_entry(tmp_path, entry_data("norte", coverage=["Chihuahua"], status="abierta",
                                     themes=[4]))
    base = knowledge.load(tmp_path)
    assert [e.id for e in base.browse(state="Chiapas")] == ["nacional", "sureste"]
    assert [e.id for e in base.browse("osc", 4, "abierta", "Chihuahua")] == ["norte"]
    assert base.browse(theme=4, state="Yucatán") == []
    assert len(base.browse()) == 3 and len(base.browse("osc", 6)) == 2
    facets = base.facets(theme=6)
    assert facets.states["Chiapas"] == 2 and facets.states["Oaxaca"] == 1
    assert list(facets.states) == list(STATES)
    assert base.facets(state="Chihuahua").themes == {4: 1, 6: 1}
    with pytest.raises(ValueError):
        base.browse(state="Atlántida")
