"""The Bot API client of the application: every request of every handler passes here.

Four rules hold for all of them, whatever the caller does:
- an edit of the message a button was pressed on into what that message already shows (as the
  press carried it) is not sent: it would only draw Telegram's 400 "not modified" (a forged or
  replayed press, e.g. "keep" on a message whose buttons are gone);
- an edit Telegram refuses as "not modified" succeeded (it shows what was asked; e.g. a double
  tap whose two presses reached two replicas);
- a callback query is answered at most once (a handler's answer, then the error handler's);
- an update the library cannot read is skipped, logged once by id, and confirmed, so polling
  never fetches it again (the library would log it whole and fetch the same batch for ever).
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import JSONDict, ODVInput
from telegram.error import BadRequest
from telegram.ext import ExtBot

log = logging.getLogger(__name__)
EDITS = frozenset({"editMessageText", "editMessageReplyMarkup", "editMessageCaption",
                   "editMessageMedia"})
# Telegram accepts an answer within seconds; remembering the latest ids is plenty.
ANSWERED_KEPT = 10_000


@dataclass(frozen=True)
class Shown:
    """What a message shows: its text as HTML and its inline keyboard."""

    chat_id: int
    message_id: int
    html: str | None
    markup: JSONDict | None

    @classmethod
    def of(cls, message: Message) -> Shown:
        markup = message.reply_markup.to_dict() if message.reply_markup else None
        return cls(message.chat_id, message.message_id,
                   message.text_html if message.text is not None else None, markup)


# The message the update's button was pressed on, as Telegram showed it (each update's task has
# its own; handlers/presses.py sets it for every press).
PRESSED: ContextVar[Shown | None] = ContextVar("pressed", default=None)


class CooperaBot(ExtBot[None]):
    """ExtBot with edits and answers safe to repeat, and unreadable updates skipped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._answered: dict[str, None] = {}

    async def _post(
        self,
        endpoint: str,
        data: JSONDict | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> Any:
        if endpoint == "answerCallbackQuery" and not self._first_answer(data):
            return True
        if endpoint in EDITS and _shows_already(endpoint, data or {}):
            return True
        try:
            result = await super()._post(
                endpoint, data, read_timeout=read_timeout, write_timeout=write_timeout,
                connect_timeout=connect_timeout, pool_timeout=pool_timeout,
                api_kwargs=api_kwargs)
        except BadRequest as exc:
            # Showing what the message already shows is what the caller wanted.
            if endpoint in EDITS and "not modified" in str(exc):
                return True
            raise
        if endpoint == "getUpdates":
            return [self._readable(item) for item in result]
        if endpoint in EDITS:
            _edited(endpoint, data or {})
        return result

    def _first_answer(self, data: JSONDict | None) -> bool:
        query_id = str((data or {}).get("callback_query_id"))
        if query_id in self._answered:
            return False
        self._answered[query_id] = None
        if len(self._answered) > ANSWERED_KEPT:
            del self._answered[next(iter(self._answered))]
        return True

    def _readable(self, item: JSONDict) -> JSONDict:
        """The update as received, or only its id when the library cannot read it."""
        try:
            Update.de_json(item, self)
        except Exception:
            # The payload carries names and texts: its id only, never its content.
            log.warning("update %s could not be read and was skipped", item.get("update_id"))
            return {"update_id": item["update_id"]}
        return item


def _markup(value: object) -> JSONDict | None:
    if isinstance(value, InlineKeyboardMarkup):
        return value.to_dict()
    return value if isinstance(value, dict) else None


def _shows_already(endpoint: str, data: JSONDict) -> bool:
    """True when the edit asks the pressed message for exactly what it shows."""
    shown = PRESSED.get()
    if shown is None or (data.get("chat_id"), data.get("message_id")) != (shown.chat_id,
                                                                         shown.message_id):
        return False
    if _markup(data.get("reply_markup")) != shown.markup:
        return False
    if endpoint == "editMessageReplyMarkup":
        return True
    return endpoint == "editMessageText" and data.get("text") == shown.html


def _edited(endpoint: str, data: JSONDict) -> None:
    """After an edit of the pressed message, it shows what was asked."""
    shown = PRESSED.get()
    if shown is None or endpoint not in ("editMessageText", "editMessageReplyMarkup") or (
            data.get("chat_id"), data.get("message_id")) != (shown.chat_id, shown.message_id):
        return
    html = data.get("text") if endpoint == "editMessageText" else shown.html
    PRESSED.set(Shown(shown.chat_id, shown.message_id, html if isinstance(html, str) else None,
                      _markup(data.get("reply_markup"))))
