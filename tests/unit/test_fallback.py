"""What a message the NLU did not understand gets (action_default_fallback)."""

from typing import Any

import pytest
from rasa_sdk import Tracker

from bot.actions.handoff_flow import ActionDefaultFallback


def tracker_after(user_texts: list[str], slots: dict | None = None, loop: str | None = None):
    events: list[dict[str, Any]] = []
    for text in user_texts:
        events.append({"event": "user", "text": text})
        events.append({"event": "bot", "text": "…", "metadata": {"utter_action": "utter_greet"}})
    events.pop()  # the latest message has no reply yet
    return Tracker.from_dict(
        {
            "sender_id": "test-sender",
            "slots": {"language": "fr", **(slots or {})},
            "latest_message": {"text": user_texts[-1], "intent": {}, "entities": []},
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": loop} if loop else {},
            "latest_action_name": "action_listen",
        }
    )


async def responses(dispatcher, tracker) -> list[str]:
    await ActionDefaultFallback().run(dispatcher, tracker, {})
    return [m["response"] for m in dispatcher.messages]


async def test_a_first_message_not_understood_gets_the_welcome(dispatcher):
    assert await responses(dispatcher, tracker_after(["blorp"])) == ["utter_greet"]


async def test_a_first_message_asking_about_a_coop_for_a_project_gets_the_screening_offered(
    dispatcher,
):
    tracker = tracker_after(["hi, is a co-op ok for a cleaning company?? we are 4 cleaners"])
    assert await responses(dispatcher, tracker) == ["utter_offer_screening"]


async def test_a_project_described_later_gets_the_screening_offered(dispatcher):
    tracker = tracker_after(["bonjour", "un resto syrien avec traiteur"])
    assert await responses(dispatcher, tracker) == ["utter_offer_screening"]


async def test_the_screening_offer_is_not_reverted_so_that_a_yes_starts_it(dispatcher):
    # A reverted turn hides action_default_fallback from the policies: the rule "Yes after a
    # message not understood" then never matched and a typed yes got "what next?".
    tracker = tracker_after(["on veut ouvrir un salon de coiffure en coop, ça marcherait?"])
    events = await ActionDefaultFallback().run(dispatcher, tracker, {})
    assert [e["event"] for e in events] == []


async def test_a_message_not_understood_is_reverted(dispatcher):
    events = await ActionDefaultFallback().run(dispatcher, tracker_after(["blorp"]), {})
    assert events[0]["event"] == "rewind"


@pytest.mark.parametrize(
    "slots, loop",
    [({"screening_summary": "done"}, None), ({}, "handoff_form")],
    ids=["after a screening", "inside a form"],
)
async def test_no_screening_offer_after_a_screening_or_inside_a_form(dispatcher, slots, loop):
    tracker = tracker_after(["bonjour", "un resto syrien avec traiteur"], slots, loop)
    assert await responses(dispatcher, tracker) == ["utter_default"]


async def test_something_else_not_understood_asks_to_say_it_another_way(dispatcher):
    assert await responses(dispatcher, tracker_after(["bonjour", "blorp zut"])) == ["utter_default"]


async def test_a_question_the_knowledge_base_is_sure_of_gets_its_answer(dispatcher, kb):
    """Talking to the assistant: « is it possible for her to be director? » after "she has an
    open work permit" was not understood, though one entry answers it surely."""
    tracker = tracker_after(
        ["my wife and me want to open a daycare", "is it possible for her to be director?"],
        {"language": "en"},
    )
    events = await ActionDefaultFallback(kb).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages][0] == "utter_kb_answer"
    assert {"event": "slot", "name": "kb_last_entry"} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]
    assert not any(e["event"] == "rewind" for e in events)


async def test_a_question_beside_a_project_gets_its_sure_answer(dispatcher, kb):
    # The screening was offered and the question left unanswered (dev10, a model trained
    # 2026-12-05 that read the message as not understood).
    text = "we are only 2 sisters, is it enough people for make a coop or we need more persons?"
    tracker = tracker_after(["help", text + " how many minimum?"], {"language": "en"})
    await ActionDefaultFallback(kb).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages][0] == "utter_kb_answer"


async def test_a_question_near_some_topics_gets_them_to_pick_from(dispatcher, kb):
    # « faut tu être citoyen pour être dans le CA? » got "say it another way" (2026-12-05).
    tracker = tracker_after(["bonjour", "faut tu être citoyen pour être dans le CA?"])
    events = await ActionDefaultFallback(kb).run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["response"] == "utter_kb_suggestions"
    assert any("immigration" in b["payload"] for b in message["buttons"])
    assert not any(e["event"] == "rewind" for e in events)


@pytest.mark.parametrize("text", ["is that ok?", "and for my brother?", "c'est correct?"])
async def test_a_vague_question_is_still_not_understood(dispatcher, kb, text):
    tracker = tracker_after(["bonjour", text])
    events = await ActionDefaultFallback(kb).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]
    assert events[0]["event"] == "rewind"


async def test_without_the_knowledge_base_a_question_is_not_understood(dispatcher):
    def unavailable():
        raise ConnectionError("database down")

    from bot.actions.kb_provider import KnowledgeBaseProvider

    tracker = tracker_after(["bonjour", "can my wife be director of the coop?"])
    action = ActionDefaultFallback(KnowledgeBaseProvider(unavailable))
    await action.run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]
