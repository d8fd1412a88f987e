"""Erasure on request: everything held about one person, in every store, at once.

Called by the bot after the person confirmed ("supprimer mes données", ``/oubli``) and by the
console for a request received elsewhere. The person is found by any of: their conversation id
(``sender_id``), a dossier reference, or the exact normalised email or phone of a dossier. Their
dossiers (with consents, notes and notifications) are deleted, every conversation of theirs is
deleted from the tracker store, their partner-matchmaking profiles go with every introduction they
take part in (found by the same keys, a profile reference ``MP-…`` included), and the .eml and
export files written for those dossiers (their reference is recorded in the file's name) are
removed. The audit
trail keeps one ``erased`` event per dossier, with the reference and counts only. Idempotent: a
second call finds nothing more and reports zeros.

``preview_erasure`` counts what ``erase_person`` would take (the console's confirmation page)
with the same search (``_find_person``), so that the two cannot drift.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from appdb import get_engine, session_scope, utcnow
from handoff.contact import InvalidContactError, normalise_email, normalise_phone
from handoff.models import AuditEvent, DossierNote, HandoffDossier
from matchmaking import lifecycle as matchmaking_records
from privacy import files, tracker
from privacy.config import export_dir, notification_mail_dir
from privacy.errors import NothingToIdentifyError
from privacy.models import CATEGORIES
from privacy.records import (
    DestructionReport,
    destroy_dossiers,
    flush_sqlite_journal,
    log_destruction,
    overwrite_deleted,
)

log = logging.getLogger("privacy.erasure")

MAX_ACTOR = 120


@dataclass
class ErasureReport(DestructionReport):
    """Counts per category, and the references of the dossiers erased (for the requester)."""

    references: list[str] = field(default_factory=list)


def normalised_contacts(contact: str) -> set[str]:
    """The forms a contact can take in a dossier: as typed, and normalised as email or phone."""
    value = contact.strip()
    forms = {value} if value else set()
    for normalise in (normalise_email, normalise_phone):
        try:
            forms.add(normalise(value))
        except InvalidContactError:
            continue
    return forms


def find_dossiers(
    session: Session,
    sender_id: str | None = None,
    reference: str | None = None,
    contact: str | None = None,
) -> list[HandoffDossier]:
    """The dossiers of one person, by any of the keys given (an empty list when none match)."""
    conditions = []
    if sender_id:
        conditions.append(HandoffDossier.sender_id == sender_id)
    if reference:
        conditions.append(HandoffDossier.reference == reference.strip().upper())
    if contact:
        forms = normalised_contacts(contact)
        if forms:
            conditions.append(HandoffDossier.contact_value.in_(sorted(forms)))
    if not conditions:
        raise NothingToIdentifyError("give a sender_id, a reference or a contact")
    query = select(HandoffDossier).where(or_(*conditions)).order_by(HandoffDossier.id)
    return list(session.execute(query).scalars())


def find_profiles(
    session: Session, senders: set[str], reference: str | None, contacts: set[str]
) -> list:
    """The person's partner-matchmaking profiles, by the same keys as their dossiers."""
    references = [reference.strip().upper()] if reference else []
    return matchmaking_records.find_profiles(session, senders, references, contacts)


def destroy_profiles(session: Session, ids: list[int], report: DestructionReport) -> None:
    """Delete these partner profiles with every introduction they take part in (and its notes).

    The other side no longer sees them anywhere, and suggestions are computed from what remains.
    """
    counts = matchmaking_records.destroy_profiles(session, ids, dry_run=report.dry_run)
    report.add("match_profiles", counts["match_profiles"])
    report.add("introductions", counts["introductions"])
    report.add("notes", counts["notes"])


@dataclass
class _Person:
    """What one person's keys find: dossiers, profiles, conversation ids and contacts."""

    dossiers: list[HandoffDossier]
    profiles: list
    senders: set[str]
    contacts: set[str]


def _find_person(
    session: Session, sender_id: str | None, reference: str | None, contact: str | None
) -> _Person:
    """The one search of erasure and its preview. Raises ``NothingToIdentifyError``."""
    dossiers = find_dossiers(session, sender_id, reference, contact)
    senders = {d.sender_id for d in dossiers} | ({sender_id} if sender_id else set())
    contacts = {d.contact_value for d in dossiers if d.contact_value}
    if contact:
        contacts |= normalised_contacts(contact)
    profiles = find_profiles(session, senders, reference, contacts)
    senders |= {p.sender_id for p in profiles}
    contacts |= {p.contact_value for p in profiles if p.contact_value}
    return _Person(dossiers, profiles, senders, contacts)


@dataclass(frozen=True)
class ErasurePreview:
    """What ``erase_person`` would take from the databases (files are counted when erased)."""

    references: list[str] = field(default_factory=list)
    notes: int = 0
    conversations: int = 0
    events: int = 0
    # Partner-matchmaking profiles (MP-…); their introductions go with them.
    profiles: list[str] = field(default_factory=list)

    @property
    def dossiers(self) -> int:
        """How many dossiers would be erased."""
        return len(self.references)

    @property
    def empty(self) -> bool:
        """Whether nothing is held in the databases about this person (files aside)."""
        return not self.references and not self.conversations and not self.profiles


