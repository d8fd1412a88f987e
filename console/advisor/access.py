"""Which dossiers a user may see, and the inbox's queries.

Advisors see the dossiers routed to their organisation and nothing else; admins see every
organisation and the shared queue. Every page, export and API call goes through
``find_dossier`` or ``inbox_query``, so a reference from another organisation is simply not
found (404, never 403: the answer does not reveal that it exists).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session, selectinload

from appdb import session_scope, utcnow
from console.advisor.i18n import TIMEZONE
from console.auth.accounts import list_organisations as organisations  # one definition
from console.auth.models import ConsoleUser
from console.auth.sessions import Principal
from handoff.dossier import DossierView
from handoff.models import LANGUAGES, STATUSES, AuditEvent, HandoffDossier
from handoff.records import to_view
from screening.answers import REGION_CODES

log = logging.getLogger("console.access")
REFERENCE_RE = re.compile(r"^CP-[0-9A-Z]{4}-[0-9A-Z]{4}$")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Beyond these, a page number or a date is a mistake or a probe: larger ones overflow the
# databases' integers and Python's dates (9999-12-31 plus one day).
MAX_PAGE = 100_000
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def day_in_range(day: date | None) -> bool:
    return day is None or EARLIEST_DAY <= day <= LATEST_DAY


@dataclass(frozen=True)
class InboxFilters:
    status: str | None = None
    language: str | None = None
    region: str | None = None
    organisation: str | None = None  # admins only; "shared" means the shared queue
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def parse(cls, params: Any, strict: bool = False) -> InboxFilters:
        """From query parameters; unknown values are dropped (pages) or refused (``strict``)."""

        def pick(name: str, allowed: tuple[str, ...] | None) -> str | None:
            value = (params.get(name) or "").strip()
            if not value:
                return None
            if allowed is not None and value not in allowed:
                if strict:
                    raise ValueError(name)
                return None
            return value[:80]

        def day(name: str) -> date | None:
            value = (params.get(name) or "").strip()
            if not value:
                return None
            try:
                parsed = date.fromisoformat(value)
                if not day_in_range(parsed):
                    raise ValueError(name)
                return parsed
            except ValueError:
                if strict:
                    raise ValueError(name) from None
                return None

        return cls(
            status=pick("status", STATUSES),
            language=pick("language", LANGUAGES),
            region=pick("region", REGION_CODES),
            organisation=pick("organisation", None),
            date_from=day("date_from"),
            date_to=day("date_to"),
        )

    def as_query(self) -> dict[str, str]:
        return {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) is not None
        }


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TIMEZONE)


def scope(principal: Principal) -> list[Any]:
    """The conditions that limit a query to what this user may see."""
    if principal.is_admin:
        return []
    return [HandoffDossier.organisation_key == principal.organisation_key]


def conditions(principal: Principal, filters: InboxFilters, *, with_status: bool = True) -> list:
    where = scope(principal)
    if with_status and filters.status:
        where.append(HandoffDossier.status == filters.status)
    if filters.language:
        where.append(HandoffDossier.language == filters.language)
    if filters.region:
        where.append(HandoffDossier.region_code == filters.region)
    if filters.organisation and not principal.is_admin:
        # Advisors have one organisation: asking for another one finds nothing.
        if filters.organisation != principal.organisation_key:
            where.append(false())
    elif filters.organisation:
        if filters.organisation == "shared":
            where.append(HandoffDossier.queue == "shared")
        else:
            where.append(HandoffDossier.organisation_key == filters.organisation)
    if filters.date_from:
        where.append(HandoffDossier.created_at >= _local_midnight(filters.date_from))
    if filters.date_to:
        end = _local_midnight(filters.date_to + timedelta(days=1))
        where.append(HandoffDossier.created_at < end)
    return where


@dataclass(frozen=True)
class InboxPage:
    items: tuple[DossierView, ...]
    total: int
    page: int
    size: int
    counts: dict[str, int]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def inbox(
    principal: Principal, filters: InboxFilters, page: int = 1, size: int = PAGE_SIZE
) -> InboxPage:
    page = min(max(1, page), MAX_PAGE)
    size = min(max(1, size), MAX_PAGE_SIZE)
    where = conditions(principal, filters)
    with session_scope() as session:
        total = session.execute(
            select(func.count()).select_from(HandoffDossier).where(*where)
        ).scalar_one()
        rows = session.execute(
            select(HandoffDossier)
            .where(*where)
            .options(selectinload(HandoffDossier.consents))
            .order_by(HandoffDossier.created_at.desc(), HandoffDossier.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        ).scalars()
        items = tuple(to_view(row, with_details=False) for row in rows)
        counted = session.execute(
            select(HandoffDossier.status, func.count())
            .where(*conditions(principal, filters, with_status=False))
            .group_by(HandoffDossier.status)
        ).all()
    counts = {status: 0 for status in STATUSES}
    counts.update({status: n for status, n in counted})
    return InboxPage(items, total, page, size, counts)


def export_rows(
    principal: Principal, filters: InboxFilters, limit: int = 5000
) -> list[DossierView]:
    """The filtered list in full (no pagination) for the CSV export."""
    with session_scope() as session:
        rows = session.execute(
            select(HandoffDossier)
            .where(*conditions(principal, filters))
            .options(selectinload(HandoffDossier.consents))
            .order_by(HandoffDossier.created_at.desc(), HandoffDossier.id.desc())
            .limit(limit)
        ).scalars()
        return [to_view(row, with_details=False) for row in rows]


def _accessible(session: Session, principal: Principal, reference: str) -> HandoffDossier | None:
    if not REFERENCE_RE.match(reference):
        return None
    dossier = session.execute(
        select(HandoffDossier).where(HandoffDossier.reference == reference)
    ).scalar_one_or_none()
    if dossier is None:
        return None
    if not principal.is_admin and dossier.organisation_key != principal.organisation_key:
        # A security event, without personal data: who tried which reference.
        log.warning("dossier %s refused to user %s", reference, principal.user_id)
        session.add(
            AuditEvent(
                dossier_id=dossier.id,
                reference=dossier.reference,
                actor=principal.username,
                action="access_refused",
                at=utcnow(),
            )
        )
        return None
    return dossier


@dataclass(frozen=True)
class DossierRef:
    reference: str
    organisation_key: str | None
    queue: str


def find(principal: Principal, reference: str) -> DossierRef | None:
    """The dossier if this user may see it (without a "viewed" event), else None."""
    with session_scope() as session:
        dossier = _accessible(session, principal, reference)
        if dossier is None:
            return None
        return DossierRef(dossier.reference, dossier.organisation_key, dossier.queue)


def record(principal: Principal, references: list[str], action: str, details: dict) -> None:
    """Audit events for reads that the store does not log itself (exports, printing)."""
    if not references:
        return
    with session_scope() as session:
        rows = session.execute(
            select(HandoffDossier.id, HandoffDossier.reference).where(
                HandoffDossier.reference.in_(references)
            )
        ).all()
        now = utcnow()
        for dossier_id, reference in rows:
            session.add(
                AuditEvent(
                    dossier_id=dossier_id,
                    reference=reference,
                    actor=principal.username,
                    action=action,
                    at=now,
                    details=details,
                )
            )


def organisation_names() -> dict[str, str]:
    return dict(organisations(active_only=False))


def assignees(organisation_key: str | None) -> list[str]:
    """Who may own a dossier: the active accounts of its organisation, and the admins."""
    with session_scope() as session:
        query = select(ConsoleUser.username).where(ConsoleUser.active.is_(True))
        if organisation_key is None:
            query = query.where(ConsoleUser.role == "admin")
        else:
            query = query.where(
                (ConsoleUser.organisation_key == organisation_key) | (ConsoleUser.role == "admin")
            )
        return list(session.execute(query.order_by(ConsoleUser.username)).scalars())


def audit_trail(
    reference: str | None = None, actor: str | None = None, page: int = 1, size: int = 50
) -> tuple[list[AuditEvent], int]:
    with session_scope() as session:
        where = []
        if reference:
            where.append(AuditEvent.reference == reference)
        if actor:
            where.append(AuditEvent.actor == actor)
        total = session.execute(
            select(func.count()).select_from(AuditEvent).where(*where)
        ).scalar_one()
        rows = list(
            session.execute(
                select(AuditEvent)
                .where(*where)
                .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                .offset((min(max(1, page), MAX_PAGE) - 1) * size)
                .limit(size)
            ).scalars()
        )
        return rows, total
