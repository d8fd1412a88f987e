"""Plays one persona against the real assistant over the REST channel and records everything.

Each turn the persona reads the bot's messages, recognises the question it is asked (by the
sentence, see recognition.py), and answers from its facts in its own words (phrasing.py). When
nothing is asked it asks again for what it came for: the screening, a person, or its questions.
It stops when it has what it came for, when the bot ends the flow, when it gives up (the same
question too many times in a row, or asking for its goal in vain), or at the turn cap. Then it
reads the conversation's tracker (HTTP API, token) and, when it is given the app database, the
handoff dossier stored for it.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

from tests.conversations import phrasing
from tests.conversations.personas import Facts, Persona
from tests.conversations.recognition import (
    ASK_ERASURE,
    GOODBYE,
    HANDOFF_FAILED,
    HANDOFF_NOTHING,
    HANDOFF_STORED,
    OFFER_PERSON,
    OFFER_SCREENING,
    VERDICTS,
    BotMessage,
    asked_question,
    read_message,
)

MAX_TURNS = 40
# Asking for its goal this many times in a row without getting it, the persona leaves.
MAX_REQUESTS = 3
SUGGESTIONS = "utter_kb_suggestions"


@dataclass
class Turn:
    said: str  # the message sent: typed words or a button's payload
    pressed: str | None  # the pressed button's title
    doing: str  # opening | answer:<question> | event:<question> | request:<goal> | ask | switch | …
    language: str  # the language the persona wrote in (the reply should be in it)
    intends: str | None = None  # restart | stop when the message is that request itself
    status: int = 0  # HTTP status of the webhook; 0 when it did not answer
    messages: list[BotMessage] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def question(self) -> str | None:
        return asked_question(self.messages)

    def responses(self) -> list[str | None]:
        return [m.response for m in self.messages]

    def as_dict(self) -> dict[str, Any]:
        return {
            "said": self.said,
            "pressed": self.pressed,
            "doing": self.doing,
            "language": self.language,
            "status": self.status,
            "bot": [m.as_dict() for m in self.messages],
        }


@dataclass
class Conversation:
    persona_id: str
    lang: str
    sender: str
    turns: list[Turn] = field(default_factory=list)
    ended_by: str = ""  # done | flow_end | gave_up | turn_cap | server_error
    slots: dict[str, Any] = field(default_factory=dict)
    # From the tracker's events: the last consent answers given in the handoff form (the form
    # clears its slots once the dossier is stored), restarts and session starts.
    handoff_answers: dict[str, Any] = field(default_factory=dict)
    restart_events: int = 0
    session_starts: int = 0
    tracker_read: bool = False
    # The dossiers stored for this conversation, when the app database was given.
    dossiers: list[dict[str, Any]] | None = None
    error: str | None = None

    def transcript(self) -> str:
        lines = [f"=== {self.persona_id} ({self.sender}) ended by {self.ended_by}"]
        for number, turn in enumerate(self.turns, 1):
            shown = f"[{turn.pressed}]" if turn.pressed else turn.said
            lines.append(f"{number:>2} persona ({turn.doing}): {shown}")
            if turn.status != 200:
                lines.append(f"   !! HTTP {turn.status}")
            for message in turn.messages:
                name = message.response or "?"
                text = message.text.replace("\n", " ")
                lines.append(f"   bot [{name}, {message.language}]: {text[:220]}")
                if message.buttons:
                    lines.append("      buttons: " + " | ".join(b.title for b in message.buttons))
        lines.append(f"   slots: {self.slots}")
        if self.handoff_answers:
            lines.append(f"   handoff answers: {self.handoff_answers}")
        if self.dossiers is not None:
            lines.append(f"   dossiers: {self.dossiers}")
        return "\n".join(lines)


RATE_LIMIT_RETRIES = 5


class RestClient:
    """The REST channel and the HTTP API of a running assistant (no shared session: the personas
    of a run talk from several threads)."""

    def __init__(self, base_url: str, token: str | None, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def send(self, sender: str, message: str) -> tuple[int, list[dict]]:
        """One turn. A running assistant limits messages per address (60 a minute by default):
        its 429 is waited out (Retry-After), it is not the persona's turn failing."""
        try:
            for _ in range(RATE_LIMIT_RETRIES):
                reply = requests.post(
                    f"{self.base_url}/webhooks/rest/webhook",
                    json={"sender": sender, "message": message},
                    timeout=self.timeout,
                )
                if reply.status_code != 429:
                    break
                time.sleep(float(reply.headers.get("Retry-After", "60")))
        except requests.RequestException:
            return 0, []
        if reply.status_code != 200:
            return reply.status_code, []
        try:
            return 200, list(reply.json())
        except ValueError:
            return 0, []

    def tracker(self, sender: str) -> dict | None:
        if not self.token:
            return None
        reply = requests.get(
            f"{self.base_url}/conversations/{sender}/tracker",
            params={"token": self.token},
            timeout=self.timeout,
        )
        return reply.json() if reply.status_code == 200 else None


