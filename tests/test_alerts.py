"""Funding-call alerts: digests on reload, deadline reminders, mutes, the profile editor."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.alert_notices import DIGEST_MAX, digest
from bot.alert_profiles import Preferences
from bot.db.models import OutboxMessage
from bot.devapi.harness import ChatDriver, Harness, harness
from bot.kb import KnowledgeService
from bot.settings import Settings
from knowledge.schema import Entry
from tests.clock import FakeClock
from tests.conftest import STAFF_ID
from tests.knowledge_fixtures import entry_data, write_entry
from tests.test_mine import calm

UTC = dt.UTC
SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"
START = dt.datetime(2030, 3, 1, 12, tzinfo=UTC)  # 06:00 in Mexico City
FIRST_DIGEST = dt.datetime(2030, 3, 1, 15, 0, 1, tzinfo=UTC)  # just after 09:00 there
NEXT_DAY = dt.timedelta(days=1)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def editable(settings: Settings, tmp_path: Path,
                   clock: FakeClock) -> AsyncIterator[tuple[Harness, Path]]:
    base = tmp_path / "kb"
    shutil.copytree(SHIPPED, base, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    local = settings.model_copy(update={"knowledge_dir": base})
    async with harness(local, clock=clock) as running:
        yield running, base


def open_call(base: Path, entry_id: str, **fields: Any) -> None:
    """Write an open funding call (OSC, water by default) into the base."""
    values: dict[str, Any] = {"status": "abierta", "applicants": ["osc"], "themes": [6],
                              "title": f"Convocatoria {entry_id}", "closes": "2030-03-20"}
    write_entry(base, entry_data(entry_id, **(values | fields)))


async def reload(bot: Harness) -> None:
    reply = await bot.user(STAFF_ID).send("/recargar")
    assert reply.text.startswith("✅ Base de conocimiento recargada")


async def choose(user: ChatDriver, *labels: str) -> None:
    """Set an alert profile through /alertas by pressing the given buttons."""
    await user.send("/alertas")
    for label in labels:
        await user.press(label)


def alerts(user: ChatDriver) -> list[str]:
    return [m.text or "" for m in user.messages if (m.text or "").startswith("🔔 Se abri")]


def deadlines(user: ChatDriver) -> list[str]:
    return [m.text or "" for m in user.messages if (m.text or "").startswith("⏳")]


async def outbox(bot: Harness, kind: str) -> list[OutboxMessage]:
    async with bot.app.bot_data["services"].database.session() as session:
        return list((await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == kind).order_by(OutboxMessage.id))).all())


async def test_a_new_open_call_reaches_matching_users_once(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    osc, town, climate, blocked, silent = (bot.user() for _ in range(5))
    await choose(osc, "OSC y asociaciones")
    await choose(town, "Municipios")
    await choose(climate, "OSC y asociaciones", "Temas (ODS)", "13 Clima")
    await choose(blocked, "OSC y asociaciones")
    await silent.send("/start")
    await bot.app.bot_data["services"].users.mark_blocked(blocked.id, clock())
    open_call(base, "agua-limpia")
    await reload(bot)
    await bot.drain()
    assert alerts(osc) == []  # digests go out at 09:00, local time
    clock.set(FIRST_DIGEST)
    await bot.drain()
    [digest] = alerts(osc)
    assert "Convocatoria agua-limpia" in digest and "Cierra el 20 de marzo de 2030" in digest
    for other in (town, climate, blocked, silent):
        assert alerts(other) == []
    await reload(bot)
    clock.set(FIRST_DIGEST + NEXT_DAY)
    await bot.drain()
    assert len(alerts(osc)) == 1


async def test_two_calls_the_same_day_make_one_digest_and_replicas_add_nothing(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    services = bot.app.bot_data["services"]
    other = await KnowledgeService.open(services.database, base)
    other.listeners.append(lambda old, new: services.alerts.calls_changed(old, new, clock()))
    user = bot.user()
    await choose(user, "OSC y asociaciones")
    open_call(base, "agua-limpia")
    await reload(bot)
    open_call(base, "huertos-urbanos", themes=[2])
    await reload(bot)
    [row] = await outbox(bot, "alert")
    assert await other.follow()
    [same] = await outbox(bot, "alert")
    assert same.payload == row.payload
    clock.set(FIRST_DIGEST)
    await bot.drain()
    [digest] = alerts(user)
    assert "Se abrieron convocatorias" in digest
    assert "Convocatoria agua-limpia" in digest and "Convocatoria huertos-urbanos" in digest
    open_call(base, "becas-rurales")
    await reload(bot)  # after today's digest: it waits for tomorrow's
    await other.follow()
    clock.set(FIRST_DIGEST + NEXT_DAY)
    await bot.drain()
    assert len(alerts(user)) == 2 and "becas-rurales" in alerts(user)[1]


async def follow(user: ChatDriver, entry_id: str) -> None:
    reply = await user.send(f"pregunta uno de {entry_id}")
    assert f"Convocatoria {entry_id}" in reply.text
    reply = await user.press("Avisarme antes del cierre")
    assert "le recordaré el cierre" in reply.text


async def test_deadline_reminders_once_each_and_never_after_closing(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    open_call(base, "agua-limpia")
    await reload(bot)
    user = bot.user()
    await follow(user, "agua-limpia")
    clock.set(dt.datetime(2030, 3, 13, 15, 0, 1, tzinfo=UTC))
    await bot.drain()
    await bot.drain()
    [week] = deadlines(user)
    assert "cierra en 7 días, el 20 de marzo de 2030" in week
    late = bot.user()
    clock.set(dt.datetime(2030, 3, 18, 16, tzinfo=UTC))
    await follow(late, "agua-limpia")  # only the reminder of the last day is still ahead
    assert [r.dedup_key.rsplit(":", 1)[1] for r in await outbox(bot, "deadline")
            if r.recipient == late.id] == ["1"]
    clock.set(dt.datetime(2030, 3, 19, 15, 0, 1, tzinfo=UTC))
    await bot.drain()
    assert len(deadlines(user)) == 2 and "cierra mañana" in deadlines(user)[1]
    assert len(deadlines(late)) == 1
    clock.set(dt.datetime(2030, 3, 21, 6, 0, 1, tzinfo=UTC))
    await bot.drain()
    assert len(deadlines(user)) == 2 and len(deadlines(late)) == 1


async def test_unfollowing_and_closing_stop_reminders(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    open_call(base, "agua-limpia")
    await reload(bot)
    quitter, sleeper = bot.user(), bot.user()
    await follow(quitter, "agua-limpia")
    await follow(sleeper, "agua-limpia")
    reply = await quitter.press("Dejar de seguir")
    assert "ya no le recordaré" in (reply.answer or {}).get("text", "")
    clock.set(dt.datetime(2030, 3, 21, 7, tzinfo=UTC))  # the bot was down until after closing
    await bot.drain()
    assert deadlines(quitter) == [] and deadlines(sleeper) == []
    states = {(r.recipient, r.state) for r in await outbox(bot, "deadline")}
    assert states == {(quitter.id, "cancelled"), (sleeper.id, "dropped")}


async def test_a_muted_source_stays_silent(editable: tuple[Harness, Path],
                                           clock: FakeClock) -> None:
    bot, base = editable
    muter, keeper = bot.user(), bot.user()
    await choose(muter, "OSC y asociaciones")
    await choose(keeper, "OSC y asociaciones")
    open_call(base, "agua-limpia")
    await reload(bot)
    clock.set(FIRST_DIGEST)
    await bot.drain()
    reply = await muter.press("No me interesa")
    assert "no le avisaré más" in (reply.answer or {}).get("text", "")
    open_call(base, "agua-limpia", status="cerrada")
    await reload(bot)
    open_call(base, "agua-limpia", closes="2030-04-30")  # the call opens again
    await reload(bot)
    clock.set(FIRST_DIGEST + NEXT_DAY)
    await bot.drain()
    assert len(alerts(muter)) == 1 and len(alerts(keeper)) == 2


async def test_the_profile_is_edited_in_one_message(editable: tuple[Harness, Path],
                                                    clock: FakeClock) -> None:
    bot, base = editable
    user = bot.user()
    await user.send("/start")
    first = await user.press("Alertas de convocatorias")
    [screen] = first.messages
    assert "Elija qué tipo de solicitante" in screen.text
    for label in ("OSC y asociaciones", "Temas (ODS)", "6 Agua", "Listo", "Estados", "Oaxaca",
                  "Listo"):
        reply = await user.press(label)
        assert reply.messages == [] and [m.message_id for m in reply.edited] == [
            screen.message_id]
    text = reply.edited[0].text or ""
    assert "Solicitante: OSC y asociaciones civiles" in text
    assert "Temas (ODS): 6 Agua y saneamiento" in text and "Estados: Oaxaca" in text
    assert "activadas" in text
    open_call(base, "agua-limpia")
    await reload(bot)
    reply = await user.press("Desactivar alertas")
    assert reply.messages == [] and "desactivadas" in reply.text
    clock.set(FIRST_DIGEST)
    await bot.drain()
    assert alerts(user) == []
    assert {r.state for r in await outbox(bot, "alert")} == {"cancelled"}


async def test_only_staff_reload(editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    user = bot.user()
    await choose(user, "OSC y asociaciones")
    open_call(base, "agua-limpia")
    reply = await user.send("/recargar")
    assert reply.text.startswith("No reconozco el comando /recargar.")
    clock.set(FIRST_DIGEST)
    await bot.drain()
    assert alerts(user) == [] and await outbox(bot, "alert") == []


async def test_my_data_lists_alerts_and_erasing_deletes_them(
        editable: tuple[Harness, Path]) -> None:
    bot, base = editable
    open_call(base, "agua-limpia")
    await reload(bot)
    user = bot.user()
    await choose(user, "Municipios")
    await follow(user, "agua-limpia")
    reply = await user.send("/mis_datos")
    assert "Alertas de convocatorias" in reply.text and "Solicitante: Municipios" in reply.text
    assert "Sigue: agua-limpia" in reply.text
    await user.send("/borrar_mis_datos")
    reply = await user.press("Sí, borrar")
    assert "sus alertas de convocatorias" in reply.text
    reply = await user.send("/mis_datos")
    assert "Alertas de convocatorias" not in reply.text
    assert {r.state for r in await outbox(bot, "deadline")} == {"cancelled"}


async def test_double_taps_change_the_profile_once_quietly(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    user = bot.user()
    await user.send("/alertas")
    for label in ("OSC y asociaciones", "Temas (ODS)", "Listo"):
        reply = await user.tap_twice(label)
        assert len(reply.answers) == 2 and calm(bot, reply)
    assert "Solicitante: OSC y asociaciones civiles" in (user.messages[-1].text or "")
    open_call(base, "agua-limpia")
    await reload(bot)
    clock.set(FIRST_DIGEST)
    await bot.drain()
    reply = await user.tap_twice("No me interesa")
    assert len(reply.answers) == 2 and calm(bot, reply)
    await follow(user, "agua-limpia")
    reply = await user.tap_twice("Dejar de seguir")
    assert len(reply.answers) == 2 and calm(bot, reply)


async def test_alerts_follow_the_states_of_the_profile(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    oaxaca, yucatan, anywhere, two = (bot.user() for _ in range(4))
    await choose(oaxaca, "OSC y asociaciones", "Estados", "Oaxaca", "Listo")
    await choose(yucatan, "OSC y asociaciones", "Estados", "Yucatán", "Listo")
    await choose(anywhere, "OSC y asociaciones")
    await choose(two, "OSC y asociaciones", "Estados", "Chiapas", "Chihuahua", "Listo")
    reply = await two.press("Estados")
    assert "Las fuentes de alcance nacional le llegarán siempre" in reply.text
    assert "Estados: Chiapas, Chihuahua" in reply.text
    open_call(base, "agua-sureste", coverage=["Chiapas", "Yucatán"],
              coverage_note="solo comunidades rurales")
    open_call(base, "agua-nacional")
    open_call(base, "agua-norte", coverage=["Chihuahua"])
    await reload(bot)
    clock.set(FIRST_DIGEST)
    await bot.drain()

    def calls(user: ChatDriver) -> set[str]:
        [digest] = alerts(user)
        return {i for i in ("agua-sureste", "agua-nacional", "agua-norte") if i in digest}

    assert calls(oaxaca) == {"agua-nacional"}
    assert calls(yucatan) == {"agua-sureste", "agua-nacional"}
    assert calls(anywhere) == calls(two) == {"agua-sureste", "agua-nacional", "agua-norte"}
    [digest] = alerts(anywhere)
    assert "📍 solo Chiapas y Yucatán (solo comunidades rurales)" in digest
    assert "📍 todo México" in digest and "📍 solo Chihuahua" in digest


async def test_possible_applicants_never_match(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    town, osc = bot.user(), bot.user()
    await choose(town, "Municipios")
    await choose(osc, "OSC y asociaciones")
    open_call(base, "agua-limpia", applicants=["osc"], applicants_possible=["municipio"])
    open_call(base, "agua-municipal", applicants=[], applicants_possible=["municipio"])
    await reload(bot)
    clock.set(FIRST_DIGEST)
    await bot.drain()
    assert alerts(town) == [] and await outbox(bot, "alert") != []
    [digest] = alerts(osc)
    assert "agua-limpia" in digest and "agua-municipal" not in digest


def test_preferences_match_confirmed_applicants_themes_and_states() -> None:
    sureste = Entry.model_validate(entry_data(
        "sureste", coverage=["Chiapas", "Yucatán"], applicants=["osc"],
        applicants_possible=["municipio"], themes=[6], body="Texto."))
    national = sureste.model_copy(update={"coverage": "nacional"})
    unknown = sureste.model_copy(update={"coverage": None})
    osc = Preferences(applicants=("osc",))
    assert osc.matches(sureste) and not Preferences(applicants=("municipio",)).matches(sureste)
    assert not Preferences(applicants=("osc",), themes=(13,)).matches(sureste)
    in_oaxaca = Preferences(applicants=("osc",), states=("OAX",))
    assert not in_oaxaca.matches(sureste)
    assert in_oaxaca.matches(national) and in_oaxaca.matches(unknown)
    assert Preferences(applicants=("osc",), states=("OAX", "YUC")).matches(sureste)


def test_a_digest_of_long_calls_fits_one_message() -> None:
    calls = [Entry.model_validate(entry_data(
        f"llamado-{n}", title="Convocatoria " + "muy " * 20 + str(n), summary="x" * 300,
        coverage=["Chiapas", "Yucatán", "Oaxaca"], coverage_note="n" * 150, status="abierta",
        closes="2030-03-20", body="Texto.")) for n in range(DIGEST_MAX + 2)]
    text, buttons = digest(calls)
    assert len(text) <= 4096 and 1 <= len(buttons) < DIGEST_MAX
    assert f"Y {len(calls) - len(buttons)} más" in text
