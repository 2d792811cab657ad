"""Free text goes to the flow the user is in, or else it is a question."""

from __future__ import annotations

from telegram import Update

from bot.alliance_contacts import FLOW as ALLY_CONTACT
from bot.alliance_form import FLOW as ALLY_FORM
from bot.context import BotContext
from bot.signup import FLOW as SIGNUP
from handlers import (
    alliance_contacts,
    alliances,
    ask,
    attendance_staff,
    broadcast,
    certificates,
    fallback,
    registration,
    staff_sessions,
    usage_replies,
)


async def text_received(update: Update, context: BotContext) -> None:
    """Route a text message to the user's open form, or answer it as a question."""
    assert update.effective_user is not None
    services = context.services
    # One read: the open form, and the latest question for a follow-up ("¿y de cuánto es?").
    turn = await services.flows.turn(update.effective_user.id, services.clock())
    flow = turn.flow
    replied = usage_replies.command_replied_to(update)
    if replied is not None:
        await usage_replies.run_replied(update, context, replied)
    elif flow is not None and flow.name == SIGNUP:
        await registration.form_text_received(update, context)
    elif flow is not None and flow.name in (staff_sessions.EDIT_FLOW, staff_sessions.NEW_FLOW):
        await staff_sessions.edit_text_received(update, context)
    elif flow is not None and flow.name == broadcast.FLOW:
        await broadcast.compose_received(update, context)
    elif flow is not None and flow.name == certificates.NAME_FLOW:
        await certificates.name_received(update, context)
    elif flow is not None and flow.name == ALLY_FORM:
        await alliances.form_text_received(update, context)
    elif flow is not None and flow.name == ALLY_CONTACT:
        await alliance_contacts.message_received(update, context)
    elif flow is not None and flow.name == ask.MESSAGE_FLOW:
        await ask.message_received(update, context, flow, turn.last)
    else:
        await ask.question_received(update, context, turn.last)


async def attachment_received(update: Update, context: BotContext) -> None:
    """A document for a broadcast being composed; anything else gets a polite answer."""
    assert update.effective_user is not None and update.effective_message is not None
    services = context.services
    flow = await services.flows.get(update.effective_user.id, services.clock())
    document = update.effective_message.document
    if flow is not None and flow.name == broadcast.FLOW and document:
        await broadcast.compose_received(update, context)
    elif flow is not None and flow.name == attendance_staff.IMPORT_FLOW and document:
        await attendance_staff.report_received(update, context)
    else:
        await fallback.non_text_received(update, context)
