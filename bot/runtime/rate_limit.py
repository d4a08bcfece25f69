"""How many messages a conversation may send in a window (a sliding window, in memory).

The Rasa server's processor asks :meth:`RateLimiter.allow` before the NLU runs. A
conversation over its limit (``BACKCARE_RATE_LIMIT_MESSAGES`` in
``BACKCARE_RATE_LIMIT_SECONDS``) is not read by the NLU or the dialogue: it gets a short
"please slow down", so one client cannot keep the server busy for everyone. The
red-flag check still reads every message, so a red flag is answered and alerted even
in a flood::

    limiter = RateLimiter(limit=30, window_seconds=60)
    limiter.allow("web:abc", now=0.0)  # True
"""

from __future__ import annotations

import time
from collections import deque


class RateLimiter:
    """Count each conversation's recent messages."""

    def __init__(self, limit: int, window_seconds: float, max_conversations: int = 100_000) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_conversations = max_conversations
        self._seen: dict[str, deque[float]] = {}

    def allow(self, conversation: str, now: float | None = None) -> bool:
        """Record a message; return whether the conversation is within its limit."""
        moment = time.monotonic() if now is None else now
        times = self._seen.setdefault(conversation, deque())
        while times and moment - times[0] >= self.window:
            times.popleft()
        times.append(moment)
        if len(self._seen) > self.max_conversations:
            self._forget_idle(moment)
        return len(times) <= self.limit

    def _forget_idle(self, now: float) -> None:
        idle = [
            key for key, times in self._seen.items() if not times or now - times[-1] >= self.window
        ]
        for key in idle:
            del self._seen[key]