def _present_senders(senders: set[str]) -> tuple[int, int]:
    """(conversations with events, events) in the tracker store for these senders."""
    if not senders:
        return 0, 0
    with tracker.tracker_connection() as connection:
        if connection is None:
            return 0, 0
        present = connection.execute(
            select(func.count(sa.distinct(tracker.EVENTS.c.sender_id))).where(
                tracker.EVENTS.c.sender_id.in_(sorted(senders))
            )
        ).scalar_one()
        return int(present), tracker.count_events(connection, senders)


def preview_erasure(
    sender_id: str | None = None, reference: str | None = None, contact: str | None = None
) -> ErasurePreview:
    """Counts only: what ``erase_person`` with these keys would take; nothing is deleted.

    Raises:
        NothingToIdentifyError: no key given.
    """
    with session_scope() as session:
        person = _find_person(session, sender_id, reference, contact)
        ids = [d.id for d in person.dossiers]
        notes = 0
        if ids:
            notes = session.execute(
                select(func.count()).select_from(DossierNote).where(DossierNote.dossier_id.in_(ids))
            ).scalar_one()
        references = sorted(d.reference for d in person.dossiers)
        profiles = sorted(p.reference for p in person.profiles)
    conversations, events = _present_senders(person.senders)
    return ErasurePreview(references, int(notes), conversations, events, profiles)


def _actor(by: str) -> str:
    if not by or not by.strip() or len(by) > MAX_ACTOR:
        raise ValueError(f"by: required, at most {MAX_ACTOR} characters")
    return by.strip()


def erase_person(
    sender_id: str | None = None,
    reference: str | None = None,
    contact: str | None = None,
    *,
    by: str,
    now: datetime | None = None,
) -> ErasureReport:
    """Erase everything held about one person.

    ``by`` is who asked or acted (``person``, an admin's username).

    Raises:
        NothingToIdentifyError: no sender id, reference or contact was given.
    """
    actor = _actor(by)
    now = now or utcnow()
    report = ErasureReport(trigger="erasure_request", at=now)
    with session_scope() as session:
        overwrite_deleted(session.connection())
        person = _find_person(session, sender_id, reference, contact)
        dossiers, profiles, senders = person.dossiers, person.profiles, person.senders
        references = [d.reference for d in dossiers] + [p.reference for p in profiles]
        # The conversation goes first: if the tracker store is unreachable, nothing in the app
        # database has changed and the request can simply be made again.
        with tracker.tracker_connection() as connection:
            if connection is not None:
                conversations, events = tracker.delete_events(connection, senders)
                report.add("conversations", conversations)
                report.add("tracker_events", events)
        destroy_dossiers(session, [d.id for d in dossiers], report)
        destroy_profiles(session, [p.id for p in profiles], report)
        if reference:
            references.append(reference.strip().upper())
        report.references = sorted(set(references))
        # Files are found by the references recorded in their names, nothing else.
        mail = files.of_dossiers(notification_mail_dir(), report.references)
        report.add("mail_files", files.remove(mail))
        report.add("export_files", files.remove(files.of_dossiers(export_dir(), report.references)))
        _audit(session, dossiers, actor, report)
        log_destruction(session, report, CATEGORIES)
    flush_sqlite_journal(get_engine())
    log.info(
        "erasure on request: %s",
        " ".join(f"{name}={count}" for name, count in report.counts.items()),
    )
    return report


def _audit(
    session: Session, dossiers: list[HandoffDossier], actor: str, report: ErasureReport
) -> None:
    details = {"trigger": "erasure_request", "run_id": report.run_id, "counts": report.counts}
    targets: list[str | None] = [d.reference for d in dossiers]
    targets += [r for r in report.references if r.startswith("MP-")]
    targets = targets or [None]
    for reference in targets:
        session.add(
            AuditEvent(
                dossier_id=None,
                reference=reference,
                actor=actor,
                action="erased",
                at=report.at,
                details=dict(details),
            )
        )


def erase_match_profiles(sender_id: str, *, by: str, now: datetime | None = None) -> list[str]:
    """Erase only this person's partner-matchmaking profiles (the chat's "delete my profile").

    Every introduction they take part in goes with them; the conversation and any dossier stay.
    Recorded in the destruction log and the audit trail like an erasure.

    Returns:
        The references erased.
    """
    actor = _actor(by)
    if not sender_id:
        raise NothingToIdentifyError("give a sender_id")
    now = now or utcnow()
    report = ErasureReport(trigger="erasure_request", at=now)
    with session_scope() as session:
        overwrite_deleted(session.connection())
        profiles = find_profiles(session, {sender_id}, None, set())
        if not profiles:
            return []
        destroy_profiles(session, [p.id for p in profiles], report)
        report.references = sorted(p.reference for p in profiles)
        _audit(session, [], actor, report)
        log_destruction(session, report, ("match_profiles", "introductions", "notes"))
    flush_sqlite_journal(get_engine())
    log.info(
        "profile erasure on request: match_profiles=%d introductions=%d",
        report.counts["match_profiles"],
        report.counts["introductions"],
    )
    return report.references
