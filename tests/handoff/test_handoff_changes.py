"""Advisors' changes: each one leaves an audit event, without personal data in its details."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

import appdb
from handoff import store
from handoff.dossier import InvalidRequestError
from handoff.models import AuditEvent, NotificationOutbox
from tests.handoff.conftest import EMAIL, NAME, PROJECT, make_request


def trail(reference: str) -> list[tuple[str, str, Any]]:
    with appdb.session_scope() as session:
        rows = session.execute(
            select(AuditEvent).where(AuditEvent.reference == reference).order_by(AuditEvent.id)
        ).scalars()
        return [(e.actor, e.action, e.details) for e in rows]


def test_every_change_is_audited(organisations) -> None:
    reference = store.create_dossier(make_request(organisation_key="promis")).reference
    store.get_dossier(reference, viewer="advisor-1")
    store.update_status(reference, "in_progress", by="advisor-1")
    store.assign(reference, "advisor-1", by="admin")
    store.transfer(reference, "cdrq", by="admin")
    store.record_outcome(
        reference, referred_to="CDRQ Montréal", follow_up_date=date(2026, 12, 15), by="advisor-2"
    )
    note = store.add_note(reference, f"Appelé {NAME} au {EMAIL}", by="advisor-2")
    store.withdraw_consent(reference, "share_transcript", by="person")
    store.update_status(reference, "closed", by="advisor-2")

    events = trail(reference)
    assert [action for _, action, _ in events] == [
        "created",
        "viewed",
        "status",
        "assigned",
        "transferred",
        "outcome",
        "note_added",
        "consent_withdrawn",
        "status",
    ]
    assert events[2] == ("advisor-1", "status", {"from": "new", "to": "in_progress"})
    assert events[4][2]["from"] == "promis" and events[4][2]["to"] == "cdrq"
    assert events[4][2]["unassigned"] is True
    assert events[5][2] == {"fields": ["referred_to", "follow_up_date"]}
    assert events[6][2] == {"note_id": note.id}
    assert events[7][2] == {"purpose": "share_transcript", "erased": ["transcript"]}
    details = json.dumps([d for _, _, d in events], ensure_ascii=False)
    for personal in (NAME, EMAIL, PROJECT, "CDRQ Montréal"):
        assert personal not in details

    dossier = store.get_dossier(reference)
    assert (dossier.status, dossier.organisation_key, dossier.queue) == (
        "closed",
        "cdrq",
        "organisation",
    )
    assert dossier.assignee is None  # cleared by the transfer
    assert (dossier.referred_to, dossier.follow_up_date) == ("CDRQ Montréal", date(2026, 12, 15))
    assert [n.text for n in dossier.notes] == [f"Appelé {NAME} au {EMAIL}"]
    assert dossier.transcript is None and dossier.contact_value == EMAIL


def test_no_change_no_event(organisations) -> None:
    reference = store.create_dossier(make_request()).reference
    store.update_status(reference, "new", by="advisor-1")
    store.assign(reference, None, by="advisor-1")
    store.transfer(reference, "cdrq", by="advisor-1")
    store.record_outcome(reference, referred_to=None, follow_up_date=None, by="advisor-1")
    store.withdraw_consent(reference, "share_transcript", by="person")
    store.withdraw_consent(reference, "share_transcript", by="person")  # already withdrawn
    assert [a for _, a, _ in trail(reference)] == ["created", "consent_withdrawn"]


def test_transfer_notifies_the_new_organisation(organisations) -> None:
    reference = store.create_dossier(make_request(organisation_key="cdrq")).reference
    store.transfer(reference, "promis", by="admin")
    store.transfer(reference, None, by="admin")
    with appdb.session_scope() as session:
        rows = session.execute(select(NotificationOutbox).order_by(NotificationOutbox.id)).scalars()
        sent = [(r.kind, r.recipient) for r in rows]
    assert sent == [
        ("new_dossier", "intake@localhost"),
        ("transferred", "accueil@promis.example"),
        ("transferred", "intake@localhost"),
    ]
    assert store.get_dossier(reference).queue == "shared"


def test_withdrawing_the_summary_consent_erases_contact_and_summary(organisations) -> None:
    reference = store.create_dossier(make_request()).reference
    dossier = store.withdraw_consent(reference, "share_summary", by="person")
    for name in ("project_summary", "screening_summary", "contact_method", "contact_value"):
        assert getattr(dossier, name) is None
    assert dossier.transcript is not None
    [summary] = [c for c in dossier.consents if c.purpose == "share_summary"]
    assert summary.granted and summary.withdrawn_at is not None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: store.update_status(r, "lost", by="a"), "status"),
        (lambda r: store.assign(r, "x" * 121, by="a"), "assignee"),
        (lambda r: store.transfer(r, "ancienne", by="a"), "organisation_key"),
        (lambda r: store.add_note(r, "   ", by="a"), "text"),
        (lambda r: store.withdraw_consent(r, "marketing", by="a"), "purpose"),
        (lambda r: store.update_status(r, "closed", by=" "), "by"),
    ],
)
def test_invalid_changes_are_refused(organisations, change, field) -> None:
    reference = store.create_dossier(make_request()).reference
    with pytest.raises(InvalidRequestError) as raised:
        change(reference)
    assert raised.value.field == field
    assert [a for _, a, _ in trail(reference)] == ["created"]
