"""Check-in, certificates and verification (users); codes, imports and sending (staff)."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.attendance import CycleFinished
from bot.attendance_import import ReportError, parse_participants
from bot.certificates import Standing
from bot.context import BotContext
from bot.flows import FlowState
from bot.validation import check_full_name
from handlers import certificate_views as views
from handlers import texts
from handlers.access import staff_only

NAME_FLOW, IMPORT_FLOW = "nombre-constancia", "importar-asistencia"


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


async def _event_from_args(update: Update, context: BotContext) -> tuple[int, list[str]] | None:
    assert update.effective_message is not None
    args = context.args or []
    event = await context.services.events.by_ref(args[0]) if args else None
    if event is None:
        await update.effective_message.reply_html(views.SESSION_USAGE)
        return None
    return event.id, args[1:]


@staff_only
async def code_command(update: Update, context: BotContext) -> None:
    """/codigo <ciclo>/<sesión>: a fresh check-in code to announce during the session."""
    found = await _event_from_args(update, context)
    if found is None:
        return
    code = await context.services.attendance.new_code(found[0], context.services.clock())
    assert update.effective_message is not None
    await update.effective_message.reply_html(views.code(code))


@staff_only
async def mark_command(update: Update, context: BotContext) -> None:
    """/marcar <ciclo>/<sesión> <id> [quitar]: mark or unmark one person by hand."""
    found = await _event_from_args(update, context)
    assert update.effective_message is not None
    if found is None:
        return
    session_id, rest = found
    # Telegram user ids have at most 16 digits; longer numbers are typos the database refuses.
    if not rest or not rest[0].isdigit() or len(rest[0]) > 16:
        await update.effective_message.reply_html(views.MARK_USAGE)
        return
    present = not (len(rest) > 1 and rest[1].lower() == "quitar")
    services = context.services
    result = await services.attendance.mark(session_id, int(rest[0]), present, services.clock())
    await update.effective_message.reply_html(views.marked(present, result))


@staff_only
async def import_command(update: Update, context: BotContext) -> None:
    """/importar_asistencia <ciclo>/<sesión>: wait for the participant report file."""
    found = await _event_from_args(update, context)
    if found is None or update.effective_user is None:
        return
    services = context.services
    await services.flows.save(update.effective_user.id,
                              FlowState(IMPORT_FLOW, "file", {"session": found[0]}),
                              services.clock())
    assert update.effective_message is not None
    await update.effective_message.reply_html(views.SEND_REPORT)


@staff_only
async def report_received(update: Update, context: BotContext) -> None:
    """Import the uploaded participant report into the session's attendance."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None and message.document is not None
    services = context.services
    flow = await services.flows.get(user.id, services.clock())
    assert flow is not None
    file = await message.document.get_file()
    try:
        report = parse_participants(bytes(await file.download_as_bytearray()))
    except ReportError as exc:
        await message.reply_html(f"⚠️ {escape(str(exc))}")
        return
    try:
        result = await services.attendance.import_report(flow.data["session"], report,
                                                         services.clock())
    except CycleFinished:
        await services.flows.end(user.id)
        await message.reply_html(views.FINISHED)
        return
    await services.flows.end(user.id)
    await message.reply_html(views.imported(result))


@staff_only
async def send_all_command(update: Update, context: BotContext) -> None:
    """/enviar_constancias <ciclo>: queue every eligible person's certificate."""
    assert update.effective_message is not None
    services = context.services
    cycle = await services.events.cycle(context.args[0]) if context.args else None
    if cycle is None:
        await update.effective_message.reply_html(views.SEND_ALL_USAGE)
        return
    sent, asked = await services.certificates.send_all(cycle.id, services.clock())
    await update.effective_message.reply_html(views.queued(sent, asked))
