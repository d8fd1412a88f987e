"""Introductions an advisor proposes, and what each side answers.

An introduction is between a profile (side A) and another profile or a project (side B).

States: ``proposed`` → ``accepted_by_one`` → ``accepted_by_both`` → ``met`` → ``outcome``;
a "no" from either side at any point before both said yes → ``declined``. Contact details are
part of the view only from ``accepted_by_both`` on (a project's contact is its organisation's
advisor, so a project side never reveals a person).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from appdb import utcnow
from matchmaking.errors import (
    InvalidFieldError,
    NotFoundError,
    NotMatchableError,
    TransitionRefusedError,
)
from matchmaking.matching import Suggestion
from matchmaking.models import ANSWERS, OUTCOMES, MatchIntroduction, MatchNote, MatchProfile
from matchmaking.profiles import _actor, _load_profile, _load_project
from matchmaking.records import (
    INTRODUCTION_PREFIX,
    PROFILE_PREFIX,
    PROJECT_PREFIX,
    ProfileView,
    ProjectView,
    audit,
    new_reference,
    profile_view,
    project_view,
    store_session,
)
from matchmaking.redaction import redact

MAX_NOTE = 5000
OPEN_STATES = ("proposed", "accepted_by_one")
REVEALED_STATES = ("accepted_by_both", "met", "outcome")


def next_state(state: str, answer_a: str | None, answer_b: str | None) -> str:
    """The state after an answer (pure: the store and the tests use it)."""
    if state not in OPEN_STATES:
        raise TransitionRefusedError(f"answers are closed in state {state}")
    if "no" in (answer_a, answer_b):
        return "declined"
    yes = [a for a in (answer_a, answer_b) if a == "yes"]
    return {0: "proposed", 1: "accepted_by_one", 2: "accepted_by_both"}[len(yes)]


@dataclass(frozen=True)
class Contact:
    """How to reach one side, once both said yes (a project's is its advisor's)."""

    method: str | None
    value: str | None


@dataclass(frozen=True)
class NoteView:
    """An advisor's note on an introduction, as read."""

    id: int
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class IntroductionView:
    """An introduction as read, detached from the session; contacts only once revealed."""

    reference: str
    state: str
    created_at: datetime
    proposed_by: str
    side_a: ProfileView
    side_b_profile: ProfileView | None
    side_b_project: ProjectView | None
    answer_a: str | None
    answer_b: str | None
    met_at: datetime | None
    outcome: str | None
    suggestion: dict[str, Any] | None
    notes: tuple[NoteView, ...]
    # None until both said yes: nothing about how to reach a person leaks before.
    contact_a: Contact | None
    contact_b: Contact | None

    @property
    def revealed(self) -> bool:
        """Whether both sides said yes, so that each may learn how to reach the other."""
        return self.state in REVEALED_STATES

    def summary_for(self, side: str, lang: str | None = None) -> dict[str, Any]:
        """What the person on ``side`` (``a`` or ``b``) may be told about the other side.

        Codes, and the project sentence only once an advisor reviewed it; never a name or a
        contact before both said yes. A phone number or an e-mail address written in a free
        text is masked even after the review (``redaction.redact``, in ``lang``: by default the
        language of the person on ``side``).

        Raises:
            InvalidFieldError: ``side`` is neither ``a`` nor ``b``.
        """
        if side not in ("a", "b"):
            raise InvalidFieldError("side", "a or b")
        if side == "b":
            other: ProfileView | ProjectView | None = self.side_a
            reader = self.side_b_profile
        else:
            other = self.side_b_profile or self.side_b_project
            reader = self.side_a
        lang = lang or (reader.language if reader is not None else "fr")
        if isinstance(other, ProjectView):
            return {
                "kind": "project",
                "title": redact(other.title, lang),
                "text": redact(other.description, lang),
                "sector": other.sector,
                "region_code": other.region_code,
                "roles_sought": list(other.roles_sought),
                "languages": list(other.languages),
            }
        assert other is not None
        return {
            "kind": "profile",
            "text": redact(other.project_text, lang) if other.text_reviewed_by else None,
            "intent": other.intent,
            "sector": other.sector,
            "region_code": other.region_code,
            "role": other.role,
            "languages": list(other.languages),
        }

    @property
    def side_b_reference(self) -> str:
        """The reference of side B, a profile or a project."""
        side = self.side_b_profile or self.side_b_project
        assert side is not None
        return side.reference


