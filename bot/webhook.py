"""Webhook mode: an aiohttp server that takes Telegram's POSTs and answers health checks."""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Update

from bot.context import SERVICES_KEY, CooperaApp

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_app(app: CooperaApp, path: str, secret: str) -> web.Application:
    """Build the aiohttp application serving the webhook path and /healthz."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return web.Response(status=401, text="missing secret token")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook request with a wrong secret token refused")
            return web.Response(status=403, text="wrong secret token")
        try:
            data = await request.json()
            update = Update.de_json(data, app.bot)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            return web.Response(status=400, text="malformed update")
        if update is None:
            return web.Response(status=400, text="malformed update")
        services = app.bot_data[SERVICES_KEY]
        # Telegram re-sends what it thinks was not received; any replica may get the copy.
        if await services.intake.claim(update.update_id, services.clock()):
            await app.update_queue.put(update)
        else:
            log.info("update %s already received; skipped", update.update_id)
        return web.Response(text="ok")

    async def health(_request: web.Request) -> web.Response:
        services = app.bot_data.get(SERVICES_KEY)
        if services is not None and await services.database.ping():
            return web.Response(text="ok")
        return web.Response(status=503, text="database unavailable")

    server = web.Application(client_max_size=2 * 1024 * 1024)
    server.router.add_post(path, receive)
    server.router.add_get("/healthz", health)
    return server


async def start_webhook_server(server: web.Application, port: int,
                               host: str = "0.0.0.0") -> web.AppRunner:
    """Listen on host:port; return the runner (call .cleanup() to stop)."""
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
