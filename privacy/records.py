"""What purges and erasures share.

The report, the destruction log and the deletion of dossiers with everything attached to them in
the app database.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from handoff.models import AuditEvent, Consent, DossierNote, HandoffDossier, NotificationOutbox
from privacy.models import CATEGORIES, DestructionLog


@dataclass
class DestructionReport:
    """Counts per category (see ``privacy.models.CATEGORIES``); never names anyone."""

    trigger: str
    at: datetime
    dry_run: bool = False
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))

    def add(self, category: str, count: int) -> None:
        """Count ``count`` more items destroyed in ``category``."""
        # Categories beyond CATEGORIES (the purge's log files) start at zero.
        self.counts[category] = self.counts.get(category, 0) + count

    @property
    def total(self) -> int:
        """Items destroyed in every category."""
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready values (printed by the CLI, shown by the console)."""
        return {
            "run_id": self.run_id,
            "trigger": self.trigger,
            "at": self.at.isoformat(),
            "dry_run": self.dry_run,
            "counts": dict(self.counts),
        }


def log_destruction(session: Session, report: DestructionReport, categories: Sequence[str]) -> None:
    """One destruction_log row per category (zero counts included: the run is on record)."""
    if report.dry_run:
        return
    for category in categories:
        session.add(
            DestructionLog(
                run_id=report.run_id,
                category=category,
                count=report.counts[category],
                at=report.at,
                trigger=report.trigger,
            )
        )


def overwrite_deleted(connection: Connection) -> None:
    """On SQLite, make deletions overwrite the freed pages with zeros.

    Otherwise deleted text stays readable in the file until the space is reused.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA secure_delete=ON")


def flush_sqlite_journal(engine: Engine) -> None:
    """On SQLite in WAL mode, copy the log into the database and truncate it (best effort).

    The log would otherwise keep the deleted rows' old pages.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _count(session: Session, model: type, ids: Sequence[int]) -> int:
    query = select(func.count()).select_from(model).where(model.dossier_id.in_(ids))  # type: ignore[attr-defined]
    return int(session.execute(query).scalar_one())


def destroy_dossiers(session: Session, ids: Sequence[int], report: DestructionReport) -> None:
    """Delete these dossiers with their consents, notes and notifications.

    Everything deleted is counted in ``report``; the dossiers' audit events stay, reduced to the
    reference and codes.
    """
    ids = list(ids)
    if not ids:
        return
    for model, category in (
        (Consent, "consents"),
        (DossierNote, "notes"),
        (NotificationOutbox, "notifications"),
    ):
        report.add(category, _count(session, model, ids))
        if not report.dry_run:
            session.execute(delete(model).where(model.dossier_id.in_(ids)))  # type: ignore[attr-defined]
    report.add("dossiers", len(ids))
    if report.dry_run:
        return
    # The foreign key sets it to NULL too; done here so that it never depends on the pragma.
    session.execute(
        update(AuditEvent).where(AuditEvent.dossier_id.in_(ids)).values(dossier_id=None)
    )
    session.execute(delete(HandoffDossier).where(HandoffDossier.id.in_(ids)))
