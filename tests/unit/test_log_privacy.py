"""Rasa's and Sanic's log records in the Rasa process carry no message text: messages that start
with "/" (which Rasa quotes in full in its parser warnings) holding an e-mail address, a phone
number and a name, logged the way the Rasa process logs them (structlog rendered to JSON,
warnings, Sanic's error log), come out redacted once our channels are imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.channels.log_privacy import REDACTED, redact

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "zephyrine.okt@courriel-exemple.ca"
PHONE = "514-555-0187"
NAME = "Zéphyrine"
MESSAGES = [
    f"/ écrivez-moi à {EMAIL} ou {PHONE}",
    f"/greet {NAME} {EMAIL} {PHONE}",
    f'/greet{{"email": "{EMAIL}"}} {NAME} {PHONE}',
    f"/inconnu{{ {NAME} +1 (514) 555-0187",
    f"/@{EMAIL} {NAME} {PHONE}",  # does not match Rasa's pattern: structlog's user_text
]

# What `rasa run` does before it loads the channels (rasa.cli.run -> configure_structlog), then
# what it does with them (the import from credentials.yml, Sanic's app, the blueprints), then
# Rasa's own parsing of each message and an error logged by Sanic with a message in it.
SCRIPT = textwrap.dedent(
    """
    import json, logging, sys
    from rasa.utils.log_utils import configure_structlog
    configure_structlog(logging.INFO)
    import bot.channels.rest
    from sanic import Sanic
    from sanic.log import error_logger
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.nlu.training_data.message import Message

    app = Sanic("rasa_server")
    app.blueprint(bot.channels.rest.HardenedRestInput().blueprint(lambda message: None))
    domain = Domain.from_dict({"intents": ["greet"]})
    for text in json.loads(sys.argv[1]):
        YAMLStoryReader.unpack_regex_message(Message(data={"text": text}), domain)
        try:
            raise ValueError(f"cannot handle {text!r}")
        except ValueError:
            error_logger.exception("Exception occurred while handling uri: %r", "/webhook")
    print("done", flush=True)
    """
)


@pytest.fixture(scope="module")
def rasa_process_output() -> str:
    import json

    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(MESSAGES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    return output


def test_rasa_and_sanic_records_are_redacted(rasa_process_output: str) -> None:
    output = rasa_process_output
    # The records are there, without the words.
    assert "Failed to parse arguments in line [redacted]" in output
    assert '"event": "message.parsing.failed"' in output and '"user_text": "[redacted]"' in output
    assert "Exception occurred while handling uri" in output
    assert "builtins.ValueError: [redacted]" in output and 'File "<string>"' in output
    for secret in (EMAIL, PHONE, NAME, "555-0187", "écrivez-moi", "inconnu"):
        assert secret not in output, secret


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ('{"user_text": "/x", "event": "message.parsing.failed"}', "message.parsing.failed"),
        (f"slot_values={{'email': '{EMAIL}'}} event=slots", "event=slots"),
        (f"contact {EMAIL} / {PHONE} / 438 555 0147", "contact"),
        ("processed 1733200000.123 in 4.5 s", "1733200000.123"),
    ],
)
def test_redact(text: str, kept: str) -> None:
    result = redact(text)
    assert kept in result and REDACTED in result or "1733200000.123" in kept
    for secret in (EMAIL, PHONE, "/x", "438 555 0147"):
        assert secret not in result


@pytest.mark.parametrize(
    "written", ["ana arobase exemple.ca", "ana [at] exemple [dot] ca", "+33 6 12 34 56 78"]
)
def test_contact_details_the_handoff_would_read_are_not_logged(written: str) -> None:
    result = redact(f"validate_handoff_contact_value got {written} then")
    assert written not in result and "exemple" not in result and "34 56" not in result
    assert result.startswith("validate_handoff_contact_value got [redacted]")
