"""scripts/run.py keeps each process's log under a size limit (rotation, a few old files)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_run_script():
    spec = importlib.util.spec_from_file_location("coopilote_run", ROOT / "scripts" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_process_logs_rotate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPILOTE_LOG_MAX_BYTES", "2000")
    monkeypatch.setenv("COOPILOTE_LOG_BACKUPS", "2")
    log = load_run_script().rotating_log(tmp_path / "rasa.log")
    for i in range(200):
        log.info(f"line {i:04d} " + "x" * 40)
    for handler in log.handlers:
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["rasa.log", "rasa.log.1", "rasa.log.2"]
    assert all(p.stat().st_size <= 2000 for p in tmp_path.iterdir())
    assert "line 0199" in (tmp_path / "rasa.log").read_text()


def test_malformed_limits_fall_back_to_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    run = load_run_script()
    monkeypatch.setenv("COOPILOTE_LOG_MAX_BYTES", "ten megabytes")
    monkeypatch.setenv("COOPILOTE_LOG_BACKUPS", "-1")
    assert run._positive("COOPILOTE_LOG_MAX_BYTES", 10) == 10
    assert run._positive("COOPILOTE_LOG_BACKUPS", 5) == 5
