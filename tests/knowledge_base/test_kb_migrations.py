"""The knowledge-base revision goes up and down on SQLite and PostgreSQL and matches the models."""

from __future__ import annotations

import os
import sys
import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from appdb.engine import build_engine
from appdb.migrate import alembic_config
from appdb.models import metadata

PG_SERVER = os.environ.get("KB_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
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
    admin = create_engine(
        PG_SERVER, future=True, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"kb_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure means no server to test against
        admin.dispose()
        reason = f"PostgreSQL unreachable at {PG_SERVER}: {type(exc).__name__}"
        print(reason, file=sys.stderr)
        pytest.skip(reason)
    yield PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgresql(postgres_url):
    _check(postgres_url)
