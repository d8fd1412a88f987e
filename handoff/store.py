"""The handoff store.

Create a dossier with its consents and notification in one transaction, read dossiers back, and
(re-exported from ``handoff.changes``) the advisors' changes.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import timedelta

from sqlalchemy import exc, func, or_, select
from sqlalchemy.orm import Session, selectinload

from appdb import utcnow
from handoff.changes import (
    add_note,
    assign,
    record_outcome,
    transfer,
    update_status,
    withdraw_consent,
)
from handoff.dossier import (
    ConsentMissing,
    CreatedDossier,
    DailyLimitReached,
    DossierFilters,
    DossierPage,
    DossierRequest,
    DossierView,
    Page,
)
from handoff.models import Consent, HandoffDossier
from handoff.records import (
    audit,
    load_dossier,
    queue_notification,
    resolve_organisation,
    store_session,
    to_view,
)

__all__ = [
    "add_note",
    "assign",
    "create_dossier",
    "create_dossier_in_thread",
    "get_dossier",
    "list_dossiers",
    "new_reference",
    "record_outcome",
    "transfer",
    "update_status",
    "withdraw_consent",
]

log = logging.getLogger("handoff")

# Crockford's base32 without 0 and 1, which people read as O and I: 30^8 ≈ 6.6e11 references.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_ATTEMPTS = 5
BOT_ACTOR = "assistant"


def new_reference() -> str:
    """A random reference such as ``CP-7KQ2-M9XD``, in letters and digits people read easily."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"CP-{chars[:4]}-{chars[4:]}"


def create_dossier(request: DossierRequest, max_per_day: int | None = None) -> CreatedDossier:
    """Store the dossier, its consents and its notification, all or nothing.

    Raises ``ConsentMissing`` when neither purpose was granted (nothing is written),
    ``DailyLimitReached`` when ``max_per_day`` dossiers of the same person (conversation id or
    contact) were filed in the last 24 hours, and ``StoreUnavailable`` when the database cannot
    be reached.
    """
    if not request.consent.any_granted:
        raise ConsentMissing("neither share_summary nor share_transcript was granted")
    last_error: exc.IntegrityError | None = None
    for _ in range(REFERENCE_ATTEMPTS):
        try:
            return _insert(request, new_reference(), max_per_day)
        except exc.IntegrityError as error:
            # The only unique value we draw is the reference: a collision, so draw again.
            last_error = error
            log.warning("handoff reference collision; drawing a new reference")
    assert last_error is not None
    raise last_error


def filed_today(session: Session, request: DossierRequest) -> int:
    """How many dossiers the same person filed in the last 24 hours.

    The same person is the same conversation id, or the same contact (a person who starts a new
    conversation is still the same person).
    """
    same_person = [HandoffDossier.sender_id == request.sender_id]
    if request.consent.share_summary and request.contact_value:
        same_person.append(HandoffDossier.contact_value == request.contact_value)
    query = (
        select(func.count())
        .select_from(HandoffDossier)
        .where(or_(*same_person), HandoffDossier.created_at > utcnow() - timedelta(days=1))
    )
    return int(session.execute(query).scalar_one())


def _insert(
    request: DossierRequest, reference: str, max_per_day: int | None = None
) -> CreatedDossier:
    consent = request.consent
    summary_ok = consent.share_summary
    with store_session() as session:
        if max_per_day is not None and filed_today(session, request) >= max_per_day:
            raise DailyLimitReached(f"{max_per_day} dossiers in 24 hours")
        organisation, queue = resolve_organisation(session, request.organisation_key)
        dossier = HandoffDossier(
            reference=reference,
            created_at=utcnow(),
            channel=request.channel,
            sender_id=request.sender_id,
            language=request.language,
            region_code=request.region_code,
            organisation_key=organisation.key if organisation else None,
            queue=queue,
            reason=request.reason,
            trigger=request.trigger,
            # What the person did not agree to share is never written, not even temporarily.
            project_summary=request.project_summary if summary_ok else None,
            screening_summary=request.screening_summary if summary_ok else None,
            contact_method=request.contact_method if summary_ok else None,
            contact_value=request.contact_value if summary_ok else None,
            availability=request.availability if summary_ok else None,
            transcript=request.transcript if consent.share_transcript else None,
            status="new",
        )
        session.add(dossier)
        session.flush()
        for purpose, granted in (
            ("share_summary", consent.share_summary),
            ("share_transcript", consent.share_transcript),
        ):
            session.add(
                Consent(
                    dossier_id=dossier.id,
                    purpose=purpose,
                    granted=granted,
                    wording_version=consent.wording_version,
                    notice_version=consent.notice_version,
                    granted_at=consent.answered_at,
                )
            )
        outbox = queue_notification(session, dossier, organisation, "new_dossier")
        details = {"queue": queue, "organisation": dossier.organisation_key}
        if request.organisation_key and organisation is None:
            # Unknown or inactive organisation: the shared queue takes it rather than losing it.
            details["requested_organisation"] = request.organisation_key
        audit(session, dossier, BOT_ACTOR, "created", details)
        session.flush()
        log.info(
            "handoff dossier %s stored (queue=%s, organisation=%s, outbox=%s)",
            reference,
            queue,
            dossier.organisation_key,
            outbox.id,
        )
        return CreatedDossier(reference, dossier.organisation_key, queue)


async def create_dossier_in_thread(
    request: DossierRequest, max_per_day: int | None = None
) -> CreatedDossier:
    """For async callers (the action server): the database work must not block the event loop."""
    return await asyncio.to_thread(create_dossier, request, max_per_day)


def get_dossier(reference: str, *, viewer: str | None = None) -> DossierView:
    """Read one dossier; a named ``viewer`` leaves a ``viewed`` audit event."""
    with store_session() as session:
        dossier = load_dossier(session, reference, for_view=True)
        if viewer is not None:
            audit(session, dossier, viewer, "viewed")
        return to_view(dossier)


def list_dossiers(filters: DossierFilters | None = None, page: Page | None = None) -> DossierPage:
    """Newest first; items carry consents but neither notes nor transcript."""
    filters = filters or DossierFilters()
    page = page or Page()
    conditions = []
    if filters.status is not None:
        conditions.append(HandoffDossier.status == filters.status)
    if filters.queue is not None:
        conditions.append(HandoffDossier.queue == filters.queue)
    if filters.organisation_key is not None:
        conditions.append(HandoffDossier.organisation_key == filters.organisation_key)
    if filters.assignee is not None:
        conditions.append(HandoffDossier.assignee == filters.assignee)
    if filters.created_from is not None:
        conditions.append(HandoffDossier.created_at >= filters.created_from)
    if filters.created_to is not None:
        conditions.append(HandoffDossier.created_at < filters.created_to)
    with store_session() as session:
        total = session.execute(
            select(func.count()).select_from(HandoffDossier).where(*conditions)
        ).scalar_one()
        rows = (
            session.execute(
                select(HandoffDossier)
                .where(*conditions)
                .options(selectinload(HandoffDossier.consents))
                .order_by(HandoffDossier.created_at.desc(), HandoffDossier.id.desc())
                .offset((page.number - 1) * page.size)
                .limit(page.size)
            )
            .scalars()
            .all()
        )
        items = tuple(to_view(row, with_details=False) for row in rows)
    return DossierPage(items=items, total=total, page=page)
