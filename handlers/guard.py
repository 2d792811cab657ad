"""Runs first for every update: drop re-sent updates and record who wrote."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.users import Person

log = logging.getLogger(__name__)


async def update_received(update: Update, context: BotContext) -> None:
    """Claim the update id once and record the user's contact."""
    services = context.services
    now = services.clock()
    if not await services.intake.claim(update.update_id, now):
        log.info("update %s already processed; skipped", update.update_id)
        raise ApplicationHandlerStop
    user = update.effective_user
    if user is not None and not user.is_bot:
        person = Person(user.id, user.first_name, user.last_name, user.username,
                        user.language_code)
        await services.users.seen(person, now)
