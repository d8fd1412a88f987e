"""Helpers shared by the store's reads and writes: error mapping, audit, views, notifications."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import exc, select
from sqlalchemy.orm import Session, selectinload

from appdb import session_scope, utcnow
from handoff.config import intake_from_env, shared_intake
from handoff.dossier import (
    ConsentView,
    DossierNotFoundError,
    DossierView,
    NoteView,
    StoreUnavailable,
)
from handoff.messages import compose
from handoff.models import AuditEvent, HandoffDossier, NotificationOutbox, Organisation

log = logging.getLogger("handoff")

# Errors that mean "the database is not there", as opposed to a bug in our queries.
_UNREACHABLE = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.DisconnectionError,
    exc.TimeoutError,
    OSError,
)


@contextmanager
def unavailable_as_error() -> Iterator[None]:
    """Turn a database that cannot be reached into ``StoreUnavailable`` (other errors pass)."""
    try:
        yield
    except _UNREACHABLE as error:
        # The class name only: driver messages can quote connection strings.
        log.warning("handoff store unavailable: %s", type(error).__name__)
        raise StoreUnavailable(type(error).__name__) from error


@contextmanager
def store_session() -> Iterator[Session]:
    """A committed-on-success session whose connection failures surface as ``StoreUnavailable``."""
    with unavailable_as_error(), session_scope() as session:
        yield session


def audit(
    session: Session,
    dossier: HandoffDossier,
    actor: str,
    action: str,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Record that ``actor`` did ``action`` on the dossier; ``details`` holds ids and codes only."""
    session.add(
        AuditEvent(
            dossier_id=dossier.id,
            reference=dossier.reference,
            actor=actor,
            action=action,
            at=at or utcnow(),
            details=details,
        )
    )


def load_dossier(session: Session, reference: str, *, for_view: bool = False) -> HandoffDossier:
    """The dossier with this reference; ``for_view`` loads its consents and notes at once.

    Raises:
        DossierNotFoundError: no dossier has this reference.
    """
    query = select(HandoffDossier).where(HandoffDossier.reference == reference)
    if for_view:
        query = query.options(
            selectinload(HandoffDossier.consents), selectinload(HandoffDossier.notes)
        )
    dossier = session.execute(query).scalar_one_or_none()
    if dossier is None:
        raise DossierNotFoundError(reference)
    return dossier


def resolve_organisation(session: Session, key: str | None) -> tuple[Organisation | None, str]:
    """The organisation row (None when unknown or inactive) and the queue the dossier goes to."""
    if key is None:
        return None, "shared"
    organisation = session.get(Organisation, key)
    if organisation is None or not organisation.active:
        return None, "shared"
    return organisation, "organisation" if organisation.on_console else "shared"


def intake_address(organisation: Organisation | None) -> str:
    """Environment first (deployments need no reseed), then the seeded address, then shared."""
    if organisation is not None:
        return intake_from_env(organisation.key) or organisation.intake_email or shared_intake()
    return shared_intake()


def queue_notification(
    session: Session, dossier: HandoffDossier, organisation: Organisation | None, kind: str
) -> NotificationOutbox:
    """Put the notification ``kind`` about the dossier in the outbox, due now.

    The notifier sends it later, so that an SMTP outage never loses or blocks a dossier.
    """
    message = compose(
        kind, dossier.reference, organisation.name if organisation else None, dossier.language
    )
    row = NotificationOutbox(
        dossier_id=dossier.id,
        kind=kind,
        recipient=intake_address(organisation),
        subject=message.subject,
        body=message.body,
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
    )
    session.add(row)
    return row


def to_view(dossier: HandoffDossier, *, with_details: bool = True) -> DossierView:
    """The dossier detached from its session; without details, its notes are left out."""
    consents = tuple(
        ConsentView(
            c.purpose, c.granted, c.wording_version, c.granted_at, c.withdrawn_at, c.notice_version
        )
        for c in dossier.consents
    )
    notes = (
        tuple(NoteView(n.id, n.author, n.text, n.created_at) for n in dossier.notes)
        if with_details
        else ()
    )
    return DossierView(
        reference=dossier.reference,
        created_at=dossier.created_at,
        channel=dossier.channel,
        sender_id=dossier.sender_id,
        language=dossier.language,
        region_code=dossier.region_code,
        organisation_key=dossier.organisation_key,
        queue=dossier.queue,
        reason=dossier.reason,
        trigger=dossier.trigger,
        project_summary=dossier.project_summary,
        screening_summary=dossier.screening_summary,
        contact_method=dossier.contact_method,
        contact_value=dossier.contact_value,
        availability=dossier.availability,
        status=dossier.status,
        assignee=dossier.assignee,
        referred_to=dossier.referred_to,
        follow_up_date=dossier.follow_up_date,
        transcript=dossier.transcript if with_details else None,
        consents=consents,
        notes=notes,
        outcome=dossier.outcome,
    )
