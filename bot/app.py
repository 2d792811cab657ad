"""The application factory: the one place where Telegram, handlers and services meet."""

from __future__ import annotations

import logging

from telegram import BotCommandScopeChat, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults

import handlers
from bot.context import SERVICES_KEY, BotContext, CooperaApp
from bot.services import Clock, Services, utc_now
from bot.settings import Settings
from bot.updates import PerChatUpdateProcessor

log = logging.getLogger(__name__)
# Updates of different chats run concurrently (database work overlaps); a chat's stay in order.
CONCURRENT_UPDATES = 64


def build_application(settings: Settings, *, token: str | None = None,
                      clock: Clock = utc_now) -> CooperaApp:
    """Build the bot: handlers registered, services opened in post_init, closed on shutdown."""

    async def post_init(app: CooperaApp) -> None:
        services = await Services.open(settings, clock)
        app.bot_data[SERVICES_KEY] = services
        await app.bot.set_my_commands(handlers.bot_commands())
        for staff_id in settings.staff_ids:
            try:
                await app.bot.set_my_commands(handlers.bot_commands(staff=True),
                                              scope=BotCommandScopeChat(staff_id))
            except TelegramError:
                # Telegram knows the chat only once the staff member has written to the bot.
                log.info("staff command menu not set for one staff member yet")
        services.start_background()

    async def post_shutdown(app: CooperaApp) -> None:
        services = app.bot_data.pop(SERVICES_KEY, None)
        if services is not None:
            await services.close()

    api_url = settings.telegram_api_url
    app: CooperaApp = (
        ApplicationBuilder()
        .token(token or settings.require_token())
        .base_url(api_url)
        .base_file_url(_file_url(api_url))
        .context_types(ContextTypes(context=BotContext))
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .concurrent_updates(PerChatUpdateProcessor(CONCURRENT_UPDATES))
        # No throttling of replies here (the outbox paces bulk sends); only honour retry_after.
        .rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    handlers.register(app)
    return app


def _file_url(api_url: str) -> str:
    """Telegram serves files at …/file/bot<token>/<path> beside …/bot<token>/<method>."""
    base, _, tail = api_url.rstrip("/").rpartition("/")
    return f"{base}/file/{tail}"

