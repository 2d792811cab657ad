"""The welcome, the main menu, help and cancel."""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ParseMode

from bot.context import BotContext
from bot.folios import folio_from_payload
from handlers import certificates, keyboards, mine, registration, texts

COMMANDS: list[tuple[str, str]] = [
    ("start", "Inicio y menú principal"),
    ("ayuda", "Qué puedo hacer y cómo pedírmelo"),
    ("registro", "Registrarme a un conversatorio"),
    ("mis_registros", "Ver o cancelar mis registros"),
    ("recordatorios", "Activar o desactivar recordatorios"),
    ("alertas", "Alertas de convocatorias que se abren"),
    ("asistencia", "Registrar mi asistencia con el código de la sesión"),
    ("constancia", "Mi constancia de participación"),
    ("verificar", "Verificar una constancia por su folio"),
    ("aliados", "Buscar aliados y unirme al directorio"),
    ("mis_datos", "Ver mis datos personales"),
    ("borrar_mis_datos", "Borrar mis datos personales"),
    ("cancelar", "Cancelar la operación en curso"),
]
STAFF_COMMANDS: list[tuple[str, str]] = [
    ("pendientes", "Preguntas sin buena respuesta, agrupadas"),
    ("recargar", "Recargar la base de conocimiento"),
    ("inscritos", "Inscritos por sesión y exportar listas"),
    ("sesiones", "Crear o editar sesiones de conversatorios"),
    ("difundir", "Enviar un aviso a muchas personas"),
    ("codigo", "Código de asistencia de una sesión"),
    ("marcar", "Marcar asistencia a mano"),
    ("importar_asistencia", "Importar el reporte de participantes"),
    ("enviar_constancias", "Enviar las constancias de un ciclo"),
    ("aliados_stats", "Directorio de aliados: cifras y exportar"),
]


async def start_command(update: Update, context: BotContext) -> None:
    """Greet the user and show the main menu, or follow a deep link (registro_…)."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    parameter = context.args[0] if context.args else ""
    if parameter.startswith("verificar_"):
        await certificates.verify_folio(message, folio_from_payload(parameter) or "", context)
        return
    if parameter == "registro" or parameter.startswith("registro_"):
        cycle, event = await context.services.events.from_link(parameter)
        if cycle is not None or parameter == "registro":
            await registration.start_registration(message, user.id, context, cycle, event)
            return
        await message.reply_html(texts.unknown_link())
    await message.reply_html(_welcome(user.id, user.first_name, context),
                             reply_markup=keyboards.main_menu())


def _welcome(user_id: int, first_name: str, context: BotContext) -> str:
    """The greeting; staff also see their commands."""
    text = texts.welcome(first_name)
    if context.services.is_staff(user_id):
        text += "\n\n" + texts.staff_section(STAFF_COMMANDS)
    return text


async def help_command(update: Update, context: BotContext) -> None:
    """Explain how to use the bot; staff also see their commands, apart."""
    assert update.effective_chat is not None
    user = update.effective_user
    staff = STAFF_COMMANDS if context.services.is_staff(user.id if user else None) else None
    await context.bot.send_message(
        update.effective_chat.id, texts.help_text(COMMANDS, staff), parse_mode=ParseMode.HTML,
        reply_markup=keyboards.back_to_menu(),
    )


async def cancel_command(update: Update, context: BotContext) -> None:
    """Leave whatever flow the user is in."""
    assert update.effective_message is not None and update.effective_user is not None
    had_flow = await context.services.flows.end(update.effective_user.id)
    await update.effective_message.reply_html(texts.cancelled(had_flow),
                                              reply_markup=keyboards.main_menu())


async def menu_pressed(update: Update, context: BotContext) -> None:
    """Open the main-menu section of the pressed button."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    section = (query.data or "").removeprefix("menu:")
    chat_id = update.effective_chat.id
    if section == "home":
        await context.bot.send_message(chat_id, _welcome(query.from_user.id,
                                                         query.from_user.first_name, context),
                                       parse_mode=ParseMode.HTML,
                                       reply_markup=keyboards.main_menu())
    elif section == "help":
        await help_command(update, context)
    elif section == "ask":
        await context.bot.send_message(chat_id, texts.ask_prompt(), parse_mode=ParseMode.HTML)
    elif section == "mine" and isinstance(query.message, Message):
        await mine.show_registrations(query.message, query.from_user.id, context)
