"""Conversation ids issued by the server: whoever knows an id controls that conversation (reads
its replies, writes in it, erases it), so the socket.io channel never accepts one it did not
issue. An id is ``web-<96 random bits>-<expiry, hex seconds>-<HMAC>``: signed with
``SOCKETIO_SESSION_SECRET`` (shared by the replicas; scripts/run.py generates one), valid until
the retention period of a conversation has passed. Each channel has its own prefix (``web-``
for socket.io, ``tg-`` for the Telegram bridge) that the REST channel may not use.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import time
from collections.abc import Callable

from privacy.config import retention_days

WEB_PREFIX = "web-"
TELEGRAM_PREFIX = "tg-"
RESERVED_PREFIXES = (WEB_PREFIX, TELEGRAM_PREFIX)
SECRET_ENV = "SOCKETIO_SESSION_SECRET"  # noqa: S105 - a variable name
_ISSUED = re.compile(r"^web-[0-9a-f]{24}-([0-9a-f]{8,12})-[0-9a-f]{32}$")

log = logging.getLogger(__name__)


class SessionIds:
    """Issues and checks the socket.io channel's conversation ids."""

    def __init__(
        self, secret: bytes, lifetime_s: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.secret = secret
        self.lifetime_s = lifetime_s
        self.clock = clock

    @classmethod
    def from_environment(cls) -> SessionIds:
        secret = os.environ.get(SECRET_ENV, "").strip()
        if not secret:
            # Ids then die with this process and differ between replicas: fine for a test run,
            # not for production (scripts/run.py always sets one).
            log.warning("%s is unset: conversation ids will not survive a restart", SECRET_ENV)
            secret = secrets.token_urlsafe(32)
        return cls(secret.encode("utf-8"), retention_days()["conversation"] * 86400.0)

    def _signature(self, body: str) -> str:
        return hmac.new(self.secret, body.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        """A new conversation id, valid for the retention period of a conversation."""
        expires = int(self.clock() + self.lifetime_s)
        body = f"{WEB_PREFIX}{secrets.token_hex(12)}-{expires:x}"
        return f"{body}-{self._signature(body)}"

    def valid(self, value: object) -> bool:
        """Was ``value`` issued here, and is it still within its period?"""
        if not isinstance(value, str):
            return False
        match = _ISSUED.match(value)
        if match is None:
            return False
        body, _, signature = value.rpartition("-")
        if not hmac.compare_digest(signature, self._signature(body)):
            return False
        return int(match.group(1), 16) > self.clock()
