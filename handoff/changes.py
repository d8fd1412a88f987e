"""What advisors (through the console) and the person (through the bot) change on a dossier.

Every change writes an audit event in the same transaction; audit details hold codes and ids,
never the note text, the contact or free-text outcome.
"""

from __future__ import annotations

from datetime import date

from appdb import utcnow
from handoff.dossier import DossierView, InvalidRequestError, NoteView
from handoff.models import OUTCOMES, PURPOSES, STATUSES, DossierNote
from handoff.records import (
    audit,
    load_dossier,
    queue_notification,
    resolve_organisation,
    store_session,
    to_view,
)

MAX_NOTE = 5000
# record_outcome(outcome=KEEP) leaves the outcome as it is (callers that change only the date).
KEEP = "keep"
MAX_NAME = 120
# What each consent covers, erased when it is withdrawn (Law 25: stop using it, keep no copy).
COVERED_FIELDS = {
    "share_summary": (
        "project_summary",
        "screening_summary",
        "contact_method",
        "contact_value",
        "availability",
    ),
    "share_transcript": ("transcript",),
}


def _actor(by: str) -> str:
    if not by.strip() or len(by) > MAX_NAME:
        raise InvalidRequestError("by", f"required, at most {MAX_NAME} characters")
    return by


def update_status(reference: str, status: str, *, by: str) -> DossierView:
    """Move the dossier to ``status``, audited as done by ``by`` (nothing recorded if unchanged).

    Raises:
        InvalidRequestError: ``status`` is not one of ``STATUSES``.
        DossierNotFoundError: no dossier has this reference.
    """
    if status not in STATUSES:
        raise InvalidRequestError("status", f"one of {', '.join(STATUSES)}")
    with store_session() as session:
        dossier = load_dossier(session, reference, for_view=True)
        if dossier.status != status:
            audit(session, dossier, _actor(by), "status", {"from": dossier.status, "to": status})
            dossier.status = status
        return to_view(dossier)


def assign(reference: str, assignee: str | None, *, by: str) -> DossierView:
    """Give the dossier one owner (an advisor's console username), or none."""
    if assignee is not None and (not assignee.strip() or len(assignee) > MAX_NAME):
        raise InvalidRequestError("assignee", f"at most {MAX_NAME} characters")
    with store_session() as session:
        dossier = load_dossier(session, reference, for_view=True)
        if dossier.assignee != assignee:
            details = {"from": dossier.assignee, "to": assignee}
            audit(session, dossier, _actor(by), "assigned", details)
            dossier.assignee = assignee
        return to_view(dossier)


def transfer(reference: str, organisation_key: str | None, *, by: str) -> DossierView:
    """Move the dossier to another organisation (None: the shared queue) and notify it."""
    with store_session() as session:
        dossier = load_dossier(session, reference, for_view=True)
        organisation, queue = resolve_organisation(session, organisation_key)
        if organisation_key is not None and organisation is None:
            raise InvalidRequestError("organisation_key", "unknown or inactive organisation")
        new_key = organisation.key if organisation else None
        if (dossier.organisation_key, dossier.queue) == (new_key, queue):
            return to_view(dossier)
        details = {
            "from": dossier.organisation_key,
            "to": new_key,
            "queue": queue,
            # The previous owner belonged to the other organisation.
            "unassigned": dossier.assignee is not None,
        }
        dossier.organisation_key, dossier.queue, dossier.assignee = new_key, queue, None
        session.flush()
        outbox = queue_notification(session, dossier, organisation, "transferred")
        session.flush()
        details["outbox"] = outbox.id
        audit(session, dossier, _actor(by), "transferred", details)
        return to_view(dossier)


def record_outcome(
    reference: str,
    *,
    referred_to: str | None,
    follow_up_date: date | None,
    by: str,
    outcome: str | None = KEEP,
) -> DossierView:
    """Where the person was referred, the next follow-up and the outcome (one of OUTCOMES)."""
    if referred_to is not None and len(referred_to) > 200:
        raise InvalidRequestError("referred_to", "at most 200 characters")
    if outcome != KEEP and outcome is not None and outcome not in OUTCOMES:
        raise InvalidRequestError("outcome", f"one of {', '.join(OUTCOMES)}")
    with store_session() as session:
        dossier = load_dossier(session, reference, for_view=True)
        values = {"referred_to": referred_to, "follow_up_date": follow_up_date}
        if outcome != KEEP:
            values["outcome"] = outcome
        changed = [name for name, value in values.items() if getattr(dossier, name) != value]
        if changed:
            for name, value in values.items():
                setattr(dossier, name, value)
            details: dict = {"fields": changed}
            if "outcome" in changed:
                # A code, not free text: the report counts outcomes from here too.
                details["outcome"] = outcome
            audit(session, dossier, _actor(by), "outcome", details)
        return to_view(dossier)


def add_note(reference: str, text: str, *, by: str) -> NoteView:
    """Add an advisor's note to the dossier, audited by its id (the text stays out of the audit).

    Raises:
        InvalidRequestError: the text is empty or longer than ``MAX_NOTE``.
        DossierNotFoundError: no dossier has this reference.
    """
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        raise InvalidRequestError("text", f"required, at most {MAX_NOTE} characters")
    with store_session() as session:
        dossier = load_dossier(session, reference)
        note = DossierNote(dossier_id=dossier.id, author=_actor(by), text=text, created_at=utcnow())
        session.add(note)
        session.flush()
        audit(session, dossier, by, "note_added", {"note_id": note.id})
        return NoteView(note.id, note.author, note.text, note.created_at)


def withdraw_consent(reference: str, purpose: str, *, by: str) -> DossierView:
    """Record the withdrawal and erase what that consent covered; the dossier itself stays."""
    if purpose not in PURPOSES:
        raise InvalidRequestError("purpose", f"one of {', '.join(PURPOSES)}")
    with store_session() as session:
        dossier = load_dossier(session, reference, for_view=True)
        consent = next(c for c in dossier.consents if c.purpose == purpose)
        if consent.granted and consent.withdrawn_at is None:
            consent.withdrawn_at = utcnow()
            erased = [name for name in COVERED_FIELDS[purpose] if getattr(dossier, name)]
            for name in COVERED_FIELDS[purpose]:
                setattr(dossier, name, None)
            details = {"purpose": purpose, "erased": erased}
            audit(session, dossier, _actor(by), "consent_withdrawn", details)
        return to_view(dossier)
