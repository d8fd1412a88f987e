"""Personas of the simulated users as data (PERSONA_SCHEMA: one YAML file per persona), validated
when loaded: every problem names the file, the field path and what is wrong.

Optional keys added to the shared format (a file without them stays valid):
- ``style.patience``: how many times in a row the persona answers the same question before it
  gives up (default 3: a fourth ask in a row breaks the issue's "never more than three" target).
- ``style.switch_language.say``: the message that switches (else the next answer, written in the
  new language, does).
- ``says.request``: how the persona asks again for what it came for (its first goal: the
  screening, or a person for a handoff goal) when the assistant did not start it; else, and for
  the person after a screening, a plain sentence in its language.
- ``contact.need_kind``: ``cooperative`` | ``integration``, the meaning of ``contact.need`` when
  the persona presses a button (else read from the words).
- ``events[].intends``: ``restart`` | ``stop`` when the message is the request itself, so that
  the restart or stop it causes is not counted as unintended.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

ROOT = Path(__file__).resolve().parent
SETS = (
    "dev",
    "dev2",
    "dev3",
    "dev4",
    "dev5",
    "dev6",
    "dev7",
    "dev8",
    "dev9",
    "dev10",
    "dev11",
    "dev12",
    "dev13",
    "dev14",
    "heldout",
)
ID_PATTERN = r"^(fr|en)-[0-9]{2,3}-[a-z0-9]+(-[a-z0-9]+)*$"

Lang = Literal["fr", "en"]
Members = Literal["workers", "users", "producers", "employees_buying_in", "mix", "unsure"]
Control = Literal["one_member_one_vote", "proportional_to_capital", "unsure"]
CapitalNeed = Literal["low", "medium", "high", "unsure"]
Investors = Literal["none", "returns_only", "want_control", "unsure"]
Surplus = Literal["by_use", "by_work", "by_capital", "unsure"]
YesNoUnsure = Literal["yes", "no", "unsure"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]

# What the persona can be asked about (the `at` of an event): the facts, the handoff's contact
# questions, and a few answers the assistant may ask for (which organisation, Québec City?).
QUESTION_KEYS = (
    "project",
    "sector",
    "city",
    "founders",
    "members",
    "control",
    "capital_need",
    "outside_investors",
    "surplus",
    "governance_ready",
    "consent_summary",
    "consent_transcript",
    "contact_method",
    "email",
    "phone",
    "availability",
    "need",
    "age",
    "organisation",
    "quebec_city",
)
# Names a writer may use for the same question.
ALIASES = {
    "region": "city",
    "capital": "capital_need",
    "capital_amount": "capital_need",
    "investors": "outside_investors",
    "governance": "governance_ready",
    "method": "contact_method",
    "age_group": "age",
}
SAYS_KEYS = (
    *QUESTION_KEYS,
    "capital_amount",
    "method",
    "unsure",
    "yes",
    "no",
    "request",
    "wants_person",
)


def question_key(name: str) -> str:
    """The question a writer's name (``region``, ``method``…) stands for."""
    return ALIASES.get(name, name)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _yes_no(value: Any) -> Any:
    # YAML reads an unquoted yes/no as a boolean; the format means the words.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


class SwitchLanguage(_Strict):
    after_turns: int = Field(ge=1)
    to: Lang
    say: Text | None = None


