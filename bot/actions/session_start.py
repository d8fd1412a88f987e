"""Start a session in the language of the channel, carrying slots over from the previous session."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.language import choose_language, language_from_metadata


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        carried = [
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if value is not None and name != "session_started_metadata"
        ]
        metadata = tracker.get_slot("session_started_metadata") or {}
        choice = choose_language(
            tracker.get_slot("language"),
            tracker.get_slot("language_source"),
            detection=None,
            channel_language=language_from_metadata(metadata),
        )
        return [
            SessionStarted(),
            *carried,
            SlotSet("language", choice.language),
            SlotSet("language_source", choice.source),
            ActionExecuted("action_listen"),
        ]
