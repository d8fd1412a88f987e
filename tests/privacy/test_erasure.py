"""Erasure on request, by each key: afterwards no trace of the person's made-up name, email or
phone is found in either database or on disk; the audit trail records the erasure without them;
other people are untouched; a second request is harmless."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

import appdb
from handoff.files import dossier_file_name, reference_of
from handoff.models import AuditEvent, HandoffDossier
from handoff.notify import DirectoryTransport, deliver_due
from handoff.store import add_note
from privacy.erasure import NothingToIdentifyError, erase_person
from privacy.models import DestructionLog
from tests.privacy.conftest import (
    EMAIL,
    NAME,
    OTHER_EMAIL,
    OTHER_NAME,
    PHONE,
    PHONE_TYPED,
    Stores,
    make_dossier,
    utc,
)

SENDER = "sender-philomene"
# ASCII, so that it is found even inside JSON that escapes accents.
SURNAME = NAME.split()[-1]
OTHER = "sender-gaspard"


def _populate(stores: Stores) -> tuple[str, str, str]:
    """Philomène: two conversations, two dossiers (email, phone), mail and an export; Gaspard:
    one conversation, one dossier. Returns (Philomène's references..., Gaspard's reference)."""
    first = make_dossier(sender_id=SENDER)
    second = make_dossier(
        sender_id="sender-philomene-telegram",
        channel="telegram",
        contact_method="phone",
        contact_value=PHONE,
    )
    theirs = make_dossier(sender_id=OTHER, name=OTHER_NAME, email=OTHER_EMAIL)
    add_note(first, f"{NAME} rappelle lundi", by="advisor-a")
    stores.conversation(SENDER, utc(2026, 11, 20), f"Je m'appelle {NAME}", "Bonjour!")
    stores.add_event(SENDER, "user", utc(2026, 11, 20, 1), text=f"mon courriel: {EMAIL}")
    stores.conversation("sender-philomene-telegram", utc(2026, 11, 21), PHONE_TYPED, "Merci")
    stores.conversation(OTHER, utc(2026, 11, 22), f"Moi c'est {OTHER_NAME}", "Bonjour!")
    deliver_due(DirectoryTransport(stores.mail))
    # Export files record their dossier's reference in their name, as every writer does.
    (stores.exports / dossier_file_name(first, ".csv")).write_text(
        f"{first};{NAME};{EMAIL}\n", encoding="utf-8"
    )
    (stores.exports / dossier_file_name(theirs, ".csv")).write_text(
        f"{theirs};{OTHER_NAME}\n", encoding="utf-8"
    )
    return first, second, theirs


def _on_disk(*folders: Path) -> str:
    return "\n".join(
        f"{p.name}\n{p.read_text(encoding='utf-8', errors='ignore')}"
        for folder in folders
        for p in folder.rglob("*")
        if p.is_file()
    )


def _assert_erased(stores: Stores, references: tuple[str, ...], theirs: str) -> None:
    dump = stores.dump()
    disk = _on_disk(stores.exports, stores.mail)
    for secret in (NAME, SURNAME, EMAIL, PHONE, PHONE_TYPED, SENDER):
        assert secret not in dump, secret
        assert secret not in disk, secret
    for reference in references:
        assert reference not in disk
    # Gaspard is untouched.
    assert OTHER_NAME in dump and OTHER_EMAIL in dump and theirs in disk
    assert set(stores.senders()) == {OTHER}
    with appdb.session_scope() as session:
        left = set(session.execute(select(HandoffDossier.reference)).scalars())
        erased = (
            session.execute(select(AuditEvent).where(AuditEvent.action == "erased")).scalars().all()
        )
    assert left == {theirs}
    assert {event.reference for event in erased} == set(references)
    assert all(event.actor == "admin-b" and event.dossier_id is None for event in erased)


@pytest.mark.parametrize("key", ["sender", "contact"])
def test_erasure_by_sender_or_contact(stores: Stores, key: str) -> None:
    first, second, theirs = _populate(stores)
    if key == "sender":
        # The Telegram conversation has another sender id: the request names both.
        report = erase_person(sender_id=SENDER, by="admin-b")
        erase_person(sender_id="sender-philomene-telegram", by="admin-b")
    else:
        # As typed by an admin: spaces, an upper-case domain; the phone with separators.
        report = erase_person(contact=f"  {EMAIL.split('@')[0]}@EXAMPLE.ORG ", by="admin-b")
        assert erase_person(contact=PHONE_TYPED, by="admin-b").counts["dossiers"] == 1
    assert report.counts["dossiers"] == 1
    _assert_erased(stores, (first, second), theirs)


def test_erasure_by_reference_takes_the_conversation_too(stores: Stores) -> None:
    first, second, theirs = _populate(stores)
    report = erase_person(reference=first.lower(), by="admin-b")
    assert report.references == [first]
    assert report.counts["dossiers"] == 1
    assert report.counts["consents"] == 2
    assert report.counts["notes"] == 1
    assert report.counts["notifications"] == 1
    assert report.counts["conversations"] == 1
    assert report.counts["mail_files"] == 1
    assert report.counts["export_files"] == 1
    assert SENDER not in stores.senders()
    erase_person(reference=second, by="admin-b")
    _assert_erased(stores, (first, second), theirs)


@pytest.mark.parametrize("sender", ["Content-Type", "X-Coopilote-Reference", "example.org"])
def test_a_chosen_session_id_erases_nobody_elses_files(stores: Stores, sender: str) -> None:
    """A conversation id is chosen by the client: one that every email contains (a header name)
    or that a file mentions must not take other people's files with it."""
    _populate(stores)
    before = sorted(p.name for p in [*stores.mail.iterdir(), *stores.exports.iterdir()])
    assert len(before) == 5  # three notification emails, two exports
    report = erase_person(sender_id=sender, by="person")
    assert report.counts["mail_files"] == 0 and report.counts["export_files"] == 0
    assert sorted(p.name for p in [*stores.mail.iterdir(), *stores.exports.iterdir()]) == before


