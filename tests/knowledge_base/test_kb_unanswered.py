"""Unanswered questions are counted without personal details."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from appdb import session_scope
from knowledge_base.models import UnansweredQuestion
from knowledge_base.unanswered import record_unanswered, scrub


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Écrivez-moi à ana.lopez@example.com svp", "écrivez-moi à <email> svp"),
        ("My phone is +1 (514) 555-1234.", "my phone is <phone>"),
        ("appelez au 514.555.1234 ou 438 555 0000", "appelez au <phone> ou <phone>"),
        ("Mon NAS est 123 456 789", "mon nas est <phone>"),
        ("J'ai 34 ans et 2 enfants", "j'ai <number> ans et <number> enfants"),
        ("Je m'appelle Ana Lopez et je veux une coop", "je m'appelle <name> et je veux une coop"),
        ("je m’appelle Moussa, j'ai une question", "je m’appelle <name>, j'ai une question"),
        ("Hi, my name is John Smith. What is a coop?", "hi, my name is <name>. what is a coop"),
        ("My name is Li and I want to start", "my name is <name> and i want to start"),
        ("Mon nom est Marie-Ève Tremblay", "mon nom est <name>"),
        ("je m appelle Ana pis j'ai une question", "je m appelle <name> pis j'ai une question"),
        ("jmappelle Ana", "jmappelle <name>"),
        ("my names Omar", "my names <name>"),
        ("see https://example.org/my-page now", "see <url> now"),
        ("  Quelle   est la RÉSERVE ?? ", "quelle est la réserve"),
    ],
)
def test_scrub(question, expected):
    assert scrub(question) == expected


def test_scrub_limits_length():
    assert len(scrub("mot " * 200)) <= 300


def test_record_counts_and_stores_no_personal_details(sqlite_db):
    first = record_unanswered("My name is John Smith, email john@example.com: coop taxes?", "en")
    record_unanswered("My name is Jane Doe, email jane@example.org: coop taxes?", "en", topic="tax")
    record_unanswered("coop taxes?", "fr")
    with session_scope() as session:
        rows = session.execute(select(UnansweredQuestion).order_by(UnansweredQuestion.id)).scalars()
        rows = list(rows)
    assert first == "my name is <name>, email <email>: coop taxes"
    assert [(r.question, r.lang, r.count, r.topic) for r in rows] == [
        (first, "en", 2, "tax"),
        ("coop taxes", "fr", 1, None),
    ]
    stored = " ".join(r.question for r in rows)
    for secret in ("john", "smith", "jane", "example"):
        assert secret not in stored
    assert rows[0].last_seen >= rows[0].first_seen


def test_record_empty_question_without_topic_is_ignored(sqlite_db):
    assert record_unanswered("   ", "fr") == ""
    with session_scope() as session:
        assert session.execute(select(UnansweredQuestion)).first() is None
