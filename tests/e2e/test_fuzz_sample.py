"""A small sample of scripts/fuzz.py in the test run: a few hundred generated inputs on the REST
channel, socket.io, the console (logged in and not) and the health endpoints of the shared e2e
servers; no response may be >= 500. The full run (10,000 inputs) is ``scripts/fuzz.py``.

socket.io is left out of the sample for now: the full run (before the Engine.IO fix of
bot/channels/socketio.py) had long-polling requests that got no answer within 120 s after
malformed packets, not yet investigated (issue 17 report)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

import pytest

from tests.e2e.conftest import CONSOLE_PORT, ROOT

pytestmark = pytest.mark.e2e


def load_fuzz():
    spec = importlib.util.spec_from_file_location("coopilote_fuzz", ROOT / "scripts" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_sample_of_generated_inputs_gets_no_server_error(servers):
    fuzz = load_fuzz()
    console_url = f"http://127.0.0.1:{CONSOLE_PORT}"
    token, cookies = fuzz.console_credentials(console_url, servers.env)
    assert token and cookies, "the fuzzing account could not log in"
    target = fuzz.Target(servers.base_url, console_url, servers.origin, token, cookies)
    surfaces = ("rest", "raw", "console", "health")
    results = asyncio.run(
        fuzz.fuzz(target, total=300, concurrency=4, seed=3, quiet=True, surfaces=surfaces)
    )
    fuzz.report(results, 0)
    assert results.inputs >= 250
    # Each surface was reached and answered (not only refused at the door).
    assert {"rest (structured)", "rest (raw bodies)", "console", "health"} <= set(results.statuses)
    assert results.statuses["rest (structured)"][200] > 0
    assert results.failures == []
