"""What the privacy package needs from matchmaking.

Find a person's profiles, destroy them with every introduction they take part in, export them,
and list those past their retention period.

Functions take the caller's session so that an erasure or a purge stays one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from matchmaking.models import MatchIntroduction, MatchNote, MatchProfile

PROFILE_FIELDS = (
    "reference",
    "created_at",
    "updated_at",
    "last_activity_at",
    "reminded_at",
    "channel",
    "language",
    "status",
    "intent",
    "project_text",
    "sector",
    "region_code",
    "reach",
    "role",
    "roles_sought",
    "skills",
    "skills_sought",
    "languages",
    "availability",
    "organisation_key",
    "contact_method",
    "contact_value",
    "consent_wording_version",
    "notice_version",
    "consented_at",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (datetime, date)) else value


def find_profiles(
    session: Session,
    sender_ids: Iterable[str] = (),
    references: Iterable[str] = (),
    contacts: Iterable[str] = (),
) -> list[MatchProfile]:
    """The profiles that match any of these conversation ids, references or contacts."""
    conditions = []
    senders, refs, values = sorted(set(sender_ids)), sorted(set(references)), sorted(set(contacts))
    if senders:
        conditions.append(MatchProfile.sender_id.in_(senders))
    if refs:
        conditions.append(MatchProfile.reference.in_(refs))
    if values:
        conditions.append(MatchProfile.contact_value.in_(values))
    if not conditions:
        return []
    query = select(MatchProfile).where(or_(*conditions)).order_by(MatchProfile.id)
    return list(session.execute(query).scalars())


def _introductions(session: Session, ids: Sequence[int]) -> list[int]:
    query = select(MatchIntroduction.id).where(
        or_(MatchIntroduction.profile_a_id.in_(ids), MatchIntroduction.profile_b_id.in_(ids))
    )
    return list(session.execute(query).scalars())


def destroy_profiles(session: Session, ids: Sequence[int], dry_run: bool = False) -> dict[str, int]:
    """Delete these profiles, every introduction they are part of and its notes.

    Returns counts (``match_profiles``, ``introductions``, ``notes``); audit events stay, with
    references and codes only.
    """
    ids = list(ids)
    if not ids:
        return {"match_profiles": 0, "introductions": 0, "notes": 0}
    introductions = _introductions(session, ids)
    notes = 0
    if introductions:
        notes = int(
            session.execute(
                select(func.count())
                .select_from(MatchNote)
                .where(MatchNote.introduction_id.in_(introductions))
            ).scalar_one()
        )
    if not dry_run:
        if introductions:
            session.execute(delete(MatchNote).where(MatchNote.introduction_id.in_(introductions)))
            session.execute(
                delete(MatchIntroduction).where(MatchIntroduction.id.in_(introductions))
            )
        session.execute(delete(MatchProfile).where(MatchProfile.id.in_(ids)))
    return {"match_profiles": len(ids), "introductions": len(introductions), "notes": notes}


def inactive_profiles(session: Session, cutoff: datetime) -> list[int]:
    """Profiles whose person has done nothing since ``cutoff`` (retention)."""
    query = (
        select(MatchProfile.id)
        .where(MatchProfile.last_activity_at < cutoff)
        .order_by(MatchProfile.id)
    )
    return list(session.execute(query).scalars())


@dataclass(frozen=True)
class ReminderDue:
    """A profile to be deleted soon for inactivity, and where to tell its person."""

    reference: str
    sender_id: str
    channel: str
    language: str
    deleted_after: datetime


def reminders_due(
    session: Session, now: datetime, period: timedelta, notice: timedelta
) -> list[ReminderDue]:
    """Profiles whose deletion for inactivity is less than ``notice`` away, not yet reminded.

    Only profiles whose person was not reminded since their last activity: the chat tells them,
    and any answer keeps the profile.
    """
    query = (
        select(MatchProfile)
        .where(
            MatchProfile.last_activity_at < now - period + notice,
            or_(
                MatchProfile.reminded_at.is_(None),
                MatchProfile.reminded_at < MatchProfile.last_activity_at,
            ),
        )
        .order_by(MatchProfile.id)
    )
    return [
        ReminderDue(p.reference, p.sender_id, p.channel, p.language, p.last_activity_at + period)
        for p in session.execute(query).scalars()
    ]


def mark_reminded(session: Session, references: Iterable[str], now: datetime) -> int:
    """Record that these people were reminded (after the message was sent)."""
    rows = session.execute(
        select(MatchProfile).where(MatchProfile.reference.in_(sorted(set(references))))
    ).scalars()
    count = 0
    for row in rows:
        row.reminded_at = now
        count += 1
    return count


def export_profiles(session: Session, profiles: Sequence[MatchProfile]) -> list[dict[str, Any]]:
    """The person's profiles with their introductions (the other side as a reference only)."""
    documents = []
    for profile in profiles:
        document = {name: _plain(getattr(profile, name)) for name in PROFILE_FIELDS}
        rows = session.execute(
            select(MatchIntroduction)
            .where(
                or_(
                    MatchIntroduction.profile_a_id == profile.id,
                    MatchIntroduction.profile_b_id == profile.id,
                )
            )
            .order_by(MatchIntroduction.id)
        ).scalars()
        document["introductions"] = [
            {
                "reference": row.reference,
                "created_at": _plain(row.created_at),
                "state": row.state,
                "your_side": "a" if row.profile_a_id == profile.id else "b",
                "your_answer": row.answer_a if row.profile_a_id == profile.id else row.answer_b,
                "outcome": row.outcome,
            }
            for row in rows
        ]
        documents.append(document)
    return documents
