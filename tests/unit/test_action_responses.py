"""The action server's answers are held to Rasa's schema, with a validator made once."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

import bot.channels.rest  # noqa: F401 - installs the check, as Rasa's import of the channels does
from bot.channels.action_responses import response_validator

VALID = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "timestamp": None, "name": "language", "value": "fr"}],
        "responses": [{"text": "Bonjour", "buttons": [{"title": "Oui", "payload": "/affirm"}]}],
    },
    {"events": [{"event": "followup", "name": "action_listen"}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "slot", "name": 3}]},
    {"events": [{"event": "no_such_event"}]},
    {"responses": {"text": "not a list"}},
]


def _rasa_check(result: dict) -> bool:
    """Rasa's own check, as RemoteAction ran it before."""
    try:
        validate(result, RemoteAction.action_response_format_spec())
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("result", VALID + INVALID)
def test_the_same_answers_pass_as_with_rasas_own_check(result: dict) -> None:
    action = RemoteAction("action_answer_question", None)
    expected = _rasa_check(result)
    assert expected is (result in VALID)
    if expected:
        assert action._validate_action_result(result) is True
    else:
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(result)


def test_the_validator_is_made_once() -> None:
    assert response_validator() is response_validator()
