"""Fixtures of the privacy tests: a migrated app database and a tracker store with Rasa's
``events`` layout (both SQLite, or both PostgreSQL when reachable), temporary export and mail
folders, and helpers that write made-up people into every store."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import appdb
from appdb.migrate import upgrade
from handoff.dossier import ConsentAnswers, DossierRequest
from handoff.models import Organisation
from handoff.store import create_dossier
from tests.support import postgres_databases

# Made-up people: after an erasure, none of this may be found anywhere.
NAME = "Philomène Tartempion"
EMAIL = "philomene.tartempion@example.org"
PHONE_TYPED = "(438) 555-0147"
PHONE = "+14385550147"
OTHER_NAME = "Gaspard Lenoir"
OTHER_EMAIL = "gaspard.lenoir@example.net"

# Rasa's SQLTrackerStore.SQLEvent, written by hand so that the tests need no Rasa import.
EVENTS_SQL = {
    "sqlite": "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
    "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
    "action_name VARCHAR(255), data TEXT)",
    "postgresql": "CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
    "type_name VARCHAR(255) NOT NULL, timestamp DOUBLE PRECISION, intent_name VARCHAR(255), "
    "action_name VARCHAR(255), data TEXT)",
}


def _postgres_databases(count: int) -> Iterator[list[str]]:
    with postgres_databases("privacy_test", count) as urls:
        yield urls


@dataclass
class Stores:
    kind: str
    app_url: str
    tracker_url: str
    exports: Path
    mail: Path

    def add_event(self, sender: str, type_name: str, at: datetime, **data: Any) -> None:
        payload = {"event": type_name, "timestamp": at.timestamp(), **data}
        engine = sa.create_engine(self.tracker_url, future=True)
        try:
            with engine.begin() as connection:
                connection.execute(
                    sa.text(
                        "INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                        "action_name, data) VALUES (:s, :t, :ts, :i, :a, :d)"
                    ),
                    {
                        "s": sender,
                        "t": type_name,
                        "ts": at.timestamp(),
                        "i": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                        "a": data.get("name") if type_name == "action" else None,
                        "d": json.dumps(payload),
                    },
                )
        finally:
            engine.dispose()

    def conversation(self, sender: str, start: datetime, text: str, reply: str) -> None:
        """A short exchange: session start, one user message, one bot reply, one slot."""
        self.add_event(sender, "action", start, name="action_session_start")
        self.add_event(
            sender,
            "user",
            start + timedelta(seconds=1),
            text=text,
            parse_data={"intent": {"name": "greet", "confidence": 0.9}},
            metadata={"language": "fr"},
        )
        self.add_event(sender, "bot", start + timedelta(seconds=2), text=reply)
        self.add_event(sender, "slot", start + timedelta(seconds=3), name="language", value="fr")

    def senders(self) -> dict[str, int]:
        engine = sa.create_engine(self.tracker_url, future=True)
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    sa.text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id")
                )
                return {sender: count for sender, count in rows}
        finally:
            engine.dispose()

    def dump(self) -> str:
        """Every row of both databases as text, for full-text searches."""
        chunks: list[str] = []
        for url in (self.app_url, self.tracker_url):
            engine = sa.create_engine(url, future=True)
            try:
                with engine.connect() as connection:
                    for table in sa.inspect(connection).get_table_names():
                        rows = connection.execute(sa.text(f'SELECT * FROM "{table}"'))  # noqa: S608
                        chunks.extend(repr(tuple(row)) for row in rows)
            finally:
                engine.dispose()
        return "\n".join(chunks)


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stores]:
    """Fresh app database (migrated) and tracker store of one kind, for this test only."""
    yield from _stores(request.param, tmp_path, monkeypatch)


@pytest.fixture()
def sqlite_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stores]:
    yield from _stores("sqlite", tmp_path, monkeypatch)


def _stores(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stores]:
    postgres: Iterator[list[str]] | None = None
    if kind == "sqlite":
        app_url = f"sqlite:///{tmp_path / 'app.db'}"
        tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    else:
        postgres = _postgres_databases(2)
        app_url, tracker_url = next(postgres)
    engine = sa.create_engine(tracker_url, future=True)
    with engine.begin() as connection:
        connection.execute(sa.text(EVENTS_SQL[kind]))
    engine.dispose()
    for name in ("SMTP_HOST", "HANDOFF_SHARED_INTAKE", "CONSOLE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name in list(os.environ):
        if name.startswith("PRIVACY_RETENTION_"):
            monkeypatch.delenv(name)
    exports, mail = tmp_path / "exports", tmp_path / "mail"
    exports.mkdir()
    mail.mkdir()
    monkeypatch.setenv("DATABASE_URL", app_url)
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_url)
    monkeypatch.setenv("PRIVACY_EXPORT_DIR", str(exports))
    monkeypatch.setenv("HANDOFF_MAIL_DIR", str(mail))
    appdb.reset_engine()
    upgrade(app_url)
    with appdb.session_scope() as session:
        session.add(Organisation(key="cdrq", name="CDRQ", active=True, on_console=True))
    yield Stores(kind, app_url, tracker_url, exports, mail)
    appdb.reset_engine()
    if postgres is not None:
        next(postgres, None)  # drops the scratch databases


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)


def make_dossier(
    sender_id: str = "sender-philomene",
    name: str = NAME,
    email: str = EMAIL,
    **overrides: Any,
) -> str:
    """Store a dossier with made-up personal details; returns its reference."""
    fields: dict[str, Any] = {
        "channel": "rest",
        "sender_id": sender_id,
        "language": "fr",
        "trigger": "user_request",
        "consent": ConsentAnswers(
            share_summary=True, share_transcript=True, wording_version="2026-11-v1"
        ),
        "region_code": "06",
        "organisation_key": "cdrq",
        "reason": "cooperative",
        "project_summary": f"{name} veut fonder une coopérative",
        "screening_summary": {"verdict": "strong"},
        "contact_method": "email",
        "contact_value": email,
        "availability": "le matin",
        "transcript": [{"who": "user", "text": f"Je suis {name}", "at": "2026-11-26T10:00:00Z"}],
    }
    fields.update(overrides)
    return create_dossier(DossierRequest(**fields)).reference
