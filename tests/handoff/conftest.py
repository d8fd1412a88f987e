"""Fixtures of the handoff tests: a migrated app database (SQLite, and PostgreSQL when reachable),
seeded organisations, and a request builder with made-up personal details."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

import appdb
from appdb.migrate import upgrade
from handoff.dossier import ConsentAnswers, DossierRequest
from handoff.models import Organisation
from tests.support import postgres_databases

# Made-up personal details: tests check they never reach a log line or an email.
NAME = "Zébulon Quatremains"
EMAIL = "zebulon.quatremains@example.org"
PHONE_TYPED = "(514) 555-0199"
PHONE = "+15145550199"
PROJECT = f"{NAME} veut fonder une coopérative de boulangerie à Verdun"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("SMTP_HOST", "HANDOFF_SHARED_INTAKE", "CONSOLE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HANDOFF_MAIL_DIR", str(tmp_path / "mail"))


def _postgres_database() -> Iterator[str]:
    with postgres_databases("handoff_test") as urls:
        yield urls[0]


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DATABASE_URL at a fresh, migrated database of each kind, for this test only."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'app.db'}"])
    else:
        urls = _postgres_database()
    url = next(urls)
    monkeypatch.setenv("DATABASE_URL", url)
    appdb.reset_engine()
    upgrade(url)
    yield url
    appdb.reset_engine()
    next(urls, None)  # drops the PostgreSQL database


@pytest.fixture()
def sqlite_db(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    appdb.reset_engine()
    upgrade(url)
    yield url
    appdb.reset_engine()


def add_organisations(*rows: dict[str, Any]) -> None:
    with appdb.session_scope() as session:
        for row in rows:
            session.add(Organisation(**{"active": True, "on_console": False, **row}))


@pytest.fixture()
def organisations(database: str) -> str:
    add_organisations(
        {"key": "cdrq", "name": "CDRQ", "on_console": True},
        {"key": "cdrq-montreal-laval", "name": "CDRQ – Montréal-Laval"},
        {"key": "promis", "name": "PROMIS", "intake_email": "accueil@promis.example"},
        {"key": "ancienne", "name": "Ancienne", "active": False},
    )
    return database


def make_request(
    *, summary: bool = True, transcript: bool = True, **overrides: Any
) -> DossierRequest:
    fields: dict[str, Any] = {
        "channel": "rest",
        "sender_id": "sender-42",
        "language": "fr",
        "trigger": "user_request",
        "consent": ConsentAnswers(
            share_summary=summary, share_transcript=transcript, wording_version="2026-11-v1"
        ),
        "region_code": "06",
        "organisation_key": "cdrq",
        "reason": "cooperative",
        "project_summary": PROJECT,
        "screening_summary": {
            "verdict": "strong",
            "factors": ["group_of_three"],
            "answers": [{"asked": "Combien êtes-vous?", "typed": "trois", "understood": 3}],
        },
        "contact_method": "email",
        "contact_value": EMAIL,
        "availability": "en semaine, le matin",
        "transcript": [
            {"who": "user", "text": f"Je m'appelle {NAME}", "at": "2026-11-26T10:00:00+00:00"},
            {"who": "bot", "text": "Bonjour!", "at": "2026-11-26T10:00:01+00:00"},
        ],
    }
    fields.update(overrides)
    return DossierRequest(**fields)


def replace_consent(request: DossierRequest, **changes: Any) -> DossierRequest:
    return dataclasses.replace(request, consent=dataclasses.replace(request.consent, **changes))