def dossiers_of(database_url: str, sender: str) -> list[dict[str, Any]]:
    """The handoff dossiers stored for ``sender``, with their consents (as tests/e2e checks)."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT id, reference, contact_method, transcript IS NOT NULL AS has_transcript"
                    " FROM handoff_dossier WHERE sender_id = :s"
                ),
                {"s": sender},
            ).mappings()
            found = [dict(row) for row in rows]
            for dossier in found:
                consents = connection.execute(
                    sa.text("SELECT purpose, granted FROM consent WHERE dossier_id = :d"),
                    {"d": dossier["id"]},
                ).all()
                dossier["consents"] = {purpose: bool(granted) for purpose, granted in consents}
                dossier.pop("id")
    finally:
        engine.dispose()
    return found


SLOTS_KEPT = (
    "language",
    "coop_fit",
    "recommended_coop_type",
    "handoff_reference",
    "screening_founders",
    "screening_members",
    "screening_control",
    "screening_capital",
    "screening_investors",
    "screening_surplus",
    "screening_governance",
)
HANDOFF_SLOTS = ("handoff_consent_summary", "handoff_consent_transcript", "handoff_contact_method")


def _read_tracker(conversation: Conversation, tracker: dict) -> None:
    slots = tracker.get("slots") or {}
    conversation.slots = {name: slots.get(name) for name in SLOTS_KEPT}
    answers: dict[str, Any] = {}
    for event in tracker.get("events") or []:
        kind = event.get("event")
        if kind == "restart":
            conversation.restart_events += 1
        elif kind == "session_started":
            conversation.session_starts += 1
        elif kind == "slot" and event.get("name") in HANDOFF_SLOTS and event.get("value"):
            answers[event["name"]] = event["value"]
    conversation.handoff_answers = answers
    conversation.tracker_read = True


class Player:
    """The persona's side of one conversation."""

    def __init__(self, persona: Persona, max_turns: int = MAX_TURNS):
        self.persona = persona
        self.max_turns = max_turns
        self.facts: Facts = persona.facts
        self.lang = persona.lang
        self.answered: dict[str, int] = {}
        self.events_done: set[int] = set()
        self.switched = False
        self.requests = 0  # goal requests in a row that got nothing
        self.run_question: str | None = None
        self.run_length = 0
        self.screening_done = False
        self.handoff_done = False
        self.pressed_suggestion = False
        self.questions = [q.ask for q in persona.questions]
        if persona.goal == "question" and self.questions and self.questions[0] == persona.opening:
            self.questions.pop(0)

    # --- what the persona notices in a turn -----------------------------------------------------
    def notice(self, messages: list[BotMessage]) -> str | None:
        """Updates what the persona has got; the reason to stop, if the flow ended."""
        names = {m.response for m in messages}
        if names & VERDICTS:
            self.screening_done = True
        if names & HANDOFF_STORED or HANDOFF_NOTHING in names:
            self.handoff_done = True
        if HANDOFF_FAILED in names or names & GOODBYE:
            return "flow_end"
        return None

    def _apply(self, correction: dict[str, Any] | None) -> None:
        if not correction:
            return
        values = self.facts.model_dump()
        for key, value in correction.items():
            if key == "contact":
                values["contact"] = {**(values.get("contact") or {}), **value}
            else:
                values[key] = value
        self.facts = Facts.model_validate(values)

    # --- the next message -----------------------------------------------------------------------
    def next_turn(self, number: int, messages: list[BotMessage]) -> Turn | str:
        """The persona's next message, or why it stops."""
        switch = self.persona.style.switch_language
        if switch and not self.switched and number > switch.after_turns:
            self.switched = True
            self.lang = switch.to
            if switch.say:
                return Turn(switch.say, None, "switch", self.lang)
        buttons = tuple(b for m in messages for b in m.buttons)
        question = asked_question(messages)
        names = {m.response for m in messages}
        if question is not None:
            self.requests = 0
            if question == self.run_question:
                self.run_length += 1
            else:
                self.run_question, self.run_length = question, 1
            if self.run_length > self.persona.style.patience:
                return "gave_up"
            for index, event in enumerate(self.persona.events):
                if index not in self.events_done and event.at == question:
                    self.events_done.add(index)
                    self._apply(event.correction)
                    return Turn(event.say, None, f"event:{question}", self.lang, event.intends)
            attempt = self.answered.get(question, 0)
            self.answered[question] = attempt + 1
            if question == "readback":
                said = "\n".join(m.text for m in messages if m.question == "readback")
                reply = phrasing.readback_reply(self.persona, self.facts, said, buttons, self.lang)
                return Turn(reply.text, reply.pressed, "answer:readback", self.lang)
            reply = phrasing.answer(self.persona, question, self.facts, attempt, buttons, self.lang)
            return Turn(reply.text, reply.pressed, f"answer:{question}", self.lang)
        self.run_question, self.run_length = None, 0
        if ASK_ERASURE in names:
            no = self.persona.says_for("no") if self.lang == self.persona.lang else []
            return Turn(
                no[0] if no else phrasing.PLAIN[self.lang]["no"][""], None, "refuse", self.lang
            )
        if names & OFFER_PERSON and self.persona.wants_handoff and not self.handoff_done:
            return self._request("handoff", buttons)
        if names & OFFER_SCREENING and self.persona.wants_screening and not self.screening_done:
            yes = self.persona.says_for("yes") if self.lang == self.persona.lang else []
            text = yes[0] if yes else phrasing.PLAIN[self.lang]["yes"][""]
            return Turn(text, None, "accept:screening", self.lang)
        if self.persona.wants_screening and not self.screening_done:
            return self._request("screening", buttons)
        if self.persona.wants_handoff and not self.handoff_done:
            return self._request("handoff", buttons)
        if SUGGESTIONS in names and buttons and self.persona.style.buttons != "never":
            if not self.pressed_suggestion:
                self.pressed_suggestion = True
                return Turn(buttons[0].payload, buttons[0].title, "suggestion", self.lang)
        if self.questions:
            self.pressed_suggestion = False
            return Turn(self.questions.pop(0), None, "ask", self.lang)
        return "done"

    def _request(self, what: str, buttons: tuple) -> Turn | str:
        self.requests += 1
        if self.requests > MAX_REQUESTS:
            return "gave_up"
        reply = phrasing.request(self.persona, what, self.requests - 1, buttons, self.lang)
        return Turn(reply.text, reply.pressed, f"request:{what}", self.lang)


