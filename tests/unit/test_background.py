"""The background work: three loops in one process (the web app's under ``make run``, or their
own), stopped together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from subprocess import Popen

import pytest

from console import background
from tests.support.processes import free_port, wait_for_url
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


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


def _environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "HANDOFF_MAIL_DIR": str(tmp_path / "mail"),
        "PRIVACY_EXPORT_DIR": str(tmp_path / "export"),
    }


LOOPS = ("notifier", "privacy scheduler", "follow-up reminders")


@contextmanager
def loops_process(command: list[str], env: dict[str, str], log: Path) -> Iterator[Popen]:
    """``command`` running until its three loops have started; then SIGTERM stops it with status
    0, and each loop says it stopped."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(
            lambda: all(f"{loop} started" in log.read_text() for loop in LOOPS),
            timeout=60,
            what="three loops",
        )
        yield process
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    text = log.read_text()
    for loop in LOOPS:
        assert f"{loop} stopped" in text


def test_the_three_loops_run_in_one_process_and_stop_on_sigterm(tmp_path: Path) -> None:
    command = [sys.executable, str(ROOT / "scripts" / "background.py")]
    with loops_process(command, _environment(tmp_path), tmp_path / "background.log"):
        pass


def test_make_run_serves_the_web_app_and_runs_the_loops_in_one_process(tmp_path: Path) -> None:
    # scripts/run.py starts `python -m console --background`: the web app answers, the three
    # loops run (their lines reach the log), and SIGTERM stops the server and the loops.
    log = tmp_path / "console.log"
    port = free_port()
    env = {**_environment(tmp_path), "CONSOLE_PORT": str(port)}
    with loops_process([sys.executable, "-m", "console", "--background"], env, log) as process:
        wait_for_url(f"http://127.0.0.1:{port}/health", process, log, timeout=60, what="web app")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as reply:
            assert reply.status == 200
        # The loops' log filter is not on uvicorn's access log: its formatter needs the
        # record's arguments as they are (a "Logging error" traceback per request otherwise).
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/%ff?q=%fe", timeout=5)
        assert refused.value.code == 404
        wait_until(lambda: '?q=%fe HTTP/1.1" 404' in log.read_text(), timeout=10, what="access")
    text = log.read_text()
    assert "Traceback" not in text and "Logging error" not in text


def test_a_failing_loop_stops_the_web_app_with_status_1(monkeypatch, tmp_path: Path) -> None:
    from console.__main__ import serve
    from console.settings import Settings

    def fake_loops(stop: threading.Event) -> dict:
        def fails() -> None:
            raise RuntimeError("the outbox table is gone")

        return {"notifier": lambda: stop.wait(30), "privacy scheduler": fails}

    monkeypatch.setattr(background, "loops", fake_loops)
    for name, value in _environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CONSOLE_PORT", str(free_port()))
    assert serve(Settings.from_environment(), background=True) == 1
