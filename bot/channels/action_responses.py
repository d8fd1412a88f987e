"""The action server's answers checked against Rasa's schema with a validator built once.

Rasa 3.6 checks every answer of the action server (``RemoteAction._validate_action_result``) with
``jsonschema.validate(result, schema)``, which first checks the schema itself against the JSON
Schema meta-schema and builds a new validator: about 20 ms of the Rasa process's CPU for each
action call, 39 % of its CPU time in the benchmark (docs/benchmarks.md, profile of 2026-12-04).
The same check with a validator made once for the same schema takes under 1 ms. The answer is
held to exactly the same schema (``RemoteAction.action_response_format_spec()``), and an invalid
one raises the same ``ValidationError`` with Rasa's explanation appended, as before.
Installed in Rasa's process when it imports our channels (bot/channels/rasa_process.py).
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.cache
def response_validator() -> Any:
    """A validator for ``RemoteAction.action_response_format_spec()``; the schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    kind = validators.validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the validator made once."""
    try:
        response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def install() -> None:
    """Replace Rasa's check with this one (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
