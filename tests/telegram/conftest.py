"""A bridge process (python -m bot.telegram) between a fake Telegram and the real servers."""

from __future__ import annotations

import html
import itertools
import os
import random
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.domain_texts import classify, is_notice
from tests.e2e.conftest import RASA_PORT, Servers, servers  # noqa: F401 - the real servers
from tests.support.processes import free_port
from tests.support.waiting import wait_until as support_wait_until
from tests.telegram.fake_telegram import FakeTelegram, callback_update, message_update

ROOT = Path(__file__).resolve().parents[2]
HANDLED_TIMEOUT_S = 90
_chat_ids = itertools.count(random.randint(10_000_000, 90_000_000))  # noqa: S311


def plain(sent_text: str) -> str:
    """A sent HTML message back to the domain's plain text (to tell which response it is)."""
    return html.unescape(sent_text).replace("• ", "- ")


def names(messages: list[dict]) -> list[str | None]:
    return [(classify(plain(m["text"])) or (None, None))[0] for m in messages]


def languages(messages: list[dict]) -> set[str | None]:
    return {(classify(plain(m["text"])) or (None, None))[1] for m in messages}


def answers(messages: list[dict], keep_notice: bool = False) -> list[dict]:
    if keep_notice:
        return messages
    return [m for m in messages if not is_notice(plain(m.get("text") or ""))]


def wait_until(predicate, timeout: float = HANDLED_TIMEOUT_S, what: str = "condition"):
    """``tests.support.waiting.wait_until`` with the bridge's own default timeout."""
    return support_wait_until(predicate, timeout, what)


@dataclass
class Bridge:
    fake: FakeTelegram
    servers: Servers
    mode: str
    process: subprocess.Popen
    log: Path
    webhook_secret: str | None = None
    updates: list[dict] = field(default_factory=list)
    posts: dict[int, list] = field(default_factory=dict)  # webhook mode: delivery threads

    # ---- sending like Telegram ------------------------------------------------------------
    def deliver(self, update: dict) -> dict:
        self.updates.append(update)
        if self.mode == "polling":
            self.fake.push(update)
        else:
            self.posts.setdefault(update["update_id"], []).append(self.fake.deliver(update))
        return update

    def text(self, chat_id: int, text: str, language_code: str | None = "fr") -> dict:
        return self.deliver(message_update(self.fake, chat_id, language_code, text=text))

    def tap(self, chat_id: int, callback_data: str, language_code: str | None = "fr") -> dict:
        update = callback_update(self.fake, chat_id, language_code, callback_data, {})
        return self.deliver(update)

    # ---- waiting for the bridge -----------------------------------------------------------
    def handled(self, update: dict) -> bool:
        update_id = update["update_id"]
        if self.mode == "polling":  # confirmed by a later getUpdates offset
            return any(offset > update_id for offset in self.fake.poll_offsets)
        # Every delivery of it answered (a duplicate is answered at once, the first when done).
        if any(thread.is_alive() for thread in self.posts.get(update_id, [])):
            return False
        return any(p.update_id == update_id and p.status == 200 for p in self.fake.webhook_posts)

    def wait_handled(self, update: dict, timeout: float = HANDLED_TIMEOUT_S) -> None:
        wait_until(lambda: self.handled(update), timeout, f"update {update['update_id']}")

    def turn(
        self, chat_id: int, text: str, language_code: str | None = "fr", keep_notice: bool = False
    ) -> list[dict]:
        """Sends ``text`` and returns the messages the bridge sent back for it (without the
        privacy notice that opens a conversation, unless ``keep_notice``)."""
        before = len(self.fake.sent_to(chat_id))
        self.wait_handled(self.text(chat_id, text, language_code))
        return answers(self.fake.sent_to(chat_id)[before:], keep_notice)

    def turn_update(self, chat_id: int, update: dict, keep_notice: bool = False) -> list[dict]:
        before = len(self.fake.sent_to(chat_id))
        self.wait_handled(self.deliver(update))
        return answers(self.fake.sent_to(chat_id)[before:], keep_notice)

    def tap_turn(
        self,
        chat_id: int,
        callback_data: str,
        language_code: str | None = "fr",
        keep_notice: bool = False,
    ):
        before = len(self.fake.sent_to(chat_id))
        self.wait_handled(self.tap(chat_id, callback_data, language_code))
        return answers(self.fake.sent_to(chat_id)[before:], keep_notice)

    def tracker_user_texts(self, chat_id: int) -> list[str]:
        reply = requests.get(
            f"{self.servers.base_url}/conversations/tg-{chat_id}/tracker",
            params={"token": self.servers.token},
            timeout=30,
        )
        reply.raise_for_status()
        return [e.get("text") for e in reply.json()["events"] if e.get("event") == "user"]

    def tracker(self, chat_id: int) -> dict:
        reply = requests.get(
            f"{self.servers.base_url}/conversations/tg-{chat_id}/tracker",
            params={"token": self.servers.token},
            timeout=30,
        )
        reply.raise_for_status()
        return reply.json()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def new_chat() -> int:
    return next(_chat_ids)


def start_bridge(rasa: Servers, work: Path, mode: str, **extra_env: str):
    fake = FakeTelegram().start()
    webhook_secret = secrets.token_urlsafe(24) if mode == "webhook" else None
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "TELEGRAM_MODE": mode,
        "TELEGRAM_POLL_TIMEOUT": "5",
        "RASA_BRIDGE_URL": f"http://127.0.0.1:{RASA_PORT}/webhooks/bridge/webhook",
        "BRIDGE_SHARED_SECRET": rasa.bridge_secret,
        "TELEGRAM_RATE_BURST": "8",
        "TELEGRAM_RATE_PER_MINUTE": "12",
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    if mode == "webhook":
        assert webhook_secret is not None
        port = free_port()
        env.update(
            TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/hook",
            TELEGRAM_WEBHOOK_SECRET=webhook_secret,
            TELEGRAM_WEBHOOK_PORT=str(port),
        )
    log = work / f"bridge-{mode}-{time.monotonic_ns()}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.telegram"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    bridge = Bridge(fake, rasa, mode, process, log, webhook_secret)

    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"the bridge exited:\n{log.read_text()[-3000:]}")
        if mode == "polling":
            return bool(fake.poll_offsets)
        return fake.webhook is not None

    wait_until(ready, 60, "the bridge to start")
    return bridge


def stop_bridge(bridge: Bridge) -> None:
    if bridge.process.poll() is None:
        os.killpg(bridge.process.pid, signal.SIGTERM)
        try:
            bridge.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(bridge.process.pid, signal.SIGKILL)
    bridge.fake.stop()


@pytest.fixture(scope="module", params=["polling", "webhook"])
def bridge(request, servers, tmp_path_factory):  # noqa: F811 - servers comes from tests/e2e
    """One bridge per test module and mode; a module's BRIDGE_ENV adds settings."""
    extra_env = getattr(request.module, "BRIDGE_ENV", {})
    work = tmp_path_factory.mktemp("telegram")
    started = start_bridge(servers, work, request.param, **extra_env)
    yield started
    stop_bridge(started)


@pytest.fixture(params=["polling", "webhook"])
def bridge_factory(request, servers, tmp_path):  # noqa: F811
    """Starts a bridge with extra settings in the mode of the test's parameter."""
    started: list[Bridge] = []

    def start(**extra_env: str) -> Bridge:
        started.append(start_bridge(servers, tmp_path, request.param, **extra_env))
        return started[-1]

    yield start
    for item in started:
        stop_bridge(item)
