"""A snapshot of the conversation for the dossier, from Rasa tracker events (as plain dicts)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, TypedDict

MAX_MESSAGE_CHARS = 4000


class TranscriptMessage(TypedDict):
    """One message of a transcript as stored with a dossier."""

    who: str  # "user" or "bot"
    text: str
    at: str | None  # ISO 8601 in UTC; None when the event had no timestamp


def _iso(timestamp: Any) -> str | None:
    if not isinstance(timestamp, (int, float)) or isinstance(timestamp, bool):
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat()


def snapshot(events: list[dict[str, Any]]) -> list[TranscriptMessage]:
    """User and bot messages in order; button payloads (``/intent``) and empty texts are skipped."""
    messages: list[TranscriptMessage] = []
    for event in events:
        kind = event.get("event")
        if kind not in ("user", "bot"):
            continue
        text = event.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        text = text.strip()
        if kind == "user" and text.startswith("/"):
            continue
        messages.append(
            {"who": kind, "text": text[:MAX_MESSAGE_CHARS], "at": _iso(event.get("timestamp"))}
        )
    return messages
