"""Staff edit sessions in Telegram: list, change a field, add a session."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.context import BotContext
from bot.dates import short_when, when
from bot.db.models import EventSession
from bot.events import link_parameter
from bot.flows import FlowState
from bot.session_edits import EditError
from bot.wording import fit_label
from handlers import texts
from handlers.access import staff_only

EDIT_FLOW, NEW_FLOW = "sesion", "sesion-nueva"
PROMPTS = {
    "title": "Escriba el nuevo <b>título</b> de la sesión.",
    "start": "Escriba la nueva <b>fecha y hora</b> (hora local del ciclo), por ejemplo "
             "<code>14 de enero 2027 11:00</code> o <code>mañana a las 9</code>.",
    "join_url": "Escriba el <b>enlace para unirse</b> (por ejemplo zoom.us/j/123), o «ninguno».",
    "recording_url": "Escriba el <b>enlace de la grabación</b>, o «ninguno».",
    "capacity": "Escriba el <b>cupo</b> (número de lugares), o «sin límite».",
    "duration": "Escriba la <b>duración</b> en minutos.",
}
LABELS = {"title": "🏷 Título", "start": "📅 Fecha y hora", "join_url": "🔗 Enlace",
          "recording_url": "🎞 Grabación", "capacity": "👥 Cupo", "duration": "⏱ Duración"}


@staff_only
async def sessions_command(update: Update, context: BotContext) -> None:
    """/sesiones: every cycle's sessions with edit buttons and 'new session'."""
    assert update.effective_message is not None
    services = context.services
    zone = services.settings.timezone
    rows = []
    for cycle in await services.events.cycles():
        for event in await services.events.sessions(cycle.id):
            label = fit_label(f"✏️ {cycle.id[:24]}/{event.code} · "
                              f"{short_when(event.starts_at, zone, year=True)} · {event.title}")
            rows.append([InlineKeyboardButton(label, callback_data=f"se:edit:{event.id}")])
        rows.append([InlineKeyboardButton(f"➕ Nueva sesión en {cycle.id[:30]}",
                                          callback_data=f"se:new:{cycle.id}")])
    if not rows:
        await update.effective_message.reply_html(
            "No hay ciclos. Publique uno con <code>coopera events import ARCHIVO</code>.")
        return
    await update.effective_message.reply_html("🗂 <b>Sesiones</b>: elija una para editarla.",
                                              reply_markup=InlineKeyboardMarkup(rows))


@staff_only
async def session_pressed(update: Update, context: BotContext) -> None:
    """Show a session card, start editing a field, or start a new session."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    services = context.services
    _, action, target, *field = (query.data or "").split(":")
    now = services.clock()
    if action == "new":
        if await services.events.cycle(target) is None:
            await query.answer(texts.stale_button())
            return
        await services.flows.save(query.from_user.id, FlowState(NEW_FLOW, "title",
                                                                {"cycle": target}), now)
        await query.answer()
        await query.message.reply_html("Escriba el <b>título</b> de la nueva sesión. "
                                       "(Para salir: /cancelar)")
        return
    event = await services.events.session(int(target))
    if event is None or (field and field[0] not in PROMPTS):
        await query.answer(texts.stale_button())
        return
    await query.answer()
    if action == "edit":
        await query.message.reply_html(_card(event, context),
                                       reply_markup=_field_buttons(event.id))
        return
    await services.flows.save(query.from_user.id,
                              FlowState(EDIT_FLOW, field[0], {"session": event.id}), now)
    await query.message.reply_html(PROMPTS[field[0]] + " (Para salir: /cancelar)")


def _card(event: EventSession, context: BotContext) -> str:
    """A session as staff see it, with the deep link people register with."""
    registration = f"https://t.me/{context.bot.username}?start={link_parameter(event)}"
    return (f"<b>{escape(event.cycle_id)}/{escape(event.code)}</b> · {escape(event.title)}\n"
            f"{when(event.starts_at, context.services.settings.timezone)}\n"
            f"Enlace: {escape(event.join_url or '—')}\n"
            f"Cupo: {event.capacity or 'sin límite'}\n"
            f"Registro: {escape(registration)}")


def _field_buttons(session_id: int) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(label, callback_data=f"se:f:{session_id}:{field}")
               for field, label in LABELS.items()]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


@staff_only
async def edit_text_received(update: Update, context: BotContext) -> None:
    """Take the value typed for a session field or for a new session."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    services = context.services
    now = services.clock()
    flow = await services.flows.get(user.id, now)
    assert flow is not None
    try:
        if flow.name == NEW_FLOW and flow.step == "title":
            flow.data["title"] = message.text.strip()
            flow.step = "start"
            await services.flows.save(user.id, flow, now)
            await message.reply_html(PROMPTS["start"])
            return
        if flow.name == NEW_FLOW:
            event = await services.session_edits.create(flow.data["cycle"], flow.data["title"],
                                                        message.text, now)
            await services.flows.end(user.id)
            await message.reply_html("✅ Sesión creada:\n" + _card(event, context),
                                     reply_markup=_field_buttons(event.id))
            return
        edited = await services.session_edits.apply(flow.data["session"], flow.step,
                                                    message.text, now)
    except EditError as exc:
        await message.reply_html(f"⚠️ {escape(str(exc))}")
        return
    await services.flows.end(user.id)
    await message.reply_html("✅ Cambio guardado:\n" + _card(edited.event, context))
