"""What a bot message is, from the persona's point of view: which question it asks, whether it ends
a flow, which language it is in, and what its buttons mean.

A message is recognised by its text, like a person who knows the assistant's sentences: it is
matched against the domain's responses in both languages (tests/domain_texts.py). Intent names
and the tracker are never read here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tests.domain_texts import NOTICE, classify

# Response -> the question it asks (the persona's key, see personas.QUESTION_KEYS). A message
# saying an answer was not understood counts as asking the question again.
_SCREENING = {
    "project": "project",
    "sector": "sector",
    "region": "city",
    "founders": "founders",
    "members": "members",
    "control": "control",
    "capital": "capital_need",
    "investors": "outside_investors",
    "surplus": "surplus",
    "governance": "governance_ready",
}
_HANDOFF = {
    "consent_summary": "consent_summary",
    "consent_transcript": "consent_transcript",
    "contact_method": "contact_method",
    "availability": "availability",
    "need": "need",
    "age_group": "age",
    "region": "city",
}
QUESTION_OF_RESPONSE: dict[str, str] = {
    **{f"utter_ask_screening_form_screening_{s}": k for s, k in _SCREENING.items()},
    **{f"utter_invalid_screening_{s}": k for s, k in _SCREENING.items()},
    **{f"utter_ask_handoff_form_handoff_{s}": k for s, k in _HANDOFF.items()},
    "utter_invalid_handoff_contact_method": "contact_method",
    "utter_invalid_handoff_availability": "availability",
    "utter_invalid_handoff_region": "city",
    "utter_ask_handoff_email": "email",
    "utter_invalid_handoff_email": "email",
    "utter_ask_handoff_phone": "phone",
    "utter_invalid_handoff_phone": "phone",
    "utter_ask_handoff_organisation": "organisation",
    "utter_invalid_handoff_organisation": "organisation",
    "utter_screening_region_ambiguous": "quebec_city",
    "utter_region_ambiguous": "quebec_city",
    "utter_ask_region": "city",
    # What the person already said is confirmed instead of asked.
    "utter_screening_confirm_project": "project",
    "utter_screening_confirm_founders": "founders",
    "utter_screening_confirm_region": "city",
    "utter_screening_confirm_sector": "sector",
    # Answers read by their meaning, said back before the verdict: "is that right?"
    "utter_ask_screening_form_screening_readback": "readback",
    "utter_invalid_screening_readback": "readback",
    # A method refused is never asked again: the other one, or none, is offered.
    "utter_ask_handoff_other_method_phone": "contact_method",
    "utter_ask_handoff_other_method_email": "contact_method",
}
# Offers the persona answers yes or no to, depending on what it came for.
OFFER_PERSON = {"utter_offer_handoff_after_fallbacks", "utter_offer_human"}
OFFER_SCREENING = {"utter_screening_nothing_to_resume"}
ASK_ERASURE = "utter_ask_erasure_confirmation"

VERDICTS = {
    "utter_screening_verdict_strong",
    "utter_screening_verdict_conditional",
    "utter_screening_verdict_weak",
    "utter_screening_verdict_strong_untyped",
    "utter_screening_verdict_conditional_untyped",
    "utter_screening_verdict_weak_untyped",
}
HANDOFF_STORED = {"utter_handoff_confirmed", "utter_handoff_confirmed_no_contact"}
HANDOFF_NOTHING = "utter_handoff_nothing_shared"
HANDOFF_FAILED = "utter_handoff_store_failed"
RESTART = "utter_restart_done"
STOPS = {"utter_screening_stopped", "utter_handoff_stopped"}
GOODBYE = {"utter_goodbye", "utter_erasure_done", "utter_erasure_done_with_dossiers"}
SCREENING_START = "utter_screening_intro"
HANDOFF_START = "utter_handoff_explain"


@dataclass(frozen=True)
class Button:
    title: str
    payload: str

    @property
    def choice(self) -> str | None:
        """What pressing it answers, as the domain defines the button (``/choose{"choice": x}``)."""
        match = re.match(r"^/choose(\{.*\})$", self.payload)
        if not match:
            return None
        try:
            return str(json.loads(match.group(1)).get("choice"))
        except (ValueError, AttributeError):
            return None


@dataclass(frozen=True)
class BotMessage:
    text: str
    buttons: tuple[Button, ...] = ()
    response: str | None = None  # the domain response it matches, if any
    language: str | None = None  # fr | en | None (neither known nor detectable)
    known: bool = False  # True when the text is a domain response (its language is certain)
    extra: dict = field(default_factory=dict)  # anything else the channel sent (images…)

    @property
    def question(self) -> str | None:
        return QUESTION_OF_RESPONSE.get(self.response or "")

    @property
    def is_notice(self) -> bool:
        return self.response == NOTICE

    def as_dict(self) -> dict:
        found: dict[str, object] = {
            "text": self.text,
            "response": self.response,
            "language": self.language,
        }
        if self.buttons:
            found["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        return found


_URL = re.compile(r"https?://\S+")
# A line of an organisation list: "- Name — what it does — https://…" (bot/actions/resources.py).
_LISTED = re.compile(r"^- [^—]+ — (?P<service>[^—]+?)(?: — \S+)?$")


def _judged_words(text: str) -> str:
    """The words a reader would judge the language on: in a list of organisations their proper
    names (mostly French in both languages) are left out, so are addresses."""
    lines = text.splitlines()
    listed = [_LISTED.match(line.strip()) for line in lines]
    if lines and all(listed):
        return " ".join(m.group("service") for m in listed if m)
    return _URL.sub(" ", text)


@lru_cache(maxsize=4096)
def _detected(text: str) -> str | None:
    from bot.language import detect

    language = detect(_judged_words(text)).language
    return language if language in ("fr", "en") else None


def read_message(reply: dict) -> BotMessage:
    """One message of the REST channel's answer, recognised."""
    text = reply.get("text") or ""
    buttons = tuple(
        Button(str(b.get("title", "")), str(b.get("payload", "")))
        for b in reply.get("buttons") or []
    )
    found = classify(text) if text else None
    response: str | None
    language: str | None
    if found is not None:
        response, language = found
        known = True
    else:
        response, language, known = None, _detected(text) if text else None, False
    extra = {k: v for k, v in reply.items() if k not in ("text", "buttons", "recipient_id")}
    return BotMessage(text, buttons, response, language, known, extra)


def asked_question(messages: list[BotMessage]) -> str | None:
    """The question a turn leaves the persona with: the last one asked in it."""
    for message in reversed(messages):
        if message.question is not None:
            return message.question
    return None
