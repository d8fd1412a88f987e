"""Requests from a person about their data (Law 25): find them, preview an erasure, export.

The work is done by ``privacy.erasure`` and ``privacy.export``; this module reads the keys an
admin typed, asks ``privacy.erasure`` what an erasure would take (the confirmation page), and
records exports in the audit trail with counts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from appdb import session_scope, utcnow
from console.advisor.access import REFERENCE_RE
from console.advisor.partners_access import PROFILE_REFERENCE_RE
from console.auth.sessions import Principal
from handoff.models import AuditEvent, HandoffDossier
from privacy import erasure
from privacy.erasure import ErasurePreview

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


def preview_erasure(keys: PersonKeys) -> ErasurePreview:
    """Counts only, by ``privacy.erasure`` itself (the same search as the erasure)."""
    return erasure.preview_erasure(keys.sender_id, keys.reference, keys.contact)


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
