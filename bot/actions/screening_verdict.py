"""Start, explain, resume and conclude the screening; the verdict comes from screening.rules."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.answer_question import answer_language, screening_can_be_offered
from bot.actions.kb_provider import UsesKnowledgeBase
from bot.actions.resources import format_resources
from bot.actions.screening_form import ANSWER_LENGTH, READBACK, SLOT_FIELDS, UNCONFIRMED
from bot.actions.texts import domain_text, previous_bot_responses, user_turns
from screening import Answers
from screening.presentation import MINIMUMS_ENTRY, conclude  # noqa: F401 - tests

logger = logging.getLogger(__name__)
FORM = "screening_form"
# Reasons of a conditional verdict that a partner profile can help with (issue 18).
TOO_FEW_FOUNDERS = ("founding_alone", "founders_below_minimum")


def answers_from(tracker: Tracker) -> Answers:
    values: dict[str, Any] = {}
    for slot, field in SLOT_FIELDS.items():
        value = tracker.get_slot(slot)
        # Not known ("I don't know" or two unreadable answers): the rules read it as unanswered.
        if value is None or (field in ("founders", "region_code") and not str(value).isdigit()):
            continue
        values[field] = int(value) if field == "founders" else value
    return Answers.from_dict(values)


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


class ActionStartScreening(UsesKnowledgeBase, Action):
    """Starts the form; a finished screening is started afresh (answers and verdict cleared)."""

    def name(self) -> str:
        return "action_start_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = []
        if tracker.get_slot("coop_fit") is not None:
            events = [SlotSet(slot, None) for slot in SLOT_FIELDS]
            events += [
                SlotSet("coop_fit", None),
                SlotSet("recommended_coop_type", None),
                SlotSet("screening_typed", None),
                SlotSet(READBACK, None),
                SlotSet(UNCONFIRMED, None),
            ]
        dispatcher.utter_message(response="utter_screening_intro")
        kb = await self.knowledge_base()
        return [*events, SlotSet("screening_heard", heard_facts(tracker, kb) or None)]


class ActionAnswerYes(UsesKnowledgeBase, Action):
    """A typed yes right after an answer: to the screening it offered ("Would you like to know
    whether a co-op suits your project?"), the screening starts as with the offer's button; to a
    person offered ("Would you like me to pass your request to an advisor?", after a personal
    question or distress), the handoff starts as with that offer's button; a yes to "what would
    you like to do next?" itself gets the choices spelled out (the screening, a person,
    partners), never the same question again; otherwise "what would you like to do next?"."""

    def name(self) -> str:
        return "action_answer_yes"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        previous = previous_bot_responses(tracker)
        if "utter_offer_human" in previous:
            # « oui » to the person offered after distress was met with "what next?".
            from bot.actions.handoff_flow import ActionStartHandoff

            events = await ActionStartHandoff().run(dispatcher, tracker, domain)
            return [*events, FollowupAction("handoff_form")]
        offered = "utter_offer_screening" in previous
        if offered and screening_can_be_offered(tracker):
            start = ActionStartScreening(self._knowledge_base)
            events = await start.run(dispatcher, tracker, domain)
            return [*events, FollowupAction("screening_form")]
        if {"utter_what_next", "utter_what_next_choices"} & set(previous):
            dispatcher.utter_message(response="utter_what_next_choices")
        elif user_turns(tracker) <= 1:
            # "ok", "👍" as a first message: nothing was said yet to go on from; the welcome.
            dispatcher.utter_message(response="utter_greet")
        else:
            dispatcher.utter_message(response="utter_what_next")
        return []


def facts_in(text: str, kb: Any) -> dict[str, Any]:
    """The number of founders and the place said in one message ("me and 4 coworkers",
    "à Sherbrooke"); a number is kept only when it is said of people and is more than one
    ("you mentioned 1 people" is no confirmation)."""
    from knowledge_base import RegionMatch
    from screening.counting import count_founders

    facts: dict[str, Any] = {}
    count = count_founders(text, said_of_people=True)
    if count and count > 1:
        facts["founders"] = count
    found = kb.find_region(text)
    if isinstance(found, RegionMatch):
        facts.update(region_code=found.code, place=found.matched)
    return facts


def heard_facts(tracker: Tracker, kb: Any) -> dict[str, Any]:
    """The project, the number of founders and the place the person already gave in this
    conversation ("a hair salon", "me and 4 coworkers", "à Sherbrooke"): the form confirms them
    instead of asking."""
    from screening.requests import Suitability, project_description, suitability_request

    heard: dict[str, Any] = {}
    texts = [
        e.get("text") or ""
        for e in tracker.events
        if e.get("event") == "user" and not (e.get("text") or "").startswith("/")
    ]
    fit_requests = []
    for text in reversed(texts[-5:]):  # the latest mention wins
        described = None if "project" in heard else project_description(text)
        if described and suitability_request(described) is Suitability.ASKS_FIT:
            # "i ask if coop is good for our garage" after "we fix cars, we want open garage in
            # laval": the request names the project; the description before says what it is.
            fit_requests.append(described)
        elif described:
            heard["project"] = described[:ANSWER_LENGTH]
        for name, value in facts_in(text, kb).items():
            heard.setdefault(name, value)
    if "project" not in heard and fit_requests:
        heard["project"] = fit_requests[0][:ANSWER_LENGTH]
    return heard


class ActionResumeScreening(Action):
    def name(self) -> str:
        return "action_resume_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        started = any(tracker.get_slot(slot) is not None for slot in SLOT_FIELDS)
        if not started or tracker.get_slot("coop_fit") is not None:
            dispatcher.utter_message(response="utter_screening_nothing_to_resume")
            return []
        return [FollowupAction(FORM)]


class ActionExplainScreeningQuestion(Action):
    """Why the current question is asked (utter_why_<slot>); the form then asks it again."""

    def name(self) -> str:
        return "action_explain_screening_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        slot = tracker.get_slot("requested_slot")
        if slot in SLOT_FIELDS or slot == READBACK:
            dispatcher.utter_message(response=f"utter_why_{slot}")
        return []


class ActionSubmitScreening(UsesKnowledgeBase, Action):
    def name(self) -> str:
        return "action_submit_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = answer_language(tracker)
        kb = await self.knowledge_base()
        answers = answers_from(tracker)
        typed = tracker.get_slot("screening_typed") or {}
        concluded = conclude(answers, lang, kb, typed=typed)
        verdict, shown = concluded.verdict, concluded.shown
        coop_type = verdict.recommended_coop_type
        if coop_type == "none":
            dispatcher.utter_message(response=f"utter_screening_verdict_{verdict.coop_fit}_untyped")
        else:
            dispatcher.utter_message(
                response=f"utter_screening_verdict_{verdict.coop_fit}",
                coop_type=shown.coop_type_name,
            )
        if shown.reasons:
            dispatcher.utter_message(
                response="utter_screening_reasons",
                reasons=_bullets([reason.text for reason in shown.reasons]),
            )
        if shown.to_settle:
            dispatcher.utter_message(
                response="utter_screening_to_settle", to_settle=_bullets(shown.to_settle)
            )
        if shown.next_steps:
            dispatcher.utter_message(
                response="utter_screening_next_steps", next_steps=_bullets(shown.next_steps)
            )
        if any(reason.code in TOO_FEW_FOUNDERS for reason in verdict.reasons):
            # Partners are what is missing: offer a partner profile (bot/actions/partners.py).
            dispatcher.utter_message(response="utter_match_offer")
        if shown.resources:
            dispatcher.utter_message(
                response="utter_screening_organisations",
                region=shown.region_name
                or domain_text(domain, "utter_screening_region_anywhere", lang),
                resources=format_resources(shown.resources, lang),
            )
        dispatcher.utter_message(response="utter_screening_notice")
        return [
            SlotSet("coop_fit", verdict.coop_fit),
            SlotSet("recommended_coop_type", coop_type),
            SlotSet("screening_summary", concluded.summary),
        ]
