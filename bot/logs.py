"""Logging set-up: no tokens or personal data in the output."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from telegram import TelegramObject, Update

# Bot tokens appear in Bot API URLs (…/bot123:ABC/method); never let one reach a log line.
_TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{10,}")


class RedactTokens(logging.Filter):
    """Replace anything shaped like a bot token with a mask."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg = _TOKEN.sub("<token>", message)
            record.args = None
        return True


def _redacted(value: object) -> object:
    if isinstance(value, Update):
        return f"<update {value.update_id}>"
    if isinstance(value, TelegramObject | Mapping | list | tuple | set):
        return "<payload>"
    return value


def redact_payloads() -> None:
    """Make every log record, the library's included, carry updates and API payloads (names,
    texts) as placeholders: its structured arguments are replaced when the record is made."""
    make = logging.getLogRecordFactory()
    if getattr(make, "redacts_payloads", False):
        return

    def record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        made = make(*args, **kwargs)
        made.msg = made.msg if isinstance(made.msg, str) else _redacted(made.msg)
        if isinstance(made.args, Mapping):  # logging's "%(name)s" style
            made.args = {key: _redacted(value) for key, value in made.args.items()}
        elif made.args:
            made.args = tuple(_redacted(value) for value in made.args)
        return made

    record.redacts_payloads = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(record)


def setup_logging(level: str = "INFO") -> None:
    """Log to stderr without payloads; quiet the HTTP client, whose INFO lines carry URLs."""
    redact_payloads()
    handler = logging.StreamHandler()
    handler.addFilter(RedactTokens())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # aiosqlite's DEBUG lines carry SQL parameters.
    for noisy in ("httpx", "httpcore", "telegram.ext.Updater", "aiohttp.access", "alembic",
                  "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
