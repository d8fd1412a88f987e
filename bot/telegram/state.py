"""What the bridge keeps in memory: handled updates, per-chat buttons, language, flood state."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

# Telegram may deliver an update again (a webhook retry, a poll after a restart of the network
# path); a few thousand ids cover far more than the minutes in which that happens.
RECENT_UPDATES = 5_000
BUTTONS_PER_CHAT = 64
MAX_CHATS = 10_000


class RecentUpdates:
    """Update ids handled or being handled, so that a second delivery is not handled again."""

    def __init__(self, size: int = RECENT_UPDATES) -> None:
        self._done: OrderedDict[int, None] = OrderedDict()
        self._running: set[int] = set()
        self._size = size

    def begin(self, update_id: int) -> bool:
        """True when the update is new and now ours to handle."""
        if update_id in self._done or update_id in self._running:
            return False
        self._running.add(update_id)
        return True

    def finish(self, update_id: int, handled: bool) -> None:
        """A failed update is forgotten so that its next delivery is handled."""
        self._running.discard(update_id)
        if handled:
            self._done[update_id] = None
            while len(self._done) > self._size:
                self._done.popitem(last=False)


class TokenBucket:
    """``burst`` messages at once, then ``per_minute``.

    A dozen lines rather than a library: `limits`, the maintained choice, resolves to 2.4 here
    (Rasa pins packaging<21, DESIGN.md: limits 3+ needs packaging>=21); aiolimiter makes callers
    wait, whereas a flood should be refused at once with a polite message.
    """

    def __init__(
        self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = float(burst)
        self.rate = per_minute / 60.0
        self.tokens = float(burst)
        self.clock = clock
        self.updated = clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class ButtonBook:
    """Short callback ids for button payloads: Telegram allows 64 bytes of callback data."""

    def __init__(self, size: int = BUTTONS_PER_CHAT) -> None:
        self._payloads: OrderedDict[str, str] = OrderedDict()
        self._next = 0
        self._size = size

    def remember(self, payload: str) -> str:
        self._next += 1
        key = f"b{self._next}"
        self._payloads[key] = payload
        while len(self._payloads) > self._size:
            self._payloads.popitem(last=False)
        return key

    def payload(self, key: str) -> str | None:
        return self._payloads.get(key)


@dataclass
class ChatState:
    bucket: TokenBucket
    buttons: ButtonBook = field(default_factory=ButtonBook)
    language: str | None = None  # the language the user chose with the bridge's buttons
    told_to_slow_down_at: float | None = None


class Chats:
    """Per-chat state, the least recently seen chats forgotten first."""

    def __init__(self, burst: int, per_minute: float, size: int = MAX_CHATS) -> None:
        self._states: OrderedDict[int, ChatState] = OrderedDict()
        self._burst = burst
        self._per_minute = per_minute
        self._size = size

    def get(self, chat_id: int) -> ChatState:
        state = self._states.get(chat_id)
        if state is None:
            state = ChatState(TokenBucket(self._burst, self._per_minute))
            self._states[chat_id] = state
            while len(self._states) > self._size:
                self._states.popitem(last=False)
        else:
            self._states.move_to_end(chat_id)
        return state
