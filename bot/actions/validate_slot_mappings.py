"""Sets the ``language`` slot on a user turn (custom slot mapping), and sends the privacy notice as
the first message of a conversation, in the language just decided.

Once the notice is recorded, Rasa makes the same language decision itself and does not call this
action (bot/nlu/turn_slots.py): a turn then costs no action-server round trip."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

from bot.actions.privacy_requests import privacy_notice
from bot.language.choice import choice_for_message


class ValidateSlotMappings(ValidationAction):
    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        choice = choice_for_message(
            tracker.latest_message or {},
            tracker.get_slot("language"),
            tracker.get_slot("language_source"),
        )
        notice = privacy_notice(dispatcher, tracker, domain, choice.language)
        return {"language": choice.language, "language_source": choice.source, **notice}
