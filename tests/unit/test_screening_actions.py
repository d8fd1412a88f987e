"""The screening form's validators and verdict action, with tracker fixtures (no network)."""

import pytest
from rasa_sdk.events import SlotSet

from bot.actions import answer_question, resources
from bot.actions.screening_form import ValidateScreeningForm
from bot.actions.screening_verdict import (
    ActionExplainScreeningQuestion,
    ActionResumeScreening,
    ActionStartScreening,
    ActionSubmitScreening,
)
from tests.conftest import make_tracker


@pytest.fixture(autouse=True)
def use_content(kb, monkeypatch):
    monkeypatch.setattr(answer_question, "knowledge_base", lambda: kb)
    monkeypatch.setattr(resources, "knowledge_base", lambda: kb)
    from bot.actions import screening_form, screening_verdict

    monkeypatch.setattr(screening_form, "knowledge_base", lambda: kb)
    monkeypatch.setattr(screening_verdict, "knowledge_base", lambda: kb)
    monkeypatch.setattr(answer_question, "_count_unanswered", lambda q, lang, topic=None: None)


async def validate(slot, value, text=None, slots=None, dispatcher=None):
    tracker = make_tracker(slots={"language": "fr", **(slots or {})}, text=text or str(value))
    method = getattr(ValidateScreeningForm(), f"validate_{slot}")
    return await method(value, dispatcher, tracker, {})


@pytest.mark.parametrize(
    ("slot", "value", "expected"),
    [
        ("screening_founders", "nous sommes 4 avec ma sœur", "4"),
        ("screening_founders", "I'm alone for now", "1"),
        ("screening_founders", "3", "3"),
        ("screening_members", "les personnes qui y travaillent", "workers"),
        ("screening_members", "workers", "workers"),
        ("screening_control", "one_member_one_vote", "one_member_one_vote"),
        ("screening_surplus", "selon le travail", "by_work"),
        ("screening_governance", "oui", "yes"),
        ("screening_region", "Sherbrooke", "05"),
        ("screening_region", "06", "06"),
        ("screening_sector", "alimentation", "alimentation"),
        ("screening_project", "Une épicerie de quartier", "Une épicerie de quartier"),
    ],
)
async def test_answers_understood(dispatcher, slot, value, expected):
    result = await validate(slot, value, dispatcher=dispatcher)
    assert result[slot] == expected
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("slot", "value"),
    [
        ("screening_founders", "euh plein de monde peut-être"),
        ("screening_members", "blablabla"),
        ("screening_region", "Toronto"),
        ("screening_project", "oui"),
    ],
)
async def test_unclear_answers_are_refused_with_examples(dispatcher, slot, value):
    result = await validate(slot, value, dispatcher=dispatcher)
    assert result[slot] is None
    assert dispatcher.messages[-1]["response"] == f"utter_invalid_{slot}"


async def test_a_question_is_not_an_answer_and_gets_answered(dispatcher):
    result = await validate(
        "screening_members", "C'est quoi une coopérative de solidarité?", dispatcher=dispatcher
    )
    assert result == {"screening_members": None}
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_screening_question_later"
    assert "utter_kb_answer" in responses


async def test_a_correction_updates_the_earlier_answer(dispatcher):
    result = await validate(
        "screening_members",
        "en fait on est 5",
        slots={"screening_founders": "4"},
        dispatcher=dispatcher,
    )
    assert result == {"screening_founders": "5", "screening_members": None}


async def test_typed_answers_are_kept_for_the_summary(dispatcher):
    result = await validate("screening_founders", "on est trois", dispatcher=dispatcher)
    assert result["screening_typed"]["founders"] == "on est trois"


ANSWERS = {
    "screening_project": "Traiteur",
    "screening_sector": "alimentation",
    "screening_region": "06",
    "screening_founders": "4",
    "screening_members": "workers",
    "screening_control": "one_member_one_vote",
    "screening_capital": "low",
    "screening_investors": "none",
    "screening_surplus": "by_work",
    "screening_governance": "yes",
}


@pytest.mark.parametrize(
    ("changes", "fit", "coop_type"),
    [
        ({}, "strong", "travail"),
        ({"screening_founders": "2"}, "conditional", "travail"),
        ({"screening_members": "mix", "screening_founders": "5"}, "strong", "solidarite"),
        ({"screening_control": "proportional_to_capital"}, "weak", "none"),
        ({"screening_members": "unsure"}, "conditional", "none"),
    ],
)
async def test_submit_sets_the_verdict_slots(dispatcher, changes, fit, coop_type):
    tracker = make_tracker(slots={"language": "en", **ANSWERS, **changes})
    events = await ActionSubmitScreening().run(dispatcher, tracker, {})
    assert SlotSet("coop_fit", fit) in events
    assert SlotSet("recommended_coop_type", coop_type) in events
    summary = next(e["value"] for e in events if e["name"] == "screening_summary")
    assert summary["verdict"]["coop_fit"] == fit
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0].startswith(f"utter_screening_verdict_{fit}")
    assert responses[-1] == "utter_screening_notice"


async def test_start_again_clears_a_finished_screening(dispatcher):
    tracker = make_tracker(slots={**ANSWERS, "coop_fit": "strong"})
    events = await ActionStartScreening().run(dispatcher, tracker, {})
    assert SlotSet("screening_founders", None) in events and SlotSet("coop_fit", None) in events


async def test_resume_without_a_screening_says_so(dispatcher):
    assert await ActionResumeScreening().run(dispatcher, make_tracker(), {}) == []
    assert dispatcher.messages[0]["response"] == "utter_screening_nothing_to_resume"


async def test_explain_the_requested_question(dispatcher):
    tracker = make_tracker(slots={"requested_slot": "screening_control"})
    await ActionExplainScreeningQuestion().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_why_screening_control"


def _after_the_city_question(text):
    from rasa_sdk import Tracker

    events = [
        {"event": "user", "text": "Québec"},
        {
            "event": "bot",
            "text": "…",
            "metadata": {"utter_action": "utter_screening_region_ambiguous"},
        },
        {"event": "user", "text": text},
    ]
    return Tracker.from_dict(
        {
            "sender_id": "s",
            "slots": {"language": "fr"},
            "latest_message": {"text": text, "intent": {}, "entities": []},
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": "screening_form"},
            "latest_action_name": "action_listen",
        }
    )


async def test_quebec_alone_is_asked_about_once(dispatcher):
    result = await validate("screening_region", "Québec", dispatcher=dispatcher)
    assert result["screening_region"] is None
    assert dispatcher.messages[-1]["response"] == "utter_screening_region_ambiguous"


@pytest.mark.parametrize("text", ["à Québec, dans Limoilou", "a Quebec"])
async def test_a_quebec_in_french_is_the_city(dispatcher, text):
    result = await validate("screening_region", text, dispatcher=dispatcher)
    assert result["screening_region"] == "03"


@pytest.mark.parametrize("text", ["Québec", "oui", "yes"])
async def test_quebec_said_again_or_confirmed_after_the_question_is_the_city(dispatcher, text):
    method = ValidateScreeningForm().validate_screening_region
    result = await method(text, dispatcher, _after_the_city_question(text), {})
    assert result["screening_region"] == "03"
    assert dispatcher.messages == []
