"""Shared fixtures: the small fixture knowledge base and a throw-away SQLite app database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import appdb
from appdb.migrate import upgrade

HERE = Path(__file__).resolve().parent
FIXTURE_CONTENT = HERE / "fixtures" / "content"


@pytest.fixture(scope="session")
def kb():
    from knowledge_base.search import KnowledgeBase

    return KnowledgeBase.from_directory(FIXTURE_CONTENT)


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture()
def sqlite_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DATABASE_URL pointing at a fresh, migrated SQLite file for this test only."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    appdb.reset_engine()
    upgrade(url)
    yield url
    appdb.reset_engine()
