"""The figures of one simulated conversation, and their sums per set and language.

Per persona: the expected outcome reached or not (and why), the questions asked more than twice
and the longest run of the same question, unintended restarts and stops, turns with a reply in
the wrong language, how often the privacy notice appeared, server errors and silent turns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.actions.screening_form import FIELD_SLOTS
from tests.conversations.driver import Conversation
from tests.conversations.personas import Persona
from tests.conversations.recognition import HANDOFF_NOTHING, HANDOFF_STORED, RESTART, STOPS

# A reply recognised only by the language detector counts from this many words: organisation
# lists and addresses are too short to say.
MIN_DETECTED_WORDS = 5


@dataclass
class Metrics:
    persona_id: str
    lang: str
    goal: str
    outcome: bool
    why_not: list[str]
    turns: int
    questions_over_twice: int  # distinct questions asked in more than two turns
    max_consecutive: int  # the longest run of turns asking the same question
    unintended_restarts: int
    unintended_stops: int
    language_turns: int  # turns with at least one reply whose language is known
    wrong_language_turns: int
    notices: int
    server_errors: int
    silent_turns: int
    ended_by: str
    misread: list[str] = field(default_factory=list)  # screening answers stored unlike the facts

    @property
    def notice_violation(self) -> bool:
        return self.notices != 1

    @property
    def badness(self) -> tuple:
        """Orders the worst conversations first (dev-set reports)."""
        return (
            not self.outcome,
            self.server_errors,
            self.unintended_restarts + self.unintended_stops,
            self.max_consecutive,
            self.wrong_language_turns,
            self.notice_violation,
            self.turns,
        )


def _turn_language_wrong(turn) -> bool | None:
    """Is a reply of this turn in the other language? None when no reply's language is known."""
    seen = False
    for message in turn.messages:
        if message.language is None:
            continue
        if not message.known and len(message.text.split()) < MIN_DETECTED_WORDS:
            continue
        seen = True
        if message.language != turn.language:
            return True
    return False if seen else None


def _outcome(persona: Persona, conversation: Conversation) -> list[str]:
    """Why the expected outcome was not reached (empty when it was)."""
    expected = persona.expected
    slots = conversation.slots
    missing: list[str] = []
    if conversation.error:
        missing.append(f"error: {conversation.error}")
    if not conversation.tracker_read:
        missing.append("tracker not read")
    if persona.wants_screening:
        got = (slots.get("coop_fit"), slots.get("recommended_coop_type"))
        if got != (expected.coop_fit, expected.recommended_coop_type):
            missing.append(
                f"verdict {got[0]}/{got[1]}, expected "
                f"{expected.coop_fit}/{expected.recommended_coop_type}"
            )
    if persona.wants_handoff and expected.handoff is not None:
        missing += _handoff_problems(expected.handoff, conversation)
    if expected.answer_contains:
        bot_text = " ".join(m.text.lower() for turn in conversation.turns for m in turn.messages)
        if not any(part in bot_text for part in expected.answer_contains):
            missing.append(f"no answer containing {expected.answer_contains}")
    return missing


def _handoff_problems(expected, conversation: Conversation) -> list[str]:
    responses = {m.response for turn in conversation.turns for m in turn.messages}
    nothing = not expected.consent_summary and not expected.consent_transcript
    got: tuple[object, ...]
    if conversation.dossiers is not None:
        dossiers = conversation.dossiers
        if nothing:
            problems = [] if not dossiers else [f"{len(dossiers)} dossier(s) stored, none expected"]
            if HANDOFF_NOTHING not in responses:
                problems.append("the refusal was not acknowledged")
            return problems
        if len(dossiers) != 1:
            return [f"{len(dossiers)} dossiers stored, one expected"]
        consents = dossiers[0]["consents"]
        got = (
            consents.get("share_summary", False),
            consents.get("share_transcript", False),
            dossiers[0]["contact_method"],
        )
    else:
        # No database at hand: what the form recorded and the reference it showed.
        answers = conversation.handoff_answers
        stored = bool(responses & HANDOFF_STORED) and bool(
            conversation.slots.get("handoff_reference")
        )
        if nothing:
            return [] if HANDOFF_NOTHING in responses and not stored else ["refusal not honoured"]
        if not stored:
            return ["no dossier stored"]
        got = (
            answers.get("handoff_consent_summary") == "yes",
            answers.get("handoff_consent_transcript") == "yes",
            answers.get("handoff_contact_method"),
        )
    want_method = expected.contact_method if expected.consent_summary else None
    want: tuple[object, ...] = (expected.consent_summary, expected.consent_transcript, want_method)
    if want_method in (None, "none"):
        got, want = got[:2], want[:2]
    return [] if got == want else [f"handoff {got}, expected {want}"]


# The persona's facts whose storing is checked (the slots come from the form's own table).
COMPARED_FACTS = (
    "founders",
    "members",
    "control",
    "capital_need",
    "outside_investors",
    "surplus",
    "governance_ready",
)


