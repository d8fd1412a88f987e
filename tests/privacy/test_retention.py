"""Retention: with the clock moved forward, the purge removes exactly what is due from the
tracker store, the app database and the folders on disk, and logs counts without names."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import select, update

import appdb
from handoff.models import AuditEvent, Consent, DossierNote, HandoffDossier, NotificationOutbox
from handoff.store import add_note, update_status
from knowledge_base.models import UnansweredQuestion
from privacy.config import ConfigError, RetentionPolicy
from privacy.models import CATEGORIES, DestructionLog
from privacy.retention import purge
from tests.privacy.conftest import EMAIL, NAME, Stores, make_dossier, utc

NOW = utc(2027, 6, 1, 12)
DAY = timedelta(days=1)


def _log_rows() -> list[DestructionLog]:
    with appdb.session_scope() as session:
        return list(session.execute(select(DestructionLog)).scalars())


def test_conversations_without_dossier_go_30_days_after_the_last_event(stores: Stores) -> None:
    stores.conversation("due", NOW - 31 * DAY, f"Je suis {NAME}", "Bonjour!")
    stores.conversation("kept", NOW - 29 * DAY - timedelta(hours=1), "Allo", "Bonjour!")
    # Started long ago but active yesterday: counted from the last event.
    stores.conversation("active", NOW - 90 * DAY, "Allo", "Bonjour!")
    stores.add_event("active", "user", NOW - DAY, text="encore moi")
    # Quiet for two months but with an open dossier: kept with the dossier.
    stores.conversation("with-dossier", NOW - 60 * DAY, "Allo", "Bonjour!")
    make_dossier(sender_id="with-dossier")

    report = purge(now=NOW)

    assert set(stores.senders()) == {"kept", "active", "with-dossier"}
    assert report.counts["conversations"] == 1
    assert report.counts["tracker_events"] == 4
    assert report.counts["dossiers"] == 0
    logged = {row.category: row.count for row in _log_rows()}
    assert logged == report.counts
    # Every category is on record, the rotated logs (purged, never erased on request) too.
    assert set(logged) == {*CATEGORIES, "log_files"}
    assert {row.trigger for row in _log_rows()} == {"retention"}


def _close(reference: str, days_ago: int) -> None:
    """Close the dossier, then move its closing back in time."""
    update_status(reference, "closed", by="advisor-a")
    with appdb.session_scope() as session:
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.reference == reference, AuditEvent.action == "status")
            .values(at=NOW - days_ago * DAY)
        )


def test_closed_dossiers_go_12_months_after_closing(stores: Stores) -> None:
    due = make_dossier(sender_id="sender-due")
    kept = make_dossier(sender_id="sender-kept", name="Autre Personne", email="autre@example.org")
    still_open = make_dossier(sender_id="sender-open", name="Tierce", email="o@example.org")
    add_note(due, f"Appelé {NAME}", by="advisor-a")
    _close(due, 366)
    _close(kept, 364)
    with appdb.session_scope() as session:
        # Open dossiers never expire, however old.
        session.execute(
            update(HandoffDossier)
            .where(HandoffDossier.reference == still_open)
            .values(created_at=NOW - 900 * DAY)
        )
    stores.conversation("sender-due", NOW - 400 * DAY, f"Je suis {NAME}", "Bonjour")
    stores.conversation("sender-kept", NOW - 400 * DAY, "Allo", "Bonjour")

    report = purge(now=NOW)

    with appdb.session_scope() as session:
        references = set(session.execute(select(HandoffDossier.reference)).scalars())
        assert references == {kept, still_open}
        assert len(session.execute(select(Consent)).all()) == 4
        assert session.execute(select(DossierNote)).all() == []
        outbox = session.execute(select(NotificationOutbox.dossier_id)).scalars().all()
        assert len(outbox) == 2
        trail = session.execute(select(AuditEvent).where(AuditEvent.reference == due)).scalars()
        trail = list(trail)
        assert {event.action for event in trail} == {"created", "note_added", "status"}
        assert all(event.dossier_id is None for event in trail)
    # The conversation of the destroyed dossier went with it; the kept one's stays.
    assert set(stores.senders()) == {"sender-kept"}
    assert report.counts["dossiers"] == 1
    assert report.counts["consents"] == 2
    assert report.counts["notes"] == 1
    assert report.counts["notifications"] == 1
    assert report.counts["conversations"] == 1
    assert NAME not in stores.dump()
    assert EMAIL not in stores.dump()


def test_sent_notifications_go_30_days_after_sending(stores: Stores) -> None:
    references = [make_dossier(sender_id=f"s{i}", email=f"p{i}@example.org") for i in range(3)]
    with appdb.session_scope() as session:
        rows = {
            row.dossier_id: row for row in session.execute(select(NotificationOutbox)).scalars()
        }
        ids = sorted(rows)
        rows[ids[0]].status, rows[ids[0]].sent_at = "sent", NOW - 31 * DAY
        rows[ids[1]].status, rows[ids[1]].sent_at = "sent", NOW - 29 * DAY
        # Never sent: kept whatever its age, the notifier still has to deliver it.
        rows[ids[2]].created_at = NOW - 400 * DAY
    report = purge(now=NOW)
    with appdb.session_scope() as session:
        left = set(session.execute(select(NotificationOutbox.dossier_id)).scalars())
        dossiers = set(session.execute(select(HandoffDossier.reference)).scalars())
    assert left == {ids[1], ids[2]}
    assert dossiers == set(references)
    assert report.counts["notifications"] == 1


def test_audit_events_go_after_three_years(stores: Stores) -> None:
    with appdb.session_scope() as session:
        for days, reference in ((3 * 365 + 1, "CP-OLD0-0000"), (3 * 365 - 1, "CP-NEW0-0000")):
            session.add(
                AuditEvent(reference=reference, actor="a", action="status", at=NOW - days * DAY)
            )
    report = purge(now=NOW)
    with appdb.session_scope() as session:
        left = set(session.execute(select(AuditEvent.reference)).scalars())
    assert left == {"CP-NEW0-0000"}
    assert report.counts["audit_events"] == 1


def _touch(path, when) -> None:
    path.write_text(f"{NAME};{EMAIL}\n", encoding="utf-8")
    os.utime(path, (when.timestamp(), when.timestamp()))


def test_files_go_by_age(stores: Stores) -> None:
    _touch(stores.exports / "old.csv", NOW - 8 * DAY)
    _touch(stores.exports / "recent.csv", NOW - 6 * DAY)
    (stores.mail / "sub").mkdir()
    _touch(stores.mail / "sub" / "old.eml", NOW - 31 * DAY)
    _touch(stores.mail / "recent.eml", NOW - 29 * DAY)
    report = purge(now=NOW)
    assert sorted(p.name for p in stores.exports.iterdir()) == ["recent.csv"]
    assert sorted(p.name for p in stores.mail.rglob("*.eml")) == ["recent.eml"]
    assert report.counts["export_files"] == 1
    assert report.counts["mail_files"] == 1


def test_dry_run_counts_and_destroys_nothing(stores: Stores) -> None:
    stores.conversation("due", NOW - 31 * DAY, "Allo", "Bonjour")
    _touch(stores.exports / "old.csv", NOW - 8 * DAY)
    reference = make_dossier()
    _close(reference, 400)
    report = purge(now=NOW, dry_run=True)
    assert report.counts["conversations"] == 1
    assert report.counts["tracker_events"] == 4
    assert report.counts["dossiers"] == 1
    assert report.counts["export_files"] == 1
    assert set(stores.senders()) == {"due"}
    assert (stores.exports / "old.csv").exists()
    assert _log_rows() == []


def test_unanswered_question_counts_stay(sqlite_stores: Stores) -> None:
    with appdb.session_scope() as session:
        session.add(
            UnansweredQuestion(
                question="coopérative de taxis",
                lang="fr",
                count=4,
                first_seen=NOW - 2000 * DAY,
                last_seen=NOW - 1500 * DAY,
            )
        )
    purge(now=NOW)
    with appdb.session_scope() as session:
        assert session.execute(select(UnansweredQuestion.count)).scalar_one() == 4


def test_destruction_log_holds_no_personal_data(sqlite_stores: Stores) -> None:
    stores = sqlite_stores
    reference = make_dossier()
    _close(reference, 400)
    stores.conversation("sender-philomene", NOW - 400 * DAY, f"Je suis {NAME}", "Bonjour")
    purge(now=NOW)
    text = repr([(r.run_id, r.category, r.count, r.at, r.trigger) for r in _log_rows()])
    for secret in (NAME, EMAIL, reference, "sender-philomene"):
        assert secret not in text
    assert NAME not in stores.dump() and EMAIL not in stores.dump()


def test_missing_tracker_store_is_not_created(
    sqlite_stores: Stores, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "never" / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{missing}")
    report = purge(now=NOW)
    assert report.counts["conversations"] == 0
    assert not missing.exists()


def test_periods_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVACY_RETENTION_CONVERSATION_DAYS", "10")
    policy = RetentionPolicy.from_env()
    assert policy.conversation == timedelta(days=10)
    assert policy.describe()["dossier"] == 365
    monkeypatch.setenv("PRIVACY_RETENTION_DOSSIER_DAYS", "0")
    with pytest.raises(ConfigError, match="PRIVACY_RETENTION_DOSSIER_DAYS"):
        RetentionPolicy.from_env()


def test_conversation_period_override_applies(
    sqlite_stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRIVACY_RETENTION_CONVERSATION_DAYS", "10")
    sqlite_stores.conversation("a", NOW - 11 * DAY, "Allo", "Bonjour")
    sqlite_stores.conversation("b", NOW - 9 * DAY, "Allo", "Bonjour")
    purge(now=NOW)
    assert set(sqlite_stores.senders()) == {"b"}


def test_rotated_logs_go_by_age_never_the_live_log(
    stores: Stores, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Logs fall under retention too: rotated copies older than 30 days go; the file a process
    is writing stays, however old its last line."""
    logs = tmp_path / "log"
    logs.mkdir()
    monkeypatch.setenv("COOPILOTE_LOG_DIR", str(logs))
    for name, age in (
        ("rasa.log", 40),
        ("rasa.log.1", 31),
        ("rasa.log.2", 45),
        ("actions.log.1", 29),
    ):
        _touch(logs / name, NOW - age * DAY)
    dry = purge(now=NOW, dry_run=True)
    assert dry.counts["log_files"] == 2 and len(list(logs.iterdir())) == 4
    report = purge(now=NOW)
    assert sorted(p.name for p in logs.iterdir()) == ["actions.log.1", "rasa.log"]
    assert report.counts["log_files"] == 2
    with appdb.session_scope() as session:
        logged = (
            session.execute(
                select(DestructionLog.count).where(DestructionLog.category == "log_files")
            )
            .scalars()
            .all()
        )
    assert logged == [2]