class Style(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    buttons: Literal["never", "sometimes", "always"]
    typos: bool = False
    # `register` in the file (the name would shadow a pydantic attribute).
    tone: Literal["informal", "formal"] = Field(default="informal", alias="register")
    switch_language: SwitchLanguage | None = None
    patience: int = Field(default=3, ge=1, le=10)


class Contact(_Strict):
    wants_person: bool = True
    need: Text | None = None
    need_kind: Literal["cooperative", "integration"] | None = None
    age: int | None = Field(default=None, ge=10, le=110)
    consent_summary: bool
    consent_transcript: bool
    method: Literal["email", "phone", "none"] = "none"
    email: Text | None = None
    phone: Text | None = None
    availability: Text | None = None

    @field_validator("email")
    @classmethod
    def _fake_email(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().endswith("@example.org"):
            raise ValueError("only fake addresses at example.org")
        return value

    @field_validator("phone")
    @classmethod
    def _fake_phone(cls, value: str | None) -> str | None:
        digits = "".join(c for c in value or "" if c.isdigit())
        if value is not None and "555" not in digits:
            raise ValueError("only fake 555 numbers")
        return value


class Facts(_Strict):
    project: Text | None = None
    sector: Text | None = None
    city: Text | None = None
    founders: int | None = Field(default=None, ge=1)
    members: Members | None = None
    control: Control | None = None
    capital_need: CapitalNeed | None = None
    capital_amount: int | None = Field(default=None, ge=0)
    outside_investors: Investors | None = None
    surplus: Surplus | None = None
    governance_ready: YesNoUnsure | None = None
    contact: Contact | None = None

    @field_validator("governance_ready", mode="before")
    @classmethod
    def _governance_words(cls, value: Any) -> Any:
        return _yes_no(value)


class Event(_Strict):
    at: str
    say: Text
    correction: dict[str, Any] | None = None
    intends: Literal["restart", "stop"] | None = None

    @field_validator("at")
    @classmethod
    def _known_question(cls, value: str) -> str:
        key = question_key(value)
        if key not in QUESTION_KEYS:
            raise ValueError(
                f"{value!r} is not a question the assistant asks ({', '.join(QUESTION_KEYS)})"
            )
        return key

    @field_validator("correction")
    @classmethod
    def _correct_facts(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        unknown = set(value) - set(Facts.model_fields) - {"contact"}
        if unknown:
            raise ValueError(f"corrects no fact: {', '.join(sorted(unknown))}")
        # The corrected facts must themselves be valid facts (a contact correction may be
        # partial: the whole persona's final facts are checked once loaded).
        Facts.model_validate({k: v for k, v in value.items() if k != "contact"})
        return value


class Question(_Strict):
    ask: Text


class HandoffExpected(_Strict):
    consent_summary: bool
    consent_transcript: bool
    contact_method: Literal["email", "phone", "none"] | None = None


class Expected(_Strict):
    coop_fit: Literal["strong", "conditional", "weak"] | None = None
    recommended_coop_type: (
        Literal[
            "travail",
            "travailleurs_actionnaires",
            "producteurs",
            "consommateurs",
            "solidarite",
            "none",
        ]
        | None
    ) = None
    handoff: HandoffExpected | None = None
    answer_contains: list[Text] | None = None

    @field_validator("answer_contains")
    @classmethod
    def _lower(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(v != v.lower() for v in value):
            raise ValueError("substrings are compared in lower case: write them in lower case")
        return value


class Persona(_Strict):
    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)]
    lang: Lang
    summary: Text
    goal: Literal["screening", "handoff", "question", "screening_then_handoff"]
    opening: Text
    style: Style
    facts: Facts
    says: dict[str, list[Text]] = Field(default_factory=dict)
    events: list[Event] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    expected: Expected

    @field_validator("says", mode="before")
    @classmethod
    def _known_says(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        # YAML reads the unquoted keys yes/no (as the format writes them) as booleans.
        value = {_yes_no(key): phrasings for key, phrasings in value.items()}
        unknown = [key for key in value if key not in SAYS_KEYS]
        if unknown:
            raise ValueError(
                f"unknown key(s) {', '.join(map(str, unknown))}; one of {', '.join(SAYS_KEYS)}"
            )
        # A single phrasing may be written without the list.
        return {key: [v] if isinstance(v, str) else v for key, v in value.items()}

    @property
    def wants_screening(self) -> bool:
        return self.goal in ("screening", "screening_then_handoff")

    @property
    def wants_handoff(self) -> bool:
        return self.goal in ("handoff", "screening_then_handoff")

    def final_facts(self) -> Facts:
        """The facts once every correction the persona makes is applied: the truth a good
        assistant ends with."""
        values = self.facts.model_dump()
        for event in self.events:
            for key, value in (event.correction or {}).items():
                if key == "contact":
                    values["contact"] = {**(values.get("contact") or {}), **value}
                else:
                    values[key] = value
        return Facts.model_validate(values)

    def says_for(self, key: str) -> list[str]:
        """The persona's own phrasings for one question (aliases included)."""
        for name, phrasings in self.says.items():
            if question_key(name) == key:
                return list(phrasings)
        return []


@dataclass(frozen=True)
class Problem:
    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


class PersonaError(Exception):
    """Problems in persona files; each names the file, the field path and what is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _field(location: tuple) -> str:
    parts: list[str] = []
    for item in location:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif not str(item).startswith("function-") and str(item) not in ("literal", "str", "int"):
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "-"


def _check_consistency(persona: Persona) -> list[tuple[str, str]]:
    """What the types alone cannot say: the file's goal needs its expectations and facts."""
    found: list[tuple[str, str]] = []
    expected = persona.expected
    if persona.wants_screening and (
        expected.coop_fit is None or expected.recommended_coop_type is None
    ):
        found.append(("expected", "a screening goal needs coop_fit and recommended_coop_type"))
    if persona.wants_handoff:
        if expected.handoff is None:
            found.append(("expected.handoff", "a handoff goal needs the expected handoff"))
        if persona.facts.contact is None:
            found.append(("facts.contact", "a handoff goal needs the contact facts"))
    try:
        persona.final_facts()
    except ValidationError as error:
        found.append(("events", f"the corrections give invalid facts: {error.errors()[0]['msg']}"))
    contact = persona.facts.contact
    if contact is not None and contact.consent_summary:
        if contact.method == "email" and not contact.email:
            found.append(("facts.contact.email", "method email needs an email"))
        if contact.method == "phone" and not contact.phone:
            found.append(("facts.contact.phone", "method phone needs a phone"))
    if persona.goal == "question":
        if not expected.answer_contains:
            found.append(("expected.answer_contains", "a question goal needs answer_contains"))
    if expected.answer_contains and not persona.questions and persona.goal != "question":
        found.append(("questions", "answer_contains needs the questions the persona asks"))
    return found


def load_persona(path: Path) -> Persona:
    """One persona file, validated; raises PersonaError naming the file and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise PersonaError([Problem(str(path), "-", f"not valid YAML: {error}")]) from error
    if not isinstance(data, dict):
        raise PersonaError([Problem(str(path), "-", "the file must hold one mapping")])
    try:
        persona = Persona.model_validate(data)
    except ValidationError as error:
        raise PersonaError(
            [Problem(str(path), _field(e["loc"]), e["msg"]) for e in error.errors()]
        ) from error
    problems = [Problem(str(path), f, m) for f, m in _check_consistency(persona)]
    if persona.id != path.stem:
        problems.append(
            Problem(str(path), "id", f"{persona.id!r} must equal the file name {path.stem!r}")
        )
    if not persona.id.startswith(persona.lang + "-"):
        problems.append(Problem(str(path), "lang", f"{persona.lang!r} must be the id's prefix"))
    if problems:
        raise PersonaError(problems)
    return persona


def set_dir(name: str) -> Path:
    if name not in SETS:
        raise ValueError(f"unknown persona set {name!r}: one of {', '.join(SETS)}")
    return ROOT / name


def present_sets() -> list[str]:
    """The sets that exist in this checkout (the held-out set may be absent)."""
    return [name for name in SETS if set_dir(name).is_dir()]


def load_set(name: str) -> list[Persona]:
    """Every persona of a set, sorted by id; all problems of all files in one PersonaError."""
    personas: list[Persona] = []
    problems: list[Problem] = []
    for path in sorted(set_dir(name).glob("*.yml")):
        try:
            personas.append(load_persona(path))
        except PersonaError as error:
            problems += error.problems
    ids = [p.id for p in personas]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(str(set_dir(name)), "id", f"{duplicate!r} appears twice"))
    if problems:
        raise PersonaError(problems)
    return personas
