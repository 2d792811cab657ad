"""Every Telegram handler, registered in one place and in order."""

from __future__ import annotations

import re

from telegram import BotCommand, Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import CooperaApp
from handlers import (
    alerts,
    alliance_contacts,
    alliance_staff,
    alliances,
    ask,
    attendance_staff,
    broadcast,
    browse,
    certificates,
    chats,
    errors,
    events,
    fallback,
    guard,
    members,
    mine,
    presses,
    registration,
    staff,
    staff_events,
    staff_sessions,
    start,
    text,
)

CHATS_GROUP, PRESSES_GROUP, GUARD_GROUP = -3, -2, -1


def register(app: CooperaApp) -> None:
    """Add every handler to the application."""
    app.add_handler(TypeHandler(Update, chats.update_received), group=CHATS_GROUP)
    app.add_handler(CallbackQueryHandler(presses.Presses().press_received), group=PRESSES_GROUP)
    app.add_handler(TypeHandler(Update, guard.update_received), group=GUARD_GROUP)
    app.add_handlers(
        [
            # Checked first: free text is the most frequent update, and commands are not text here.
            MessageHandler(filters.TEXT & ~filters.COMMAND, text.text_received),
            ChatMemberHandler(members.status_changed, ChatMemberHandler.MY_CHAT_MEMBER),
            CommandHandler("start", start.start_command),
            CommandHandler(["ayuda", "help"], start.help_command),
            CommandHandler(["cancelar", "cancel"], start.cancel_command),
            CommandHandler("registro", registration.register_command),
            CommandHandler("mis_registros", mine.registrations_command),
            CommandHandler("mis_datos", mine.my_data_command),
            CommandHandler("recordatorios", mine.reminders_command),
            CallbackQueryHandler(mine.reminders_pressed, pattern=r"^rm:(on|off)$"),
            CommandHandler("borrar_mis_datos", mine.erase_command),
            CommandHandler("alertas", alerts.alerts_command),
            CallbackQueryHandler(alerts.alerts_opened, pattern=r"^menu:alerts$"),
            CallbackQueryHandler(
                alerts.profile_pressed,
                pattern=r"^al:(t:(a:[a-z]{1,12}|o:\d{1,2}|e:[A-Z]{2,5})|v:(main|themes|states|"
                        r"watch)|x:[a-z0-9-]{1,58}|on|off)$"),
            CallbackQueryHandler(alerts.follow_pressed, pattern=r"^al:[fu]:[a-z0-9-]{1,58}$"),
            CallbackQueryHandler(alerts.watch_pressed,
                                 pattern=r"^al:(?P<action>[wn]):(?P<entry>[a-z0-9-]{1,58})$"),
            CallbackQueryHandler(alerts.mute_pressed, pattern=r"^al:m:[a-z0-9-]{1,58}$"),
            CommandHandler("asistencia", certificates.checkin_command),
            CommandHandler("constancia", certificates.certificate_command),
            CommandHandler("verificar", certificates.verify_command),
            CallbackQueryHandler(certificates.name_pressed,
                                 pattern=r"^ct:(ok|fix):[a-z0-9-]{1,40}$"),
            CommandHandler("codigo", attendance_staff.code_command),
            CommandHandler("marcar", attendance_staff.mark_command),
            CommandHandler("importar_asistencia", attendance_staff.import_command),
            CommandHandler("enviar_constancias", attendance_staff.send_all_command),
            CallbackQueryHandler(
                attendance_staff.picked,
                pattern=re.compile(r"^sp:(?P<command>codigo|marcar|importar_asistencia|"
                                   r"enviar_constancias):(?P<target>[a-z0-9-]{1,40})$")),
            CallbackQueryHandler(
                attendance_staff.attendance_pressed,
                pattern=re.compile(r"^mk:(?P<session>\d{1,9}):(?P<user>\d{1,16})$")),
            CommandHandler("pendientes", staff.pending_command),
            CommandHandler("recargar", staff.reload_command),
            CommandHandler("inscritos", staff_events.registered_command),
            CommandHandler("sesiones", staff_sessions.sessions_command),
            CommandHandler("difundir", broadcast.broadcast_command),
            CallbackQueryHandler(
                broadcast.broadcast_pressed,
                pattern=r"^bc:(stop!?:\d{1,9}|keep|cancel|preview|send|schedule|"
                        r"menu:(main|sessions|sectors|states)|t:(all:-|s:\d{1,9}|r:[a-z]{1,12}|"
                        r"e:[A-Z]{2,5}))$"),
            CallbackQueryHandler(
                staff_sessions.session_pressed,
                pattern=r"^se:(edit:\d{1,9}|new:[a-z0-9-]{1,40}|f:\d{1,9}:[a-z_]{1,16})$"),
            CallbackQueryHandler(staff_events.export_pressed,
                                 pattern=r"^st:exp:(csv|xlsx):(all|\d{1,9})$"),
            CommandHandler("aliados", alliances.allies_command),
            CommandHandler("aliados_stats", alliance_staff.stats_command),
            CallbackQueryHandler(alliance_staff.export_pressed, pattern=r"^ax:csv$"),
            CallbackQueryHandler(alliances.menu_opened, pattern=r"^menu:allies$"),
            CallbackQueryHandler(alliances.home_pressed,
                                 pattern=r"^ay:(join|leave|pause|resume|cancel)$"),
            CallbackQueryHandler(alliances.form_button_pressed,
                                 pattern=r"^ay:f:[a-z]{1,8}:[a-z]{1,8}(:[A-Za-z0-9]{1,8})?$"),
            CallbackQueryHandler(alliance_contacts.search_pressed, pattern=r"^as:"),
            CallbackQueryHandler(alliance_contacts.request_pressed, pattern=r"^ac:req:\d{1,9}$"),
            CallbackQueryHandler(alliance_contacts.answer_pressed,
                                 pattern=r"^ac:(yes|no|block):\d{1,9}$"),
            CallbackQueryHandler(browse.browse_opened, pattern=r"^menu:browse$"),
            CallbackQueryHandler(events.agenda_pressed, pattern=r"^menu:events$"),
            CallbackQueryHandler(start.menu_pressed, pattern=r"^menu:(home|help|ask|mine)$"),
            CallbackQueryHandler(events.register_pressed, pattern=r"^ev:reg:[a-z0-9-]{1,40}$"),
            CallbackQueryHandler(registration.cancel_pressed, pattern=r"^rg:cancel$"),
            CallbackQueryHandler(registration.notice_pressed, pattern=r"^rg:notice$"),
            CallbackQueryHandler(registration.form_button_pressed,
                                 pattern=r"^rg:[a-z_]{1,16}:[a-z!]{1,8}(:[A-Za-z0-9_]{1,16})?$"),
            CallbackQueryHandler(mine.registration_pressed,
                                 pattern=r"^mr:(keep|(cancel!?|ics):\d{1,9})$"),
            CallbackQueryHandler(mine.erase_pressed, pattern=r"^pd:(erase!|keep)$"),
            CallbackQueryHandler(browse.browse_pressed, pattern=r"^br:"),
            CallbackQueryHandler(ask.entry_pressed, pattern=r"^kb:e:[a-z0-9-]{1,58}$"),
            CallbackQueryHandler(ask.full_entry_pressed, pattern=r"^kb:f:[a-z0-9-]{1,58}$"),
            CallbackQueryHandler(ask.certificate_pressed, pattern=r"^kb:do:constancia$"),
            CallbackQueryHandler(ask.suggestion_pressed, pattern=r"^kb:s:\d{1,19}:\d$"),
            CallbackQueryHandler(ask.feedback_pressed, pattern=r"^kb:fb:\d{1,19}:[01]$"),
            CallbackQueryHandler(ask.message_pressed, pattern=r"^kb:msg$"),
            MessageHandler(filters.COMMAND, fallback.unknown_command),
            MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, text.attachment_received),
            CallbackQueryHandler(fallback.unknown_button_pressed),
        ]
    )
    app.add_error_handler(errors.error_occurred)


def bot_commands(*, staff: bool = False) -> list[BotCommand]:
    """The command menu shown by Telegram (setMyCommands); staff see theirs too."""
    commands = start.COMMANDS + (start.STAFF_COMMANDS if staff else [])
    return [BotCommand(name, description) for name, description in commands]
