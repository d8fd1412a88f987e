"""Resource, handoff-contact and crisis actions against the real knowledge-base content."""

import pytest
from rasa_sdk.events import SlotSet

from bot.actions.resources import ActionCrisisHelp, ActionListResources
from tests.conftest import make_tracker


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("quels organismes peuvent m'aider à Sherbrooke?", "05"),
        ("who can help me in Gatineau", "07"),
        ("ressources à Trois-Rivières", "04"),
        ("Laval", "13"),
    ],
)
async def test_resources_for_a_city(dispatcher, kb, text, code):
    tracker = make_tracker(slots={"language": "fr"}, text=text, intent="ask_resources")
    events = await ActionListResources(kb).run(dispatcher, tracker, {})
    assert events == [SlotSet("region", code)]
    message = dispatcher.messages[0]
    assert message["response"] == "utter_resources_for_region"
    assert message["resources"].startswith("- ")
    assert "https://" in message["resources"]


@pytest.mark.parametrize(
    ("text", "slots", "offered"),
    [
        ("on est 3 amies on veut partir une friperie a sherbrooke", {}, True),
        ("my wife and me want to open a daycare in Longueuil", {}, True),
        ("who can help me in Gatineau", {}, False),
        # asks for the organisations only (tests/e2e/test_knowledge.py)
        ("Who can help me start a co-op in Gatineau?", {}, False),
        (
            "on est 3 amies on veut partir une friperie a sherbrooke",
            {"screening_summary": "x"},
            False,
        ),
    ],
)
async def test_a_project_told_with_its_place_gets_the_screening_offered_too(
    dispatcher, kb, text, slots, offered
):
    """Talking to the assistant: the organisations of Estrie, and nothing about the project."""
    tracker = make_tracker(slots={"language": "fr", **slots}, text=text, intent="ask_resources")
    await ActionListResources(kb).run(dispatcher, tracker, {})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_resources_for_region"
    assert ("utter_offer_screening" in responses) is offered


async def test_quebec_alone_is_ambiguous(dispatcher, kb):
    tracker = make_tracker(text="des organismes au Québec?", intent="ask_resources")
    assert await ActionListResources(kb).run(dispatcher, tracker, {}) == []
    assert dispatcher.messages[0]["response"] == "utter_region_ambiguous"


async def test_button_entity_settles_the_region(dispatcher, kb):
    tracker = make_tracker(
        text="/ask_resources",
        intent="ask_resources",
        entities=[{"entity": "region", "value": "03"}],
    )
    assert await ActionListResources(kb).run(dispatcher, tracker, {}) == [SlotSet("region", "03")]


async def test_no_place_asks_for_one(dispatcher, kb):
    tracker = make_tracker(text="quels organismes peuvent m'aider?", intent="ask_resources")
    assert await ActionListResources(kb).run(dispatcher, tracker, {}) == []
    assert dispatcher.messages[0]["response"] == "utter_ask_region"


async def test_all_of_quebec(dispatcher, kb):
    tracker = make_tracker(
        text="/ask_resources",
        intent="ask_resources",
        entities=[{"entity": "region", "value": "all"}],
    )
    await ActionListResources(kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_resources_all_quebec"
    assert "cdrq.coop" in dispatcher.messages[0]["resources"]


async def test_crisis_help_comes_with_sourced_numbers_then_the_offer(dispatcher, kb):
    await ActionCrisisHelp(kb).run(dispatcher, make_tracker(slots={"language": "fr"}), {})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses == ["utter_crisis_intro", "utter_kb_more", "utter_offer_human"]
    assert "911" in dispatcher.messages[1]["answer"]
    assert dispatcher.messages[1]["sources"]
