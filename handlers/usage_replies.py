"""A reply to one of the bot's usage lines ('Uso: /marcar ciclo/sesión…') is that command's
argument, not a question."""

from __future__ import annotations

import re

from telegram import Update

from bot.context import BotContext
from handlers import attendance_staff, certificates
from handlers.access import Callback

COMMANDS: dict[str, Callback] = {
    "asistencia": certificates.checkin_command,
    "verificar": certificates.verify_command,
    "codigo": attendance_staff.code_command,
    "marcar": attendance_staff.mark_command,
    "importar_asistencia": attendance_staff.import_command,
    "enviar_constancias": attendance_staff.send_all_command,
}
_COMMAND = re.compile(r"/([a-z_]{2,32})\b")


def command_replied_to(update: Update) -> str | None:
    """The command whose usage line the message replies to, if any."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if replied is None or replied.from_user is None or not replied.from_user.is_bot:
        return None
    first_line = (replied.text or "").split("\n", 1)[0]
    found = _COMMAND.search(first_line)
    return found.group(1) if found and found.group(1) in COMMANDS else None


async def run_replied(update: Update, context: BotContext, command: str) -> None:
    """Run the command with the reply's words as its arguments."""
    message = update.effective_message
    assert message is not None and message.text is not None
    context.args = message.text.split()
    await COMMANDS[command](update, context)
