"""'Avísenme cuando abra': following a periodic source until a reload opens its call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.db.models import OpeningFollow
from bot.devapi.harness import ChatDriver, Harness
from bot.kb import KnowledgeService
from bot.opening_follows import notice_due, opening_of
from knowledge.schema import Entry
from tests import test_alerts
from tests.clock import FakeClock
from tests.knowledge_fixtures import entry_data, write_entry
from tests.test_alerts import FIRST_DIGEST, alerts, choose, open_call, outbox, reload

# The alert tests' fixtures: a fake clock and a copy of the shipped base that staff reload.
clock = test_alerts.clock
editable = test_alerts.editable
UTC = dt.UTC
MEXICO = ZoneInfo("America/Mexico_City")


def periodic(base: Path, entry_id: str, **fields: Any) -> None:
    """Write a periodic call that usually opens in March and April (OSC, water)."""
    values: dict[str, Any] = {"status": "periódica", "usual_months": [3, 4],
                              "title": f"Convocatoria {entry_id}"}
    write_entry(base, entry_data(entry_id, **(values | fields)))


def opens_again(base: Path, entry_id: str, year: int = 2030, **fields: Any) -> None:
    open_call(base, entry_id, usual_months=[3, 4], opens=f"{year}-03-01",
              closes=f"{year}-03-20", **fields)


def notices(user: ChatDriver) -> list[str]:
    return [m.text or "" for m in user.messages if (m.text or "").startswith("🟢 ¡Ya abrió")]


async def watch(user: ChatDriver, entry_id: str) -> None:
    reply = await user.send(f"pregunta uno de {entry_id}")
    assert f"Convocatoria {entry_id}" in reply.text
    reply = await user.press("Avísenme cuando abra")
    assert f"le avisaré en cuanto abra la convocatoria de «Convocatoria {entry_id}»" in reply.text
    assert "Suele estar abierta en marzo y abril" in reply.text


async def test_a_follower_hears_once_when_the_call_opens_then_is_offered_reminders(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    services = bot.app.bot_data["services"]
    other = await KnowledgeService.open(services.database, base)
    other.listeners.append(lambda old, new: services.alerts.calls_changed(old, new, clock()))
    periodic(base, "ocarina")
    await reload(bot)
    await other.follow()
    follower, bystander = bot.user(), bot.user()
    await choose(follower, "OSC y asociaciones")  # a matching profile too: no digest as well
    await choose(bystander, "OSC y asociaciones")
    await watch(follower, "ocarina")
    opens_again(base, "ocarina")
    await reload(bot)
    assert await other.follow()  # the other replica sees the same opening: nothing more
    await reload(bot)
    [row] = await outbox(bot, "opening")
    assert row.recipient == follower.id
    await bot.drain()
    assert notices(follower) == []  # 06:00 in Mexico City: it waits for 09:00
    clock.set(FIRST_DIGEST)
    await bot.drain()
    [notice] = notices(follower)
    assert "Convocatoria ocarina" in notice and "📍 todo México" in notice
    assert "Cierra el 20 de marzo de 2030" in notice and alerts(follower) == []
    assert len(alerts(bystander)) == 1 and notices(bystander) == []
    reply = await follower.press("Avisarme antes del cierre")
    assert "le recordaré el cierre de «Convocatoria ocarina»" in reply.text
    # The call closes, and opens again a year later: a new opening, a new notice.
    periodic(base, "ocarina")
    await reload(bot)
    opens_again(base, "ocarina", 2031)
    await reload(bot)
    clock.set(FIRST_DIGEST + dt.timedelta(days=1))
    await bot.drain()
    assert len(notices(follower)) == 2 and len(await outbox(bot, "opening")) == 2


async def test_unfollow_from_alertas_or_from_the_notice(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    for entry_id in ("kalimba", "zanfona", "marimba"):
        periodic(base, entry_id)
    await reload(bot)
    user = bot.user()
    for entry_id in ("kalimba", "zanfona", "marimba"):
        await watch(user, entry_id)
    reply = await user.send("/alertas")
    reply = await user.press("Fuentes que sigue (3)")
    [profile] = reply.edited
    assert "Le aviso cuando abra su convocatoria:" in reply.text
    assert "• Convocatoria kalimba" in reply.text
    reply = await user.press("✖ Convocatoria kalimba")
    assert [m.message_id for m in reply.edited] == [profile.message_id] and not reply.messages
    assert "kalimba" not in reply.text and "• Convocatoria zanfona" in reply.text
    reply = await user.press("Listo")
    assert "Fuentes que sigue (2)" in str(reply.last.buttons)
    clock.set(FIRST_DIGEST)
    for entry_id in ("kalimba", "zanfona", "marimba"):
        opens_again(base, entry_id)
    await reload(bot)
    await bot.drain()
    assert sorted(n.split("\n")[2] for n in notices(user)) == [
        "Convocatoria marimba", "Convocatoria zanfona"]
    reply = await user.press("Dejar de seguir esta fuente")
    assert "ya no le avisaré cuando abra" in (reply.answer or {}).get("text", "")
    assert not any("al:n:" in b["callback_data"] for b in reply.edited[0].buttons)
    [left] = await bot.app.bot_data["services"].opening_follows.followed(user.id)
    assert left in ("marimba", "zanfona") and f"Convocatoria {left}" not in reply.edited[0].text


async def test_only_periodic_sources_with_a_window_can_be_followed(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    periodic(base, "ocarina")
    periodic(base, "salterio", usual_months=[])
    await reload(bot)
    user = bot.user()
    reply = await user.send("pregunta uno de salterio")
    assert "Avísenme cuando abra" not in str(reply.last.buttons)
    reply = await user.send("pregunta uno de ocarina")
    card = reply.last
    for data in ("al:w:salterio", "al:w:no-existe", "al:w:amexcid"):
        reply = await user.press_data(data)
        assert reply.answer == {"text": "Esta opción ya no está disponible.",
                                "show_alert": False} and not reply.messages
    opens_again(base, "ocarina")
    await reload(bot)
    # A card shown before the call opened: the press shows the open call's card instead.
    reply = await user.press("Avísenme cuando abra", card)
    assert "ya está abierta" in (reply.answer or {}).get("text", "")
    assert "Avisarme antes del cierre" in str(reply.last.buttons)
    assert await bot.app.bot_data["services"].opening_follows.followed(user.id) == []


async def test_blocked_and_muting_users_are_not_told(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    services = bot.app.bot_data["services"]
    periodic(base, "ocarina")
    await reload(bot)
    blocked, muter = bot.user(), bot.user()
    await watch(blocked, "ocarina")
    await watch(muter, "ocarina")
    await services.users.mark_blocked(blocked.id, clock())
    await services.alerts.mute(muter.id, "ocarina", clock())
    assert await services.opening_follows.followed(muter.id) == []
    opens_again(base, "ocarina")
    await reload(bot)
    assert await outbox(bot, "opening") == []


async def test_my_data_lists_followed_sources_and_erasing_deletes_them(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    periodic(base, "ocarina")
    await reload(bot)
    user = bot.user()
    await watch(user, "ocarina")
    reply = await user.send("/mis_datos")
    assert "Le avisamos cuando abran: ocarina" in reply.text
    await user.send("/borrar_mis_datos")
    reply = await user.press("Sí, borrar")
    assert "sus alertas de convocatorias" in reply.text
    reply = await user.send("/mis_datos")
    assert "Le avisamos cuando abran" not in reply.text
    async with bot.app.bot_data["services"].database.session() as session:
        assert (await session.scalars(select(OpeningFollow))).all() == []


async def test_double_taps_follow_once_quietly(
        editable: tuple[Harness, Path], clock: FakeClock) -> None:
    bot, base = editable
    periodic(base, "ocarina")
    await reload(bot)
    user = bot.user()
    await user.send("pregunta uno de ocarina")
    reply = await user.tap_twice("Avísenme cuando abra")
    assert len(reply.answers) == 2 and len(reply.messages) == 1
    assert await bot.app.bot_data["services"].opening_follows.followed(user.id) == [
        "ocarina"]


def test_notices_wait_for_the_morning_and_name_their_opening() -> None:
    def local(hour: int) -> dt.datetime:
        return dt.datetime(2030, 3, 1, hour, 30, tzinfo=MEXICO)

    assert notice_due(local(12), MEXICO) == local(12)
    assert notice_due(local(6), MEXICO) == dt.datetime(2030, 3, 1, 9, tzinfo=MEXICO)
    assert notice_due(local(22), MEXICO) == dt.datetime(2030, 3, 2, 9, tzinfo=MEXICO)
    entry = Entry.model_validate(entry_data("x", status="abierta", call_year=None, body="."))
    day = dt.date(2030, 3, 1)
    assert opening_of(entry, day) == "2030-03-01"
    assert opening_of(entry.model_copy(update={"call_year": 2030}), day) == "2030"
    assert opening_of(entry.model_copy(update={"closes": dt.date(2030, 3, 20)}), day) == (
        "c2030-03-20")
