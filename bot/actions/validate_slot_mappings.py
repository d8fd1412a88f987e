"""Sets the ``language`` slot on every user turn (custom slot mapping), and sends the privacy
notice as the first message of a conversation, in the language just decided."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

from bot.actions.partners import CHECKED_SLOT, MatchVisitMixin, answering_languages
from bot.actions.privacy_requests import NOTICE_SLOT, privacy_notice
from bot.language import Detection, choose_language, language_from_metadata


def _as_set(slot: str) -> Any:
    """A validation method that keeps the value its extraction method set."""

    async def validate(
        self: Any, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        return {slot: value}

    return validate


class ValidateSlotMappings(MatchVisitMixin, ValidationAction):
    """Language on every turn; once a day, the partner profile's reminder (bot/actions/partners)."""

    # What the extraction methods set is final: without a validation method for each slot,
    # rasa_sdk logs a warning per slot on every turn.
    validate_language = _as_set("language")
    validate_language_source = _as_set("language_source")
    validate_privacy_notice_version = _as_set(NOTICE_SLOT)
    validate_match_checked = _as_set(CHECKED_SLOT)  # MatchVisitMixin.extract_match_checked

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
