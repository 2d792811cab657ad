"""Calendar files that follow a seat: cancelled seats and changed sessions (RFC 5546)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import icalendar
import pytest

from bot.devapi.harness import ChatDriver, Harness, harness
from bot.devapi.state import StoredMessage
from bot.settings import Settings
from tests.conftest import STAFF_ID
from tests.test_registration import fill_profile, import_cycle


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    async with harness(settings) as running:
        await import_cycle(running)
        yield running


def parse(message: StoredMessage) -> tuple[icalendar.Calendar, list[icalendar.Event]]:
    assert message.document is not None and message.document.file_name.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(message.document.content)
    return calendar, calendar.walk("VEVENT")


async def register_first(user: ChatDriver) -> icalendar.Event:
    await fill_profile(user)
    await user.press("Acepto")
    await user.press("Primera sesión")
    await user.press("Continuar")
    reply = await user.press("Confirmar")
    calendar, events = parse(reply.messages[-1])
    assert str(calendar["METHOD"]) == "PUBLISH" and len(events) == 1
    return events[0]


async def test_cancelling_a_seat_sends_the_file_that_removes_it(bot: Harness) -> None:
    user = bot.user()
    added = await register_first(user)
    assert int(added["SEQUENCE"]) == 0 and str(added["STATUS"]) == "CONFIRMED"
    await user.send("/mis_registros")
    await user.press("Cancelar")
    reply = await user.press("Sí, cancelar")
    assert "cancel" in reply.text.lower()
    calendar, events = parse(reply.messages[-1])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert [str(e["UID"]) for e in events] == [str(added["UID"])]
    assert str(events[0]["STATUS"]) == "CANCELLED"
    assert int(events[0]["SEQUENCE"]) > int(added["SEQUENCE"])
    assert events[0].decoded("DTSTART") == added.decoded("DTSTART")
    assert not events[0].walk("VALARM")
    # Taken again, the seat's new file outranks the cancellation.
    reply = await user.send("/registro")
    await user.press("Primera sesión")
    await user.press("Continuar")
    reply = await user.press("Confirmar")
    _, again = parse(reply.messages[-1])
    assert str(again[0]["UID"]) == str(added["UID"])
    assert int(again[0]["SEQUENCE"]) > int(events[0]["SEQUENCE"])


async def test_a_changed_session_sends_the_updated_file(bot: Harness) -> None:
    user = bot.user()
    added = await register_first(user)
    staff = bot.user(STAFF_ID)
    await staff.send("/sesiones")
    await staff.press("ciclo-2030/s1")
    await staff.press("📅 Fecha y hora")
    reply = await staff.send("2030-03-06 17:30")
    assert "Cambio guardado" in reply.text
    await bot.drain()
    update = user.messages[-1]
    assert update.caption is not None and "Cambió la sesión «Primera sesión»" in update.caption
    assert "6 de marzo de 2030, 17:30" in update.caption
    calendar, events = parse(update)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(events[0]["UID"]) == str(added["UID"])
    assert int(events[0]["SEQUENCE"]) > int(added["SEQUENCE"])
    assert (events[0].decoded("DTSTART").day, events[0].decoded("DTSTART").hour) == (6, 17)
    # A second change raises it again; the button in /mis_registros sends the same number.
    await staff.send("/sesiones")
    await staff.press("ciclo-2030/s1")
    await staff.press("🏷 Título")
    await staff.send("Primera sesión: fondos locales")
    await bot.drain()
    _, newer = parse(user.messages[-1])
    assert str(newer[0]["SUMMARY"]) == "Primera sesión: fondos locales"
    assert int(newer[0]["SEQUENCE"]) > int(events[0]["SEQUENCE"])
    await user.send("/mis_registros")
    reply = await user.press("Calendario")
    _, resent = parse(reply.messages[-1])
    assert int(resent[0]["SEQUENCE"]) == int(newer[0]["SEQUENCE"])


async def test_a_change_staff_did_not_make_sends_nothing(bot: Harness) -> None:
    user = bot.user()
    await register_first(user)
    before = len(user.messages)
    staff = bot.user(STAFF_ID)
    await staff.send("/sesiones")
    await staff.press("ciclo-2030/s1")
    await staff.press("👥 Cupo")
    await staff.send("80")
    await bot.drain()
    assert len(user.messages) == before