def run_persona(
    persona: Persona,
    client: RestClient,
    database_url: str | None = None,
    max_turns: int = MAX_TURNS,
) -> Conversation:
    """One whole conversation of ``persona`` with the assistant behind ``client``."""
    sender = f"sim-{persona.id}-{uuid.uuid4().hex[:10]}"
    conversation = Conversation(persona.id, persona.lang, sender)
    player = Player(persona, max_turns)
    turn: Turn | str = Turn(persona.opening, None, "opening", persona.lang)
    try:
        while isinstance(turn, Turn):
            if len(conversation.turns) >= max_turns:
                turn = "turn_cap"
                break
            started = time.monotonic()
            turn.status, raw = client.send(sender, turn.said)
            turn.seconds = time.monotonic() - started
            turn.messages = [read_message(r) for r in raw]
            conversation.turns.append(turn)
            if turn.status != 200:
                turn = "server_error"
                break
            ended = player.notice(turn.messages)
            if ended:
                turn = ended
                break
            turn = player.next_turn(len(conversation.turns) + 1, turn.messages)
    except Exception as error:  # noqa: BLE001 - kept with the conversation, counted as a miss
        conversation.error = f"driver: {type(error).__name__}: {error}"
        turn = "driver_error"
    conversation.ended_by = turn
    try:
        tracker = client.tracker(sender)
        if tracker is not None:
            _read_tracker(conversation, tracker)
        if database_url:
            conversation.dossiers = dossiers_of(database_url, sender)
    except Exception as error:  # noqa: BLE001 - recorded: the metrics count it as a failure
        conversation.error = f"{type(error).__name__}: {error}"
    return conversation


def warm_up(client: RestClient, attempts: int = 3) -> bool:
    """One throwaway conversation before the personas, until the assistant answers with its
    notice: the first action call of freshly started servers may fail (seen once through the
    tests' action proxy), and that is not what the personas measure."""
    for _ in range(attempts):
        status, raw = client.send(f"sim-warm-up-{uuid.uuid4().hex[:10]}", "Bonjour")
        if status == 200 and any(read_message(r).is_notice for r in raw):
            return True
        time.sleep(1)
    return False


def run_personas(
    personas: list[Persona],
    client: RestClient,
    database_url: str | None = None,
    workers: int = 3,
    max_turns: int = MAX_TURNS,
) -> list[Conversation]:
    """Every persona's conversation, a few at a time, in the order given (after a warm-up)."""
    warm_up(client)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda p: run_persona(p, client, database_url, max_turns), personas))
