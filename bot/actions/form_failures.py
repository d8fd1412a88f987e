"""Counting the answers a form question could not read, so that nobody is asked forever.

After ``GIVE_UP_AFTER`` unreadable answers in a row the caller notes the question's safe answer
("not sure", no consent) and moves on: no question is asked more than three times in a row.
A question the person asks back is counted apart (``question=True``): answering it is not a
failure to read, so one question and one unreadable answer do not give up — two of either do.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

SLOT = "form_failures"
GIVE_UP_AFTER = 2


def failures(tracker: Tracker, slot: str) -> int:
    """Unreadable answers so far to ``slot``'s question."""
    return int((tracker.get_slot(SLOT) or {}).get(slot, 0))


def _questions(slot: str) -> str:
    return f"{slot}?"


def failed(tracker: Tracker, slot: str, *, question: bool = False) -> tuple[bool, dict[str, Any]]:
    """Count one more unreadable answer (or, with ``question``, one more question asked back
    instead of an answer): (give up now?, the slot values to return)."""
    counts = dict(tracker.get_slot(SLOT) or {})
    key = _questions(slot) if question else slot
    counts[key] = counts.get(key, 0) + 1
    give_up = counts[key] >= GIVE_UP_AFTER
    if give_up:
        counts.pop(slot, None)
        counts.pop(_questions(slot), None)
    return give_up, {SLOT: counts}


def answered(tracker: Tracker, slot: str) -> dict[str, Any]:
    """The question was answered: its counts start again from zero."""
    counts = dict(tracker.get_slot(SLOT) or {})
    popped = [counts.pop(key, None) for key in (slot, _questions(slot))]
    if popped == [None, None]:
        return {}
    return {SLOT: counts}
