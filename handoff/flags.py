"""Answers of the assistant flagged by advisors as wrong or outdated, from a shared transcript.

The flag keeps a copy of the answer as shown (the knowledge base may change meanwhile) and is
erased with its dossier. The audit trail gets the flag's id and kind, never the comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from appdb import utcnow
from handoff.dossier import InvalidRequestError
from handoff.models import FLAG_KINDS, AnswerFlag, HandoffDossier
from handoff.records import audit, load_dossier, store_session

MAX_COMMENT = 1000


@dataclass(frozen=True)
class FlagView:
    """A flagged answer as the console lists it, with its dossier's reference and organisation."""

    id: int
    reference: str
    organisation_key: str | None
    message_index: int
    answer_text: str
    kind: str
    comment: str | None
    flagged_by: str
    flagged_at: datetime


def flag_answer(
    reference: str, message_index: int, kind: str, comment: str | None, *, by: str
) -> int:
    """Flag the assistant's message at ``message_index`` of the dossier's transcript.

    Raises:
        InvalidRequestError: unknown kind, comment too long, or not an assistant's message of a
            shared transcript.
        DossierNotFoundError: no such dossier.
    """
    if kind not in FLAG_KINDS:
        raise InvalidRequestError("kind", f"one of {', '.join(FLAG_KINDS)}")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InvalidRequestError("comment", f"at most {MAX_COMMENT} characters")
    with store_session() as session:
        dossier = load_dossier(session, reference)
        transcript = dossier.transcript or []
        if (
            not 0 <= message_index < len(transcript)
            or transcript[message_index].get("who") != "bot"
        ):
            raise InvalidRequestError("message_index", "an assistant's message of the transcript")
        flag = AnswerFlag(
            dossier_id=dossier.id,
            message_index=message_index,
            answer_text=str(transcript[message_index].get("text") or "")[:4000],
            kind=kind,
            comment=comment,
            flagged_by=by,
            flagged_at=utcnow(),
        )
        session.add(flag)
        session.flush()
        audit(session, dossier, by, "answer_flagged", {"flag": flag.id, "kind": kind})
        return int(flag.id)


def open_flags() -> list[FlagView]:
    """The flags not yet resolved, the oldest first."""
    with store_session() as session:
        rows = session.execute(
            select(AnswerFlag, HandoffDossier.reference, HandoffDossier.organisation_key)
            .join(HandoffDossier, HandoffDossier.id == AnswerFlag.dossier_id)
            .where(AnswerFlag.resolved_at.is_(None))
            .order_by(AnswerFlag.flagged_at, AnswerFlag.id)
        ).all()
        return [
            FlagView(
                f.id,
                reference,
                organisation_key,
                f.message_index,
                f.answer_text,
                f.kind,
                f.comment,
                f.flagged_by,
                f.flagged_at,
            )
            for f, reference, organisation_key in rows
        ]


def resolve_flag(flag_id: int, *, by: str) -> bool:
    """Mark the flag resolved; False when there is no such open flag."""
    with store_session() as session:
        flag = session.get(AnswerFlag, flag_id)
        if flag is None or flag.resolved_at is not None:
            return False
        flag.resolved_at, flag.resolved_by = utcnow(), by
        dossier = session.get(HandoffDossier, flag.dossier_id)
        assert dossier is not None
        audit(session, dossier, by, "flag_resolved", {"flag": flag.id})
        return True
