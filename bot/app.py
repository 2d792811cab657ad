"""The application factory: the one place where Telegram, handlers and services meet."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, BotCommandScopeChat, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults, ExtBot
from telegram.request import HTTPXRequest

import handlers
from bot.broadcast_progress import ProgressReporter
from bot.client import CooperaBot
from bot.context import DISPATCHER_KEY, SERVICES_KEY, BotContext, CooperaApp
from bot.delivery import Dispatcher
from bot.services import Clock, Services, utc_now
from bot.settings import Settings
from bot.updates import PerChatUpdateProcessor

log = logging.getLogger(__name__)
TELEGRAM_BROADCAST_LIMIT = 30
# Updates of different chats run concurrently (database and Telegram round trips overlap); a
# chat's stay in order. 16 in flight at ~100 ms per Telegram request is well above the ~30
# messages/s Telegram allows, and fits the database pool.
CONCURRENT_UPDATES = 16
# httpx checks every pooled connection on every request: a few busy connections cost less CPU
# than one per update in flight. Requests wait for a free one instead of failing after 1 s.
HTTP_CONNECTIONS = 8
HTTP_POOL_WAIT = 10.0


def build_application(settings: Settings, *, token: str | None = None,
                      clock: Clock = utc_now) -> CooperaApp:
    """Build the bot: handlers registered, services opened in post_init, closed on shutdown."""

    async def post_init(app: CooperaApp) -> None:
        services = await Services.open(settings, clock)
        app.bot_data[SERVICES_KEY] = services
        dispatcher = await open_dispatcher(services, app.bot.token, clock)
        app.bot_data[DISPATCHER_KEY] = dispatcher
        services.certificates.bot_username = app.bot.username
        dispatcher.documents["certificate"] = services.certificate_file
        dispatcher.documents["calendar"] = services.calendar_document
        await app.bot.set_my_commands(handlers.bot_commands())
        for staff_id in settings.staff_ids:
            try:
                await app.bot.set_my_commands(handlers.bot_commands(staff=True),
                                              scope=BotCommandScopeChat(staff_id))
            except TelegramError:
                # Telegram knows the chat only once the staff member has written to the bot.
                log.info("staff command menu not set for one staff member yet")
        dispatcher.hooks.append(ProgressReporter(services.broadcasts, dispatcher, clock))
        services.start_background(dispatcher.run())

    async def post_shutdown(app: CooperaApp) -> None:
        services = app.bot_data.pop(SERVICES_KEY, None)
        dispatcher = app.bot_data.pop(DISPATCHER_KEY, None)
        if services is not None:
            await services.stop_background()
        if dispatcher is not None:
            # Before the database closes: the lock's connection must really close.
            await dispatcher.close()
        if services is not None:
            await services.close()

    api_url = settings.telegram_api_url
    bot: ExtBot[Any] = CooperaBot(
        token or settings.require_token(),
        base_url=api_url,
        base_file_url=_file_url(api_url),
        defaults=Defaults(parse_mode=ParseMode.HTML,
                          link_preview_options=LinkPreviewOptions(is_disabled=True)),
        request=HTTPXRequest(connection_pool_size=HTTP_CONNECTIONS, pool_timeout=HTTP_POOL_WAIT),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        # No throttling of replies here (the outbox paces bulk sends); only honour retry_after.
        rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3),
    )
    app: CooperaApp = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerChatUpdateProcessor(CONCURRENT_UPDATES))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    handlers.register(app)
    return app


async def open_dispatcher(services: Services, token: str, clock: Clock) -> Dispatcher:
    """The outbox dispatcher with its own Bot (no automatic retries: it handles 429 itself)."""
    settings = services.settings
    if settings.send_rate > TELEGRAM_BROADCAST_LIMIT:
        log.warning("COOPERA_SEND_RATE=%g exceeds Telegram's ~30 messages/s: use it only with a "
                    "self-hosted Bot API server or paid broadcasts", settings.send_rate)
    bot = Bot(token, base_url=settings.telegram_api_url,
              base_file_url=_file_url(settings.telegram_api_url))
    await bot.initialize()
    dispatcher = Dispatcher(services.database, bot, settings.send_rate, clock)
    await dispatcher.recover_if_leader()
    return dispatcher


def _file_url(api_url: str) -> str:
    """Telegram serves files at …/file/bot<token>/<path> beside …/bot<token>/<method>."""
    base, _, tail = api_url.rstrip("/").rpartition("/")
    return f"{base}/file/{tail}"

