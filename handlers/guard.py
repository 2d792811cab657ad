"""Runs first for every update: record who wrote."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.users import Person


async def update_received(update: Update, context: BotContext) -> None:
    """Record the user's contact (first contact creates them)."""
    services = context.services
    now = services.clock()
    user = update.effective_user
    if user is not None and not user.is_bot:
        person = Person(user.id, user.first_name, user.last_name, user.username,
                        user.language_code)
        await services.users.seen(person, now)
