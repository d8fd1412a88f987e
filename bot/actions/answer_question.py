"""Answer a question from the knowledge base, and give the longer text on "tell me more"."""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def knowledge_base():
    from knowledge_base import KnowledgeBase

    return KnowledgeBase.from_database()


def format_sources(entry: Any) -> str:
    return "; ".join(f"{source.title} — {source.url}" for source in entry.sources)


def _language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "fr"


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = _language(tracker)
        question = (tracker.latest_message or {}).get("text") or ""
        try:
            # Search and the first load touch spaCy and the database: keep the event loop free.
            kb = await asyncio.to_thread(knowledge_base)
            hit = await asyncio.to_thread(
                kb.best, question, lang, context_entry_id=tracker.get_slot("kb_last_entry")
            )
        except Exception as error:  # noqa: BLE001 - the user gets a clear message instead
            logger.error("knowledge base unavailable: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_kb_unavailable")
            return []
        if hit is None:
            dispatcher.utter_message(response="utter_kb_no_answer")
            return []
        entry = kb.get(hit.entry_id)
        dispatcher.utter_message(
            response="utter_kb_answer",
            answer=entry.text("short", lang),
            sources=format_sources(entry),
        )
        return [SlotSet("kb_last_entry", entry.id)]


class ActionTellMore(Action):
    def name(self) -> str:
        return "action_tell_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        entry_id = tracker.get_slot("kb_last_entry")
        if not entry_id:
            dispatcher.utter_message(response="utter_kb_nothing_more")
            return []
        try:
            kb = await asyncio.to_thread(knowledge_base)
            entry = kb.get(entry_id)
        except Exception as error:  # noqa: BLE001
            logger.error("knowledge base unavailable: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_kb_unavailable")
            return []
        dispatcher.utter_message(
            response="utter_kb_more",
            answer=entry.text("long", _language(tracker)),
            sources=format_sources(entry),
        )
        return []
