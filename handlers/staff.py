"""Staff commands about the knowledge base: pending questions and reloading."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from handlers import texts
from handlers.access import staff_only
from knowledge.check import stats


@staff_only
async def pending_command(update: Update, context: BotContext) -> None:
    """Show what curators should look at: missing organisations, messages left for staff,
    poorly answered questions grouped by similarity, and stale parts of the base."""
    assert update.effective_message is not None
    services = context.services
    now = services.clock()
    questions = services.questions
    health = stats(services.knowledge.base, now.astimezone(services.settings.timezone).date())
    text = texts.pending(await questions.missing(now), await questions.messages(),
                         await questions.gaps(now), health, services.settings.timezone)
    await update.effective_message.reply_html(text)


@staff_only
async def reload_command(update: Update, context: BotContext) -> None:
    """Reload the knowledge base files; keep the current base if they do not validate."""
    assert update.effective_message is not None
    services = context.services
    outcome = await services.knowledge.reload(services.clock())
    await update.effective_message.reply_html(texts.reloaded(outcome))
