"""Rate limits of the chat channels: per conversation and per address, and a cap on the length
of one conversation, checked before a message reaches Rasa.

Counts live in the Rasa process's memory: with several replicas, a conversation is routed to
one replica (sender-id hashing), so its count is exact; an address's count is per replica.
The person is told why, politely, in their language (``notice``): the texts are the domain's
responses ``utter_slow_down`` and ``utter_conversation_too_long`` (bot/domain/basics.yml).
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.channels.errors import ProxySettingError
from bot.language import language_from_metadata

DOMAIN_DIR = Path(__file__).resolve().parents[1] / "domain"
SLOW_DOWN = "utter_slow_down"
TOO_LONG = "utter_conversation_too_long"
WINDOW_S = 60.0
# Keys kept at most (conversations and addresses): the oldest are forgotten first.
MAX_KEYS = 50_000


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


@dataclass(frozen=True)
class ChatLimits:
    per_conversation: int = 20  # messages a minute in one conversation
    per_address: int = 60  # messages a minute from one address, all conversations
    conversation_cap: int = 300  # messages in one conversation until it sits idle
    idle_minutes: int = 120  # the domain's session_expiration_time

    @classmethod
    def from_environment(cls) -> ChatLimits:
        return cls(
            per_conversation=_positive("CHAT_MAX_PER_MINUTE_CONVERSATION", 20),
            per_address=_positive("CHAT_MAX_PER_MINUTE_ADDRESS", 60),
            conversation_cap=_positive("CHAT_MAX_MESSAGES_PER_CONVERSATION", 300),
            idle_minutes=_positive("CHAT_CONVERSATION_IDLE_MINUTES", 120),
        )


class _Recent:
    """Times of the last events per key, bounded in keys."""

    def __init__(self) -> None:
        self.times: OrderedDict[str, deque[float]] = OrderedDict()

    def count(self, key: str, now: float, since: float) -> int:
        times = self.times.get(key)
        if times is None:
            return 0
        while times and times[0] <= since:
            times.popleft()
        return len(times)

    def add(self, key: str, now: float, keep: int) -> None:
        times = self.times.pop(key, None) or deque(maxlen=keep)
        times.append(now)
        self.times[key] = times
        while len(self.times) > MAX_KEYS:
            self.times.popitem(last=False)


class ChatLimiter:
    """``check(sender, address)`` before each message: None, ``SLOW_DOWN`` or ``TOO_LONG``."""

    def __init__(
        self, limits: ChatLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or ChatLimits.from_environment()
        self.clock = clock
        self.minute = _Recent()
        self.addresses = _Recent()
        # sender -> (messages in this conversation, time of the last one)
        self.lengths: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def check(self, sender: str, address: str | None) -> str | None:
        now = self.clock()
        limits = self.limits
        since = now - WINDOW_S
        if self.minute.count(sender, now, since) >= limits.per_conversation:
            return SLOW_DOWN
        if address and self.addresses.count(address, now, since) >= limits.per_address:
            return SLOW_DOWN
        count, last = self.lengths.pop(sender, (0, now))
        if now - last > limits.idle_minutes * 60:
            count = 0  # the conversation sat idle: a new session starts
        if count >= limits.conversation_cap:
            self.lengths[sender] = (count, now)
            return TOO_LONG
        self.lengths[sender] = (count + 1, now)
        while len(self.lengths) > MAX_KEYS:
            self.lengths.popitem(last=False)
        self.minute.add(sender, now, limits.per_conversation)
        if address:
            self.addresses.add(address, now, limits.per_address)
        return None


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_proxies(raw: str) -> tuple[Network, ...]:
    """``CHAT_FORWARDED_ALLOW_IPS``: addresses or networks of the reverse proxies in front of
    Rasa whose ``X-Forwarded-For`` is believed (none by default); ``*`` is refused.

    Raises:
        ProxySettingError: a value is not an IP address or network (a ``ValueError``).
    """
    networks = []
    for item in raw.split(","):
        if item.strip():
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                raise ProxySettingError(item.strip()) from None
    return tuple(networks)


def check_proxy_setting() -> None:
    """Read ``CHAT_FORWARDED_ALLOW_IPS`` when a channel starts, so that a wrong value stops Rasa
    with its reason instead of failing every message later.

    Raises:
        ProxySettingError: a value is not an IP address or network.
    """
    trusted_proxies(os.environ.get("CHAT_FORWARDED_ALLOW_IPS", ""))


def _trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(peer: str | None, forwarded_for: str | None) -> str | None:
    """The client's address: the connection's, unless it comes from a trusted proxy; then the
    rightmost ``X-Forwarded-For`` address that is not a trusted proxy."""
    proxies = trusted_proxies(os.environ.get("CHAT_FORWARDED_ALLOW_IPS", ""))
    if not peer or not _trusted(peer, proxies):
        return peer or None
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop[:64]
    return hops[0][:64] if hops else peer


@lru_cache(maxsize=1)
def _responses() -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        responses.update(document.get("responses") or {})
    return responses


def _variation(name: str, lang: str) -> str:
    for variation in _responses()[name]:
        for condition in variation.get("condition") or []:
            if condition.get("name") == "language" and condition.get("value") == lang:
                return str(variation["text"])
    raise KeyError(f"{name} has no {lang} text")


def notice(name: str, metadata: dict[str, Any]) -> list[str]:
    """The texts telling the person about the limit: in their language, or French then English
    when the channel does not say which."""
    lang = language_from_metadata(metadata)
    return [_variation(name, lang)] if lang else [_variation(name, "fr"), _variation(name, "en")]
