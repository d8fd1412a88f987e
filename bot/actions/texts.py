"""Domain texts that actions compose themselves instead of uttering a response by name."""

from __future__ import annotations

from typing import Any


def domain_text(domain: dict[str, Any], response: str, lang: str) -> str:
    """The text of ``response``'s variation for ``lang`` ("" when there is none).

    Used for a name inside another response, and where Rasa cannot pick the variation itself:
    a message sent while the language slot is being set in the same turn.
    """
    for variation in domain.get("responses", {}).get(response, []):
        if any(c.get("value") == lang for c in variation.get("condition") or []):
            return variation["text"]
    return ""