def _view(row: MatchIntroduction) -> IntroductionView:
    revealed = row.state in REVEALED_STATES
    a = profile_view(row.profile_a)
    b = profile_view(row.profile_b) if row.profile_b is not None else None
    return IntroductionView(
        reference=row.reference,
        state=row.state,
        created_at=row.created_at,
        proposed_by=row.proposed_by,
        side_a=a,
        side_b_profile=b,
        side_b_project=project_view(row.project) if row.project is not None else None,
        answer_a=row.answer_a,
        answer_b=row.answer_b,
        met_at=row.met_at,
        outcome=row.outcome,
        suggestion=row.suggestion,
        notes=tuple(NoteView(n.id, n.author, n.text, n.created_at) for n in row.notes),
        contact_a=Contact(a.contact_method, a.contact_value) if revealed else None,
        contact_b=Contact(b.contact_method, b.contact_value) if revealed and b else None,
    )


def _load(session: Session, reference: str) -> MatchIntroduction:
    row = session.execute(
        select(MatchIntroduction)
        .where(MatchIntroduction.reference == reference)
        .options(
            selectinload(MatchIntroduction.profile_a),
            selectinload(MatchIntroduction.profile_b),
            selectinload(MatchIntroduction.project),
            selectinload(MatchIntroduction.notes),
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError(reference)
    return row


def propose(
    profile_reference: str,
    other_reference: str,
    *,
    by: str,
    suggestion: Suggestion | None = None,
) -> IntroductionView:
    """An advisor proposes that ``profile_reference`` meet a profile or a project."""
    actor = _actor(by)
    with store_session() as session:
        a = _load_profile(session, profile_reference)
        if a.status != "active":
            raise NotMatchableError("profile paused")
        row = MatchIntroduction(
            reference=new_reference(INTRODUCTION_PREFIX),
            proposed_by=actor,
            profile_a_id=a.id,
            state="proposed",
            created_at=utcnow(),
        )
        if other_reference.startswith(PROFILE_PREFIX + "-"):
            b = _load_profile(session, other_reference)
            if b.id == a.id or b.sender_id == a.sender_id or b.status != "active":
                raise NotMatchableError("same person or paused profile")
            row.profile_b_id = b.id
            pair = MatchIntroduction.profile_b_id == b.id
        elif other_reference.startswith(PROJECT_PREFIX + "-"):
            project = _load_project(session, other_reference)
            if project.status != "open":
                raise NotMatchableError("project closed")
            row.project_id = project.id
            pair = MatchIntroduction.project_id == project.id
        else:
            raise NotFoundError(other_reference)
        pending = session.execute(
            select(MatchIntroduction.id).where(
                MatchIntroduction.profile_a_id == a.id,
                pair,
                MatchIntroduction.state.in_(OPEN_STATES + REVEALED_STATES[:1]),
            )
        ).first()
        if pending is not None:
            raise NotMatchableError("an introduction between them is already under way")
        if suggestion is not None:
            row.suggestion = {
                "score": suggestion.score,
                "reasons": [{"code": r.code, "params": r.params} for r in suggestion.reasons],
            }
        session.add(row)
        session.flush()
        details = {"a": a.reference, "b": other_reference}
        audit(session, row.reference, actor, "introduction_proposed", details)
        return _view(_load(session, row.reference))


def record_answer(reference: str, side: str, answer: str, *, by: str) -> IntroductionView:
    """Side ``a`` or ``b`` said yes or no (told to the advisor, or in the chat: ``by=person``)."""
    actor = _actor(by)
    if side not in ("a", "b"):
        raise InvalidFieldError("side", "a or b")
    if answer not in ANSWERS:
        raise InvalidFieldError("answer", "yes or no")
    with store_session() as session:
        row = _load(session, reference)
        answers = {"a": row.answer_a, "b": row.answer_b, side: answer}
        state = next_state(row.state, answers["a"], answers["b"])
        setattr(row, f"answer_{side}", answer)
        setattr(row, f"answered_{side}_at", utcnow())
        audit(
            session,
            reference,
            actor,
            "introduction_answer",
            {"side": side, "answer": answer, "from": row.state, "to": state},
        )
        row.state = state
        if actor == "person":
            answering = row.profile_a if side == "a" else row.profile_b
            if answering is not None:
                answering.last_activity_at = utcnow()
        session.flush()
        return _view(row)


def mark_met(reference: str, *, by: str) -> IntroductionView:
    """Record that the two sides met, as the advisor ``by`` says.

    Raises:
        NotFoundError: no introduction has this reference.
        TransitionRefusedError: the two sides have not both said yes.
    """
    actor = _actor(by)
    with store_session() as session:
        row = _load(session, reference)
        if row.state != "accepted_by_both":
            raise TransitionRefusedError(f"cannot meet from {row.state}")
        row.state, row.met_at = "met", utcnow()
        audit(session, reference, actor, "introduction_met")
        return _view(row)


def record_outcome(reference: str, outcome: str, *, by: str) -> IntroductionView:
    """Record what came of the introduction (one of ``OUTCOMES``); a later outcome replaces it.

    Raises:
        InvalidFieldError: ``outcome`` is not a known one.
        NotFoundError: no introduction has this reference.
        TransitionRefusedError: the two sides have not both said yes.
    """
    actor = _actor(by)
    if outcome not in OUTCOMES:
        raise InvalidFieldError("outcome", "one of " + ", ".join(OUTCOMES))
    with store_session() as session:
        row = _load(session, reference)
        if row.state not in ("accepted_by_both", "met", "outcome"):
            raise TransitionRefusedError(f"no outcome from {row.state}")
        audit(session, reference, actor, "introduction_outcome", {"outcome": outcome})
        row.state, row.outcome = "outcome", outcome
        return _view(row)


def add_note(reference: str, text: str, *, by: str) -> NoteView:
    """Add an advisor's note to the introduction, audited by its id (not its text).

    Raises:
        InvalidFieldError: the text is empty or longer than ``MAX_NOTE``.
        NotFoundError: no introduction has this reference.
    """
    actor = _actor(by)
    text = (text or "").strip()
    if not text or len(text) > MAX_NOTE:
        raise InvalidFieldError("text", f"required, at most {MAX_NOTE} characters")
    with store_session() as session:
        row = _load(session, reference)
        note = MatchNote(introduction_id=row.id, author=actor, text=text, created_at=utcnow())
        session.add(note)
        session.flush()
        audit(session, reference, actor, "introduction_note", {"note_id": note.id})
        return NoteView(note.id, note.author, note.text, note.created_at)


def get_introduction(reference: str) -> IntroductionView:
    """The introduction with this reference.

    Raises:
        NotFoundError: there is none.
    """
    with store_session() as session:
        return _view(_load(session, reference))


def introductions_of(reference: str) -> list[IntroductionView]:
    """The introductions a profile or a project takes part in, newest first."""
    with store_session() as session:
        if reference.startswith(PROJECT_PREFIX + "-"):
            project = _load_project(session, reference)
            where = MatchIntroduction.project_id == project.id
        else:
            profile: MatchProfile = _load_profile(session, reference)
            where = or_(
                MatchIntroduction.profile_a_id == profile.id,
                MatchIntroduction.profile_b_id == profile.id,
            )
        refs = session.execute(
            select(MatchIntroduction.reference)
            .where(where)
            .order_by(MatchIntroduction.created_at.desc(), MatchIntroduction.id.desc())
        ).scalars()
        return [_view(_load(session, r)) for r in list(refs)]
