"""Requests from a person about their data (Law 25): find them, preview an erasure, export.

The work is done by ``privacy.erasure`` and ``privacy.export``; this module reads the keys an
admin typed, counts what an erasure would take (the confirmation page), and records exports in
the audit trail with counts only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select

from appdb import session_scope, utcnow
from console.advisor.access import REFERENCE_RE
from console.advisor.partners_access import PROFILE_REFERENCE_RE
from console.auth.sessions import Principal
from handoff.models import AuditEvent, DossierNote, HandoffDossier
from privacy import tracker
from privacy.erasure import find_dossiers, find_profiles, normalised_contacts

KEYS = ("sender_id", "reference", "contact")
MAX_SENDER = 255  # Rasa's events.sender_id
MAX_CONTACT = 254  # an email address at most


class InvalidKeysError(ValueError):
    """The keys typed cannot identify anyone; ``code`` names the problem for the page."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PersonKeys:
    """What identifies the person: a conversation id, a dossier reference, an email or phone."""

    sender_id: str | None = None
    reference: str | None = None
    contact: str | None = None

    @classmethod
    def from_form(cls, form: Any) -> PersonKeys:
        """Raises ``InvalidKeysError`` (``no_key``, ``reference``, ``too_long``)."""

        def value(name: str) -> str | None:
            raw = form.get(name)
            text = raw.strip() if isinstance(raw, str) else ""
            return text or None

        reference = value("reference")
        if reference is not None:
            reference = reference.upper()
            if not (REFERENCE_RE.match(reference) or PROFILE_REFERENCE_RE.match(reference)):
                raise InvalidKeysError("reference")
        keys = cls(value("sender_id"), reference, value("contact"))
        if len(keys.sender_id or "") > MAX_SENDER or len(keys.contact or "") > MAX_CONTACT:
            raise InvalidKeysError("too_long")
        if not keys.given:
            raise InvalidKeysError("no_key")
        return keys

    @property
    def given(self) -> list[str]:
        """The names of the keys given (never their values): what the audit trail may hold."""
        return [name for name in KEYS if getattr(self, name)]


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
        return len(self.references)

    @property
    def empty(self) -> bool:
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


def preview_erasure(keys: PersonKeys) -> ErasurePreview:
    """Counts only: the same search as ``privacy.erasure.erase_person``, nothing deleted."""
    with session_scope() as session:
        dossiers = find_dossiers(session, keys.sender_id, keys.reference, keys.contact)
        ids = [d.id for d in dossiers]
        references = [d.reference for d in dossiers]
        senders = {d.sender_id for d in dossiers}
        contacts = {d.contact_value for d in dossiers if d.contact_value}
        if keys.contact:
            contacts |= normalised_contacts(keys.contact)
        known = senders | ({keys.sender_id} if keys.sender_id else set())
        profiles = find_profiles(session, known, keys.reference, contacts)
        senders |= {p.sender_id for p in profiles}
        notes = 0
        if ids:
            notes = session.execute(
                select(func.count()).select_from(DossierNote).where(DossierNote.dossier_id.in_(ids))
            ).scalar_one()
    if keys.sender_id:
        senders.add(keys.sender_id)
    conversations, events = _present_senders(senders)
    return ErasurePreview(
        sorted(references),
        int(notes),
        conversations,
        events,
        sorted(p.reference for p in profiles),
    )


def export_counts(document: dict[str, Any]) -> dict[str, int]:
    conversations = document.get("conversations") or []
    return {
        "conversations": len(conversations),
        "events": sum(len(c.get("events") or []) for c in conversations),
        "dossiers": len(document.get("dossiers") or []),
        "matchmaking_profiles": len(document.get("matchmaking_profiles") or []),
    }


def record_export(principal: Principal, keys: PersonKeys, document: dict[str, Any]) -> None:
    """One ``exported`` event per dossier exported (one without reference when only
    conversations were), with the names of the keys used and counts: no value, no contact."""
    details = {
        "format": "json",
        "purpose": "access_request",
        "keys": keys.given,
        "counts": export_counts(document),
    }
    references = [d["reference"] for d in document.get("dossiers") or []]
    with session_scope() as session:
        rows = session.execute(
            select(HandoffDossier.id, HandoffDossier.reference).where(
                HandoffDossier.reference.in_(references)
            )
        ).all()
        targets: list[tuple[int | None, str | None]] = [tuple(row) for row in rows]
        targets += [(None, p["reference"]) for p in document.get("matchmaking_profiles") or []]
        now = utcnow()
        for dossier_id, reference in targets or [(None, None)]:
            session.add(
                AuditEvent(
                    dossier_id=dossier_id,
                    reference=reference,
                    actor=principal.username,
                    action="exported",
                    at=now,
                    details=dict(details),
                )
            )
