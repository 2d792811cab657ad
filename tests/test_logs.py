"""Logs carry no personal data, the library's records included; unreadable updates skipped."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.devapi.harness import Harness
from bot.logs import redact_payloads


@pytest.fixture
def redacting() -> Iterator[None]:
    """The record factory `coopera run` installs, for this test only."""
    before = logging.getLogRecordFactory()
    redact_payloads()
    yield
    logging.setLogRecordFactory(before)


@pytest.mark.usefixtures("redacting")
async def test_an_unreadable_update_is_skipped_once_and_never_logged_whole(
        bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="aiosqlite")  # as `coopera run` sets it
    sender = {"id": 777, "is_bot": False, "first_name": "Zacarías", "last_name": "Quintal"}
    user = bot.user(first_name="Eufrosina")
    # A poll answer without option_ids: python-telegram-bot cannot build it.
    await user.act(lambda: bot.emulator.raw_update(
        {"poll_answer": {"poll_id": "1", "user": sender}}))
    reply = await user.send("/start")
    assert reply.text.startswith("¡Hola, Eufrosina!")
    assert caplog.text.count("could not be read and was skipped") == 1
    assert "Zacarías" not in caplog.text and "Quintal" not in caplog.text
    assert "Eufrosina" not in caplog.text  # nor the payloads of the updates that were served


def test_records_with_payloads_are_redacted(redacting: None,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("telegram.ext.Updater").critical(
        "Received data was %r", [{"message": {"from": {"first_name": "Zacarías"}}}])
    logging.getLogger("bot").info("%(data)s", {"data": {"first_name": "Zacarías"}})
    assert "Zacarías" not in caplog.text and caplog.text.count("<payload>") == 2
