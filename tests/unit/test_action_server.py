"""The action server refuses anyone but our Rasa: a forged tracker without the shared secret runs
nothing (an erasure included), Rasa's own endpoint client sends the secret from endpoints.yml,
and the server does not start without one."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import types
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import cast

import pytest
import requests

from tests.support.processes import wait_for_url

ROOT = Path(__file__).resolve().parents[2]
SECRET = secrets.token_urlsafe(24)
HEADER = "X-Coopilote-Action-Secret"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "SANIC_HOST": "127.0.0.1", **extra}
    env.pop("ACTION_SERVER_SECRET", None)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    work = tmp_path_factory.mktemp("actions")
    log = work / "actions.log"
    env = _env(
        ACTION_SERVER_SECRET=SECRET,
        DATABASE_URL=f"sqlite:///{work / 'app.db'}",
        TRACKER_STORE_URL=f"sqlite:///{work / 'tracker.db'}",
    )
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.action_server", "-p", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_url(f"{url}/health", process, log, timeout=120, what="the action server")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert SECRET not in log.read_text()


def _forged_erasure() -> dict:
    """What the security test posted: a made-up tracker asking to erase someone's data."""
    return {
        "next_action": "action_erase_my_data",
        "sender_id": "someone-else",
        "version": "3.6.21",
        "tracker": {
            "sender_id": "someone-else",
            "slots": {"language": "fr"},
            "latest_message": {"text": "oui", "intent": {"name": "affirm"}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": {},
    }


@pytest.mark.parametrize("headers", [{}, {HEADER: "wrong"}, {HEADER: SECRET[:-1]}])
def test_calls_without_the_secret_are_refused(action_server: str, headers: dict) -> None:
    forged = requests.post(
        f"{action_server}/webhook", json=_forged_erasure(), headers=headers, timeout=30
    )
    assert forged.status_code == 401
    assert forged.json() == {"error": "unauthorised"}
    assert requests.get(f"{action_server}/actions", headers=headers, timeout=30).status_code == 401
    # The health check stays open: it tells nothing and runs nothing.
    assert requests.get(f"{action_server}/health", timeout=30).status_code == 200


def test_a_failing_call_does_not_echo_the_tracker(action_server: str) -> None:
    body = _forged_erasure()
    body["tracker"] = "not a tracker, with philomene@example.org"
    reply = requests.post(
        f"{action_server}/webhook", json=body, headers={HEADER: SECRET}, timeout=30
    )
    assert reply.status_code >= 400
    assert "philomene" not in reply.text


def test_rasa_sends_the_secret_from_endpoints_yml(
    action_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rasa's own endpoint client, configured by our endpoints.yml, is let in."""
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("ACTION_ENDPOINT_URL", f"{action_server}/webhook")
    monkeypatch.setenv("ACTION_SERVER_SECRET", SECRET)
    for name, value in (
        ("TRACKER_STORE_DIALECT", "sqlite"),
        ("TRACKER_STORE_URL", "sqlite:///unused.db"),
        ("LOCK_STORE_TYPE", "in_memory"),
        ("REDIS_HOST", "127.0.0.1"),
        ("REDIS_PORT", "6379"),
        ("REDIS_LOCK_DB", "1"),
    ):
        monkeypatch.setenv(name, value)
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    assert endpoint is not None
    assert endpoint.headers == {HEADER: SECRET}
    endpoint.url = f"{action_server}/actions"
    names = asyncio.run(endpoint.request(method="get"))
    assert {"name": "action_erase_my_data"} in names


def test_the_server_does_not_start_without_a_secret() -> None:
    for value in ("", "short"):
        done = subprocess.run(
            [sys.executable, "-m", "bot.action_server", "-p", str(_free_port())],
            cwd=ROOT,
            env=_env(ACTION_SERVER_SECRET=value),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2
        assert "ACTION_SERVER_SECRET must be set" in done.stderr + done.stdout


def test_run_creates_the_secret_file_private_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("coopilote_run", ROOT / "scripts" / "run.py")
    assert spec is not None and spec.loader is not None
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    created: list[int] = []
    real_open = os.open

    def watching_open(path, flags, mode=0o777, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & os.O_CREAT:
            created.append(mode)
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(run, "VAR", tmp_path)
    monkeypatch.setattr(run.os, "open", watching_open)
    monkeypatch.setenv("ACTION_SERVER_SECRET", "")  # restored after the test
    run.action_server_secret()
    path = tmp_path / "action-server-secret"
    assert created == [0o600]
    assert path.stat().st_mode & 0o777 == 0o600
    first = os.environ["ACTION_SERVER_SECRET"]
    assert len(first) >= 32 and path.read_text() == first
    monkeypatch.delenv("ACTION_SERVER_SECRET")
    path.chmod(0o644)
    run.action_server_secret()  # the same one on the next start, private again
    assert os.environ["ACTION_SERVER_SECRET"] == first
    assert path.stat().st_mode & 0o777 == 0o600


async def test_work_off_the_event_loop_runs_in_a_bounded_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.action_server import build_app

    monkeypatch.setenv("ACTION_THREADS", "3")
    app = build_app(secret=SECRET.encode())
    starts = [f.listener for f in app._future_listeners if f.event == "before_server_start"]
    assert starts, "no start-up listener"
    # The loop under test may be uvloop's, which keeps its executor out of reach: record what
    # the listener installs instead of reading the loop's private attribute.
    installed: list[ThreadPoolExecutor] = []
    recorder = types.SimpleNamespace(set_default_executor=installed.append)
    import bot.action_server as action_server

    monkeypatch.setattr(action_server.asyncio, "get_running_loop", lambda: recorder)
    for listener in starts:
        started = listener(app, cast(asyncio.AbstractEventLoop, recorder))  # a stand-in loop
        if asyncio.iscoroutine(started):
            await started
    monkeypatch.undo()
    (pool,) = installed
    try:
        assert pool is not None and pool._max_workers == 3
        assert await asyncio.get_running_loop().run_in_executor(pool, lambda: "ran") == "ran"
    finally:
        pool.shutdown(wait=False)


async def test_an_idle_connection_is_not_closed_under_rasas_client(action_server: str) -> None:
    """Rasa's aiohttp session keeps an idle connection for 15 s; the server must not close it
    sooner, or a call sent at that moment fails and the person gets the outage apology."""
    import aiohttp

    opened = []
    trace = aiohttp.TraceConfig()

    async def on_create(
        session: aiohttp.ClientSession,
        context: types.SimpleNamespace,
        params: aiohttp.TraceConnectionCreateEndParams,
    ) -> None:
        opened.append(1)

    # aiohttp 3.9 types its signals as Signal[callback], aiosignal 1.4's Signal takes the
    # callback's argument types instead: the stub pair disagrees, not the callback.
    trace.on_connection_create_end.append(on_create)  # type: ignore[arg-type]
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        async with session.get(f"{action_server}/health") as first:
            assert first.status == 200
        await asyncio.sleep(6)  # longer than Sanic's default keep-alive (5 s)
        async with session.get(f"{action_server}/health") as second:
            assert second.status == 200
    assert len(opened) == 1, "the server closed the idle connection: it was opened again"


def _first_message(domain: dict) -> dict:
    """Rasa's call of action_validate_slot_mappings on a conversation's first message."""
    return {
        "next_action": "action_validate_slot_mappings",
        "sender_id": "selective-domain",
        "version": "3.6.21",
        "tracker": {
            "sender_id": "selective-domain",
            "slots": {"language": None, "language_source": None},
            "latest_message": {
                "text": "Bonjour, je voudrais ouvrir une coopérative",
                "intent": {"name": "greet", "confidence": 0.9},
                "entities": [],
                "language_detection": {"language": "fr", "confidence": 0.99, "words": 6},
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": domain,
    }


def test_a_call_without_the_domain_is_answered_as_with_it(action_server: str) -> None:
    """Selective domain (endpoints.yml): Rasa leaves the domain out; the server has its own."""
    from bot.actions.domain import local_domain

    replies = [
        requests.post(
            f"{action_server}/webhook",
            json=_first_message(domain),
            headers={HEADER: SECRET},
            timeout=60,
        )
        for domain in ({}, local_domain())
    ]
    assert [r.status_code for r in replies] == [200, 200]
    without, with_domain = (r.json() for r in replies)
    slots = {e["name"]: e["value"] for e in without["events"] if e.get("event") == "slot"}
    assert slots["language"] == "fr"
    notice = [r["text"] for r in without["responses"] if r.get("text")]
    assert notice and "confidentialit" in notice[0].lower()  # the privacy notice, in French
    assert without == with_domain
