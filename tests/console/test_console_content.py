"""The content view: unanswered questions by topic, entries to check again, answers flagged by
advisors from a shared transcript until a maintainer (admin) resolves them."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

import appdb
from appdb import utcnow
from console.advisor import toolkit
from handoff.models import AnswerFlag, AuditEvent
from knowledge_base.models import UnansweredQuestion
from tests.console.conftest import Session


@pytest.fixture(autouse=True)
def shared_kb(plain_kb, monkeypatch):
    monkeypatch.setattr(toolkit, "knowledge_base", lambda request: plain_kb)
    return plain_kb


def test_advisor_flags_an_answer_and_an_admin_resolves_it(dossiers) -> None:
    reference = dossiers["cdrq"]
    alice = Session("alice")
    page = alice.get(f"/dossiers/{reference}").text
    assert 'name="message_index" value="1"' in page  # the bot's message only
    assert 'name="message_index" value="0"' not in page
    refused = alice.post(f"/dossiers/{reference}/flags", {"message_index": "0", "kind": "wrong"})
    assert refused.headers["location"].endswith("?error=flag")
    done = alice.post(
        f"/dossiers/{reference}/flags",
        {"message_index": "1", "kind": "outdated", "comment": "Le minimum a changé en 2026"},
    )
    assert "done=answer_flagged" in done.headers["location"]
    bob = Session("bob")
    assert (
        bob.post(
            f"/dossiers/{reference}/flags", {"message_index": "1", "kind": "wrong"}
        ).status_code
        == 404
    )
    assert alice.get("/content").status_code == 404  # maintainers only

    admin = Session("admin")
    content = html.unescape(admin.get("/content").text)
    assert "Avec plaisir!" in content and "Le minimum a changé en 2026" in content
    with appdb.session_scope() as session:
        flag_id = session.execute(select(AnswerFlag.id)).scalar_one()
        details = session.execute(
            select(AuditEvent.details).where(AuditEvent.action == "answer_flagged")
        ).scalar_one()
    assert details == {"flag": flag_id, "kind": "outdated"}
    resolved = admin.post(f"/content/flags/{flag_id}/resolve")
    assert resolved.headers["location"] == "/content?done=flag_resolved"
    assert "Avec plaisir!" not in html.unescape(admin.get("/content").text)
    assert admin.post(f"/content/flags/{flag_id}/resolve").status_code == 404


def test_unanswered_questions_by_topic_and_stale_entries(people, shared_kb) -> None:
    now = utcnow()
    with appdb.session_scope() as session:
        for question, topic, count in (
            ("coop de taxis", "types", 4),
            ("coop de vélos", "types", 2),
            ("aide pour les impôts", None, 1),
        ):
            session.add(
                UnansweredQuestion(
                    question=question,
                    topic=topic,
                    lang="fr",
                    count=count,
                    first_seen=now,
                    last_seen=now - timedelta(minutes=count),
                )
            )
    page = html.unescape(Session("admin").get("/content").text)
    assert page.index("types — 6 fois") < page.index("Sans sujet — 1 fois")
    assert page.index("coop de taxis") < page.index("coop de vélos")
    unread = [e for e in shared_kb.entries() if e.verification != "sources-read"]
    for entry in unread[:3]:
        assert entry.id in page


def test_entries_past_their_verification_date(people, shared_kb, monkeypatch) -> None:
    oldest = min(shared_kb.entries(), key=lambda e: e.verified)
    monkeypatch.setenv("KB_STALE_DAYS", "1")
    page = html.unescape(Session("admin").get("/content").text)
    assert oldest.id in page and "vérifiée il y a" in page
