"""The typed callback context: handlers reach services as `context.services`."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services

SERVICES_KEY = "services"
DISPATCHER_KEY = "dispatcher"


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with typed access to the services container."""

    @property
    def services(self) -> Services:
        """The services opened in post_init."""
        services = self.application.bot_data.get(SERVICES_KEY)
        if services is None:
            raise RuntimeError("services are not open")
        return services


CooperaApp = Application[ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any],
                         dict[Any, Any], Any]
