"""Revision 0003 matches the models, and goes down and up, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from appdb.engine import build_engine
from appdb.migrate import alembic_config
from appdb.models import metadata

TABLES = {
    "organisation",
    "handoff_dossier",
    "consent",
    "dossier_note",
    "audit_event",
    "notification_outbox",
}


def _tables(url: str) -> set[str]:
    engine = build_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _check(url: str) -> None:
    config = alembic_config(url)
    command.upgrade(config, "head")
    assert TABLES <= _tables(url)
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        engine.dispose()
    command.downgrade(config, "0002")
    assert not TABLES & _tables(url)
    assert "kb_entry" in _tables(url)
    command.upgrade(config, "head")
    assert TABLES <= _tables(url)


def test_sqlite(tmp_path) -> None:
    _check(f"sqlite:///{tmp_path / 'migrations.db'}")


def test_postgresql(postgres_url) -> None:
    _check(postgres_url)
