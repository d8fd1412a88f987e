"""The store: consent rules, references, queues, reads, and refusal when the database is gone."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

import appdb
from appdb import utcnow
from handoff import store
from handoff.dossier import (
    ConsentMissing,
    DossierFilters,
    DossierNotFoundError,
    InvalidRequestError,
    Page,
    StoreUnavailable,
)
from handoff.models import (
    AuditEvent,
    Consent,
    HandoffDossier,
    NotificationOutbox,
)
from tests.handoff.conftest import EMAIL, PHONE, PHONE_TYPED, PROJECT, make_request
from tests.support.processes import free_port

REFERENCE_RE = re.compile(r"^CP-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$")


def count(model) -> int:
    with appdb.session_scope() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_refusing_both_consents_stores_nothing(organisations) -> None:
    with pytest.raises(ConsentMissing):
        store.create_dossier(make_request(summary=False, transcript=False))
    for model in (HandoffDossier, Consent, NotificationOutbox, AuditEvent):
        assert count(model) == 0


def test_summary_only_stores_no_transcript(organisations) -> None:
    created = store.create_dossier(make_request(summary=True, transcript=False))
    dossier = store.get_dossier(created.reference)
    assert dossier.transcript is None
    assert dossier.contact_method == "email" and dossier.contact_value == EMAIL
    assert dossier.project_summary == PROJECT
    assert dossier.screening_summary is not None
    assert dossier.screening_summary["verdict"] == "strong"
    assert {(c.purpose, c.granted) for c in dossier.consents} == {
        ("share_summary", True),
        ("share_transcript", False),
    }
    assert all(c.wording_version == "2026-11-v1" for c in dossier.consents)


def test_both_consents_store_the_transcript(organisations) -> None:
    created = store.create_dossier(make_request())
    dossier = store.get_dossier(created.reference)
    assert dossier.transcript is not None
    assert [m["who"] for m in dossier.transcript] == ["user", "bot"]
    assert dossier.contact_value == EMAIL


def test_transcript_only_keeps_no_contact_nor_summary(organisations) -> None:
    created = store.create_dossier(make_request(summary=False, transcript=True))
    dossier = store.get_dossier(created.reference)
    assert dossier.transcript is not None
    for name in ("contact_method", "contact_value", "availability", "project_summary"):
        assert getattr(dossier, name) is None
    assert dossier.screening_summary is None


def test_one_transaction_writes_dossier_consents_outbox_and_audit(organisations) -> None:
    created = store.create_dossier(make_request())
    assert REFERENCE_RE.match(created.reference)
    assert (count(HandoffDossier), count(Consent), count(NotificationOutbox)) == (1, 2, 1)
    with appdb.session_scope() as session:
        outbox = session.execute(select(NotificationOutbox)).scalar_one()
        event = session.execute(select(AuditEvent)).scalar_one()
    assert outbox.status == "pending" and outbox.attempts == 0
    assert outbox.next_attempt_at <= utcnow()
    assert created.reference in outbox.body
    assert (event.action, event.reference) == ("created", created.reference)


def test_a_failure_inside_the_transaction_leaves_nothing(organisations, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr("handoff.store.queue_notification", broken)
    with pytest.raises(RuntimeError):
        store.create_dossier(make_request())
    assert count(HandoffDossier) == count(Consent) == 0


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("cdrq", ("cdrq", "organisation")),  # has advisors on the console
        ("promis", ("promis", "shared")),  # no advisors on the console yet
        ("ancienne", (None, "shared")),  # inactive
        ("not-seeded", (None, "shared")),  # unknown: kept, in the shared queue
        (None, (None, "shared")),
    ],
)
def test_queue(organisations, key, expected) -> None:
    created = store.create_dossier(make_request(organisation_key=key))
    assert (created.organisation_key, created.queue) == expected


def test_notification_recipient(organisations, monkeypatch) -> None:
    monkeypatch.setenv("HANDOFF_SHARED_INTAKE", "admins@coop.example")
    monkeypatch.setenv("HANDOFF_INTAKE_CDRQ_MONTREAL_LAVAL", "mtl@cdrq.example")
    for key in ("promis", "cdrq", "cdrq-montreal-laval", None):
        store.create_dossier(make_request(organisation_key=key))
    with appdb.session_scope() as session:
        recipients = session.execute(
            select(NotificationOutbox.recipient).order_by(NotificationOutbox.id)
        ).scalars()
        assert list(recipients) == [
            "accueil@promis.example",  # seeded address
            "admins@coop.example",  # no address: the shared intake
            "mtl@cdrq.example",  # the environment wins
            "admins@coop.example",
        ]


def test_references_are_unique_and_a_collision_draws_again(organisations, monkeypatch) -> None:
    references = {store.create_dossier(make_request()).reference for _ in range(25)}
    assert len(references) == 25 and all(REFERENCE_RE.match(r) for r in references)
    taken = next(iter(references))
    drawn = iter([taken, taken, "CP-2222-3333"])
    monkeypatch.setattr("handoff.store.new_reference", lambda: next(drawn))
    assert store.create_dossier(make_request()).reference == "CP-2222-3333"
    assert count(HandoffDossier) == 26


def test_phone_contact_is_normalised(organisations) -> None:
    request = make_request(contact_method="phone", contact_value=PHONE_TYPED)
    dossier = store.get_dossier(store.create_dossier(request).reference)
    assert (dossier.contact_method, dossier.contact_value) == ("phone", PHONE)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"language": "es"}, "language"),
        ({"trigger": "boredom"}, "trigger"),
        ({"region_code": "18"}, "region_code"),
        ({"organisation_key": "CDRQ!"}, "organisation_key"),
        ({"contact_method": "email", "contact_value": "not-an-address"}, "contact_value"),
        ({"contact_method": "phone", "contact_value": "12"}, "contact_value"),
        ({"contact_method": "pigeon"}, "contact_method"),
        ({"contact_method": "phone", "contact_value": None}, "contact_value"),
        ({"project_summary": "x" * 2001}, "project_summary"),
        ({"screening_summary": ["not", "a", "dict"]}, "screening_summary"),
        ({"screening_summary": {"when": object()}}, "screening_summary"),
        ({"sender_id": ""}, "sender_id"),
    ],
)
def test_requests_are_validated_at_the_door(overrides, field) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        make_request(**overrides)
    assert raised.value.field == field
    assert "not-an-address" not in str(raised.value)


def test_request_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        make_request().language = "en"  # type: ignore[misc]


def test_unknown_reference(organisations) -> None:
    with pytest.raises(DossierNotFoundError):
        store.get_dossier("CP-ZZZZ-ZZZZ")
    with pytest.raises(DossierNotFoundError):
        store.update_status("CP-ZZZZ-ZZZZ", "closed", by="advisor-1")


def test_list_filters_and_pages(organisations) -> None:
    made = [store.create_dossier(make_request(organisation_key=k)) for k in ["cdrq"] * 3 + [None]]
    store.update_status(made[0].reference, "in_progress", by="advisor-1")
    everything = store.list_dossiers()
    assert everything.total == 4
    assert [d.reference for d in everything.items] == [m.reference for m in reversed(made)]
    assert everything.items[0].transcript is None  # lists carry no transcript
    assert store.list_dossiers(DossierFilters(queue="shared")).total == 1
    assert store.list_dossiers(DossierFilters(organisation_key="cdrq")).total == 3
    assert store.list_dossiers(DossierFilters(status="in_progress")).total == 1
    second = store.list_dossiers(page=Page(number=2, size=3))
    assert (second.total, len(second.items)) == (4, 1)
    later = store.list_dossiers(DossierFilters(created_from=utcnow() + timedelta(minutes=1)))
    assert later.total == 0


def test_async_callers_get_the_dossier_without_blocking(organisations) -> None:
    created = asyncio.run(store.create_dossier_in_thread(make_request()))
    assert store.get_dossier(created.reference).reference == created.reference


def test_unreachable_postgresql_raises_store_unavailable(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/none")
    appdb.reset_engine()
    try:
        with pytest.raises(StoreUnavailable):
            store.create_dossier(make_request())
        with pytest.raises(StoreUnavailable):
            store.list_dossiers()
    finally:
        appdb.reset_engine()


def test_unusable_sqlite_path_raises_store_unavailable(tmp_path, monkeypatch) -> None:
    # A file where the database's directory should be: it cannot be created (even as root).
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{blocker / 'app.db'}")
    appdb.reset_engine()
    try:
        with pytest.raises(StoreUnavailable):
            store.create_dossier(make_request())
    finally:
        appdb.reset_engine()


def test_the_database_back_the_next_handoff_works(sqlite_db, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/none")
    appdb.reset_engine()
    with pytest.raises(StoreUnavailable):
        store.create_dossier(make_request(organisation_key=None))
    monkeypatch.setenv("DATABASE_URL", sqlite_db)
    appdb.reset_engine()
    assert store.create_dossier(make_request(organisation_key=None)).queue == "shared"
