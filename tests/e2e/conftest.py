"""Starts the real servers with the README's start script (scripts/run.py) on spare ports, once
per run, as the run begins (tests/conftest.py runs the tests that need them last)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.domain_texts import classify, is_notice
from tests.e2e.tcp_proxy import TcpProxy
from tests.support.processes import (
    free_port,
    stop_process_group,  # noqa: F401 (imported from here)
    wait_for_url,
)
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
RASA_PORT = int(os.environ.get("E2E_RASA_PORT", "5105"))
ACTION_PORT = int(os.environ.get("E2E_ACTION_PORT", "5155"))
# scripts/run.py also starts the web app: keep it off the default 8000.
CONSOLE_PORT = RASA_PORT + 3000
STARTUP_TIMEOUT_S = 420
# The browser tests' own web app (tests/browser) serves the widget from this origin: the servers
# allow it on socket.io, beside the partner origin of tests/e2e. In the environment so that every
# import of this module agrees on it.
WEB_PORT = int(os.environ.setdefault("BROWSER_WEB_PORT", str(free_port())))
WEB_ORIGIN = f"http://127.0.0.1:{WEB_PORT}"
# Lines that Servers.settled_logs has the servers log (bot/channels/socketio.py,
# bot/action_server.py).
RASA_MARK = "socketio: malformed packet dropped"
ACTIONS_MARK = "refused an action call without the shared secret"


@dataclass
class Servers:
    base_url: str
    token: str
    log_dir: Path
    console_log: Path
    origin: str
    # The Telegram bridge's channel secret (tests/telegram start a bridge with it).
    bridge_secret: str = ""
    # The app database the servers write to (handoff dossiers, knowledge base).
    database_url: str = ""
    # Their working folder: tracker.db, app.db, exports/ and mail/ (the privacy tests search it).
    work: Path | None = None
    # The environment they were started with (tests that start one more process reuse it).
    env: dict[str, str] = field(default_factory=dict)
    # Rasa reaches the action server through this proxy: tests/e2e/test_handoff_outage.py points
    # it at an action server of its own for a while.
    action_proxy: TcpProxy | None = None

    def send(
        self,
        message,
        sender: str | None = None,
        metadata: dict | None = None,
        keep_notice: bool = False,
    ) -> list[dict]:
        """The replies to ``message``; the privacy notice that opens a conversation is left out
        unless ``keep_notice`` (tests/e2e/test_privacy_chat.py checks it)."""
        body = {"sender": sender or new_sender(), "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        reply = requests.post(f"{self.base_url}/webhooks/rest/webhook", json=body, timeout=60)
        assert reply.status_code == 200, reply.text
        replies = reply.json()
        if keep_notice:
            return replies
        return [r for r in replies if not is_notice(r.get("text") or "")]

    def all_logs(self) -> str:
        parts = [self.console_log.read_text(errors="replace")]
        parts += [p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log"))]
        return "\n".join(parts)

    def settled_logs(self) -> str:
        """``all_logs()`` once every line Rasa and the action server printed so far is in them.

        Each of the two is made to log a known line (a malformed socket.io packet; an action call
        without the shared secret), and the test waits for both in the console log: a process's
        lines reach the logs in order, its own log before the console log (scripts/run.py).
        """
        marks = {line: self.console_text().count(line) for line in (RASA_MARK, ACTIONS_MARK)}
        polling = f"{self.base_url}/socket.io/?EIO=4&transport=polling"
        headers = {"Origin": self.origin, "Content-Type": "text/plain;charset=UTF-8"}
        opened = requests.get(polling, headers=headers, timeout=30)
        opened.raise_for_status()
        sid = json.loads(opened.text[1:])["sid"]
        # Broken JSON in an event: dropped with one line.
        requests.post(f"{polling}&sid={sid}", data="42[", headers=headers, timeout=30)
        action_server = f"http://127.0.0.1:{self.env.get('ACTION_PORT', ACTION_PORT)}/webhook"
        assert requests.post(action_server, json={}, timeout=30).status_code == 401
        wait_until(
            lambda: all(self.console_text().count(line) > n for line, n in marks.items()),
            60,
            "Rasa's and the action server's marker lines in the logs",
            every=0.2,
        )
        return self.all_logs()

    def console_text(self) -> str:
        return self.console_log.read_text(errors="replace")


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex}"


def texts(replies: list[dict]) -> list[str]:
    return [r["text"] for r in replies if "text" in r]


def replies_language(replies: list[dict]) -> set[str | None]:
    """Languages of the replies; a reply that matches no domain variation counts as None."""
    return {(classify(t) or (None, None))[1] for t in texts(replies)}


def response_names(replies: list[dict]) -> list[str | None]:
    return [(classify(t) or (None, None))[0] for t in texts(replies)]


def _wait_until_ready(process: subprocess.Popen, console_log: Path, port: int = RASA_PORT) -> None:
    wait_for_url(
        f"http://127.0.0.1:{port}/webhooks/rest/",
        process,
        console_log,
        STARTUP_TIMEOUT_S,
        what="scripts/run.py",
        ready_line="Coopilote is running",
    )


@dataclass
class Launch:
    """scripts/run.py started with a test run's settings; the servers may not be ready yet."""

    servers: Servers
    process: subprocess.Popen
    stopped: bool = False

    def wait_until_ready(self) -> Servers:
        _wait_until_ready(self.process, self.servers.console_log)
        return self.servers

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        stop_process_group(self.process, signal.SIGINT)
        if self.servers.action_proxy is not None:
            self.servers.action_proxy.close()


