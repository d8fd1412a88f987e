"""The apology when the action server cannot run an action (bot/channels/action_outage.py)."""

from __future__ import annotations

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

import bot.channels.rest  # noqa: F401 - installs the wrapper, as when Rasa imports the channels
from tests.support.processes import free_port

# The domain's utter_action_outage, as the person reads it.
APOLOGY = {
    "fr": "Désolé, une partie de l'assistant est momentanément indisponible. Votre conversation"
    " est conservée : réessayez dans quelques instants.",
    "en": "Sorry, part of the assistant is unavailable for a moment. Your conversation is kept:"
    " please try again in a few moments.",
}

DOMAIN = Domain.from_yaml(
    "version: '3.1'\nslots:\n  language:\n    type: any\n    mappings: [{type: custom}]\n"
)


def tracker(message_id: str, language: str | None) -> DialogueStateTracker:
    events = [UserUttered("bonjour", message_id=message_id)]
    if language:
        events.insert(0, SlotSet("language", language))
    return DialogueStateTracker.from_events(f"outage-{message_id}", events, DOMAIN.slots)


async def run_against_nothing(current: DialogueStateTracker) -> CollectingOutputChannel:
    """Runs a custom action against a port nobody listens on."""
    action = RemoteAction(
        "action_anything", EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    )
    channel = CollectingOutputChannel()
    with pytest.raises(RasaException):
        await action.run(channel, None, current, DOMAIN)
    return channel


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_person_gets_an_apology_in_their_language(language):
    channel = await run_against_nothing(tracker(f"m-{language}", language))
    assert [m["text"] for m in channel.messages] == [APOLOGY[language]]


async def test_both_languages_before_the_language_is_known():
    channel = await run_against_nothing(tracker("m-unknown", None))
    # Rasa's output channels send each paragraph as a message of its own.
    assert [m["text"] for m in channel.messages] == [APOLOGY["fr"], APOLOGY["en"]]


DEFAULTS = Domain.from_yaml(
    "version: '3.1'\nslots:\n  language:\n    type: any\n    mappings: [{type: custom}]\n"
    "  language_source:\n    type: any\n    mappings: [{type: custom}]\n"
)


@pytest.mark.parametrize("default", [None, "fr"])
async def test_before_the_words_set_it_the_message_decides_the_language(default):
    """The first message: setting the language is what failed; the NLU's detection is there."""
    detection = {"language": "en", "confidence": 0.95, "words": 9}
    message = UserUttered(
        "would a co-op make sense for a hair salon?",
        parse_data={"language_detection": detection},
        message_id=f"m-first-{default}",
    )
    events = [message]
    if default:
        events[:0] = [SlotSet("language", default), SlotSet("language_source", "default")]
    current = DialogueStateTracker.from_events(f"outage-first-{default}", events, DEFAULTS.slots)
    channel = await run_against_nothing(current)
    assert [m["text"] for m in channel.messages] == [APOLOGY["en"]]


async def test_one_apology_per_message_however_many_actions_fail():
    current = tracker("m-once", "fr")
    assert len((await run_against_nothing(current)).messages) == 1
    assert (await run_against_nothing(current)).messages == []
    # The next message of the same conversation gets its own.
    current.update(UserUttered("encore", message_id="m-twice"))
    assert len((await run_against_nothing(current)).messages) == 1
