"""The demo page and the Content-Security-Policy name the Rasa server from configured values
only: a forged Host header changes neither (it used to be copied into both)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from console.app import create_app
from console.settings import Settings

FORGED = "evil.example"


def _client() -> TestClient:
    return TestClient(create_app(), base_url="http://localhost:8000")


@pytest.mark.parametrize("path", ["/", "/?lang=en", "/confidentialite", "/login"])
@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "http://localhost:5005"),
        ({"COOPILOTE_WEB_URL": "https://coop.example.org"}, "https://coop.example.org:5005"),
        ({"COOPILOTE_RASA_URL": "https://rasa.example.org/"}, "https://rasa.example.org"),
    ],
)
def test_a_forged_host_header_is_not_reflected(
    monkeypatch: pytest.MonkeyPatch, path: str, environment: dict, expected: str
) -> None:
    for name in ("COOPILOTE_WEB_URL", "COOPILOTE_RASA_URL", "RASA_PORT", "CONSOLE_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    response = _client().get(path, headers={"Host": FORGED})
    policy = response.headers["Content-Security-Policy"]
    assert FORGED not in policy and FORGED not in response.text
    assert expected in policy
    if path.startswith("/?") or path == "/":
        assert f'data-server="{expected}"' in response.text


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("COOPILOTE_RASA_URL", "javascript:alert(1)"),
        ("COOPILOTE_RASA_URL", "https://rasa.example.org; script-src *"),
        ("COOPILOTE_WEB_URL", "coop.example.org"),
    ],
)
def test_a_configured_address_must_be_an_http_url(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.delenv("COOPILOTE_RASA_URL", raising=False)
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        create_app(Settings.from_environment())
