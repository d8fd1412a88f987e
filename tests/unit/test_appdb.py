"""The app database module: engine settings, UTC datetimes, migrations on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, select, text

import appdb
from appdb.base import UTCDateTime
from appdb.engine import build_engine, database_url
from appdb.migrate import upgrade
from appdb.models import metadata
from tests.support import postgres_databases


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    appdb.reset_engine()
    yield url
    appdb.reset_engine()


@pytest.fixture
def postgres_url(monkeypatch):
    with postgres_databases("coopilote_test") as urls:
        monkeypatch.setenv("DATABASE_URL", urls[0])
        appdb.reset_engine()
        yield urls[0]
        appdb.reset_engine()


def test_default_is_a_sqlite_file_under_var(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url().startswith("sqlite:///") and database_url().endswith("var/coopilote.db")


def test_heroku_style_postgres_urls_are_understood(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/app")
    assert database_url() == "postgresql://u:p@db:5432/app"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_url):
    with appdb.get_engine().connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_session_scope_commits_and_rolls_back(sqlite_url):
    table = Table("probe", MetaData(), Column("id", Integer, primary_key=True))
    table.metadata.create_all(appdb.get_engine())
    with appdb.session_scope() as session:
        session.execute(table.insert().values(id=1))
    with pytest.raises(RuntimeError):
        with appdb.session_scope() as session:
            session.execute(table.insert().values(id=2))
            raise RuntimeError("boom")
    with appdb.session_scope() as session:
        assert session.execute(select(table.c.id)).scalars().all() == [1]


def test_utc_datetimes_come_back_aware(sqlite_url):
    table = Table(
        "stamps", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime())
    )
    table.metadata.create_all(appdb.get_engine())
    montreal = timezone(timedelta(hours=-5))
    moment = datetime(2026, 11, 26, 8, 30, tzinfo=montreal)
    with appdb.session_scope() as session:
        session.execute(table.insert().values(id=1, at=moment))
    with appdb.session_scope() as session:
        stored = session.execute(select(table.c.at)).scalar_one()
    assert stored.tzinfo is not None and stored == moment


def test_naive_datetimes_are_refused(sqlite_url):
    table = Table(
        "stamps2", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime())
    )
    table.metadata.create_all(appdb.get_engine())
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        with appdb.session_scope() as session:
            session.execute(table.insert().values(id=1, at=datetime(2026, 1, 1)))


def _assert_schema_matches_models(url: str) -> None:
    engine = build_engine(url)
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert version is not None
    assert diff == [], f"models and migrations differ: {diff}"


def test_migrations_on_sqlite_match_the_models_and_run_twice(sqlite_url):
    upgrade(sqlite_url)
    upgrade(sqlite_url)
    _assert_schema_matches_models(sqlite_url)


def test_migrations_on_postgresql_match_the_models(postgres_url):
    upgrade(postgres_url)
    _assert_schema_matches_models(postgres_url)


def test_migrations_never_touch_rasa_tables(sqlite_url):
    engine = appdb.get_engine()
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT)"))
    upgrade(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM events")).scalar() == 0


def test_appdb_imports_no_other_package_and_registers_every_table_owner():
    import ast
    from pathlib import Path

    from appdb.models import register_tables

    others = {"bot", "console", "handoff", "knowledge_base", "matchmaking", "privacy", "screening"}
    for path in Path(appdb.__file__).parent.rglob("*.py"):
        if "versions" in path.parts:
            continue  # migrations are frozen history
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not {n.split(".")[0] for n in names} & others, f"{path} imports {names}"
    assert register_tables() == ["console", "handoff", "knowledge_base", "matchmaking", "privacy"]
    assert {"console_user", "handoff_dossier", "confidentiality_incident"} <= set(metadata.tables)
