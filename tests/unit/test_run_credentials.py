"""scripts/run.py starts with either credentials file: it waits for a route Rasa always opens."""

from __future__ import annotations

import importlib.util
import secrets
from pathlib import Path

import pytest
from rasa.core.run import configure_app, create_http_input_channels
from sanic import Sanic

ROOT = Path(__file__).resolve().parents[2]


def _run_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("coopilote_run", ROOT / "scripts" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("credentials", ["credentials.yml", "credentials.production.yml"])
def test_the_start_script_waits_for_a_route_these_credentials_open(
    credentials: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCKETIO_SESSION_SECRET", "s" * 32)
    monkeypatch.setenv("BRIDGE_SHARED_SECRET", "b" * 32)
    Sanic._app_registry.clear()  # Rasa names its app "rasa_server" every time
    channels = create_http_input_channels(None, str(ROOT / credentials))
    app = configure_app(channels, enable_api=True, auth_token=secrets.token_urlsafe(8))  # as run.py
    routes = {"/" + route.path for route in app.router.routes}
    Sanic._app_registry.clear()
    assert _run_script().RASA_READY_PATH in routes
    # The REST channel is the development one: the production file must not open it.
    assert ("/webhooks/rest/webhook" in routes) == (credentials == "credentials.yml")
