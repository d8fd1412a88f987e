"""Fixtures of the matchmaking tests: a migrated SQLite app database per test, organisations,
and helpers that create consenting adult profiles."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import appdb
import matchmaking
from appdb.migrate import upgrade
from handoff.models import Organisation
from knowledge_base.encoder import HashingEncoder

CONSENT = matchmaking.ConsentGiven(True, wording_version="match-2026-12-v1", notice_version="3")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("matchmaking-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture()
def database(tmp_path, migrated_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    path = tmp_path / "app.db"
    shutil.copyfile(migrated_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    appdb.reset_engine()
    with appdb.session_scope() as session:
        for key, name in (("cdrq", "CDRQ"), ("promis", "PROMIS")):
            session.add(Organisation(key=key, name=name, active=True, on_console=False))
    yield url
    appdb.reset_engine()


@pytest.fixture()
def encoder() -> HashingEncoder:
    return HashingEncoder()


def make_profile(sender: str = "sender-1", **fields: Any) -> matchmaking.ProfileView:
    values: dict[str, Any] = {
        "intent": "own_project",
        "project_text": "Une coopérative de boulangerie artisanale à Montréal",
        "sector": "food",
        "region_code": "06",
        "reach": "neighbouring",
        "role": "worker",
        "languages": ["fr", "es"],
        "availability": "full_time",
        "contact_method": "email",
        "contact_value": f"{sender}@example.org",
    }
    values.update(fields)
    return matchmaking.create_profile(sender, "rest", "fr", CONSENT, age=30, **values)
