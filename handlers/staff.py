"""Staff commands about the knowledge base: pending questions and reloading."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from handlers import texts
from handlers.access import staff_only


@staff_only
async def pending_command(update: Update, context: BotContext) -> None:
    """List unanswered, doubtful and 👎 questions grouped by similarity."""
    assert update.effective_message is not None
    services = context.services
    gaps = await services.questions.gaps(services.clock())
    await update.effective_message.reply_html(texts.gaps(gaps))


@staff_only
async def reload_command(update: Update, context: BotContext) -> None:
    """Reload the knowledge base files; keep the current base if they do not validate."""
    assert update.effective_message is not None
    services = context.services
    outcome = await services.knowledge.reload(services.clock())
    await update.effective_message.reply_html(texts.reloaded(outcome))
