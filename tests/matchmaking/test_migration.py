"""Revision 0007_matchmaking matches the models, and goes down and up, on SQLite and PostgreSQL;
its checks hold in the database itself (one other side per introduction, known states)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from appdb.engine import build_engine
from appdb.migrate import alembic_config
from appdb.models import metadata
from tests.handoff.conftest import postgres_url  # noqa: F401 - fixture

TABLES = {"match_profile", "match_project", "match_introduction", "match_note"}
REVISION = "0007_matchmaking"


def _tables(url: str) -> set[str]:
    engine = build_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _check(url: str) -> None:
    config = alembic_config(url)
    command.upgrade(config, REVISION)
    assert TABLES <= _tables(url)
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = [d for d in compare_metadata(context, metadata) if "match_" in repr(d)]
        assert diff == [], f"models and migration differ: {diff}"
        now = "2026-12-03 10:00:00+00:00"
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO match_profile (reference, sender_id, channel, language, status,"
                    " created_at, updated_at, last_activity_at, consent_wording_version,"
                    " notice_version, consented_at) VALUES ('MP-AAAA-AAAA', 's', 'rest', 'fr',"
                    " 'active', :now, :now, :now, 'v1', '3', :now)"
                ),
                {"now": now},
            )
        # Neither a second profile nor a project: refused by the check constraint.
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO match_introduction (reference, created_at, updated_at,"
                    " proposed_by, profile_a_id, state) SELECT 'MI-AAAA-AAAA',"
                    " :now, :now, 'paul', id, 'proposed' FROM match_profile"
                ),
                {"now": now},
            )
    finally:
        engine.dispose()
    command.downgrade(config, "0006")
    assert not TABLES & _tables(url)
    assert "consent" in _tables(url)
    command.upgrade(config, REVISION)
    assert TABLES <= _tables(url)


def test_sqlite(tmp_path) -> None:
    _check(f"sqlite:///{tmp_path / 'migrations.db'}")


def test_postgresql(postgres_url: str) -> None:  # noqa: F811
    _check(postgres_url)
