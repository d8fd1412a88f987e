"""The embedded background work: three loops in one process, stopped together."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location("background", ROOT / "scripts" / "background.py")
assert _SPEC is not None and _SPEC.loader is not None
background = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(background)


def test_a_failing_loop_stops_the_others_and_the_process_says_so(monkeypatch) -> None:
    stopped: list[str] = []

    def fake_loops(stop: threading.Event) -> dict:
        def waits() -> None:
            stop.wait(30)
            stopped.append("waited")

        def fails() -> None:
            raise RuntimeError("the outbox table is gone")

        return {"notifier": waits, "privacy scheduler": fails, "follow-up reminders": waits}

    monkeypatch.setattr(background, "loops", fake_loops)
    assert background.run(threading.Event()) == 1
    assert stopped == ["waited", "waited"]


def test_the_three_loops_run_in_one_process_and_stop_on_sigterm(tmp_path: Path) -> None:
    log = tmp_path / "background.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "HANDOFF_MAIL_DIR": str(tmp_path / "mail"),
        "PRIVACY_EXPORT_DIR": str(tmp_path / "export"),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "background.py")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        started = ("notifier started", "privacy scheduler started", "follow-up reminders started")
        wait_until(
            lambda: all(s in log.read_text() for s in started), timeout=60, what="three loops"
        )
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    text = log.read_text()
    for stopped in ("notifier stopped", "privacy scheduler stopped", "follow-up reminders stopped"):
        assert stopped in text
