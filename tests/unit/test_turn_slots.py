"""Rasa sets the language slot itself once the privacy notice is recorded (bot/nlu/turn_slots.py):
the same decision as action_validate_slot_mappings, without calling the action server."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.actions.validate_slot_mappings import ValidateSlotMappings
from bot.nlu import turn_slots
from tests.conftest import make_tracker

ROOT = Path(__file__).resolve().parents[2]
NOTICE = {"privacy_notice_version": "2026-11"}

# (slots before, intent, entities, language_detection, metadata)
CASES = [
    ({}, "greet", [], {"language": "en", "confidence": 1.0, "words": 1}, {}),
    # grammar words decide: French with an English borrowed noun stays French
    (
        {"language": "fr", "language_source": "words"},
        "ask_cooperative_question",
        [],
        {"language": "fr", "confidence": 0.95, "words": 7},
        {},
    ),
    # a settled language does not switch on a short, unsure message ("ok")
    (
        {"language": "fr", "language_source": "words"},
        "affirm",
        [],
        {"language": "en", "confidence": 0.87, "words": 1},
        {},
    ),
    # a clear sentence in the other language switches it
    (
        {"language": "fr", "language_source": "words"},
        "ask_cooperative_question",
        [],
        {"language": "en", "confidence": 0.95, "words": 6},
        {},
    ),
    # an explicit request wins over the words it is written in
    (
        {"language": "en", "language_source": "words"},
        "switch_language",
        [{"entity": "language", "value": "fr"}],
        {"language": "en", "confidence": 1.0, "words": 3},
        {},
    ),
    # a language entity with a role is not the request (Tracker.get_latest_entity_values)
    (
        {"language": "en", "language_source": "words"},
        "switch_language",
        [{"entity": "language", "value": "fr", "role": "from"}],
        {"language": "en", "confidence": 1.0, "words": 3},
        {},
    ),
    # the channel's language until the words settle it
    ({}, "greet", [], {}, {"language": "en-US"}),
    ({"language": "en", "language_source": "channel"}, "greet", [], {}, {}),
]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


def rasa_tracker(slots, intent, entities, detection, metadata) -> DialogueStateTracker:
    parse_data = {"intent": {"name": intent, "confidence": 1.0}, "entities": entities}
    if detection:
        parse_data["language_detection"] = detection
    events = [
        ActionExecuted("action_listen"),
        *(SlotSet(name, value) for name, value in slots.items()),
        UserUttered("…", parse_data["intent"], entities, parse_data, metadata=metadata),
    ]
    return DialogueStateTracker.from_events("test-sender", events)


@pytest.mark.parametrize(("slots", "intent", "entities", "detection", "metadata"), CASES)
async def test_rasa_decides_as_the_action_does(
    dispatcher, slots, intent, entities, detection, metadata
):
    slots = {**slots, **NOTICE}
    sdk = make_tracker(
        slots=slots,
        intent=intent,
        entities=entities,
        metadata=metadata,
        detection=detection or None,
    )
    by_action = await ValidateSlotMappings().extract_language(dispatcher, sdk, {})
    by_rasa = {
        event.key: event.value
        for event in turn_slots.language_events(
            rasa_tracker(slots, intent, entities, detection, metadata)
        )
    }
    assert by_rasa == {key: by_action[key] for key in ("language", "language_source")}


class Calls:
    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def remote_calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """Counts the action-server calls of ActionExtractSlots (none is made for real)."""
    calls = Calls()

    async def remote(self, custom_action, output_channel, nlg, tracker, domain):
        calls.count += 1
        return [SlotSet("language", "fr"), SlotSet("language_source", "words")]

    monkeypatch.setattr(ActionExtractSlots, "_run_custom_action", remote)
    # Undone after the test: the wrapper does not outlive it.
    monkeypatch.setattr(
        ActionExtractSlots,
        "_execute_validation_action",
        ActionExtractSlots._execute_validation_action,
    )
    assert turn_slots.install()
    return calls


async def run_extract_slots(domain: Domain, tracker: DialogueStateTracker) -> list:
    return await ActionExtractSlots(action_endpoint=None).run(None, None, tracker, domain)


async def test_no_action_server_call_once_the_notice_is_recorded(domain, remote_calls):
    tracker = rasa_tracker(
        {"language": "fr", "language_source": "words", **NOTICE},
        "ask_cooperative_question",
        [],
        {"language": "en", "confidence": 0.95, "words": 6},
        {},
    )
    events = await run_extract_slots(domain, tracker)
    assert remote_calls.count == 0
    slots = {event.key: event.value for event in events if isinstance(event, SlotSet)}
    assert (slots["language"], slots["language_source"]) == ("en", "words")


async def test_the_first_turn_still_calls_the_action_server_for_the_notice(domain, remote_calls):
    tracker = rasa_tracker({}, "greet", [], {"language": "en", "confidence": 1.0, "words": 1}, {})
    await run_extract_slots(domain, tracker)
    assert remote_calls.count == 1


def test_install_is_idempotent(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(
        ActionExtractSlots,
        "_execute_validation_action",
        ActionExtractSlots._execute_validation_action,
    )
    assert turn_slots.install()
    wrapped = ActionExtractSlots._execute_validation_action
    assert turn_slots.install()
    assert ActionExtractSlots._execute_validation_action is wrapped
