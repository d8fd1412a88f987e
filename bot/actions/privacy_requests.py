"""Privacy in the conversation: the short notice first, and erasure on the person's request.

Erasure runs ``privacy.erasure.erase_person`` for this conversation's sender id (its dossiers,
their consents, notes and notifications, the conversation in the tracker store, mail and export
files that name them). Rasa saves the turn's events after this action returns, so the action
also sends an invisible marker (``ERASURE_MARKER``): the channel that carried the message
deletes those last events once the turn is saved (bot/channels/erasure.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.texts import domain_text, previous_bot_responses
from bot.channels.erasure import ERASURE_MARKER
from privacy import notice
from privacy.config import retention_days, web_url

logger = logging.getLogger(__name__)
NOTICE_SLOT = "privacy_notice_version"
CONFIRMATION = "utter_ask_erasure_confirmation"


def privacy_notice(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], lang: str
) -> dict[str, Any]:
    """Send the short notice once per conversation, in ``lang``; the slot value to record."""
    if tracker.get_slot(NOTICE_SLOT):
        return {}
    template = domain_text(domain, notice.SHORT_NOTICE_RESPONSE, lang)
    if not template:
        logger.error("privacy notice missing from the domain for %s", lang)
        return {}
    text = template.format(
        conversation_days=retention_days()["conversation"],
        privacy_url=notice.page_url(web_url(), lang),
    )
    dispatcher.utter_message(text=text, metadata={"utter_action": notice.SHORT_NOTICE_RESPONSE})
    return {NOTICE_SLOT: notice.version()}


def _erase(sender_id: str) -> list[str]:
    from privacy.erasure import erase_person

    return erase_person(sender_id=sender_id, by="person").references


class ActionEraseMyData(Action):
    """Erase everything held about this person, after they confirmed; tell them what was done."""

    def name(self) -> str:
        return "action_erase_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if CONFIRMATION not in previous_bot_responses(tracker):
            # Only right after the question: a stray "yes" never erases anything.
            dispatcher.utter_message(response=CONFIRMATION)
            return []
        try:
            references = await asyncio.to_thread(_erase, tracker.sender_id)
        except Exception as error:  # noqa: BLE001 - the person is told; no data in the log
            logger.error("erasure on request failed: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_erasure_failed")
            return []
        if references:
            dispatcher.utter_message(
                response="utter_erasure_done_with_dossiers", references=", ".join(references)
            )
        else:
            dispatcher.utter_message(response="utter_erasure_done")
        dispatcher.utter_message(json_message={ERASURE_MARKER: True})
        return []
