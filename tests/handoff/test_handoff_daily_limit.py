"""One person files at most ``HANDOFF_MAX_PER_DAY`` dossiers through the chat in 24 hours:
counted by conversation id and by contact (a new conversation is still the same person)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from appdb import session_scope
from handoff import store
from handoff.config import max_dossiers_per_day
from handoff.dossier import DailyLimitReached
from handoff.models import HandoffDossier
from tests.handoff.conftest import make_request


def _count() -> int:
    with session_scope() as session:
        return len(session.execute(select(HandoffDossier.id)).all())


def test_the_fourth_dossier_of_the_day_is_refused(organisations) -> None:
    for _ in range(3):
        store.create_dossier(make_request(), max_per_day=3)
    with pytest.raises(DailyLimitReached):
        store.create_dossier(make_request(), max_per_day=3)
    # The same contact from a new conversation is the same person.
    with pytest.raises(DailyLimitReached):
        store.create_dossier(make_request(sender_id="sender-43"), max_per_day=3)
    assert _count() == 3
    # Someone else is not affected, and callers without a limit (the console) are not either.
    store.create_dossier(
        make_request(sender_id="sender-44", contact_value="autre.personne@example.org"),
        max_per_day=3,
    )
    store.create_dossier(make_request())
    assert _count() == 5


def test_yesterdays_dossiers_do_not_count(organisations) -> None:
    for _ in range(3):
        store.create_dossier(make_request(), max_per_day=3)
    with session_scope() as session:
        for dossier in session.execute(select(HandoffDossier)).scalars():
            dossier.created_at = dossier.created_at - timedelta(hours=24, minutes=1)
    store.create_dossier(make_request(), max_per_day=3)


def test_the_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOFF_MAX_PER_DAY", raising=False)
    assert max_dossiers_per_day() == 3
    monkeypatch.setenv("HANDOFF_MAX_PER_DAY", "5")
    assert max_dossiers_per_day() == 5
    monkeypatch.setenv("HANDOFF_MAX_PER_DAY", "zero")
    assert max_dossiers_per_day() == 3
