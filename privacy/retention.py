"""Retention: destroy, in every store, what has outlived its period (``python -m privacy purge``).

- conversations in the tracker store without a dossier: ``conversation`` days after their last
  event (a dossier's conversation goes when the dossier does and it has been quiet that long);
- closed dossiers, with consents, notes and notifications: ``dossier`` days after closing, i.e.
  the last status change in the audit trail (the dossier's ``updated_at`` when there is none);
- sent notifications: ``outbox`` days after sending (pending and failed ones stay);
- audit events: ``audit`` days (they hold codes and references only);
- partner-matchmaking profiles, with every introduction they take part in: ``match_profile``
  days after the person's last activity;
- console exports and .eml files on disk: by file age.
Unanswered-question counts hold no personal data and are not touched.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from appdb import get_engine, session_scope, utcnow
from handoff.models import AuditEvent, HandoffDossier, NotificationOutbox
from matchmaking import lifecycle as matchmaking_records
from privacy import files, tracker
from privacy.config import (
    RetentionPolicy,
    export_dir,
    log_dir,
    match_profile_reminder_days,
    notification_mail_dir,
)
from privacy.records import (
    DestructionReport,
    destroy_dossiers,
    flush_sqlite_journal,
    log_destruction,
    overwrite_deleted,
)

log = logging.getLogger("privacy.retention")

APP_CATEGORIES = (
    "dossiers",
    "consents",
    "notes",
    "notifications",
    "audit_events",
    "match_profiles",
    "introductions",
)
TRACKER_CATEGORIES = ("conversations", "tracker_events")
FILE_CATEGORIES = ("export_files", "mail_files", "log_files")


class PurgeReport(DestructionReport):
    """What one purge destroyed (or, with ``dry_run``, would destroy), per category."""


def _closed_dossiers_due(session: Session, cutoff: datetime) -> list[int]:
    last_change = (
        select(AuditEvent.dossier_id, func.max(AuditEvent.at).label("closed_at"))
        .where(AuditEvent.action == "status", AuditEvent.dossier_id.isnot(None))
        .group_by(AuditEvent.dossier_id)
        .subquery()
    )
    closed_at = func.coalesce(last_change.c.closed_at, HandoffDossier.updated_at)
    query = (
        select(HandoffDossier.id)
        .outerjoin(last_change, last_change.c.dossier_id == HandoffDossier.id)
        .where(HandoffDossier.status == "closed", closed_at < cutoff)
        .order_by(HandoffDossier.id)
    )
    return list(session.execute(query).scalars())


def _purge_app(
    session: Session, policy: RetentionPolicy, now: datetime, report: PurgeReport
) -> set[str]:
    """Destroy what is due in the app database; returns the senders that still have a dossier."""
    due = _closed_dossiers_due(session, now - policy.dossier)
    destroy_dossiers(session, due, report)
    inactive = matchmaking_records.inactive_profiles(session, now - policy.match_profile)
    counts = matchmaking_records.destroy_profiles(session, inactive, dry_run=report.dry_run)
    report.add("match_profiles", counts["match_profiles"])
    report.add("introductions", counts["introductions"])
    report.add("notes", counts["notes"])
    sent_due = (NotificationOutbox.status == "sent") & (
        NotificationOutbox.sent_at < now - policy.outbox
    )
    if due:
        sent_due = sent_due & NotificationOutbox.dossier_id.notin_(due)
    report.add(
        "notifications",
        session.execute(
            select(func.count()).select_from(NotificationOutbox).where(sent_due)
        ).scalar_one(),
    )
    audit_due = AuditEvent.at < now - policy.audit
    report.add(
        "audit_events",
        session.execute(select(func.count()).select_from(AuditEvent).where(audit_due)).scalar_one(),
    )
    if not report.dry_run:
        session.execute(delete(NotificationOutbox).where(sent_due))
        session.execute(delete(AuditEvent).where(audit_due))
    kept = select(HandoffDossier.sender_id).distinct()
    if due:
        kept = kept.where(HandoffDossier.id.notin_(due))
    return set(session.execute(kept).scalars())


def _purge_tracker(
    policy: RetentionPolicy, now: datetime, with_dossier: set[str], report: PurgeReport
) -> None:
    cutoff = (now - policy.conversation).timestamp()
    with tracker.tracker_connection() as connection:
        if connection is None:
            return
        due = [
            sender
            for sender, last in tracker.last_activity(connection).items()
            if last < cutoff and sender not in with_dossier
        ]
        if report.dry_run:
            report.add("conversations", len(due))
            report.add("tracker_events", tracker.count_events(connection, due))
            return
        conversations, events = tracker.delete_events(connection, due)
        report.add("conversations", conversations)
        report.add("tracker_events", events)


def _purge_files(policy: RetentionPolicy, now: datetime, report: PurgeReport) -> None:
    for category, directory, period in (
        ("export_files", export_dir(), policy.export_file),
        ("mail_files", notification_mail_dir(), policy.mail_file),
    ):
        due = files.older_than(directory, now - period)
        report.add(category, len(due) if report.dry_run else files.remove(due))
    due = files.rotated_logs_older_than(log_dir(), now - policy.log_file)
    report.add("log_files", len(due) if report.dry_run else files.remove(due))


def purge(
    now: datetime | None = None,
    dry_run: bool = False,
    policy: RetentionPolicy | None = None,
) -> PurgeReport:
    """Destroy what is due in the app database, the tracker store and on disk, and log it.

    The app database goes first, in one transaction with its destruction-log rows: should the
    tracker store be unreachable, its conversations are still due at the next run. ``now`` (an
    aware datetime) moves the clock for tests.
    """
    now = now or utcnow()
    policy = policy or RetentionPolicy.from_env()
    report = PurgeReport(trigger="retention", at=now, dry_run=dry_run)
    with session_scope() as session:
        overwrite_deleted(session.connection())
        with_dossier = _purge_app(session, policy, now, report)
        log_destruction(session, report, APP_CATEGORIES)
    if not dry_run:
        flush_sqlite_journal(get_engine())
    _purge_tracker(policy, now, with_dossier, report)
    _purge_files(policy, now, report)
    with session_scope() as session:
        log_destruction(session, report, TRACKER_CATEGORIES + FILE_CATEGORIES)
    log.info(
        "privacy purge%s: %s",
        " (dry run)" if dry_run else "",
        " ".join(f"{name}={count}" for name, count in report.counts.items()),
    )
    return report


def match_profile_reminders(
    now: datetime | None = None, policy: RetentionPolicy | None = None
) -> list[matchmaking_records.ReminderDue]:
    """Partner profiles whose person should now be reminded of their coming deletion.

    Those to be deleted for inactivity within ``PRIVACY_MATCH_PROFILE_REMINDER_DAYS`` whose
    person has not been reminded since their last activity. Whoever sends the reminder (the chat)
    calls ``matchmaking.lifecycle.mark_reminded`` once it is sent.
    """
    now = now or utcnow()
    policy = policy or RetentionPolicy.from_env()
    notice = timedelta(days=match_profile_reminder_days())
    with session_scope() as session:
        return matchmaking_records.reminders_due(session, now, policy.match_profile, notice)
