"""Browser tests of the chat widget: the real Rasa and action servers, the web app, system Chromium.

The servers start the way tests/e2e does (scripts/run.py on E2E_RASA_PORT / E2E_ACTION_PORT), but
with the web app's origin allowed on socket.io, and for this package only: they stop before the
e2e tests start theirs on the same ports.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.responses import HTMLResponse, Response

from console.app import create_app
from console.security import content_security_policy
from console.settings import Settings
from tests.browser.widget import host_page
from tests.e2e.conftest import ACTION_PORT, RASA_PORT, Servers, running_servers

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
NO_CHROMIUM = "chromium is not installed (apt-get install -y chromium): browser tests skipped"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# In the environment so that every import of this module agrees on it.
WEB_PORT = int(os.environ.setdefault("BROWSER_WEB_PORT", str(free_port())))
WEB_ORIGIN = f"http://127.0.0.1:{WEB_PORT}"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    print(f"\n{NO_CHROMIUM}", file=sys.stderr)
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


def server_environment(work: Path, origins: str) -> dict[str, str]:
    env = {
        **os.environ,
        "RASA_PORT": str(RASA_PORT),
        "ACTION_PORT": str(ACTION_PORT),
        "CONSOLE_PORT": str(RASA_PORT + 3001),
        "TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{work / 'app.db'}",
        "COOPILOTE_LOG_DIR": str(work / "log"),
        "RASA_API_TOKEN": "browser-tests-token",
        "SOCKETIO_ALLOWED_ORIGINS": origins,
        "RASA_TELEMETRY_ENABLED": "false",
    }
    env.pop("ACTION_ENDPOINT_URL", None)
    return env


@pytest.fixture(scope="package")
def servers(tmp_path_factory) -> Iterator[Servers]:
    """Rasa + action server through scripts/run.py, allowing the web app's origin."""
    work = tmp_path_factory.mktemp("browser-servers")
    env = server_environment(work, f"{WEB_ORIGIN},http://localhost:{WEB_PORT}")
    with running_servers(env, work, RASA_PORT) as console_log:
        yield Servers(
            f"http://127.0.0.1:{RASA_PORT}",
            env["RASA_API_TOKEN"],
            work / "log",
            console_log,
            WEB_ORIGIN,
        )


@pytest.fixture(scope="package")
def web(servers) -> Iterator[str]:
    """The web app (demo page + widget files) on WEB_PORT, talking to the test Rasa."""
    app = create_app(Settings(port=WEB_PORT, rasa_public_url=servers.base_url))

    @app.get("/test/partner")
    def partner_page(server: str) -> HTMLResponse:
        """A partner's page whose widget talks to another server, under the documented CSP.

        Served from loopback: Chromium's local-network checks block a page Playwright would
        fulfil itself (a "public" page) from reaching a loopback server.
        """
        body = host_page(f"{WEB_ORIGIN}/widget/v1/coopilote.js", server)
        csp = content_security_policy(server)
        return HTMLResponse(body, headers={"Content-Security-Policy": csp})

    @app.get("/test/webchat")
    def webchat_page(server: str) -> HTMLResponse:
        """The community widget rasa-webchat 1.0.1 (npm), for the compatibility check."""
        body = (
            "<!doctype html><html lang='fr'><head><title>rasa-webchat</title></head><body>"
            "<div id='webchat'></div><script src='/test/webchat.js'></script><script>"
            "WebChat.default({selector: '#webchat', socketUrl: '" + server + "',"
            " socketPath: '/socket.io/', title: 'Coopilote', params: {storage: 'session'},"
            " initPayload: 'Bonjour'}, null);</script></body></html>"
        )
        # A third-party widget: its own needs, not the app's strict policy.
        csp = f"default-src 'self' 'unsafe-inline' 'unsafe-eval' data: {server} ws: http:"
        return HTMLResponse(body, headers={"Content-Security-Policy": csp})

    @app.get("/test/webchat.js")
    def webchat_bundle() -> Response:
        bundle = HERE / "node_modules" / "rasa-webchat" / "lib" / "index.js"
        return Response(bundle.read_bytes(), media_type="text/javascript")

    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=WEB_PORT, log_level="warning", ws="none")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the web app did not start"
        time.sleep(0.05)
    yield WEB_ORIGIN
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def axe_source() -> str:
    """axe-core from the npm registry (tests/browser/package-lock.json), installed if missing."""
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund"], check=True)
    assert AXE.exists(), "axe-core is missing: run `npm ci --prefix tests/browser`"
    return AXE.read_text()
