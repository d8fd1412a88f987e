"""Keeps the user's words out of the Rasa process's log: a filter on every log handler.

Rasa writes a message that starts with "/" in full in its parser warnings
(``message.parsing.failed`` with ``user_text``, "Failed to parse arguments in line '…'" through
``warnings``), and an exception's message in a traceback can quote a request. Our channels are
imported by Rasa, so they install the filter there (``install()``, again when Rasa builds their
routes, after Sanic configured its own loggers). Warnings are routed into logging so that they
pass through it too.
"""

from __future__ import annotations

import json
import logging
import os
import re
import traceback
from typing import Any

from handoff.contact import replace_contacts

REDACTED = "[redacted]"
# Fields of Rasa's structured log events that carry what a person wrote or what was made of it
# (rasa.utils.log_utils._anonymizer's list, which Rasa only applies with a paid plugin).
SENSITIVE_KEYS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
        "metadata",
        "entities",
        "value",
        "slots",
    }
)
# structlog's console rendering: key=value, the value quoted or up to the next space.
_KEY_VALUE = re.compile(
    r"\b(" + "|".join(sorted(SENSITIVE_KEYS)) + r")=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+)"
)
# Rasa's regex-message warnings quote the whole message, then parts of it: keep the template.
_PARSE_WARNING = re.compile(r"(Failed to parse arguments in line ).*", re.DOTALL)
# The last net, whatever the source: the contact details a person's text holds as the handoff
# reads them (handoff.contact: « ana arobase exemple.ca », "+33 6 12 34 56 78"), then, wider than
# a valid contact, anything shaped like an address or ten digits (an exchange starting with 0 or 1
# is no valid number but still someone's typo of theirs).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w.])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\w.])")


def _redact_value(key: str, value: Any) -> Any:
    if key in SENSITIVE_KEYS:
        return REDACTED
    if isinstance(value, dict):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    return value


def redact(text: str) -> str:
    """``text`` without the user's words: sensitive fields of structured events, the quoted
    message of Rasa's parser warnings, and any e-mail address or phone number."""
    stripped = text.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        try:
            event = json.loads(stripped)
        except ValueError:
            event = None
        if isinstance(event, dict):
            text = json.dumps(_redact_value("", event), ensure_ascii=False)
    text = _PARSE_WARNING.sub(r"\g<1>" + REDACTED, text)
    text = _KEY_VALUE.sub(r"\g<1>=" + REDACTED, text)
    text = replace_contacts(text, REDACTED)
    text = _EMAIL.sub(REDACTED, text)
    return _PHONE.sub(REDACTED, text)


def _traceback_without_messages(exc_info: Any) -> str:
    """The frames and exception classes only: an exception's message can quote the input."""
    kind, error, tb = exc_info
    lines = ["Traceback (most recent call last):\n", *traceback.format_tb(tb)]
    lines.append(f"{kind.__module__}.{kind.__qualname__}: {REDACTED}")
    if error.__cause__ is not None or error.__context__ is not None:
        cause = error.__cause__ or error.__context__
        lines.append(f" (from {type(cause).__qualname__})")
    return redact("".join(lines))


class RedactUserText(logging.Filter):
    """Rewrites each record through ``redact``, and its traceback without the exceptions'
    messages; drops none."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not break logging
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _traceback_without_messages(record.exc_info)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactUserText()


def install() -> None:
    """Put the filter on every handler that exists now (root, Rasa's, Sanic's…); idempotent.
    With ``COOPILOTE_JSON_LOGS=1`` (deploy/), every handler is first replaced by the JSON one."""
    if os.environ.get("COOPILOTE_JSON_LOGS") == "1":
        from bot import json_logs  # imports this module

        json_logs.configure()
    logging.captureWarnings(True)
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        logger
        for logger in list(logging.root.manager.loggerDict.values())
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
