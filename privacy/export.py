"""Access and portability: everything held about one person, as one JSON-able document.

``python -m privacy export --sender ID > file.json``. The document holds the person's
conversations (user and bot messages and slot values, with times), their dossiers with consents,
notes, status history and audit trail, their partner-matchmaking profiles with their
introductions (the other side by reference only), and nothing about anyone else.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from appdb import session_scope, utcnow
from handoff.models import (
    AnswerFlag,
    AuditEvent,
    HandoffDossier,
    NotificationOutbox,
    SheetEmail,
)
from matchmaking import lifecycle as matchmaking_records
from privacy import tracker
from privacy.config import RetentionPolicy
from privacy.erasure import find_dossiers, find_profiles, normalised_contacts

FORMAT = "coopilote-personal-data/1"
DOSSIER_FIELDS = (
    "reference",
    "created_at",
    "updated_at",
    "channel",
    "sender_id",
    "language",
    "region_code",
    "organisation_key",
    "queue",
    "reason",
    "trigger",
    "project_summary",
    "screening_summary",
    "contact_method",
    "contact_value",
    "availability",
    "status",
    "assignee",
    "referred_to",
    "follow_up_date",
    "outcome",
    "transcript",
)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _history(session: Session, dossier: HandoffDossier) -> tuple[list[dict], list[dict]]:
    query = (
        select(AuditEvent)
        .where((AuditEvent.dossier_id == dossier.id) | (AuditEvent.reference == dossier.reference))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    events = list(session.execute(query).scalars())
    trail = [
        {"at": _plain(e.at), "by": e.actor, "action": e.action, "details": e.details}
        for e in events
    ]
    statuses = [
        {"at": _plain(e.at), "by": e.actor, **(e.details or {})}
        for e in events
        if e.action == "status"
    ]
    return statuses, trail


def _dossier(session: Session, dossier: HandoffDossier) -> dict[str, Any]:
    document = {name: _plain(getattr(dossier, name)) for name in DOSSIER_FIELDS}
    document["consents"] = [
        {
            "purpose": c.purpose,
            "granted": c.granted,
            "wording_version": c.wording_version,
            "privacy_notice_version": c.notice_version,
            "answered_at": _plain(c.granted_at),
            "withdrawn_at": _plain(c.withdrawn_at),
        }
        for c in dossier.consents
    ]
    document["notes"] = [
        {"at": _plain(n.created_at), "by": n.author, "text": n.text} for n in dossier.notes
    ]
    document["status_history"], document["audit_trail"] = _history(session, dossier)
    # Orientation sheets emailed from the console, with the consent the person gave for each.
    sheets = session.execute(
        select(SheetEmail, NotificationOutbox.recipient, NotificationOutbox.status)
        .outerjoin(NotificationOutbox, NotificationOutbox.id == SheetEmail.outbox_id)
        .where(SheetEmail.dossier_id == dossier.id)
        .order_by(SheetEmail.id)
    ).all()
    document["orientation_sheets_emailed"] = [
        {
            "consented_at": _plain(sheet.consented_at),
            "consent_wording_version": sheet.consent_wording_version,
            "language": sheet.language,
            "by": sheet.advisor,
            "to": recipient,
            "email_status": status,
        }
        for sheet, recipient, status in sheets
    ]
    flags = session.execute(
        select(AnswerFlag).where(AnswerFlag.dossier_id == dossier.id).order_by(AnswerFlag.id)
    ).scalars()
    document["answers_flagged_by_advisors"] = [
        {
            "at": _plain(flag.flagged_at),
            "by": flag.flagged_by,
            "kind": flag.kind,
            "answer": flag.answer_text,
            "comment": flag.comment,
            "resolved_at": _plain(flag.resolved_at),
        }
        for flag in flags
    ]
    return document


def export_person(
    sender_id: str | None = None,
    reference: str | None = None,
    contact: str | None = None,
) -> dict[str, Any]:
    """Everything held about one person, found by any of the keys (see ``erase_person``).

    Raises ``privacy.erasure.NothingToIdentifyError`` without any key.
    """
    with session_scope() as session:
        dossiers = find_dossiers(session, sender_id, reference, contact)
        documents = [_dossier(session, d) for d in dossiers]
        known = {d.sender_id for d in dossiers} | ({sender_id} if sender_id else set())
        contacts = {d.contact_value for d in dossiers if d.contact_value}
        if contact:
            contacts |= normalised_contacts(contact)
        profiles = find_profiles(session, known, reference, contacts)
        matchmaking = matchmaking_records.export_profiles(session, profiles)
        senders = sorted(known | {p.sender_id for p in profiles})
    conversations = []
    with tracker.tracker_connection() as connection:
        for sender in senders:
            events = tracker.conversation(connection, sender) if connection is not None else []
            if events:
                conversations.append({"sender_id": sender, "events": [e.as_dict() for e in events]})
    return {
        "format": FORMAT,
        "generated_at": utcnow().isoformat(),
        "request": {"sender_id": sender_id, "reference": reference, "contact": contact},
        "retention_days": RetentionPolicy.from_env().describe(),
        "conversations": conversations,
        "dossiers": documents,
        "matchmaking_profiles": matchmaking,
    }
