"""The daily scheduler (clock and stop injected), the CLI's purge, and revision 0005."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import exc, inspect

from appdb.engine import build_engine
from appdb.migrate import alembic_config
from appdb.models import metadata
from privacy.__main__ import main
from privacy.scheduler import next_run, run_forever, run_once
from tests.privacy.conftest import Stores

EST = timezone(timedelta(hours=-5))


def test_next_run_is_the_coming_hour() -> None:
    assert next_run(datetime(2026, 11, 26, 2, 59, tzinfo=EST), 3) == datetime(
        2026, 11, 26, 3, tzinfo=EST
    )
    assert next_run(datetime(2026, 11, 26, 3, 0, tzinfo=EST), 3) == datetime(
        2026, 11, 27, 3, tzinfo=EST
    )


def test_scheduler_runs_daily_and_stops() -> None:
    stop = threading.Event()
    times = iter(
        datetime(2026, 11, 26, 2, tzinfo=EST) + timedelta(hours=h) for h in range(0, 200, 12)
    )
    runs: list[int] = []

    def action() -> None:
        runs.append(1)
        if len(runs) == 3:
            stop.set()

    run_forever(hour=3, stop=stop, clock=lambda: next(times), action=action)
    assert len(runs) == 3


def test_unreachable_store_is_retried_not_fatal() -> None:
    def failing() -> None:
        raise exc.OperationalError("SELECT 1", {}, Exception("down"))

    assert run_once(failing) is False
    assert run_once(lambda: None) is True


def test_cli_purge_dry_run(sqlite_stores: Stores, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["purge", "--dry-run"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dry_run"] is True and report["trigger"] == "retention"
    assert main(["retention"]) == 0
    assert json.loads(capsys.readouterr().out)["export_file"] == 7


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_revision_0005_matches_the_models(kind: str, tmp_path, request) -> None:
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'm.db'}"
    else:
        from tests.privacy.conftest import _postgres_databases

        databases = _postgres_databases(1)
        [url] = next(databases)
        request.addfinalizer(lambda: next(databases, None))
    config = alembic_config(url)
    command.upgrade(config, "head")
    engine = build_engine(url)
    try:
        assert {"destruction_log", "confidentiality_incident"} <= set(
            inspect(engine).get_table_names()
        )
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        command.downgrade(config, "0004")
        tables = set(inspect(engine).get_table_names())
        assert not {"destruction_log", "confidentiality_incident"} & tables
        command.upgrade(config, "head")
    finally:
        engine.dispose()


def test_the_package_never_imports_rasa() -> None:
    import subprocess
    import sys

    code = (
        "import sys, privacy.__main__, privacy.retention, privacy.erasure, privacy.export, "
        "privacy.incidents, privacy.scheduler\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk'))\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
