"""Rasa stops and comes back: the widget says so, reconnects, and the conversation goes on.

The widget talks to a Rasa server of its own (with the shared action server and tracker store),
which the test stops. What comes back at its address is the shared Rasa, through a proxy: another
process that knows the conversation only from the tracker store, as a restarted server does,
without a second model load (about a minute on two cores).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.widget import GREETING_FR, Widget, new_page
from tests.e2e.conftest import RASA_PORT, ROOT, Servers, stop_process_group
from tests.e2e.tcp_proxy import TcpProxy
from tests.support.processes import free_port, wait_for_url

pytestmark = pytest.mark.e2e
BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"


class StoppableRasa:
    """A Rasa server on a spare port that a test stops, then brings back (see the docstring)."""

    def __init__(self, servers: Servers, work: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The shared servers' settings: their action server (ACTION_ENDPOINT_URL), tracker store
        # and allowed origins; plus what scripts/run.py sets by default.
        self.env = {
            **servers.env,
            "TRACKER_STORE_DIALECT": "sqlite",
            "LOCK_STORE_TYPE": "in_memory",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": "6379",
            "REDIS_LOCK_DB": "1",
            "SANIC_HOST": "127.0.0.1",
        }
        self.log = work / "stoppable-rasa.log"
        self.process: subprocess.Popen | None = None
        self.proxy: TcpProxy | None = None

    def start(self, timeout: float = 300) -> None:
        credentials = self.env.get("COOPILOTE_CREDENTIALS", str(ROOT / "credentials.yml"))
        command = [
            str(BIN / "rasa"), "run", "--model", str(ROOT / "bot" / "models"),
            "--endpoints", "endpoints.yml", "--credentials", credentials,
            "--interface", "127.0.0.1", "--port", str(self.port),
        ]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_for_url(
            f"{self.url}/webhooks/rest/", self.process, self.log, timeout, what="the stoppable Rasa"
        )

    def stop(self) -> None:
        if self.process is not None:
            stop_process_group(self.process)

    def come_back(self) -> None:
        """The shared Rasa answers at this server's address from now on."""
        self.proxy = TcpProxy(RASA_PORT, port=self.port).up()

    def close(self) -> None:
        self.stop()
        if self.proxy is not None:
            self.proxy.close()


@pytest.fixture
def stoppable_rasa(servers, web, tmp_path):
    rasa = StoppableRasa(servers, tmp_path)
    rasa.start()
    yield rasa
    rasa.close()


def test_server_stopped_then_back_at_its_address(browser, web, stoppable_rasa):
    page = new_page(browser, 1280)
    page.goto(f"{web}/test/partner?server={stoppable_rasa.url}")
    widget = Widget(page)
    widget.greet(GREETING_FR)
    session = widget.session_id()

    stoppable_rasa.stop()
    expect(widget.status).to_contain_text("Impossible de joindre le serveur", timeout=30_000)
    expect(widget.status).to_have_attribute("role", "status")
    # Typed while the server is away: kept and sent after the reconnection.
    widget.input.fill("Qu'est-ce qu'une coopérative ?")
    widget.input.press("Enter")
    expect(widget.status).to_contain_text("dès le retour de la connexion")

    stoppable_rasa.come_back()  # another Rasa process, which has only the tracker store
    expect(widget.status).to_contain_text("La connexion est rétablie", timeout=60_000)
    widget.wait_for_bot(2)
    expect(widget.bot.nth(1)).to_contain_text("coopérative")
    assert widget.session_id() == session
    assert page.js_errors == []
    page.context.close()
