"""/difundir: staff write a message, choose the audience, preview, send now or schedule."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from telegram import Message, Update

from bot.broadcasts import Audience, BroadcastError, check_text
from bot.context import BotContext
from bot.flows import FlowState
from bot.session_edits import EditError, parse_start
from bot.signup import SECTORS
from handlers import broadcast_views as views
from handlers import texts
from handlers.access import staff_only
from knowledge.geography import state_from_code

FLOW = "difusion"


async def _flow(update: Update, context: BotContext) -> FlowState | None:
    user = update.effective_user
    assert user is not None
    state = await context.services.flows.get(user.id, context.services.clock())
    return state if state is not None and state.name == FLOW else None


@staff_only
async def broadcast_command(update: Update, context: BotContext) -> None:
    """Start composing a broadcast."""
    assert update.effective_message is not None and update.effective_user is not None
    services = context.services
    await services.flows.save(update.effective_user.id,
                              FlowState(FLOW, "compose", {"audience": Audience().as_dict()}),
                              services.clock())
    await update.effective_message.reply_html(views.COMPOSE)


@staff_only
async def compose_received(update: Update, context: BotContext) -> None:
    """Take the message to broadcast (text, or a document with its caption), or a schedule."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.services
    state = await _flow(update, context)
    if state is None:
        return
    if state.step == "schedule":
        await _schedule(message, user.id, state, context)
        return
    document = message.document
    text = message.caption_html if document else message.text_html
    data = {**state.data, "text": text or "",
            "document": {"file_id": document.file_id, "name": document.file_name or "archivo"}
            if document else None}
    try:
        check_text(data["text"], document is not None)
    except BroadcastError as exc:
        await message.reply_html(f"⚠️ {escape(str(exc))}. Escríbalo de nuevo, por favor.")
        return
    await services.flows.save(user.id, FlowState(FLOW, "audience", data), services.clock())
    await _show_audience(message, data, context)


async def _show_audience(message: Message, data: dict[str, Any],
                         context: BotContext, menu: str = "main") -> None:
    services = context.services
    audience = Audience.from_dict(data["audience"])
    count = await services.broadcasts.count(audience)
    sessions = []
    if menu == "sessions":
        for cycle in await services.events.cycles():
            sessions.extend(await services.events.sessions(cycle.id))
    text, markup = views.audience_screen(audience, count, menu, sessions,
                                         services.settings.timezone)
    await message.reply_html(text, reply_markup=markup)


@staff_only
async def broadcast_pressed(update: Update, context: BotContext) -> None:
    """Audience toggles, preview, send, schedule, cancel and stop."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services = context.services
    parts = (query.data or "").split(":")
    if parts[1] == "keep":
        await query.answer("La difusión sigue en pie.")
        await query.edit_message_reply_markup(None)
        return
    if parts[1] == "stop":
        # A scheduled broadcast is stopped only after confirming; a running one at once.
        progress = await services.broadcasts.progress(int(parts[2]))
        if progress is not None and progress.broadcast.state == "scheduled":
            await query.answer()
            text, markup = views.confirm_stop_screen(progress, services.settings.timezone)
            await query.message.reply_html(text, reply_markup=markup)
            return
    if parts[1] in ("stop", "stop!"):
        progress = await services.broadcasts.cancel(int(parts[2]))
        await query.answer("Difusión detenida." if progress else texts.stale_button())
        if progress is not None:
            await query.message.reply_html(views.stopped(progress))
        return
    state = await _flow(update, context)
    if state is None or state.step not in ("audience", "schedule"):
        await query.answer(texts.stale_button())
        return
    await query.answer()
    data, now = state.data, services.clock()
    if parts[1] == "cancel":
        await services.flows.end(query.from_user.id)
        await query.message.reply_html("Difusión descartada. No se envió nada.")
    elif parts[1] == "menu":
        await _show_audience(query.message, data, context, parts[2])
    elif parts[1] == "t":
        audience = _toggle(Audience.from_dict(data["audience"]), parts[2], parts[3])
        if audience is None:
            return
        data["audience"] = audience.as_dict()
        await services.flows.save(query.from_user.id, state, now)
        await _show_audience(query.message, data, context, _MENUS[parts[2]])
    elif parts[1] == "preview":
        await _preview(query.message, data, context)
    elif parts[1] == "send":
        await _create(query.message, query.from_user.id, data, context, None)
    elif parts[1] == "schedule":
        state.step = "schedule"
        await services.flows.save(query.from_user.id, state, now)
        await query.message.reply_html(views.SCHEDULE)


_MENUS = {"s": "sessions", "r": "sectors", "e": "states", "all": "main"}


def _toggle(audience: Audience, kind: str, value: str) -> Audience | None:
    if kind == "all":
        return Audience()
    if kind == "s" and value.isdigit():
        return audience.toggled("sessions", int(value))
    if kind == "r" and value in SECTORS:
        return audience.toggled("sectors", value)
    if kind == "e" and (state := state_from_code(value)):
        return audience.toggled("states", state)
    return None


async def _preview(message: Message, data: dict[str, Any], context: BotContext) -> None:
    """Show the message exactly as recipients will get it, then the confirmation."""
    text, document = str(data["text"]), data.get("document")
    if isinstance(document, dict):
        await message.reply_document(document["file_id"], caption=text or None)
    else:
        await message.reply_html(text)
    audience = Audience.from_dict(data["audience"])
    count = await context.services.broadcasts.count(audience)
    chosen = [event for event_id in audience.sessions
              if (event := await context.services.events.session(event_id)) is not None]
    summary, markup = views.confirm_screen(audience, count, chosen,
                                           context.services.settings.timezone)
    await message.reply_html(summary, reply_markup=markup)


async def _schedule(message: Message, user_id: int, state: FlowState,
                    context: BotContext) -> None:
    services = context.services
    try:
        at = parse_start(message.text or "", services.settings.timezone, services.clock())
    except EditError as exc:
        await message.reply_html(f"⚠️ {escape(str(exc))}")
        return
    if at <= services.clock():
        await message.reply_html("⚠️ La fecha debe ser en el futuro.")
        return
    await _create(message, user_id, state.data, context, at)


async def _create(message: Message, user_id: int, data: dict[str, Any],
                  context: BotContext, at: dt.datetime | None) -> None:
    services = context.services
    audience = Audience.from_dict(data["audience"])
    document = data.get("document")
    broadcast = await services.broadcasts.create(
        str(data["text"]), audience, services.clock(), at=at,
        document={"file_id": document["file_id"]} if isinstance(document, dict) else None,
        created_by=user_id)
    await services.flows.end(user_id)
    progress = await services.broadcasts.progress(broadcast.id)
    assert progress is not None
    sent = await message.reply_html(views.started(progress, services.settings.timezone),
                                    reply_markup=views.stop_button(broadcast.id))
    await services.broadcasts.attach_progress(broadcast.id, sent.chat_id, sent.message_id)
