"""No personal detail reaches a log line, through storing, failing and sending."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

import appdb
from appdb import utcnow
from handoff import store
from handoff.dossier import ConsentMissing, InvalidRequestError, StoreUnavailable
from handoff.notify import deliver_due
from tests.handoff.conftest import EMAIL, NAME, PHONE, PROJECT, make_request
from tests.handoff.test_handoff_notify import Collecting, Failing
from tests.support.processes import free_port

PERSONAL = (NAME, "Zébulon", "Quatremains", EMAIL, PHONE, "555-0199", PROJECT, "sender-42")


def test_no_personal_detail_in_any_log_line(organisations, caplog, monkeypatch) -> None:
    caplog.set_level(logging.DEBUG)
    reference = store.create_dossier(make_request()).reference
    phone = make_request(contact_method="phone", contact_value="514-555-0199")
    store.create_dossier(phone)
    with pytest.raises(ConsentMissing):
        store.create_dossier(make_request(summary=False, transcript=False))
    with pytest.raises(InvalidRequestError):
        make_request(contact_value=f"{NAME} <{EMAIL}")
    now = utcnow()
    deliver_due(Failing(), now=now)
    deliver_due(Collecting(), now=now + timedelta(hours=1))
    store.add_note(reference, f"{NAME} {EMAIL}", by="advisor-1")
    store.get_dossier(reference, viewer="advisor-1")
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/none")
    appdb.reset_engine()
    with pytest.raises(StoreUnavailable):
        store.create_dossier(make_request())
    appdb.reset_engine()

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert reference in logged  # references are logged, so support can follow a dossier
    for personal in PERSONAL:
        assert personal not in logged
