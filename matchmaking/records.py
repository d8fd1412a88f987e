"""What the store's modules share: sessions, references, the audit trail and read-only views."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exc
from sqlalchemy.orm import Session

from appdb import session_scope, utcnow
from handoff.models import AuditEvent
from matchmaking.errors import StoreUnavailableError
from matchmaking.matching import PROFILE, PROJECT, Candidate
from matchmaking.models import MatchProfile, MatchProject

log = logging.getLogger("matchmaking")

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
# MP: a person's profile, MJ: a project looking for members, MI: an introduction.
PROFILE_PREFIX, PROJECT_PREFIX, INTRODUCTION_PREFIX = "MP", "MJ", "MI"
_UNREACHABLE = (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, OSError)


def new_reference(prefix: str) -> str:
    """A random reference such as ``MP-7KQ2-M9XD``, in letters and digits people read easily."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


@contextmanager
def store_session() -> Iterator[Session]:
    """A committed-on-success session; an unreachable database raises ``StoreUnavailableError``."""
    try:
        with session_scope() as session:
            yield session
    except _UNREACHABLE as error:
        log.warning("matchmaking store unavailable: %s", type(error).__name__)
        raise StoreUnavailableError(type(error).__name__) from error


def audit(
    session: Session,
    reference: str,
    actor: str,
    action: str,
    details: dict[str, Any] | None = None,
) -> None:
    """One event in the console's audit trail: the reference and codes, never personal data."""
    session.add(
        AuditEvent(
            dossier_id=None,
            reference=reference,
            actor=actor,
            action=action,
            at=utcnow(),
            details=details,
        )
    )


@dataclass(frozen=True)
class ProfileView:
    """A person's profile as read, detached from the session (contact included: not for sharing)."""

    reference: str
    sender_id: str
    channel: str
    language: str
    status: str
    created_at: datetime
    last_activity_at: datetime
    intent: str | None
    project_text: str | None
    text_reviewed_by: str | None
    sector: str | None
    region_code: str | None
    reach: str | None
    role: str | None
    roles_sought: tuple[str, ...]
    skills: tuple[str, ...]
    skills_sought: tuple[str, ...]
    languages: tuple[str, ...]
    availability: str | None
    organisation_key: str | None
    contact_method: str | None
    contact_value: str | None
    consent_wording_version: str
    notice_version: str
    consented_at: datetime


@dataclass(frozen=True)
class ProjectView:
    """A project looking for members, published by an organisation, as read."""

    reference: str
    organisation_key: str
    created_by: str
    created_at: datetime
    status: str
    language: str
    title: str
    description: str
    sector: str | None
    region_code: str
    roles_sought: tuple[str, ...]
    skills_sought: tuple[str, ...]
    languages: tuple[str, ...]
    availability: str | None


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def profile_view(row: MatchProfile) -> ProfileView:
    """The profile row detached from its session."""
    return ProfileView(
        reference=row.reference,
        sender_id=row.sender_id,
        channel=row.channel,
        language=row.language,
        status=row.status,
        created_at=row.created_at,
        last_activity_at=row.last_activity_at,
        intent=row.intent,
        project_text=row.project_text,
        text_reviewed_by=row.text_reviewed_by,
        sector=row.sector,
        region_code=row.region_code,
        reach=row.reach,
        role=row.role,
        roles_sought=_tuple(row.roles_sought),
        skills=_tuple(row.skills),
        skills_sought=_tuple(row.skills_sought),
        languages=_tuple(row.languages),
        availability=row.availability,
        organisation_key=row.organisation_key,
        contact_method=row.contact_method,
        contact_value=row.contact_value,
        consent_wording_version=row.consent_wording_version,
        notice_version=row.notice_version,
        consented_at=row.consented_at,
    )


def project_view(row: MatchProject) -> ProjectView:
    """The project row detached from its session."""
    return ProjectView(
        reference=row.reference,
        organisation_key=row.organisation_key,
        created_by=row.created_by,
        created_at=row.created_at,
        status=row.status,
        language=row.language,
        title=row.title,
        description=row.description,
        sector=row.sector,
        region_code=row.region_code,
        roles_sought=_tuple(row.roles_sought),
        skills_sought=_tuple(row.skills_sought),
        languages=_tuple(row.languages),
        availability=row.availability,
    )


def profile_candidate(view: ProfileView) -> Candidate:
    """The profile as the matcher sees it: no name, no contact."""
    return Candidate(
        reference=view.reference,
        kind=PROFILE,
        intent=view.intent,
        description=view.project_text or "",
        sector=view.sector,
        region=view.region_code,
        reach=view.reach,
        role=view.role,
        roles_sought=view.roles_sought,
        skills=view.skills,
        skills_sought=view.skills_sought,
        languages=view.languages,
        availability=view.availability,
        owner=view.sender_id,
    )


def project_candidate(view: ProjectView) -> Candidate:
    """The project as the matcher sees it, its title and description as one text."""
    return Candidate(
        reference=view.reference,
        kind=PROJECT,
        description=f"{view.title}. {view.description}",
        sector=view.sector,
        region=view.region_code,
        roles_sought=view.roles_sought,
        skills_sought=view.skills_sought,
        languages=view.languages,
        availability=view.availability,
    )
