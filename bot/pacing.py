"""Even pacing of sends: a global rate, one message per second per chat, and 429 pauses.

The rate holds in every one-second window as Telegram counts them: at most `rate` sends in any
WINDOW (a second plus a margin for the jitter between taking a slot and the request reaching
Telegram), spread evenly inside it. A rate set at Telegram's limit thus runs at ~95 % of it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable

PER_CHAT_INTERVAL = 1.0
CATCH_UP = 2
WINDOW = 1.05


class Pacer:
    """Hand out send slots evenly: never a burst, never inside a retry_after pause."""

    def __init__(self, rate: float, per_chat: float = PER_CHAT_INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = WINDOW / rate
        self.per_chat = per_chat
        self._clock = clock
        self._next = 0.0
        self._paused_until = 0.0
        self._chats: dict[int, float] = {}
        # The moments of the last `rate` slots: the next one waits until the oldest is a
        # window old.
        self._window: deque[float] = deque(maxlen=max(1, math.floor(rate)))

    def pause(self, seconds: float) -> None:
        """Send nothing for this long (Telegram answered 429 with retry_after)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def ready_at(self, chat_id: int) -> float:
        """When this chat may get its next message."""
        full = len(self._window) == self._window.maxlen
        return max(self._next, self._chats.get(chat_id, 0.0), self._paused_until,
                   self._window[0] + WINDOW if full else 0.0)

    async def slot(self, chat_id: int) -> None:
        """Wait for this chat's next slot and take it (right before sending: the window
        counts slots, so a slot taken long before its request would not be counted right)."""
        while True:
            now = self._clock()
            start = self.ready_at(chat_id)
            if start <= now:
                break
            await asyncio.sleep(start - now)
        # A slot taken late may be made up, but by at most CATCH_UP slots: never a burst.
        self._next = max(self._next, now - CATCH_UP * self.interval) + self.interval
        self._window.append(now)
        self._chats[chat_id] = now + self.per_chat
        if len(self._chats) > 10_000:
            self._chats = {c: t for c, t in self._chats.items() if t > now}