def _misread(persona: Persona, conversation: Conversation) -> list[str]:
    """The screening answers stored otherwise than the persona's (final) facts, once a verdict
    was given: which questions are misunderstood, summed per set without naming anyone."""
    if not persona.wants_screening or conversation.slots.get("coop_fit") is None:
        return []
    facts = persona.final_facts()
    wrong = []
    for fact in COMPARED_FACTS:
        value, stored = getattr(facts, fact), conversation.slots.get(FIELD_SLOTS[fact])
        if value is None:
            continue
        if fact == "capital_need":
            # Writers label amounts with their own bands ("40 000 $" as medium); the verdict only
            # tells known from unknown: so does this count.
            if (str(value) == "unsure") != (str(stored) == "unsure"):
                wrong.append(fact)
        elif (
            fact == "founders"
            and str(stored).isdigit()
            and min(int(str(stored)), 6) == min(value, 6)
        ):
            continue  # "6 or more" (a button) stands for 7 as well
        elif str(stored) != str(value):
            wrong.append(fact)
    return wrong


def measure(persona: Persona, conversation: Conversation) -> Metrics:
    turns = conversation.turns
    asked = Counter(q for q in (t.question for t in turns) if q is not None)
    longest, run, previous = 0, 0, None
    for turn in turns:
        question = turn.question
        run = run + 1 if question is not None and question == previous else (1 if question else 0)
        previous = question
        longest = max(longest, run)
    restarts = stops = 0
    for turn in turns:
        responses = turn.responses()
        if RESTART in responses and turn.intends != "restart":
            restarts += 1
        if any(r in STOPS for r in responses) and turn.intends != "stop":
            stops += 1
    intended_restarts = sum(1 for t in turns if t.intends == "restart")
    # A restart the channel did not announce (or a new session) still shows in the tracker.
    restarts = max(restarts, conversation.restart_events - intended_restarts)
    restarts += max(0, conversation.session_starts - 1)
    languages = [_turn_language_wrong(t) for t in turns]
    why_not = _outcome(persona, conversation)
    return Metrics(
        persona_id=persona.id,
        lang=persona.lang,
        goal=persona.goal,
        outcome=not why_not,
        why_not=why_not,
        turns=len(turns),
        questions_over_twice=sum(1 for count in asked.values() if count > 2),
        max_consecutive=longest,
        unintended_restarts=restarts,
        unintended_stops=stops,
        language_turns=sum(1 for wrong in languages if wrong is not None),
        wrong_language_turns=sum(1 for wrong in languages if wrong),
        notices=sum(1 for t in turns for m in t.messages if m.is_notice),
        server_errors=sum(1 for t in turns if t.status != 200),
        silent_turns=sum(1 for t in turns if t.status == 200 and not t.messages),
        ended_by=conversation.ended_by,
        misread=_misread(persona, conversation),
    )


@dataclass
class Summary:
    """Sums over a group of personas (a set, one language of it): no persona is named."""

    personas: int = 0
    outcomes: int = 0
    questions_over_twice: int = 0
    over_three_in_a_row: int = 0  # personas asked the same question more than three times in a row
    max_consecutive: int = 0
    unintended_restarts: int = 0
    unintended_stops: int = 0
    language_turns: int = 0
    wrong_language_turns: int = 0
    notice_violations: int = 0
    notices_over_one: int = 0
    server_errors: int = 0
    silent_turns: int = 0
    turns: int = 0
    ended_by: Counter = field(default_factory=Counter)
    misread: Counter = field(default_factory=Counter)

    @property
    def outcome_share(self) -> float:
        return self.outcomes / self.personas if self.personas else 0.0

    @property
    def wrong_language_share(self) -> float:
        return self.wrong_language_turns / self.language_turns if self.language_turns else 0.0

    def add(self, metrics: Metrics) -> None:
        self.personas += 1
        self.outcomes += metrics.outcome
        self.questions_over_twice += metrics.questions_over_twice
        self.over_three_in_a_row += metrics.max_consecutive > 3
        self.max_consecutive = max(self.max_consecutive, metrics.max_consecutive)
        self.unintended_restarts += metrics.unintended_restarts
        self.unintended_stops += metrics.unintended_stops
        self.language_turns += metrics.language_turns
        self.wrong_language_turns += metrics.wrong_language_turns
        self.notice_violations += metrics.notice_violation
        self.notices_over_one += metrics.notices > 1
        self.server_errors += metrics.server_errors
        self.silent_turns += metrics.silent_turns
        self.turns += metrics.turns
        self.ended_by[metrics.ended_by] += 1
        self.misread.update(metrics.misread)

    def line(self, label: str) -> str:
        ends = ", ".join(f"{k} {v}" for k, v in sorted(self.ended_by.items()))
        return (
            f"  {label:<6} n={self.personas:<3} outcome {self.outcome_share:6.1%} "
            f"({self.outcomes}/{self.personas})  asked>2x {self.questions_over_twice:<3} "
            f">3 in a row {self.over_three_in_a_row:<2} (max run {self.max_consecutive})  "
            f"restarts {self.unintended_restarts:<2} stops {self.unintended_stops:<2} "
            f"wrong language {self.wrong_language_share:5.1%} "
            f"({self.wrong_language_turns}/{self.language_turns} turns)  "
            f"notice!=1 {self.notice_violations:<2} server errors {self.server_errors} "
            f"silent turns {self.silent_turns}  turns {self.turns}  ended: {ends}"
        )


def summarise(all_metrics: list[Metrics]) -> dict[str, Summary]:
    """``{"fr": …, "en": …, "all": …}`` over the given personas' metrics, and one sum per goal
    (``"goal:screening"``, …): still sums, no persona named."""
    groups = {"fr": Summary(), "en": Summary(), "all": Summary()}
    for metrics in all_metrics:
        groups[metrics.lang].add(metrics)
        groups["all"].add(metrics)
        groups.setdefault(f"goal:{metrics.goal}", Summary()).add(metrics)
    return groups
