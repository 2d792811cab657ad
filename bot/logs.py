"""Logging set-up: no tokens or personal data in the output."""

from __future__ import annotations

import logging
import re

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


def setup_logging(level: str = "INFO") -> None:
    """Log to stderr; quiet the HTTP client, whose INFO lines carry request URLs."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactTokens())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for noisy in ("httpx", "httpcore", "telegram.ext.Updater", "aiohttp.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
