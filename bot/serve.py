"""`coopera run`: long polling, or a webhook server, until SIGTERM or SIGINT."""

from __future__ import annotations

import logging

import aiohttp
from telegram import Update

from bot.app import build_application
from bot.db.session import Database
from bot.privacy import missing
from bot.runtime import running, wait_for_stop_signal
from bot.settings import Settings
from bot.webhook import start_webhook_server, webhook_app

log = logging.getLogger(__name__)


async def serve(settings: Settings, *, webhook: bool) -> None:
    """Run the bot until a stop signal; updates in hand are finished before exit."""
    if unset := missing(settings):
        log.warning("%s not set: the privacy notice must name who is responsible for personal "
                    "data, their address and a contact for ARCO rights outside the bot; until "
                    "they are set it tells users the operator has not published them",
                    ", ".join(unset))
    app = build_application(settings)
    async with running(app, polling=not webhook):
        if not webhook:
            log.info("polling for updates")
            await wait_for_stop_signal()
            return
        secret = settings.require_webhook_secret()
        server = await start_webhook_server(webhook_app(app, settings.webhook_path, secret),
                                            settings.port)
        try:
            await app.bot.set_webhook(settings.webhook_url or "", secret_token=secret,
                                      allowed_updates=Update.ALL_TYPES)
            log.info("webhook listening on port %s", settings.port)
            await wait_for_stop_signal()
        finally:
            # Stop taking new updates first; `running` then finishes the ones in hand.
            await server.cleanup()
    log.info("stopped")


async def check_health(settings: Settings) -> bool:
    """Ask the running webhook server for /healthz, or (polling) check the database directly."""
    if settings.webhook_url is None:
        database = Database(settings.database_url)
        try:
            return await database.ping()
        finally:
            await database.dispose()
    url = f"http://127.0.0.1:{settings.port}/healthz"
    try:
        timeout = aiohttp.ClientTimeout(total=4)
        async with aiohttp.ClientSession(timeout=timeout) as http, http.get(url) as response:
            return response.status == 200
    except (aiohttp.ClientError, TimeoutError):
        return False
