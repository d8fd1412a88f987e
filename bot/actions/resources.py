"""Organisations that help, by region; who to contact for a person; crisis resources first."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.answer_question import answer_language, format_sources, tells_a_project
from bot.actions.errors import log_failure
from bot.actions.kb_provider import UsesKnowledgeBase
from screening.parsing import is_question

logger = logging.getLogger(__name__)
MAX_LISTED = 6
CRISIS_ENTRY = "crisis-help"
ALL_QUEBEC = "all"


def format_resources(entries: list[Any], lang: str) -> str:
    """One line per organisation: its name, its first service and its website (all from the KB)."""
    lines = []
    for entry in entries[:MAX_LISTED]:
        parts = [entry.text("title", lang)]
        services = entry.items("services", lang) if entry.services else []
        if services:
            parts.append(services[0])
        if entry.contact and entry.contact.url:
            parts.append(entry.contact.url)
        lines.append("- " + " — ".join(parts))
    return "\n".join(lines)


def region_from_turn(kb: Any, tracker: Tracker) -> tuple[str | None, bool]:
    """(region code or "all", ambiguous?) from a button entity, the words, or the region slot."""
    from knowledge_base import Ambiguous

    entity = next(tracker.get_latest_entity_values("region"), None)
    if entity:
        return str(entity), False
    found = kb.find_region((tracker.latest_message or {}).get("text") or "")
    if isinstance(found, Ambiguous):
        return None, True
    if found is not None:
        return found.code, False
    return tracker.get_slot("region"), False


class ActionListResources(UsesKnowledgeBase, Action):
    def name(self) -> str:
        return "action_list_resources"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = await self.knowledge_base_or_apology(dispatcher)
        if kb is None:
            return []
        return list_resources(dispatcher, tracker, kb)


def list_resources(dispatcher: CollectingDispatcher, tracker: Tracker, kb: Any) -> list[EventType]:
    """The organisations of the region named in this turn (or known), or a question about it."""
    lang = answer_language(tracker)
    code, ambiguous = region_from_turn(kb, tracker)
    if ambiguous:
        dispatcher.utter_message(response="utter_region_ambiguous")
        return []
    if code is None:
        dispatcher.utter_message(response="utter_ask_region")
        return []
    if code == ALL_QUEBEC:
        resources = kb.resources_for(None)
        dispatcher.utter_message(
            response="utter_resources_all_quebec", resources=format_resources(resources, lang)
        )
    else:
        region = next((e for e in kb.entries("region") if e.code == code), None)
        resources = kb.resources_for(code)
        dispatcher.utter_message(
            response="utter_resources_for_region",
            region=region.text("title", lang) if region else code,
            resources=format_resources(resources, lang),
        )
    text = (tracker.latest_message or {}).get("text") or ""
    if tells_a_project(tracker, text) and not is_question(text):
        # « on est 3 amies, on veut partir une friperie à Sherbrooke »: the organisations there,
        # and the screening that fits the project told (it keeps the place heard). "Who can help
        # me start a co-op in Gatineau?" asked for the organisations only.
        dispatcher.utter_message(response="utter_offer_screening")
    return [SlotSet("region", code)]


class ActionCrisisHelp(UsesKnowledgeBase, Action):
    def name(self) -> str:
        return "action_crisis_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            kb = await self.knowledge_base()
        except Exception as error:  # noqa: BLE001
            log_failure(logger, "crisis entry unavailable", error)
            kb = None
        return crisis_help(dispatcher, tracker, kb)


def crisis_help(dispatcher: CollectingDispatcher, tracker: Tracker, kb: Any) -> list[EventType]:
    """Crisis resources first (sourced in the knowledge base), then the offer of a person."""
    dispatcher.utter_message(response="utter_crisis_intro")
    if kb is None or CRISIS_ENTRY not in kb:
        dispatcher.utter_message(response="utter_crisis_fallback")
        return []
    entry = kb.get(CRISIS_ENTRY)
    dispatcher.utter_message(
        response="utter_kb_more",
        answer=entry.text("long", answer_language(tracker)),
        sources=format_sources(entry),
    )
    dispatcher.utter_message(response="utter_offer_human")
    return []
