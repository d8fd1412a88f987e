"""Sets the ``language`` slot on every user turn (custom slot mapping), and sends the privacy
notice as the first message of a conversation, in the language just decided."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

from bot.actions.partners import MatchVisitMixin, answering_languages
from bot.actions.privacy_requests import privacy_notice
from bot.language import Detection, choose_language, language_from_metadata


class ValidateSlotMappings(MatchVisitMixin, ValidationAction):
    """Language on every turn; once a day, the partner profile's reminder (bot/actions/partners)."""

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        explicit = None
        if intent == "switch_language" and not answering_languages(tracker):
            explicit = next(tracker.get_latest_entity_values("language"), None)
        detected = message.get("language_detection") or {}
        detection = (
            Detection(
                detected.get("language"), detected.get("confidence", 0.0), detected.get("words", 0)
            )
            if detected
            else None
        )
        choice = choose_language(
            tracker.get_slot("language"),
            tracker.get_slot("language_source"),
            detection,
            explicit=explicit,
            channel_language=language_from_metadata(message.get("metadata")),
        )
        notice = privacy_notice(dispatcher, tracker, domain, choice.language)
        return {"language": choice.language, "language_source": choice.source, **notice}
