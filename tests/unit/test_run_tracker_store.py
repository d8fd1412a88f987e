"""scripts/run.py puts a SQLite tracker store in write-ahead-log mode, and no other store."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_run_script():
    spec = importlib.util.spec_from_file_location("coopilote_run", ROOT / "scripts" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def journal_mode(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    connection.close()
    return mode


def test_sqlite_tracker_store_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "var" / "tracker.db"
    assert load_run_script().sqlite_tracker_wal(f"sqlite:///{path}") == path
    # A setting of the file: every later connection (Rasa's) gets it.
    assert journal_mode(path) == "wal"


def test_other_tracker_stores_are_left_alone() -> None:
    run = load_run_script()
    assert run.sqlite_tracker_wal("postgresql://coopilote@127.0.0.1:5432/tracker") is None
    assert run.sqlite_tracker_wal("sqlite:///") is None
