"""Orientation sheets emailed to the person from the console, through the notification outbox.

The person's consent to receive it (given to the advisor, with the wording version read out) is
stored beside the email; the audit trail gets codes and ids only, never the address.
"""

from __future__ import annotations

from appdb import utcnow
from handoff.contact import normalise_email
from handoff.dossier import InvalidRequestError
from handoff.models import LANGUAGES, NotificationOutbox, SheetEmail
from handoff.records import audit, load_dossier, store_session

KIND = "orientation_sheet"
MAX_ATTACHMENT = 2_000_000


def queue_sheet_email(
    reference: str,
    *,
    recipient: str,
    subject: str,
    body: str,
    pdf: bytes,
    filename: str,
    language: str,
    consent_wording_version: str,
    by: str,
) -> int:
    """Queue the sheet for the notifier and record the consent; returns the outbox row's id.

    Raises:
        InvalidContactError: the address is not one (``handoff.contact``).
        InvalidRequestError: language, attachment or consent version out of bounds.
        DossierNotFoundError: no such dossier.
    """
    address = normalise_email(recipient)
    if language not in LANGUAGES:
        raise InvalidRequestError("language", "fr or en")
    if not pdf or len(pdf) > MAX_ATTACHMENT:
        raise InvalidRequestError("pdf", f"1 to {MAX_ATTACHMENT} bytes")
    if not consent_wording_version.strip():
        raise InvalidRequestError("consent_wording_version", "required")
    now = utcnow()
    with store_session() as session:
        dossier = load_dossier(session, reference)
        row = NotificationOutbox(
            dossier_id=dossier.id,
            kind=KIND,
            recipient=address,
            subject=subject[:200],
            body=body,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            attachment_name=filename[:120],
            attachment=pdf,
        )
        session.add(row)
        session.flush()
        session.add(
            SheetEmail(
                dossier_id=dossier.id,
                outbox_id=row.id,
                language=language,
                consent_wording_version=consent_wording_version,
                consented_at=now,
                advisor=by,
            )
        )
        details = {"outbox": row.id, "language": language, "consent": consent_wording_version}
        audit(session, dossier, by, "sheet_emailed", details)
        return int(row.id)
