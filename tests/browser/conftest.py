"""Browser tests of the chat widget: the real Rasa and action servers, the web app, system Chromium.

The servers are tests/e2e's (scripts/run.py, started once per run), which allow the origin of the
web app started here on socket.io.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.responses import HTMLResponse, Response

from console.app import create_app
from console.security import content_security_policy
from console.settings import Settings
from tests.browser.widget import host_page
from tests.e2e.conftest import WEB_ORIGIN, WEB_PORT, servers  # noqa: F401 - the real servers
from tests.support.web import serve_in_thread

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


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    print(f"\n{NO_CHROMIUM}", file=sys.stderr)
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


@pytest.fixture(scope="package")
def web(servers) -> Iterator[str]:  # noqa: F811 - servers comes from tests/e2e
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

    with serve_in_thread(app, WEB_PORT, "the widget's web app"):
        yield WEB_ORIGIN


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
