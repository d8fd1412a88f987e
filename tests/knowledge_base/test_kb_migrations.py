"""The knowledge-base revision goes up and down on SQLite and PostgreSQL and matches the models."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from appdb.engine import build_engine
from appdb.migrate import alembic_config
from appdb.models import metadata
from tests.support import postgres_databases

TABLES = {"kb_entry", "unanswered_question"}


def _check(url: str) -> None:
    config = alembic_config(url)
    command.upgrade(config, "head")
    engine = build_engine(url)
    try:
        assert TABLES <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        engine.dispose()
    command.downgrade(config, "0001")
    engine = build_engine(url)
    try:
        assert not TABLES & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    command.upgrade(config, "head")


def test_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path / 'migrations.db'}")


@pytest.fixture()
def postgres_url():
    with postgres_databases("kb_test") as urls:
        yield urls[0]


def test_postgresql(postgres_url):
    _check(postgres_url)
