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
from handlers import ask, browse, errors, fallback, guard, staff, start

GUARD_GROUP = -1


def register(app: CooperaApp) -> None:
    """Add every handler to the application."""
    app.add_handler(TypeHandler(Update, guard.update_received), group=GUARD_GROUP)
    app.add_handlers(
        [
            CommandHandler("start", start.start_command),
            CommandHandler(["ayuda", "help"], start.help_command),
            CommandHandler(["cancelar", "cancel"], start.cancel_command),
            CommandHandler("pendientes", staff.pending_command),
            CommandHandler("recargar", staff.reload_command),
            CallbackQueryHandler(browse.browse_opened, pattern=r"^menu:browse$"),
            CallbackQueryHandler(start.menu_pressed, pattern=r"^menu:(home|help|ask|events|mine)$"),
            CallbackQueryHandler(browse.browse_pressed, pattern=r"^br:"),
            CallbackQueryHandler(ask.entry_pressed, pattern=r"^kb:e:[a-z0-9-]{1,58}$"),
            CallbackQueryHandler(ask.suggestion_pressed, pattern=r"^kb:s:\d{1,12}:\d$"),
            CallbackQueryHandler(ask.feedback_pressed, pattern=r"^kb:fb:\d{1,12}:[01]$"),
            MessageHandler(filters.COMMAND, fallback.unknown_command),
            MessageHandler(filters.TEXT, ask.question_received),
            MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, fallback.non_text_received),
            CallbackQueryHandler(fallback.unknown_button_pressed),
        ]
    )
    app.add_error_handler(errors.error_occurred)


def bot_commands(*, staff: bool = False) -> list[BotCommand]:
    """The command menu shown by Telegram (setMyCommands); staff see theirs too."""
    commands = start.COMMANDS + (start.STAFF_COMMANDS if staff else [])
    return [BotCommand(name, description) for name, description in commands]
