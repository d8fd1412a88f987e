"""The advisors' screening with a client: the form's questions, reading the answers, the
knowledge base the result needs, and what a screening started from a dossier may prefill.

The verdict and its texts come from ``screening`` (``verdict_for``, ``present``), exactly as in
the chat; nothing here decides anything about the co-op fit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from handoff.dossier import DossierView
from screening import Answers
from screening.answers import CHOICES, REGION_CODES, SECTORS

# In the order the chat asks them.
QUESTIONS = (
    "project",
    "sector",
    "region_code",
    "founders",
    "members",
    "control",
    "capital_need",
    "outside_investors",
    "surplus",
    "governance_ready",
)
CHOICE_QUESTIONS: dict[str, tuple[str, ...]] = {
    "sector": SECTORS,
    "region_code": REGION_CODES,
    **CHOICES,
}
MAX_PROJECT = 300
MAX_FOUNDERS = 1000
MAX_CLIENT_NAME = 120
CLIENT_LANGUAGES = ("fr", "en")

_kb_lock = threading.Lock()


def knowledge_base(request: Request) -> Any:
    """The knowledge base of the app (``app.state.knowledge_base``), built once on first use
    from the app database, without the sentence encoder (no search is needed here)."""
    state = request.app.state
    kb = getattr(state, "knowledge_base", None)
    if kb is not None:
        return kb
    with _kb_lock:
        kb = getattr(state, "knowledge_base", None)
        if kb is None:
            from knowledge_base import KnowledgeBase

            kb = KnowledgeBase.from_database(encoder=None)
            if len(kb) == 0:  # content not loaded into this database yet
                kb = KnowledgeBase.from_directory(encoder=None)
            state.knowledge_base = kb
    return kb


def region_names(kb: Any, lang: str) -> dict[str, str]:
    return {entry.code: entry.text("title", lang) for entry in kb.entries("region")}


@dataclass(frozen=True)
class ScreeningForm:
    """The answers as posted, and the fields refused (their keys in ``refused.answers.*``)."""

    values: dict[str, str]
    answers: Answers | None
    errors: tuple[str, ...] = ()


def read_answers(form: Any) -> ScreeningForm:
    """The posted answers: unknown choices and out-of-range counts are refused, empty means
    not answered (the decision table treats it as "not sure", like the chat)."""
    values = {name: str(form.get(name) or "").strip() for name in QUESTIONS}
    errors = []
    parsed: dict[str, Any] = {}
    for name, value in values.items():
        if not value:
            continue
        if name == "project":
            if len(value) > MAX_PROJECT:
                errors.append(name)
            else:
                parsed[name] = value
        elif name == "founders":
            if not value.isdigit() or not 1 <= int(value) <= MAX_FOUNDERS:
                errors.append(name)
            else:
                parsed[name] = int(value)
        elif value in CHOICE_QUESTIONS[name]:
            parsed[name] = value
        else:
            errors.append(name)
    if errors:
        return ScreeningForm(values, None, tuple(errors))
    return ScreeningForm(values, Answers.from_dict(parsed))


def client_language(value: Any, default: str) -> str:
    return value if value in CLIENT_LANGUAGES else default


def shared_answers(dossier: DossierView) -> dict[str, str]:
    """The chat screening's answers, only while the person's consent to share them stands.

    The store erases the screening summary when that consent is withdrawn; the consent is
    checked again here so that a prefill never rests on that alone.
    """
    shared = any(
        c.purpose == "share_summary" and c.granted and c.withdrawn_at is None
        for c in dossier.consents
    )
    summary = dossier.screening_summary or {}
    answers = summary.get("answers") if shared else None
    if not isinstance(answers, dict):
        return {}
    return {
        name: str(answers[name])
        for name in QUESTIONS
        if answers.get(name) is not None and str(answers[name]) != ""
    }