def test_files_are_found_by_reference_never_by_their_text(stores: Stores) -> None:
    """Gaspard's export mentions Philomène's email (a list export, a note): erasing Philomène
    removes her own files only; Gaspard's stays until its retention period ends."""
    first, _second, theirs = _populate(stores)
    gaspards = stores.exports / dossier_file_name(theirs, ".csv")
    gaspards.write_text(f"{theirs};{OTHER_NAME};vu avec {EMAIL}, {SENDER}\n", encoding="utf-8")
    report = erase_person(contact=EMAIL, by="admin-b")
    assert report.references == [first]
    assert report.counts["mail_files"] == 1 and report.counts["export_files"] == 1
    assert gaspards.exists()
    left = {reference_of(p) for p in [*stores.mail.iterdir(), *stores.exports.iterdir()]}
    assert first not in left and theirs in left


def test_erasure_is_idempotent_and_logged_without_personal_data(sqlite_stores: Stores) -> None:
    stores = sqlite_stores
    first, second, _theirs = _populate(stores)
    report = erase_person(sender_id=SENDER, by="admin-b")
    assert report.counts["conversations"] == 1 and report.counts["dossiers"] == 1
    again = erase_person(sender_id=SENDER, by="admin-b")
    assert again.total == 0
    with appdb.session_scope() as session:
        rows = session.execute(select(DestructionLog)).scalars().all()
        audit = (
            session.execute(select(AuditEvent).where(AuditEvent.action == "erased")).scalars().all()
        )
    assert {row.trigger for row in rows} == {"erasure_request"}
    assert len({row.run_id for row in rows}) == 2
    text = repr([(r.category, r.count, r.at, r.run_id) for r in rows])
    text += repr([(a.reference, a.actor, a.details) for a in audit])
    for secret in (NAME, EMAIL, PHONE, SENDER):
        assert secret not in text
    # The second request, which found nothing, is on record too.
    assert [a.reference for a in audit] == [first, None]


def test_chat_erasure_of_a_conversation_without_dossier(sqlite_stores: Stores) -> None:
    sqlite_stores.conversation("web-123456", utc(2026, 11, 20), f"I am {NAME}", "Hello!")
    report = erase_person(sender_id="web-123456", by="person")
    assert report.counts["tracker_events"] == 4
    assert report.references == []
    assert sqlite_stores.senders() == {}


def test_sqlite_files_keep_no_trace(sqlite_stores: Stores, tmp_path: Path) -> None:
    """Deleted rows are overwritten, not just unlinked from the b-tree (secure_delete)."""
    _populate(sqlite_stores)
    erase_person(sender_id=SENDER, contact=PHONE, by="admin-b")
    for name in ("app.db", "tracker.db"):
        for path in tmp_path.glob(f"{name}*"):
            content = path.read_bytes()
            for secret in (NAME, SURNAME, EMAIL, PHONE):
                assert secret.encode() not in content, (path.name, secret)


def test_a_key_is_required(sqlite_stores: Stores) -> None:
    with pytest.raises(NothingToIdentifyError):
        erase_person(by="admin-b")
    with pytest.raises(ValueError, match="by"):
        erase_person(sender_id=SENDER, by=" ")


def test_logs_name_nobody(sqlite_stores: Stores, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    first, _second, _theirs = _populate(sqlite_stores)
    caplog.clear()
    erase_person(sender_id=SENDER, contact=EMAIL, by="admin-b")
    assert "erasure on request" in caplog.text
    for secret in (NAME, SURNAME, EMAIL, SENDER, first):
        assert secret not in caplog.text
