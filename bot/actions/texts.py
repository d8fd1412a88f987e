"""Domain texts that actions compose themselves, and which responses the bot last sent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def domain_text(domain: dict[str, Any], response: str, lang: str) -> str:
    """The text of ``response``'s variation for ``lang`` ("" when there is none).

    Used for a name inside another response, and where Rasa cannot pick the variation itself:
    a message sent while the language slot is being set in the same turn.
    """
    for variation in domain.get("responses", {}).get(response, []):
        if any(c.get("value") == lang for c in variation.get("condition") or []):
            return variation["text"]
    return ""


def this_turn_bot_responses(tracker: Tracker) -> list[str]:
    """Names of the bot responses already sent since the latest user message."""
    names: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            names.append((event.get("metadata") or {}).get("utter_action") or "")
    return names


def user_turns(tracker: Tracker) -> int:
    """How many messages the person has sent in this conversation, the latest included."""
    return sum(1 for e in tracker.events if e.get("event") == "user")


def previous_bot_responses(tracker: Tracker) -> list[str]:
    """Names of the bot responses of the previous turn (before the latest user message)."""
    names: list[str] = []
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                break
            seen_user = True
            continue
        if seen_user and event.get("event") == "bot":
            names.append((event.get("metadata") or {}).get("utter_action") or "")
    return names
