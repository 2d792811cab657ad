"""Start and stop the bot the same way in production, the demo and the tests."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from telegram import Update

from bot.context import CooperaApp

POLL_TIMEOUT = 10


@asynccontextmanager
async def running(app: CooperaApp, *, polling: bool) -> AsyncIterator[CooperaApp]:
    """Initialise, open services, start (polling or not); on exit finish updates in hand."""
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        if polling:
            assert app.updater is not None
            await app.updater.start_polling(timeout=POLL_TIMEOUT,
                                            allowed_updates=Update.ALL_TYPES)
        await app.start()
        try:
            yield app
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def wait_for_stop_signal() -> None:
    """Return when SIGTERM or SIGINT arrives."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
