"""Checks shared by the channels: what a valid incoming message looks like.

A refusal is an ``InvalidMessageError`` with a code (``bot/channels/errors.py``); its text, in
the person's language, is in ``texts.yml``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from bot.channels.errors import InvalidMessageError

MAX_SENDER_LENGTH = 128
# Longer messages are not parsed: the user is asked to shorten them (intent below).
MAX_MESSAGE_CHARS = 2_000
TOO_LONG_PAYLOAD = "/message_too_long"
# Only these metadata keys reach the tracker store (privacy by default).
ALLOWED_METADATA_KEYS = ("language", "language_code", "locale", "channel")
_SENDER = re.compile(r"^[A-Za-z0-9_.:@-]+$")


@dataclass(frozen=True)
class Inbound:
    sender: str
    text: str
    metadata: dict[str, Any]


def sender_digest(sender: str) -> str:
    """A short, stable, non-reversible label for logs (sender ids can be phone-like)."""
    return hashlib.sha256(sender.encode("utf-8")).hexdigest()[:12]


def decode_body(raw: bytes) -> Any:
    """The JSON document of a request body; ``InvalidMessageError`` for anything else, nested
    too deeply for the parser included (a RecursionError would be a 500)."""
    try:
        return json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidMessageError("not_json") from None


def is_text(value: str) -> bool:
    """False for a string with a lone surrogate (JSON allows "\\ud800"): it cannot be stored or
    logged as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_metadata(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidMessageError("metadata_not_an_object")
    cleaned = {}
    for key in ALLOWED_METADATA_KEYS:
        value = raw.get(key)
        if isinstance(value, str) and 0 < len(value) <= 35 and is_text(value):
            cleaned[key] = value
    return cleaned


def clean_sender(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidMessageError("sender_missing")
    sender = raw.strip()
    if len(sender) > MAX_SENDER_LENGTH or not _SENDER.match(sender):
        raise InvalidMessageError("sender_malformed", max_length=MAX_SENDER_LENGTH)
    return sender


# Commands people type out of habit from other chat apps: "/start" opens a conversation (it is
# the first message of every Telegram chat), it does not start over.
TYPED_COMMANDS = {"/start": "/greet", "/commencer": "/greet"}


def clean_text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise InvalidMessageError("message_missing")
    if not is_text(raw):
        raise InvalidMessageError("message_not_text")
    text = raw.replace("\x00", "").strip()
    if not text:
        raise InvalidMessageError("message_empty")
    if len(text) > MAX_MESSAGE_CHARS:
        return TOO_LONG_PAYLOAD
    return TYPED_COMMANDS.get(text.lower(), text)


def parse_body(body: Any) -> Inbound:
    if not isinstance(body, dict):
        raise InvalidMessageError("not_an_object")
    return Inbound(
        sender=clean_sender(body.get("sender")),
        text=clean_text(body.get("message")),
        metadata=clean_metadata(body.get("metadata")),
    )
