"""Telegram's flood control, emulated: a global rate, one message per second per chat, 429s."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from bot.devapi.validate import ApiError


@dataclass
class FloodStats:
    """What the limiter saw (for benchmarks and tests)."""

    sends: int = 0
    too_many: int = 0
    inside_retry_window: int = 0
    # When each send arrived (time.monotonic()).
    moments: list[float] = field(default_factory=list)

    def busiest_second(self) -> int:
        """The most sends that arrived within any one second."""
        most, first = 0, 0
        for last, moment in enumerate(self.moments):
            while moment - self.moments[first] >= 1.0:
                first += 1
            most = max(most, last - first + 1)
        return most


@dataclass
class FloodControl:
    """Off unless a rate or a per-chat interval is set."""

    global_rate: float | None = None
    chat_interval: float | None = None
    retry_after: int = 1
    stats: FloodStats = field(default_factory=FloodStats)
    _recent: deque[float] = field(default_factory=deque)
    _chat_last: dict[int, float] = field(default_factory=dict)
    _blocked_until: float = 0.0
    _chat_blocked: dict[int, float] = field(default_factory=dict)
    forced: list[int] = field(default_factory=list)

    def check(self, chat_id: int) -> None:
        """Count a send to this chat, or raise the 429 Telegram would answer."""
        now = time.monotonic()
        self.stats.sends += 1
        self.stats.moments.append(now)
        if now < self._blocked_until or now < self._chat_blocked.get(chat_id, 0.0):
            self.stats.inside_retry_window += 1
            self._refuse(chat_id, now, whole_bot=now < self._blocked_until)
        if self.forced:
            self.forced.pop(0)
            self._refuse(chat_id, now, whole_bot=True)
        if self.global_rate is not None:
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.global_rate:
                self._refuse(chat_id, now, whole_bot=True)
        if self.chat_interval is not None:
            last = self._chat_last.get(chat_id)
            if last is not None and now - last < self.chat_interval:
                self._refuse(chat_id, now, whole_bot=False)
        self._recent.append(now)
        self._chat_last[chat_id] = now

    def _refuse(self, chat_id: int, now: float, *, whole_bot: bool) -> None:
        self.stats.too_many += 1
        if whole_bot:
            self._blocked_until = max(self._blocked_until, now + self.retry_after)
        else:
            self._chat_blocked[chat_id] = now + self.retry_after
        raise ApiError(429, f"Too Many Requests: retry after {self.retry_after}",
                       retry_after=self.retry_after)
