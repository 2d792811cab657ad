"""Inline keyboards; callback data is namespaced and short (`area:action[:arg]`)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

MENU_ASK = "menu:ask"
MENU_BROWSE = "menu:browse"
MENU_EVENTS = "menu:events"
MENU_MINE = "menu:mine"
MENU_HELP = "menu:help"
MENU_ALLIES = "menu:allies"
MENU_ALERTS = "menu:alerts"


def main_menu() -> InlineKeyboardMarkup:
    """The main menu under the welcome message."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("💬 Preguntar sobre fondos", callback_data=MENU_ASK)],
            [InlineKeyboardButton("📚 Explorar fuentes de financiamiento",
                                  callback_data=MENU_BROWSE)],
            [
                InlineKeyboardButton("🗓 Conversatorios", callback_data=MENU_EVENTS),
                InlineKeyboardButton("📝 Mis registros", callback_data=MENU_MINE),
            ],
            [InlineKeyboardButton("🔔 Alertas de convocatorias", callback_data=MENU_ALERTS)],
            [InlineKeyboardButton("🤝 Buscar aliados", callback_data=MENU_ALLIES)],
            [InlineKeyboardButton("❓ Ayuda", callback_data=MENU_HELP)],
        ]
    )


def back_to_menu() -> InlineKeyboardMarkup:
    """A single button back to the main menu."""
    return InlineKeyboardMarkup([[InlineKeyboardButton("🏠 Menú principal",
                                                       callback_data="menu:home")]])
