"""scripts/run.py starts the Rasa server before loading the app's data (its model takes longest to
load and needs neither), and a data step that fails stops the start, saying which."""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any

import pytest

from tests.unit.test_run_tracker_store import load_run_script


def test_a_failing_data_step_is_named(monkeypatch) -> None:
    run = load_run_script()
    ran: list[list[str]] = []

    def fake_run(cmd: list[str], **_kwargs: Any) -> SimpleNamespace:
        ran.append(cmd[2:])
        return SimpleNamespace(returncode=1 if "knowledge_base" in cmd else 0)

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    with pytest.raises(RuntimeError, match="loading the knowledge base content failed"):
        run.load_data()
    assert ran == [["appdb.migrate"], ["knowledge_base", "load"]]  # the seed does not run


def test_rasa_starts_before_the_data_is_loaded(monkeypatch, tmp_path) -> None:
    run = load_run_script()
    events: list[str] = []

    class Supervisor:
        def __init__(self, _log_dir: object) -> None:
            self.log_dir = tmp_path

        def start(self, name: str, _cmd: list[str]) -> None:
            events.append(f"start {name}")

        def stop(self) -> None:
            events.append("stop")

    def failing_load() -> None:
        events.append("load data")
        raise RuntimeError("migrating the app database failed (exit status 1)")

    # run.main() sets its defaults in the environment: in a copy, thrown away after the test.
    monkeypatch.setattr(os, "environ", os.environ.copy())
    monkeypatch.setenv("COOPILOTE_LOG_DIR", str(tmp_path))
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setattr(run, "VAR", tmp_path)
    monkeypatch.setattr(run.signal, "signal", lambda *_args: None)  # pytest keeps its handlers
    monkeypatch.setattr(run, "Supervisor", Supervisor)
    monkeypatch.setattr(run, "load_data", failing_load)
    monkeypatch.setattr(run, "train_when_needed", lambda train: None)
    monkeypatch.setattr(run.sys, "argv", ["run.py", "--no-train"])
    assert run.main() == 1
    assert events == ["start rasa", "load data", "stop"]
