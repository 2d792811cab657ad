"""Every Telegram handler, registered in one place and in order."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import CooperaApp
from handlers import errors, fallback, guard, start

GUARD_GROUP = -1


def register(app: CooperaApp) -> None:
    """Add every handler to the application."""
    app.add_handler(TypeHandler(Update, guard.update_received), group=GUARD_GROUP)
    app.add_handlers(
        [
            CommandHandler("start", start.start_command),
            CommandHandler(["ayuda", "help"], start.help_command),
            CommandHandler(["cancelar", "cancel"], start.cancel_command),
            CallbackQueryHandler(start.menu_pressed,
                                 pattern=r"^menu:(home|help|ask|events|mine|browse)$"),
            MessageHandler(filters.COMMAND, fallback.unknown_command),
            MessageHandler(filters.TEXT, fallback.text_received),
            MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, fallback.non_text_received),
            CallbackQueryHandler(fallback.unknown_button_pressed),
        ]
    )
    app.add_error_handler(errors.error_occurred)


def bot_commands() -> list[BotCommand]:
    """The command menu shown by Telegram (setMyCommands)."""
    return [BotCommand(name, description) for name, description in start.COMMANDS]
