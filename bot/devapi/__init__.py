"""A local Bot API emulator and a harness that drives the real bot through it."""

from bot.devapi.server import DEFAULT_TOKEN, BotApiEmulator
from bot.devapi.state import StoredFile, StoredMessage

__all__ = ["DEFAULT_TOKEN", "BotApiEmulator", "StoredFile", "StoredMessage"]
