"""Validation of the screening form: free text or quick replies in, answer codes out.

Validators understand answers with screening.parsing, refuse questions (a question typed instead
of an answer is answered from the knowledge base, then the form asks again), and accept a
correction of an earlier answer ("en fait on est 5") at any step.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.answer_question import answer_from_knowledge_base, knowledge_base
from screening import parsing

# Slot of the form -> field of screening.Answers.
SLOT_FIELDS = {
    "screening_project": "project",
    "screening_sector": "sector",
    "screening_region": "region_code",
    "screening_founders": "founders",
    "screening_members": "members",
    "screening_control": "control",
    "screening_capital": "capital_need",
    "screening_investors": "outside_investors",
    "screening_surplus": "surplus",
    "screening_governance": "governance_ready",
}
FIELD_SLOTS = {field: slot for slot, field in SLOT_FIELDS.items()}
CHOICE_PARSERS = {
    "screening_members": parsing.parse_members,
    "screening_control": parsing.parse_control,
    "screening_capital": parsing.parse_capital,
    "screening_investors": parsing.parse_investors,
    "screening_surplus": parsing.parse_surplus,
    "screening_governance": parsing.parse_governance,
}
SECTORS = ("alimentation", "commerce", "services", "agriculture", "culture", "technologie", "autre")
REGION_CODES = tuple(f"{n:02d}" for n in range(1, 18))
MIN_PROJECT_WORDS = 2


def _typed(tracker: Tracker, slot: str, value: Any) -> dict[str, Any]:
    """Answers as the user typed them, kept beside the codes for the screening summary."""
    typed = dict(tracker.get_slot("screening_typed") or {})
    text = (tracker.latest_message or {}).get("text") or ""
    if not text.startswith("/"):
        typed[SLOT_FIELDS[slot]] = text[:300]
    return {slot: value, "screening_typed": typed}


class ValidateScreeningForm(FormValidationAction):
    """Needs the domain's utter_invalid_<slot> and utter_screening_question_later responses."""

    def name(self) -> str:
        return "validate_screening_form"

    async def _interrupted(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any] | None:
        """A correction of an earlier answer, or a question instead of an answer; else None."""
        text = value if isinstance(value, str) else ""
        correction = parsing.parse_correction(text)
        if correction and FIELD_SLOTS.get(correction[0]) not in (None, slot):
            return {FIELD_SLOTS[correction[0]]: str(correction[1]), slot: None}
        if text and not text.startswith("/") and parsing.is_question(text):
            dispatcher.utter_message(response="utter_screening_question_later")
            await answer_from_knowledge_base(dispatcher, tracker, text)
            return {slot: None}
        return None

    async def _choice(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        interrupted = await self._interrupted(slot, value, dispatcher, tracker)
        if interrupted is not None:
            return interrupted
        code = CHOICE_PARSERS[slot](str(value)) if value else None
        if code is None:
            dispatcher.utter_message(response=f"utter_invalid_{slot}")
            return {slot: None}
        return _typed(tracker, slot, code)

    async def validate_screening_project(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        interrupted = await self._interrupted("screening_project", value, dispatcher, tracker)
        if interrupted is not None:
            return interrupted
        text = str(value or "").strip()
        if len(text.split()) < MIN_PROJECT_WORDS or text.startswith("/"):
            dispatcher.utter_message(response="utter_invalid_screening_project")
            return {"screening_project": None}
        return _typed(tracker, "screening_project", text[:300])

    async def validate_screening_sector(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        interrupted = await self._interrupted("screening_sector", value, dispatcher, tracker)
        if interrupted is not None:
            return interrupted
        text = str(value or "").strip()
        if text.lower() in SECTORS:
            return _typed(tracker, "screening_sector", text.lower())
        if len(text) < 3 or text.startswith("/"):
            dispatcher.utter_message(response="utter_invalid_screening_sector")
            return {"screening_sector": None}
        return _typed(tracker, "screening_sector", text[:100])

    async def validate_screening_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        interrupted = await self._interrupted("screening_region", value, dispatcher, tracker)
        if interrupted is not None:
            return interrupted
        text = str(value or "").strip()
        if text in REGION_CODES:
            return _typed(tracker, "screening_region", text)
        from knowledge_base import Ambiguous

        kb = await asyncio.to_thread(knowledge_base)
        found = kb.find_region(text)
        if isinstance(found, Ambiguous):
            dispatcher.utter_message(response="utter_screening_region_ambiguous")
            return {"screening_region": None}
        if found is None:
            dispatcher.utter_message(response="utter_invalid_screening_region")
            return {"screening_region": None}
        return {**_typed(tracker, "screening_region", found.code), "region": found.code}

    async def validate_screening_founders(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        interrupted = await self._interrupted("screening_founders", value, dispatcher, tracker)
        if interrupted is not None:
            return interrupted
        count = parsing.parse_founders(str(value or ""))
        if count is None or count < 1:
            dispatcher.utter_message(response="utter_invalid_screening_founders")
            return {"screening_founders": None}
        return _typed(tracker, "screening_founders", str(count))

    async def validate_screening_members(self, value, dispatcher, tracker, domain):
        return await self._choice("screening_members", value, dispatcher, tracker)

    async def validate_screening_control(self, value, dispatcher, tracker, domain):
        return await self._choice("screening_control", value, dispatcher, tracker)

    async def validate_screening_capital(self, value, dispatcher, tracker, domain):
        return await self._choice("screening_capital", value, dispatcher, tracker)

    async def validate_screening_investors(self, value, dispatcher, tracker, domain):
        return await self._choice("screening_investors", value, dispatcher, tracker)

    async def validate_screening_surplus(self, value, dispatcher, tracker, domain):
        return await self._choice("screening_surplus", value, dispatcher, tracker)

    async def validate_screening_governance(self, value, dispatcher, tracker, domain):
        return await self._choice("screening_governance", value, dispatcher, tracker)
