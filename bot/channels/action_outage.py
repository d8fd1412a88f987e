"""An apology when the action server cannot run an action (down, restarting, failing).

Stock Rasa logs the failure and goes on silently: the person sees no answer at all. This wraps
``RemoteAction.run`` in the Rasa process (installed when Rasa imports our channels): when the
call fails for any reason but a rejection (a 400, which Rasa handles itself), the person is told,
once per message and in their language, that part of the assistant is unavailable and that the
conversation is kept; then Rasa goes on as before. Nothing of the conversation is lost: the next
message, once the action server is back, continues where it was (tests/deploy).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from pathlib import Path
from typing import Any

import yaml
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain" / "basics.yml"
RESPONSE = "utter_action_outage"


@functools.cache
def apology_texts() -> dict[str, str]:
    """The apology per language, from the domain file (read once, at the first failure)."""
    responses = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]
    return {
        condition["value"]: variation["text"]
        for variation in responses[RESPONSE]
        for condition in variation.get("condition") or []
        if condition.get("name") == "language"
    }


# One apology per user message, however many actions fail while Rasa answers it.
_apologised: OrderedDict[tuple[str, str], None] = OrderedDict()
_REMEMBERED = 10_000


def conversation_language(tracker: Any) -> str | None:
    """The language to apologise in: the conversation's, once the person's words or a request set
    it; before that (the first message, when setting it is what failed) the message's own."""
    from bot.language.choice import FIRST_WORDS_CONFIDENCE, SUPPORTED

    language = tracker.get_slot("language")
    if language in SUPPORTED and tracker.get_slot("language_source") != "default":
        return language
    parse = getattr(tracker.latest_message, "parse_data", None) or {}
    detection = parse.get("language_detection") or {}
    if (
        detection.get("language") in SUPPORTED
        and float(detection.get("confidence") or 0) >= FIRST_WORDS_CONFIDENCE
    ):
        return detection["language"]
    return None


def apology(language: Any) -> str:
    """The apology in the conversation's language; both languages when it is not known yet."""
    texts = apology_texts()
    if language in texts:
        return texts[language]
    return f"{texts['fr']}\n\n{texts['en']}"


def first_failure(sender_id: str, message_id: str) -> bool:
    """True the first time a failure is seen for this user message."""
    key = (sender_id, message_id)
    if key in _apologised:
        return False
    _apologised[key] = None
    while len(_apologised) > _REMEMBERED:
        _apologised.popitem(last=False)
    return True


def install() -> None:
    """Wrap ``RemoteAction.run`` once (idempotent)."""
    if getattr(RemoteAction.run, "_coopilote_apology", False):
        return
    original = RemoteAction.run

    @functools.wraps(original)
    async def run(self, output_channel, nlg, tracker, domain):  # type: ignore[no-untyped-def]
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception:
            message = tracker.latest_message
            message_id = str(getattr(message, "message_id", None) or len(tracker.events))
            if first_failure(tracker.sender_id, message_id):
                text = apology(conversation_language(tracker))
                await output_channel.send_text_message(tracker.sender_id, text)
            raise

    run._coopilote_apology = True  # type: ignore[attr-defined]
    RemoteAction.run = run  # type: ignore[method-assign]
