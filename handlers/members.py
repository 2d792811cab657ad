"""The user's side of the private chat: blocking the bot, and coming back."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update

from bot.context import BotContext

log = logging.getLogger(__name__)


async def status_changed(update: Update, context: BotContext) -> None:
    """Mark the user blocked when they block the bot; reachable when they restart it."""
    change = update.my_chat_member
    assert change is not None
    users, status = context.services.users, change.new_chat_member.status
    if status in (ChatMember.BANNED, ChatMember.LEFT):
        log.info("user blocked the bot (update %s)", update.update_id)
        await users.mark_blocked(change.from_user.id, context.services.clock())
    elif status == ChatMember.MEMBER:
        log.info("user restarted the bot (update %s)", update.update_id)
        await users.unblocked(change.from_user.id)
