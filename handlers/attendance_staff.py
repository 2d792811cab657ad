"""Staff: check-in codes, attendance by hand and from reports, certificates in bulk."""

from __future__ import annotations

from html import escape

from telegram import Message, Update

from bot.attendance import CycleFinished
from bot.attendance_import import ReportError, parse_participants
from bot.context import BotContext
from bot.db.models import EventSession
from bot.flows import FlowState
from handlers import certificate_views as views
from handlers import session_pickers, texts
from handlers.access import staff_only

IMPORT_FLOW = "importar-asistencia"


async def _event_from_args(update: Update, context: BotContext,
                           command: str) -> tuple[EventSession, list[str]] | None:
    """The session named in the arguments; without one, offer the picker."""
    assert update.effective_message is not None
    args = context.args or []
    event = await context.services.events.by_ref(args[0]) if args else None
    if event is None:
        await session_pickers.ask_session(update.effective_message, command, context)
        return None
    return event, args[1:]


@staff_only
async def code_command(update: Update, context: BotContext) -> None:
    """/codigo [ciclo/sesión]: a fresh check-in code to announce during the session."""
    found = await _event_from_args(update, context, "codigo")
    if found is not None:
        assert update.effective_message is not None
        await _code(update.effective_message, found[0], context)


async def _code(message: Message, event: EventSession, context: BotContext) -> None:
    code = await context.services.attendance.new_code(event.id, context.services.clock())
    await message.reply_html(views.code(code))


@staff_only
async def mark_command(update: Update, context: BotContext) -> None:
    """/marcar [ciclo/sesión [ID [quitar]]]: pick the session and the person, or type them."""
    found = await _event_from_args(update, context, "marcar")
    message = update.effective_message
    assert message is not None
    if found is None:
        return
    event, rest = found
    if not rest:
        await _registrants(message, event, context)
        return
    # Telegram user ids have at most 16 digits; longer numbers are typos the database refuses.
    if not rest[0].isdigit() or len(rest[0]) > 16:
        await message.reply_html(views.MARK_USAGE)
        return
    present = not (len(rest) > 1 and rest[1].lower() == "quitar")
    services = context.services
    result = await services.attendance.mark(event.id, int(rest[0]), present, services.clock())
    await message.reply_html(views.marked(present, result))


async def _registrants(message: Message, event: EventSession, context: BotContext) -> None:
    services = context.services
    if await services.attendance.finished(event.cycle_id, services.clock()):
        await message.reply_html(views.FINISHED)
        return
    people = await services.attendance.registrants(event.id)
    text, markup = session_pickers.registrants_screen(event, people, context)
    await message.reply_html(text, reply_markup=markup)


@staff_only
async def attendance_pressed(update: Update, context: BotContext) -> None:
    """Mark or unmark the pressed registrant, and show the list again."""
    query = update.callback_query
    assert query is not None and context.match is not None
    services = context.services
    event = await services.events.session(int(context.match["session"]))
    people = await services.attendance.registrants(event.id) if event else []
    person = next((p for p in people if p[0] == int(context.match["user"])), None)
    if event is None or person is None:
        await query.answer(texts.stale_button())
        return
    result = await services.attendance.mark(event.id, person[0], not person[2], services.clock())
    await query.answer(views.marked(not person[2], result)[:200])
    text, markup = session_pickers.registrants_screen(
        event, await services.attendance.registrants(event.id), context)
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)


@staff_only
async def import_command(update: Update, context: BotContext) -> None:
    """/importar_asistencia [ciclo/sesión]: wait for the participant report file."""
    found = await _event_from_args(update, context, "importar_asistencia")
    if found is not None:
        assert update.effective_message is not None and update.effective_user is not None
        await _await_report(update.effective_message, update.effective_user.id, found[0],
                            context)


async def _await_report(message: Message, user_id: int, event: EventSession,
                        context: BotContext) -> None:
    services = context.services
    await services.flows.save(user_id, FlowState(IMPORT_FLOW, "file", {"session": event.id}),
                              services.clock())
    await message.reply_html(views.SEND_REPORT)


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
    """/enviar_constancias [ciclo]: queue every eligible person's certificate."""
    message = update.effective_message
    assert message is not None
    services = context.services
    cycle = await services.events.cycle(context.args[0]) if context.args else None
    if cycle is None:
        await session_pickers.ask_cycle(message, "enviar_constancias", context)
        return
    await _send_all(message, cycle.id, context)


async def _send_all(message: Message, cycle_id: str, context: BotContext) -> None:
    services = context.services
    sent, asked = await services.certificates.send_all(cycle_id, services.clock())
    await message.reply_html(views.queued(sent, asked))


@staff_only
async def picked(update: Update, context: BotContext) -> None:
    """Run the command whose session (or cycle) was picked."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    assert context.match is not None
    command, target = context.match["command"], context.match["target"]
    services = context.services
    if command == "enviar_constancias":
        if await services.events.cycle(target) is None:
            await query.answer(texts.stale_button())
            return
        await query.answer()
        await _send_all(query.message, target, context)
        return
    event = await services.events.session(int(target)) if target.isdigit() else None
    if event is None:
        await query.answer(texts.stale_button())
        return
    await query.answer()
    if command == "importar_asistencia":
        await _await_report(query.message, query.from_user.id, event, context)
    elif command == "codigo":
        await _code(query.message, event, context)
    else:
        await _registrants(query.message, event, context)
