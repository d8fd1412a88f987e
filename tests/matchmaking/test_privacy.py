"""Matchmaking under the data lifecycle: erasure removes a person's profiles from every
introduction and suggestion, the export holds them, and retention deletes inactive profiles.
Runs on SQLite and PostgreSQL (the privacy tests' stores)."""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

import pytest
from sqlalchemy import func, select

import appdb
import matchmaking
from knowledge_base.encoder import HashingEncoder
from matchmaking import lifecycle
from matchmaking.models import MatchIntroduction, MatchNote, MatchProfile
from privacy.config import RetentionPolicy
from privacy.erasure import erase_person
from privacy.export import export_person
from privacy.models import DestructionLog
from privacy.retention import match_profile_reminders, purge
from tests.matchmaking.conftest import make_profile
from tests.privacy.conftest import Stores, sqlite_stores, stores  # noqa: F401 - fixtures

ENCODER = HashingEncoder()


class ErasureKey(TypedDict, total=False):
    """One of erase_person's ways of naming the person."""

    sender_id: str
    reference: str
    contact: str


def _count(model) -> int:
    with appdb.session_scope() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def _three_people() -> tuple[matchmaking.ProfileView, ...]:
    ana = make_profile("sender-ana", contact_value="ana.zuniga@example.org")
    ben = make_profile("sender-ben", intent="join_project", contact_value="ben@example.org")
    cleo = make_profile("sender-cleo", intent="join_project", contact_value="cleo@example.org")
    intro = matchmaking.propose(ben.reference, ana.reference, by="paul")  # Ana is side B
    matchmaking.add_note(intro.reference, "Ana préfère le soir", by="paul")
    matchmaking.propose(ana.reference, cleo.reference, by="paul")  # Ana is side A
    return ana, ben, cleo


@pytest.mark.parametrize("key", ["sender_id", "reference", "contact"])
def test_erasure_removes_the_profile_everywhere(stores: Stores, key: str) -> None:  # noqa: F811
    ana, ben, cleo = _three_people()
    assert ana.reference in [
        r.other.reference for r in matchmaking.suggest_for(cleo.reference, ENCODER)
    ]
    by_key: dict[str, ErasureKey] = {
        "sender_id": {"sender_id": "sender-ana"},
        "reference": {"reference": ana.reference},
        "contact": {"contact": " ana.zuniga@EXAMPLE.org "},
    }
    keys = by_key[key]
    report = erase_person(**keys, by="admin")
    assert report.counts["match_profiles"] == 1
    assert report.counts["introductions"] == 2
    assert report.counts["notes"] == 1
    assert ana.reference in report.references
    assert _count(MatchProfile) == 2 and _count(MatchIntroduction) == 0 and _count(MatchNote) == 0
    for other in (ben, cleo):
        assert matchmaking.introductions_of(other.reference) == []
        suggested = [r.other.reference for r in matchmaking.suggest_for(other.reference, ENCODER)]
        assert ana.reference not in suggested
    with pytest.raises(matchmaking.NotFoundError):
        matchmaking.get_profile(ana.reference)
    with appdb.session_scope() as session:
        logged = dict(
            session.execute(
                select(DestructionLog.category, DestructionLog.count).where(
                    DestructionLog.run_id == report.run_id
                )
            ).all()
        )
    assert logged["match_profiles"] == 1 and logged["introductions"] == 2
    again = erase_person(**keys, by="admin")
    assert again.counts["match_profiles"] == 0


def test_export_holds_the_profiles_and_their_introductions(sqlite_stores: Stores) -> None:  # noqa: F811
    ana, ben, _ = _three_people()
    document = export_person(sender_id="sender-ana")
    (profile,) = document["matchmaking_profiles"]
    assert profile["reference"] == ana.reference
    assert profile["contact_value"] == "ana.zuniga@example.org"
    assert profile["notice_version"] == "3"
    sides = sorted(i["your_side"] for i in profile["introductions"])
    assert sides == ["a", "b"]
    # Nothing about the other people: not their contact, not the advisor's note.
    text = repr(document)
    assert "ben@example.org" not in text and "cleo@example.org" not in text
    assert "préfère" not in text
    assert document["retention_days"]["match_profile"] == 180


def test_retention_deletes_profiles_inactive_for_180_days(
    sqlite_stores: Stores,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ana, ben, cleo = _three_people()
    now = appdb.utcnow()
    with appdb.session_scope() as session:
        row = session.execute(
            select(MatchProfile).where(MatchProfile.reference == ana.reference)
        ).scalar_one()
        row.last_activity_at = now - timedelta(days=181)
        other = session.execute(
            select(MatchProfile).where(MatchProfile.reference == ben.reference)
        ).scalar_one()
        other.last_activity_at = now - timedelta(days=179)
    dry = purge(now=now, dry_run=True)
    assert dry.counts["match_profiles"] == 1 and _count(MatchProfile) == 3
    report = purge(now=now)
    assert report.counts["match_profiles"] == 1 and report.counts["introductions"] == 2
    remaining = {p.reference for p in matchmaking.list_profiles()}
    assert remaining == {ben.reference, cleo.reference}
    monkeypatch.setenv("PRIVACY_RETENTION_MATCH_PROFILE_DAYS", "30")
    assert RetentionPolicy.from_env().match_profile == timedelta(days=30)
    assert purge(now=now + timedelta(days=31)).counts["match_profiles"] == 2


def test_people_are_reminded_before_their_profile_is_deleted(sqlite_stores: Stores) -> None:  # noqa: F811
    ana, ben, _ = _three_people()
    now = appdb.utcnow()
    with appdb.session_scope() as session:
        for reference, days in ((ana.reference, 170), (ben.reference, 100)):
            row = session.execute(
                select(MatchProfile).where(MatchProfile.reference == reference)
            ).scalar_one()
            row.last_activity_at = now - timedelta(days=days)
    (due,) = match_profile_reminders(now=now)
    assert (due.reference, due.sender_id, due.language) == (ana.reference, "sender-ana", "fr")
    assert due.deleted_after.date() == (now + timedelta(days=10)).date()
    with appdb.session_scope() as session:
        assert lifecycle.mark_reminded(session, [due.reference], now) == 1
    assert match_profile_reminders(now=now) == []
    # Any activity of the person keeps the profile and re-arms the reminder.
    matchmaking.update_profile(ana.reference, {"availability": "part_time"}, by="person")
    assert match_profile_reminders(now=now + timedelta(days=170)) != []
