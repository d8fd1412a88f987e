"""Fixtures' building blocks shared by every test folder.

PostgreSQL: the server comes from ONE variable, ``COOPILOTE_TEST_POSTGRES`` (a server URL without
a database, default ``postgresql://postgres@127.0.0.1:5432``). Each test gets throw-away
databases on it; a test skips, saying why, when no server answers.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

POSTGRES_ENV = "COOPILOTE_TEST_POSTGRES"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432"


def postgres_server() -> str:
    """The PostgreSQL server the tests use (no database in the URL)."""
    return (os.environ.get(POSTGRES_ENV, "").strip() or DEFAULT_POSTGRES).rstrip("/")


@contextmanager
def postgres_databases(prefix: str, count: int = 1) -> Iterator[list[str]]:
    """``count`` new empty databases (their URLs), dropped afterwards; skips without a server."""
    server = postgres_server()
    admin = sa.create_engine(
        f"{server}/postgres",
        future=True,
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    names = [f"{prefix}_{uuid.uuid4().hex[:10]}" for _ in range(count)]
    try:
        with admin.connect() as connection:
            for name in names:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        admin.dispose()
        reason = f"PostgreSQL unreachable at {server}: {type(error.orig).__name__}"
        print(reason, file=sys.stderr)
        pytest.skip(reason)
    try:
        yield [f"{server}/{name}" for name in names]
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
