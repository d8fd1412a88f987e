"""Counting the answers a form question could not read, so that nobody is asked forever.

After ``GIVE_UP_AFTER`` unreadable answers in a row the caller notes the question's safe answer
("not sure", no consent) and moves on: no question is asked more than three times in a row.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

SLOT = "form_failures"
GIVE_UP_AFTER = 2


def failures(tracker: Tracker, slot: str) -> int:
    """Unreadable answers so far to ``slot``'s question."""
    return int((tracker.get_slot(SLOT) or {}).get(slot, 0))


def failed(tracker: Tracker, slot: str) -> tuple[bool, dict[str, Any]]:
    """Count one more unreadable answer: (give up now?, the slot values to return)."""
    counts = dict(tracker.get_slot(SLOT) or {})
    counts[slot] = counts.get(slot, 0) + 1
    give_up = counts[slot] >= GIVE_UP_AFTER
    if give_up:
        counts.pop(slot)
    return give_up, {SLOT: counts}


def answered(tracker: Tracker, slot: str) -> dict[str, Any]:
    """The question was answered: its count starts again from zero."""
    counts = dict(tracker.get_slot(SLOT) or {})
    if counts.pop(slot, None) is None:
        return {}
    return {SLOT: counts}
