"""The Bot API client of the application: every request of every handler passes here.

Two rules hold for all of them, whatever the caller does:
- an edit Telegram refuses as "not modified" succeeded (it shows what was asked; e.g. a double
  tap whose two presses reached two replicas);
- a callback query is answered at most once (a handler's answer, then the error handler's).
"""

from __future__ import annotations

from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import JSONDict, ODVInput
from telegram.error import BadRequest
from telegram.ext import ExtBot

EDITS = frozenset({"editMessageText", "editMessageReplyMarkup", "editMessageCaption",
                   "editMessageMedia"})
# Telegram accepts an answer within seconds; remembering the latest ids is plenty.
ANSWERED_KEPT = 10_000


class CooperaBot(ExtBot[None]):
    """ExtBot whose edits and callback answers are safe to repeat."""

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
        return result

    def _first_answer(self, data: JSONDict | None) -> bool:
        query_id = str((data or {}).get("callback_query_id"))
        if query_id in self._answered:
            return False
        self._answered[query_id] = None
        if len(self._answered) > ANSWERED_KEPT:
            del self._answered[next(iter(self._answered))]
        return True