def launch(work: Path) -> Launch:
    """Starts Coopilote with the README's start script (no training) on the test ports."""
    token = secrets.token_urlsafe(24)
    bridge_secret = secrets.token_urlsafe(24)
    origin = "http://partner.example"
    action_proxy = TcpProxy(ACTION_PORT).up()
    env = {
        **os.environ,
        "RASA_PORT": str(RASA_PORT),
        "ACTION_PORT": str(ACTION_PORT),
        "CONSOLE_PORT": str(CONSOLE_PORT),
        # Plain http on loopback in tests; production keeps Secure cookies (the default).
        "CONSOLE_COOKIE_SECURE": "false",
        "TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{work / 'app.db'}",
        "PRIVACY_EXPORT_DIR": str(work / "exports"),
        "HANDOFF_MAIL_DIR": str(work / "mail"),
        "COOPILOTE_LOG_DIR": str(work / "log"),
        "RASA_API_TOKEN": token,
        "SOCKETIO_ALLOWED_ORIGINS": f"{origin},{WEB_ORIGIN},http://localhost:{WEB_PORT}",
        "BRIDGE_SHARED_SECRET": bridge_secret,
        # Set here (not generated by scripts/run.py) so that tests' own servers share it.
        "ACTION_SERVER_SECRET": secrets.token_urlsafe(24),
        "SOCKETIO_SESSION_SECRET": secrets.token_urlsafe(24),
        # Every test conversation comes from 127.0.0.1: the per-address chat limit would stop
        # the run (the limits have tests of their own).
        "CHAT_MAX_PER_MINUTE_ADDRESS": "100000",
        # Simulated users and scripted tests type faster than people do.
        "CHAT_MAX_PER_MINUTE_CONVERSATION": "100000",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_proxy.port}/webhook",
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)  # tests start their own bridge, on a fake Telegram
    console_log = work / "console.log"
    with console_log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "run.py"), "--no-train"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    servers = Servers(
        base_url=f"http://127.0.0.1:{RASA_PORT}",
        token=token,
        log_dir=work / "log",
        console_log=console_log,
        origin=origin,
        bridge_secret=bridge_secret,
        database_url=env["DATABASE_URL"],
        work=work,
        env=env,
        action_proxy=action_proxy,
    )
    return Launch(servers, process)


def launch_early(config: pytest.Config) -> None:
    """Starts the servers as the run begins (tests/conftest.py calls this after collection): their
    start-up, about a minute and a half spent mostly loading Rasa's model, then overlaps the tests
    that need no server. The ``servers`` fixture takes them over; stopped at the end either way."""
    # What the tmp_path_factory fixture returns: the run's base temporary folder.
    # pytest sets it without declaring it on Config (_pytest/tmpdir.py does the same ignore).
    started = launch(config._tmp_path_factory.mktemp("e2e"))  # type: ignore[attr-defined]
    _launched.append(started)
    config.add_cleanup(started.stop)


# Started by launch_early, waiting for the fixture.
_launched: list[Launch] = []
# One set of servers per pytest run, even when another test folder's conftest imports the
# fixture (tests/telegram, tests/browser): pytest would otherwise start a second set on the same
# ports.
_running: list[Servers] = []


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[Servers]:
    if _running:
        yield _running[0]
        return
    started = _launched.pop() if _launched else launch(tmp_path_factory.mktemp("e2e"))
    try:
        _running.append(started.wait_until_ready())
        yield _running[0]
    finally:
        _running.clear()
        started.stop()
