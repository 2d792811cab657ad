"""Chat kinds: every feature runs in private chats; groups get a pointer there, channels nothing.

Runs before every other handler. In a private chat, messages, button presses and the member
status (blocked or restarted) go on to the handlers. In a group or supergroup a command or a
message addressed to the bot gets one short public note with a deep link to a private chat —
never personal or staff data, never a form — and a button press gets the same advice.
Everything else (channel posts, edits, polls, other people's messages) is dropped quietly.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.folios import deep_link_payload, normalize_folio
from handlers import texts

log = logging.getLogger(__name__)
GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)
PUBLIC_COMMANDS = ("start", "ayuda", "help")


async def update_received(update: Update, context: BotContext) -> None:
    """Let private chats through; point groups to a private chat; drop everything else."""
    chat = update.effective_chat
    private = chat is not None and chat.type == ChatType.PRIVATE
    if private and (update.message or update.callback_query or update.my_chat_member):
        return
    if update.callback_query is not None and chat is None:
        return  # a press on an inline message: the fallback answers it
    if chat is not None and chat.type in GROUPS:
        try:
            await _point_to_private(update, context.bot.username)
        except Exception:
            # Logged here: the error handler would not stop the update reaching the features.
            log.exception("could not answer update %s in a group", update.update_id)
    raise ApplicationHandlerStop


async def _point_to_private(update: Update, username: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(texts.private_only(), show_alert=True)
    elif update.message is not None and _addressed(update.message, username):
        await update.message.reply_html(_note(update.message, username))


def _addressed(message: Message, username: str) -> bool:
    """A command for this bot (or for any bot, unnamed), a mention of it, or a reply to it."""
    mention = f"@{username}".lower()
    for entity, value in message.parse_entities([MessageEntityType.BOT_COMMAND,
                                                 MessageEntityType.MENTION]).items():
        if entity.type == MessageEntityType.MENTION and value.lower() == mention:
            return True
        if entity.type == MessageEntityType.BOT_COMMAND and entity.offset == 0:
            _, _, bot = value.partition("@")
            return not bot or bot.lower() == username.lower()
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.username == username)


def _note(message: Message, username: str) -> str:
    """The public note, with a deep link that continues in private where it makes sense."""
    words = (message.text or "").split()
    command = words[0][1:].partition("@")[0].lower() if words and words[0][0] == "/" else ""
    payload = "inicio"
    if command == "registro":
        payload = "registro"
    elif command == "verificar" and len(words) > 1 and (folio := normalize_folio(words[1])):
        payload = deep_link_payload(folio)
    link = f"https://t.me/{username}?start={payload}"
    return texts.group_note(link, introduce=command in PUBLIC_COMMANDS)

