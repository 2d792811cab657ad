"""Check-in, certificates and verification (users); staff work is in attendance_staff."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.certificates import Standing
from bot.context import BotContext
from bot.flows import FlowState
from bot.validation import check_full_name
from handlers import certificate_views as views
from handlers import texts

NAME_FLOW = "nombre-constancia"


async def checkin_command(update: Update, context: BotContext) -> None:
    """/asistencia CODE: count the user present in the live session."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if not context.args:
        await message.reply_html(views.CHECKIN_USAGE)
        return
    services = context.services
    result, event = await services.attendance.check_in(user.id, context.args[0],
                                                       services.clock())
    await message.reply_html(views.checkin(result, event))


async def certificate_command(update: Update, context: BotContext) -> None:
    """/constancia: say where the user stands; issue the certificate when eligible."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.services
    standings = await services.certificates.standings(user.id)
    if not standings:
        await message.reply_html(views.NO_REGISTRATIONS)
        return
    for standing in standings:
        await message.reply_html(views.standing(standing))
        if standing.eligible:
            await _offer(message, user.id, standing, context)


async def _offer(message: Message, user_id: int, standing: Standing,
                 context: BotContext) -> None:
    profile = await context.services.certificates.profile(user_id)
    if profile is None or not profile.full_name:
        return
    if profile.name_confirmed:
        await _send(message, user_id, standing, context)
        return
    await message.reply_html(views.confirm_name(profile.full_name), reply_markup=(
        InlineKeyboardMarkup([[
            InlineKeyboardButton("✅ Sí, es correcto", callback_data=f"ct:ok:{standing.cycle.id}"),
            InlineKeyboardButton("✏️ Corregir", callback_data=f"ct:fix:{standing.cycle.id}"),
        ]])))


async def _send(message: Message, user_id: int, standing: Standing,
                context: BotContext) -> None:
    services = context.services
    certificate = await services.certificates.issue(user_id, standing, services.clock())
    name, content = await services.certificates.pdf(certificate)
    await message.reply_document(content, filename=name, caption=views.caption(certificate))


async def _standing(user_id: int, cycle_id: str, context: BotContext) -> Standing | None:
    for standing in await context.services.certificates.standings(user_id):
        if standing.cycle.id == cycle_id and standing.eligible:
            return standing
    return None


async def name_pressed(update: Update, context: BotContext) -> None:
    """Confirm the name, or ask for the corrected spelling."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    _, action, cycle_id = (query.data or "").split(":")
    services = context.services
    standing = await _standing(query.from_user.id, cycle_id, context)
    if standing is None:
        await query.answer(texts.stale_button())
        return
    await query.answer()
    if action == "ok":
        await services.certificates.confirm_name(query.from_user.id, None, services.clock())
        await _send(query.message, query.from_user.id, standing, context)
        return
    await services.flows.save(query.from_user.id,
                              FlowState(NAME_FLOW, "name", {"cycle": cycle_id}),
                              services.clock())
    await query.message.reply_html(views.ASK_NAME)


async def name_received(update: Update, context: BotContext) -> None:
    """Take the corrected name and issue the certificate."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    services = context.services
    flow = await services.flows.get(user.id, services.clock())
    assert flow is not None
    checked = check_full_name(message.text)
    if checked.error or not checked.value:
        await message.reply_html(f"⚠️ {escape(checked.error or '')}\n\n{views.ASK_NAME}")
        return
    await services.certificates.confirm_name(user.id, checked.value, services.clock())
    await services.flows.end(user.id)
    standing = await _standing(user.id, flow.data["cycle"], context)
    if standing is not None:
        await _send(message, user.id, standing, context)


async def verify_folio(message: Message, text: str, context: BotContext) -> None:
    """Answer whether a folio belongs to a genuine certificate."""
    found = await context.services.certificates.verify(text)
    await message.reply_html(views.verification(found, context.services.settings.timezone))


async def verify_command(update: Update, context: BotContext) -> None:
    """/verificar FOLIO."""
    assert update.effective_message is not None
    if not context.args:
        await update.effective_message.reply_html(views.VERIFY_USAGE)
        return
    await verify_folio(update.effective_message, " ".join(context.args), context)
