"""Shared fixtures: action-test helpers (no network)."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    slots: dict | None = None,
    text: str = "",
    intent: str | None = None,
    entities: list | None = None,
    metadata: dict | None = None,
    detection: dict | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    if detection is not None:
        latest["language_detection"] = detection
    return Tracker.from_dict(
        {
            "sender_id": "test-sender",
            "slots": slots or {},
            "latest_message": latest,
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
