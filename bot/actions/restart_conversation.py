"""Restart the conversation on request, keeping the language the user chose and the fact that
the privacy notice was shown (it is not repeated)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class ActionRestartConversation(Action):
    def name(self) -> str:
        return "action_restart_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [
            Restarted(),
            SlotSet("language", tracker.get_slot("language")),
            SlotSet("language_source", tracker.get_slot("language_source")),
            SlotSet("privacy_notice_version", tracker.get_slot("privacy_notice_version")),
        ]
